#include "services/app/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace renkei::app::errors {

absl::Status IdempotencyKeyInvalid(size_t max_bytes) {
  return absl::InvalidArgumentError(
      absl::StrCat("options.idempotency_key must be at most ", max_bytes,
                   " bytes of UTF-8 without control characters"));
}

absl::Status IdempotencyKeyMissing() {
  return absl::InvalidArgumentError(
      "options.idempotency_key is required: a unique string per command, "
      "reused only to retry the same command");
}

absl::Status CommandKeyReused(absl::string_view idempotency_key,
                              uint64_t first_position, uint64_t last_position) {
  return absl::AlreadyExistsError(
      absl::StrCat("idempotency key '", idempotency_key,
                   "' was already used for a different command (positions ",
                   first_position, "-", last_position,
                   "); nothing was written: use a new key for a new command, "
                   "and the same key only to retry the same request"));
}

absl::Status StaffLeftMayNotRead(absl::string_view staff_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "staff member '", staff_id, "' has left and may not read cases"));
}

absl::Status StaffNotInDirectory(absl::string_view staff_id,
                                 absl::string_view what) {
  return absl::PermissionDeniedError(absl::StrCat(
      "staff member '", staff_id, "' is not in the directory; ", what));
}

absl::Status StaffOfAnotherAgency(absl::string_view staff_id,
                                  absl::string_view agency_id,
                                  absl::string_view claimed_agency_id) {
  return absl::PermissionDeniedError(
      absl::StrCat("staff member '", staff_id, "' works for '", agency_id,
                   "', not '", claimed_agency_id, "'"));
}

absl::Status CertificateStaffUnknown(absl::string_view staff_id) {
  return absl::UnauthenticatedError(absl::StrCat(
      "the client certificate names staff member '", staff_id,
      "', who is not in the directory; an administrator registers staff"));
}

absl::Status SessionEnded(absl::string_view staff_id) {
  return absl::UnauthenticatedError(
      absl::StrCat("the session of '", staff_id,
                   "' ended: they have left or are not in the directory"));
}

absl::Status ServerBusy(size_t queued) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "the server is busy: ", queued,
      " requests are already waiting for a worker; retry shortly"));
}

absl::Status CaseReadNotRecorded(absl::string_view case_id,
                                 const absl::Status& cause) {
  return absl::UnavailableError(absl::StrCat(
      "the read of case '", case_id,
      "' could not be recorded, so it is refused: ", cause.message()));
}

absl::Status ReadModelsBehind(uint64_t checkpoint, uint64_t head,
                              const absl::Status& projector) {
  return absl::UnavailableError(absl::StrCat(
      "read models are at position ", checkpoint, " of ", head,
      projector.ok() ? " and catching up; retry shortly"
                     : absl::StrCat(" and stopped: ", projector.ToString())));
}

absl::Status SecurityLogNotAppended(const absl::Status& cause) {
  return absl::UnavailableError(absl::StrCat(
      "the security log could not be appended to: ", cause.message()));
}

absl::Status ShuttingDown() {
  return absl::UnavailableError("the server is shutting down; retry later");
}

absl::Status ShuttingDownNothingWritten() {
  return absl::UnavailableError(
      "the server is shutting down; nothing was written: retry the command "
      "with the same idempotency key");
}

absl::Status NoReadModels() {
  return absl::UnimplementedError("this server runs without read models");
}

absl::Status CachedStreamAhead(absl::string_view stream_id) {
  return absl::InternalError(
      absl::StrCat("cached stream '", stream_id, "' is ahead of the log"));
}

absl::Status FingerprintMissing() {
  return absl::InternalError(
      "a command reached the pipeline without its request fingerprint");
}

absl::Status UnknownAccessKind() {
  return absl::InternalError("unknown RPC access kind");
}

}  // namespace renkei::app::errors
