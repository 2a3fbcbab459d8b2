#include "services/app/random_id.h"

#include <openssl/rand.h>

#include "absl/strings/str_format.h"
#include "storage/errors.h"

namespace renkei::app {

absl::StatusOr<std::string> NewRandomId(absl::string_view what) {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) {
    return storage::errors::RandomnessUnavailable(what, sizeof b);
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return absl::StrFormat(
      "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
      b[12], b[13], b[14], b[15]);
}

}  // namespace renkei::app
