#include "services/privacy/key_encryption_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/privacy/errors.h"

namespace renkei::privacy {
namespace {

absl::Status Refuse(const std::string& path, const std::string& what) {
  return errors::KekFileUnusable(path, what);
}

}  // namespace

absl::StatusOr<KeyEncryptionKey> ParseKeyEncryptionKey(
    const std::string& text, const std::string& source) {
  const std::string hex(absl::StripAsciiWhitespace(text));
  const bool all_hex = std::all_of(
      hex.begin(), hex.end(), [](char c) { return absl::ascii_isxdigit(c); });
  if (hex.size() != 2 * kKeyBytes || !all_hex) {
    return errors::KekTextMalformed(source, kKeyBytes);
  }
  return KeyEncryptionKey{absl::HexStringToBytes(hex)};
}

absl::StatusOr<KeyEncryptionKey> ReadKeyEncryptionKeyFile(
    const std::string& path, const std::string& data_dir) {
  std::error_code ec;
  const auto key_path = std::filesystem::weakly_canonical(path, ec);
  const auto data_path = std::filesystem::weakly_canonical(data_dir, ec);
  if (!data_dir.empty() && !ec) {
    const std::string k = key_path.string();
    const std::string d = data_path.string();
    if (absl::StartsWith(k, d + "/") || k == d) {
      return Refuse(path,
                    "is inside the data directory; keep it elsewhere (a "
                    "secrets store, /etc/renkei) so a copy of the data "
                    "directory decrypts nothing");
    }
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Refuse(path, absl::StrCat("cannot be read: ", std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) return Refuse(path, "is not a regular file");
  // Group read is let through (a Kubernetes Secret mounted with an
  // fsGroup is 0440); group write and any access by others are not.
  if ((st.st_mode & 027) != 0) {
    return Refuse(
        path, absl::StrFormat("is writable by its group or readable by others "
                              "(mode %o); chmod 600 it",
                              st.st_mode & 0777));
  }
  std::ifstream in(path);
  if (!in) return Refuse(path, "cannot be opened");
  std::stringstream text;
  text << in.rdbuf();
  auto key = ParseKeyEncryptionKey(text.str(), absl::StrCat("'", path, "'"));
  if (!key.ok()) return Refuse(path, std::string(key.status().message()));
  return key;
}

absl::Status GenerateKeyEncryptionKeyFile(const std::string& path) {
  if (sodium_init() < 0) {
    return errors::SodiumInitFailed();
  }
  std::string key(kKeyBytes, '\0');
  randombytes_buf(key.data(), key.size());
  const std::string hex = absl::StrCat(absl::BytesToHexString(key), "\n");
  sodium_memzero(key.data(), key.size());
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return errors::KekFileExists(path);
    }
    return errors::CannotCreateKekFile(path, std::strerror(errno));
  }
  const ssize_t n = ::write(fd, hex.data(), hex.size());
  const bool ok = n == static_cast<ssize_t>(hex.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return errors::CannotWriteKekFile(path, std::strerror(errno));
  }
  return absl::OkStatus();
}

}  // namespace renkei::privacy
