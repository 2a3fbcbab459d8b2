// The key-encryption key (KEK): 32 bytes that wrap every data key. It never
// lives in the data directory: it is read from a file (64 hex digits, owned
// by the server's user; no access by others, no group write) or from an
// environment variable, so a copy of the data directory alone decrypts nothing.
//
// Thread-safety: plain functions.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace renkei::privacy {

inline constexpr size_t kKeyBytes = 32;
// The environment variable renkei-server reads the KEK from (64 hex digits)
// when no --key-encryption-key-file is given.
inline constexpr char kKeyEncryptionKeyEnv[] = "RENKEI_KEY_ENCRYPTION_KEY";

// 32 raw bytes.
struct KeyEncryptionKey {
  std::string bytes;
};

// Parses 64 hex digits (surrounding whitespace ignored). INVALID_ARGUMENT
// naming `source` otherwise.
[[nodiscard]] absl::StatusOr<KeyEncryptionKey> ParseKeyEncryptionKey(
    const std::string& text, const std::string& source);

// Reads the KEK from `path`. FAILED_PRECONDITION when the file is missing,
// writable by its group or readable by others, not a regular file, or inside
// `data_dir` (the key must not travel with the data it protects).
[[nodiscard]] absl::StatusOr<KeyEncryptionKey> ReadKeyEncryptionKeyFile(
    const std::string& path, const std::string& data_dir);

// Writes a new random KEK to `path` (mode 0600, created exclusively: an
// existing file is ALREADY_EXISTS and left as it is).
[[nodiscard]] absl::Status GenerateKeyEncryptionKeyFile(
    const std::string& path);

}  // namespace renkei::privacy
