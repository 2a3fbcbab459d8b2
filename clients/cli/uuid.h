// Random identifiers for idempotency keys and request ids.
#pragma once

#include <string>

namespace renkei::cli {

// A random (version 4) UUID in 8-4-4-4-12 lowercase hex.
std::string NewUuid();

}  // namespace renkei::cli
