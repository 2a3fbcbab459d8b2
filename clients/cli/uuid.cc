// Random UUIDs from the system's random device.
#include "clients/cli/uuid.h"

#include <random>

#include "absl/strings/str_format.h"

namespace renkei::cli {

std::string NewUuid() {
  static thread_local std::random_device device;
  unsigned char b[16];
  for (int i = 0; i < 16; i += 4) {
    const unsigned int r = device();
    for (int k = 0; k < 4; ++k)
      b[i + k] = static_cast<unsigned char>(r >> (8 * k));
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return absl::StrFormat(
      "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
      b[12], b[13], b[14], b[15]);
}

}  // namespace renkei::cli
