// Wording of every identity error.
#include "services/identity/errors.h"

#include "absl/strings/str_cat.h"

namespace renkei::identity::errors {

absl::Status PasswordTooLong(size_t max_bytes) {
  return absl::InvalidArgumentError(absl::StrCat(
      "the password is over ", max_bytes, " bytes; choose a shorter one"));
}

absl::Status PasswordTooShort(size_t characters, size_t min_characters) {
  return absl::InvalidArgumentError(
      absl::StrCat("the password has ", characters,
                   " characters; it needs at least ", min_characters));
}

absl::Status WrongCredentials() {
  return absl::UnauthenticatedError(
      "the staff id or the password is wrong (repeated failures delay and then "
      "lock the account)");
}

absl::Status NotASessionToken() {
  return absl::UnauthenticatedError(
      "the bearer token is not a Renkei session token; sign in "
      "(SessionService.SignIn) for one");
}

absl::Status SessionEnded() {
  return absl::UnauthenticatedError(
      "the session has ended (signed out, password changed, or the staff "
      "member left) or never existed; sign in again");
}

absl::Status SessionExpired(absl::Time expires_at) {
  return absl::UnauthenticatedError(absl::StrCat(
      "the session expired at ",
      absl::FormatTime(absl::RFC3339_sec, expires_at, absl::UTCTimeZone()),
      "; sign in again"));
}

absl::Status SessionAlreadyEnded() {
  return absl::UnauthenticatedError("the session has already ended");
}

absl::Status CurrentPasswordWrong() {
  return absl::PermissionDeniedError(
      "the current password is wrong; the password is unchanged");
}

absl::Status AccountLocked(absl::string_view staff_id, uint32_t failures,
                           absl::Time locked_until) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the account '", staff_id, "' is locked after ", failures,
      " failed sign-ins until ",
      absl::FormatTime(absl::RFC3339_sec, locked_until, absl::UTCTimeZone()),
      "; an administrator can set a new password (SetStaffPassword)"));
}

absl::Status SignInThrottled(absl::string_view staff_id, uint32_t failures,
                             absl::Duration wait) {
  return absl::ResourceExhaustedError(absl::StrCat(
      failures, " failed sign-ins in a row for '", staff_id, "': wait ",
      absl::FormatDuration(wait), " before the next attempt"));
}

absl::Status TooManySignInsAtOnce() {
  return absl::ResourceExhaustedError(
      "too many sign-ins are being checked at once; retry in a moment");
}

absl::Status SignInInProgress(absl::string_view staff_id) {
  return absl::ResourceExhaustedError(
      absl::StrCat("another sign-in for '", staff_id,
                   "' is being checked; retry when it has finished"));
}

absl::Status OutOfHashMemory() {
  return absl::ResourceExhaustedError(
      "not enough memory to hash the password; retry shortly");
}

absl::Status RowUnreadable(absl::string_view key) {
  return absl::DataLossError(
      absl::StrCat("identity store row '", key, "' does not parse"));
}

absl::Status SodiumInitFailed() {
  return absl::InternalError("libsodium failed to initialise");
}

absl::Status ResultUnset() {
  return absl::InternalError(
      "the identity store returned before deciding a result");
}

}  // namespace renkei::identity::errors
