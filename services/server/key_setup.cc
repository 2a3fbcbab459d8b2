#include "services/server/key_setup.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace renkei::server {

absl::StatusOr<privacy::KeyEncryptionKey> LoadKeyEncryptionKey(
    const std::string& given, const std::string& file,
    const std::string& data_dir) {
  if (!given.empty()) {
    if (given.size() != privacy::kKeyBytes) {
      return absl::InvalidArgumentError(
          "the key-encryption key given is not 32 bytes");
    }
    return privacy::KeyEncryptionKey{given};
  }
  if (!file.empty()) return privacy::ReadKeyEncryptionKeyFile(file, data_dir);
  if (const char* env = std::getenv(privacy::kKeyEncryptionKeyEnv)) {
    return privacy::ParseKeyEncryptionKey(
        env, absl::StrCat("the environment variable ",
                          privacy::kKeyEncryptionKeyEnv));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "no key-encryption key: personal data is stored encrypted and the "
      "server will not start without the key that wraps its data keys. Make "
      "one outside the data directory with `renkei-server generate-key "
      "FILE` and pass --key-encryption-key-file FILE (or set ",
      privacy::kKeyEncryptionKeyEnv, " to its 64 hex digits)"));
}

}  // namespace renkei::server
