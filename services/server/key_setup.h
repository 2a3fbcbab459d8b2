// Finding the key-encryption key renkei-server runs with: the key given by
// the embedding program, else --key-encryption-key-file, else the
// RENKEI_KEY_ENCRYPTION_KEY environment variable; none is a refusal to
// start that says how to make one.
//
// Thread-safety: plain functions.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/privacy/key_encryption_key.h"

namespace renkei::server {

// The directory of the data keys under the data directory.
inline constexpr char kDataKeysDir[] = "keys";

[[nodiscard]] absl::StatusOr<privacy::KeyEncryptionKey> LoadKeyEncryptionKey(
    const std::string& given, const std::string& file,
    const std::string& data_dir);

}  // namespace renkei::server
