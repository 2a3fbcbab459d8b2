#include "services/server/data_dir.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/server/errors.h"
#include "services/server/pseudonym_key.h"

namespace renkei::server {
namespace fs = std::filesystem;

absl::Status SecureDataDir(const std::string& data_dir) {
  ::umask(077);
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) {
    return errors::CannotCreateDataDir(data_dir, ec.message());
  }
  constexpr fs::perms kOthers = fs::perms::group_all | fs::perms::others_all;
  for (const char* secret : {kPseudonymKeyFile}) {
    const fs::path path = fs::path(data_dir) / secret;
    const fs::file_status status = fs::status(path, ec);
    if (!ec && fs::exists(status) &&
        (status.permissions() & kOthers) != fs::perms::none) {
      return errors::SecretReadableByOthers(
          path.string(), static_cast<unsigned>(status.permissions()) & 0777);
    }
  }
  int tightened = 0;
  auto tighten = [&](const fs::path& path, bool directory) -> absl::Status {
    const fs::file_status status = fs::symlink_status(path, ec);
    if (ec || fs::is_symlink(status)) return absl::OkStatus();
    if ((status.permissions() & kOthers) == fs::perms::none) {
      return absl::OkStatus();
    }
    fs::permissions(path,
                    directory ? fs::perms::owner_all
                              : fs::perms::owner_read | fs::perms::owner_write,
                    ec);
    if (ec) {
      return errors::CannotRestrictToOwner(path.string(), ec.message());
    }
    ++tightened;
    return absl::OkStatus();
  };
  if (absl::Status s = tighten(data_dir, true); !s.ok()) return s;
  for (auto it = fs::recursive_directory_iterator(data_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (absl::Status s = tighten(it->path(), it->is_directory()); !s.ok()) {
      return s;
    }
  }
  if (ec) {
    return errors::CannotReadDataDir(data_dir, ec.message());
  }
  if (tightened > 0) {
    spdlog::warn(
        "data directory: {} files or directories were open to others; "
        "now the server's user's alone",
        tightened);
  }
  return absl::OkStatus();
}

}  // namespace renkei::server
