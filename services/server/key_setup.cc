#include "services/server/key_setup.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "services/server/errors.h"

namespace renkei::server {

absl::StatusOr<privacy::KeyEncryptionKey> LoadKeyEncryptionKey(
    const std::string& given, const std::string& file,
    const std::string& data_dir) {
  if (!given.empty()) {
    if (given.size() != privacy::kKeyBytes) {
      return errors::KeyEncryptionKeyWrongSize();
    }
    return privacy::KeyEncryptionKey{given};
  }
  if (!file.empty()) return privacy::ReadKeyEncryptionKeyFile(file, data_dir);
  if (const char* env = std::getenv(privacy::kKeyEncryptionKeyEnv)) {
    return privacy::ParseKeyEncryptionKey(
        env, absl::StrCat("the environment variable ",
                          privacy::kKeyEncryptionKeyEnv));
  }
  return errors::NoKeyEncryptionKey(privacy::kKeyEncryptionKeyEnv);
}

}  // namespace renkei::server
