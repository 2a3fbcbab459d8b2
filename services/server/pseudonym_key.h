// The server secret that keys pseudonymous case keys (see
// domain::PseudonymousCaseKey): 32 random bytes kept in the data directory,
// created on first start and read on every later start, so that keys are
// stable across restarts and cannot be recomputed from case ids by anyone
// without the file.
//
// Thread-safety: a plain function; call it once at start-up, while holding
// the data directory (the event log's lock), so no other server writes the
// file at the same time.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace renkei::server {

// The file name under the data directory.
inline constexpr char kPseudonymKeyFile[] = "pseudonym.key";

// Reads the secret from `path`, or, when there is no file, creates it (mode
// 0600, random bytes from OpenSSL's RAND_bytes, written to a temporary file,
// synced and renamed into place). A file that cannot be read or does not hold
// exactly domain::kPseudonymKeyBytes bytes is FAILED_PRECONDITION: the server
// refuses to start rather than issue keys under another secret.
[[nodiscard]] absl::StatusOr<std::string> LoadOrCreatePseudonymKey(
    const std::string& path);

}  // namespace renkei::server
