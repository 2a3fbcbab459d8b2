// The catalogue of every error the Connect gateway mints itself while it
// starts. One constructor per error, so codes and wording stay consistent and
// testable. Answers forwarded from the gRPC services keep their own status;
// failed randomness is storage::errors::RandomnessUnavailable.
#ifndef RENKEI_SERVICES_CONNECT_ERRORS_H_
#define RENKEI_SERVICES_CONNECT_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace renkei::connect::errors {

// FAILED_PRECONDITION: the console's settings point at files it cannot use.
[[nodiscard]] absl::Status CannotLoadTlsPair(absl::string_view cert_file,
                                             absl::string_view key_file);
[[nodiscard]] absl::Status WebRootWithoutIndex(absl::string_view web_root);

// UNAVAILABLE: the console cannot be served.
[[nodiscard]] absl::Status CannotServeConsole(absl::string_view host, int port);
}  // namespace renkei::connect::errors

#endif  // RENKEI_SERVICES_CONNECT_ERRORS_H_
