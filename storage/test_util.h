// Test helpers for code built on the event log: temporary directories and
// event construction. Test-only.
#pragma once

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "absl/strings/str_format.h"
#include "renkei/v1/event.pb.h"

namespace renkei::storage::testing {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    path_ =
        std::filesystem::temp_directory_path() /
        absl::StrFormat("renkei-test-%d-%d-%08x", ::getpid(), counter++, rd());
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path() const { return path_.string(); }
  std::string Sub(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

// A deterministic, well-formed UUID built from a number.
inline std::string TestUuid(uint64_t n, uint32_t salt = 0) {
  return absl::StrFormat("%08x-0000-4000-8000-%012x", salt, n);
}

inline renkei::v1::ProposedEvent TestEvent(
    const std::string& id, const std::string& type = "test.Happened",
    const std::string& body = "body") {
  renkei::v1::ProposedEvent e;
  e.set_event_id(id);
  e.set_event_type(type);
  e.mutable_payload()->set_type_url("type.googleapis.com/" + type);
  e.mutable_payload()->set_value(body);
  e.mutable_actor()->set_staff_id("staff-1");
  e.mutable_actor()->set_agency_id("agency-1");
  return e;
}

}  // namespace renkei::storage::testing
