// Test helper process for crash_test.cc: appends continuously from several
// threads (so appends are group-committed) and prints "position event_id" for
// every acknowledged event on stdout, until it is killed.
//
// Usage: renkei_crash_appender DATA_DIR ROUND THREADS
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "storage/event_log.h"
#include "storage/test_util.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DATA_DIR ROUND THREADS\n", argv[0]);
    return 2;
  }
  renkei::storage::EventLogOptions options;
  options.path = argv[1];
  const uint32_t round = static_cast<uint32_t>(std::atoi(argv[2]));
  const int threads = std::atoi(argv[3]);
  auto log = renkei::storage::EventLog::Open(options);
  if (!log.ok()) {
    std::fprintf(stderr, "open failed: %s\n", log.status().ToString().c_str());
    return 1;
  }
  std::mutex out_mu;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (uint64_t i = 0;; ++i) {
        renkei::storage::AppendRequest r;
        r.stream_id = absl::StrFormat("crash-%d", t);
        const uint64_t n = (static_cast<uint64_t>(t) << 40) | i;
        const int events = 1 + static_cast<int>(i % 3);
        for (int k = 0; k < events; ++k) {
          r.events.push_back(renkei::storage::testing::TestEvent(
              renkei::storage::testing::TestUuid(n * 4 + k, round),
              "crash.Appended", std::string(100 + k, 'x')));
        }
        auto result = (*log)->Append(std::move(r));
        if (!result.ok()) {
          std::fprintf(stderr, "append failed: %s\n",
                       result.status().ToString().c_str());
          std::_Exit(1);
        }
        std::string lines;
        for (int k = 0; k < events; ++k) {
          lines += absl::StrFormat(
              "%d %s\n", result->first_position + k,
              renkei::storage::testing::TestUuid(n * 4 + k, round));
        }
        std::lock_guard lock(out_mu);
        // One write per acknowledged append; pipe writes this small are atomic.
        if (::write(STDOUT_FILENO, lines.data(), lines.size()) < 0)
          std::_Exit(1);
      }
    });
  }
  for (auto& w : workers) w.join();
  return 0;
}
