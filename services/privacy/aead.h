// XChaCha20-Poly1305 (libsodium's IETF construction) with a random 192-bit
// nonce per message, and the derivation of one sealing key from several
// data keys.
//
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace renkei::privacy {

struct Sealed {
  std::string nonce;
  std::string ciphertext;
};

// Initialises libsodium (once); INTERNAL when it cannot.
[[nodiscard]] absl::Status InitCrypto();

// Encrypts `plaintext` under `key` (32 bytes), binding `associated` to it.
[[nodiscard]] Sealed Encrypt(const std::string& key,
                             const std::string& associated,
                             const std::string& plaintext);
// DATA_LOSS when the ciphertext, the nonce or `associated` do not match.
[[nodiscard]] absl::StatusOr<std::string> Decrypt(const std::string& key,
                                                  const std::string& associated,
                                                  const Sealed& sealed);

// One 32-byte key from every key in `keys` (in order): BLAKE2b over them, so
// each is needed.
[[nodiscard]] std::string DeriveKey(const std::vector<std::string>& keys);

// `n` random bytes.
[[nodiscard]] std::string RandomBytes(size_t n);

}  // namespace renkei::privacy
