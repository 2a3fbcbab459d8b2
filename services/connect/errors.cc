// Wording of every Connect gateway error.
#include "services/connect/errors.h"

#include "absl/strings/str_cat.h"

namespace renkei::connect::errors {

absl::Status CannotLoadTlsPair(absl::string_view cert_file,
                               absl::string_view key_file) {
  return absl::FailedPreconditionError(
      absl::StrCat("the console's HTTPS port cannot load the certificate '",
                   cert_file, "' and key '", key_file, "'"));
}

absl::Status WebRootWithoutIndex(absl::string_view web_root) {
  return absl::FailedPreconditionError(
      absl::StrCat("--web-root '", web_root,
                   "' holds no index.html: build the console (cd clients/web "
                   "&& npm ci && npm run build) or leave --web-root out"));
}

absl::Status CannotServeConsole(absl::string_view host, int port) {
  return absl::UnavailableError(absl::StrCat(
      "cannot serve the console on ", host, ":", port, " (address in use?)"));
}

}  // namespace renkei::connect::errors
