// Password hashing: Argon2id through libsodium's crypto_pwhash_str, whose
// output string names the algorithm, its cost and the salt, so a hash made
// at one cost still verifies after the cost is raised.
//
// Thread-safety: the functions are safe to call concurrently.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace renkei::identity {

// Argon2id's cost: passes over memory, and memory in bytes.
struct HashCost {
  unsigned long long ops_limit;
  size_t mem_limit;

  // libsodium's interactive cost (2 passes, 64 MiB): the default.
  static HashCost Interactive();
  // libsodium's moderate cost (3 passes, 256 MiB).
  static HashCost Moderate();
  // The least Argon2id allows: for tests only, never for real passwords.
  static HashCost Minimum();
};

// Initialises libsodium once; INTERNAL when it cannot.
[[nodiscard]] absl::Status InitSodium();

// The Argon2id hash string of `password`; RESOURCE_EXHAUSTED when the memory
// cannot be had.
[[nodiscard]] absl::StatusOr<std::string> HashPassword(
    const std::string& password, const HashCost& cost);

// Whether `password` matches `hash` (a crypto_pwhash_str string).
[[nodiscard]] bool VerifyPassword(const std::string& hash,
                                  const std::string& password);

// Whether a password's length is acceptable: INVALID_ARGUMENT naming the
// bound otherwise (at least 12 code points, at most 1024 bytes).
[[nodiscard]] absl::Status ValidateNewPassword(const std::string& password);

// `n` random bytes as URL-safe base64 without padding (libsodium's CSPRNG).
std::string RandomToken(size_t n);
// The BLAKE2b-256 digest of `text`, in hex.
std::string Digest(const std::string& text);

}  // namespace renkei::identity
