#include "services/server/pseudonym_key.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "services/domain/conference/anonymised_view.h"
#include "services/server/errors.h"
#include "storage/errors.h"

namespace renkei::server {
namespace {

std::string Errno() { return std::strerror(errno); }

absl::Status Refuse(const std::string& path, absl::string_view what) {
  return errors::PseudonymKeyUnusable(path, what);
}

absl::StatusOr<std::string> Read(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Refuse(path, absl::StrCat("cannot be read: ", Errno()));
  std::string key(domain::kPseudonymKeyBytes + 1, '\0');
  size_t got = 0;
  while (got < key.size()) {
    const ssize_t n = ::read(fd, key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string error = Errno();
      ::close(fd);
      return Refuse(path, absl::StrCat("cannot be read: ", error));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (got != domain::kPseudonymKeyBytes) {
    return Refuse(
        path, absl::StrCat("holds ",
                           got > domain::kPseudonymKeyBytes ? "more than " : "",
                           std::min(got, domain::kPseudonymKeyBytes),
                           " bytes where the secret is exactly ",
                           domain::kPseudonymKeyBytes));
  }
  key.resize(got);
  return key;
}

absl::Status WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errors::CannotWriteFile("the pseudonym key", Errno());
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Create(const std::string& path) {
  std::string key(domain::kPseudonymKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()),
                 static_cast<int>(key.size())) != 1) {
    return storage::errors::RandomnessUnavailable("the pseudonym key",
                                                  key.size());
  }
  // A leftover temporary file of an interrupted start is replaced.
  const std::string tmp = absl::StrCat(path, ".tmp");
  const int fd =
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  auto fail = [&](absl::string_view step) {
    return errors::CannotCreatePseudonymKey(path, step, Errno());
  };
  if (fd < 0) return fail("open");
  // The mode asked for at creation is masked by the umask; the file is
  // created empty, so nothing is readable before this.
  if (::fchmod(fd, 0600) != 0) {
    ::close(fd);
    return fail("chmod");
  }
  if (absl::Status s = WriteAll(fd, key); !s.ok()) {
    ::close(fd);
    return fail("write");
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    return fail("fsync");
  }
  if (::close(fd) != 0) return fail("close");
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("rename");
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(),
                            O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return fail("open directory");
  const int synced = ::fsync(dir_fd);
  ::close(dir_fd);
  if (synced != 0) return fail("fsync directory");
  return key;
}

}  // namespace

absl::StatusOr<std::string> LoadOrCreatePseudonymKey(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) return Read(path);
  if (errno != ENOENT) {
    return Refuse(path, absl::StrCat("cannot be read: ", Errno()));
  }
  return Create(path);
}

}  // namespace renkei::server
