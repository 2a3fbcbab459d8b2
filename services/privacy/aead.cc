#include "services/privacy/aead.h"

#include <sodium.h>

#include "services/privacy/errors.h"

namespace renkei::privacy {

absl::Status InitCrypto() {
  if (sodium_init() < 0) {
    return errors::SodiumInitFailed();
  }
  return absl::OkStatus();
}

Sealed Encrypt(const std::string& key, const std::string& associated,
               const std::string& plaintext) {
  Sealed out;
  out.nonce = RandomBytes(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  out.ciphertext.resize(plaintext.size() +
                        crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.ciphertext.data()), &length,
      reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(),
      reinterpret_cast<const unsigned char*>(associated.data()),
      associated.size(), nullptr,
      reinterpret_cast<const unsigned char*>(out.nonce.data()),
      reinterpret_cast<const unsigned char*>(key.data()));
  out.ciphertext.resize(length);
  return out;
}

absl::StatusOr<std::string> Decrypt(const std::string& key,
                                    const std::string& associated,
                                    const Sealed& sealed) {
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES ||
      sealed.nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
      sealed.ciphertext.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return errors::SealedValueMalformed();
  }
  std::string plaintext(
      sealed.ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES,
      '\0');
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), &length, nullptr,
          reinterpret_cast<const unsigned char*>(sealed.ciphertext.data()),
          sealed.ciphertext.size(),
          reinterpret_cast<const unsigned char*>(associated.data()),
          associated.size(),
          reinterpret_cast<const unsigned char*>(sealed.nonce.data()),
          reinterpret_cast<const unsigned char*>(key.data())) != 0) {
    return errors::SealedValueDoesNotDecrypt();
  }
  plaintext.resize(length);
  return plaintext;
}

std::string DeriveKey(const std::vector<std::string>& keys) {
  if (keys.size() == 1) return keys.front();
  crypto_generichash_state state;
  static constexpr char kContext[] = "renkei.v1 sealing key";
  crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES);
  crypto_generichash_update(&state,
                            reinterpret_cast<const unsigned char*>(kContext),
                            sizeof(kContext));
  for (const std::string& k : keys) {
    crypto_generichash_update(
        &state, reinterpret_cast<const unsigned char*>(k.data()), k.size());
  }
  std::string out(crypto_generichash_BYTES, '\0');
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(out.data()),
                           out.size());
  return out;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

}  // namespace renkei::privacy
