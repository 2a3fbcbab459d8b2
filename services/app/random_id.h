// Random identifiers: UUID-form ids for events and requests, from OpenSSL's
// random bytes (never a predictable id).
//
// Thread-safety: safe for concurrent use.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace renkei::app {

// A fresh random id in UUID form (version 4); UNAVAILABLE naming `what`
// (e.g. "an event id") when OpenSSL cannot give the random bytes.
[[nodiscard]] absl::StatusOr<std::string> NewRandomId(absl::string_view what);

}  // namespace renkei::app
