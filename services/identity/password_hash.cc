#include "services/identity/password_hash.h"

#include <sodium.h>

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/identity/errors.h"

namespace renkei::identity {

HashCost HashCost::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE,
          crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
HashCost HashCost::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
HashCost HashCost::Minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

absl::Status InitSodium() {
  static const int result = sodium_init();
  if (result < 0) return errors::SodiumInitFailed();
  return absl::OkStatus();
}

absl::StatusOr<std::string> HashPassword(const std::string& password,
                                         const HashCost& cost) {
  if (absl::Status s = InitSodium(); !s.ok()) return s;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            cost.ops_limit, cost.mem_limit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return errors::OutOfHashMemory();
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  if (!InitSodium().ok()) return false;
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(),
                                  password.size()) == 0;
}

absl::Status ValidateNewPassword(const std::string& password) {
  constexpr size_t kMinCodePoints = 12;
  constexpr size_t kMaxBytes = 1024;
  if (password.size() > kMaxBytes) {
    return errors::PasswordTooLong(kMaxBytes);
  }
  size_t code_points = 0;
  for (unsigned char c : password) code_points += (c & 0xc0) != 0x80;
  if (code_points < kMinCodePoints) {
    return errors::PasswordTooShort(code_points, kMinCodePoints);
  }
  return absl::OkStatus();
}

std::string RandomToken(size_t n) {
  (void)InitSodium();
  std::vector<unsigned char> bytes(n);
  randombytes_buf(bytes.data(), bytes.size());
  return absl::WebSafeBase64Escape(
      std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string Digest(const std::string& text) {
  (void)InitSodium();
  unsigned char out[32];
  crypto_generichash(out, sizeof out,
                     reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), nullptr, 0);
  return absl::BytesToHexString(
      std::string(reinterpret_cast<const char*>(out), sizeof out));
}

}  // namespace renkei::identity
