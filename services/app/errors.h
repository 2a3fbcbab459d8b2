// The catalogue of every error the application layer mints itself (the
// caller in the directory, idempotency, the command pipeline, the read-model
// gate, recorded reads): one constructor per error, so codes and wording stay
// consistent and testable. Domain refusals come from services/domain/errors.h,
// storage errors from storage/errors.h.
#ifndef RENKEI_SERVICES_APP_ERRORS_H_
#define RENKEI_SERVICES_APP_ERRORS_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace renkei::app::errors {

// INVALID_ARGUMENT: a command that cannot be carried out as given.
[[nodiscard]] absl::Status IdempotencyKeyInvalid(size_t max_bytes);
[[nodiscard]] absl::Status IdempotencyKeyMissing();

// ALREADY_EXISTS: an idempotency key reused for a different command.
[[nodiscard]] absl::Status CommandKeyReused(absl::string_view idempotency_key,
                                            uint64_t first_position,
                                            uint64_t last_position);

// PERMISSION_DENIED: the caller is known but may not do this.
[[nodiscard]] absl::Status StaffLeftMayNotRead(absl::string_view staff_id);
// `what` says what the caller may not do, e.g. "may not read cases".
[[nodiscard]] absl::Status StaffNotInDirectory(absl::string_view staff_id,
                                               absl::string_view what);
[[nodiscard]] absl::Status StaffOfAnotherAgency(
    absl::string_view staff_id, absl::string_view agency_id,
    absl::string_view claimed_agency_id);

// UNAUTHENTICATED: the call does not prove who makes it.
[[nodiscard]] absl::Status CertificateStaffUnknown(absl::string_view staff_id);
[[nodiscard]] absl::Status SessionEnded(absl::string_view staff_id);

// RESOURCE_EXHAUSTED: the server is at capacity; retry shortly.
[[nodiscard]] absl::Status ServerBusy(size_t queued);

// UNAVAILABLE: a dependency is down or the server is stopping; retry later.
[[nodiscard]] absl::Status CaseReadNotRecorded(absl::string_view case_id,
                                               const absl::Status& cause);
[[nodiscard]] absl::Status ReadModelsBehind(uint64_t checkpoint, uint64_t head,
                                            const absl::Status& projector);
[[nodiscard]] absl::Status SecurityLogNotAppended(const absl::Status& cause);
[[nodiscard]] absl::Status ShuttingDown();
[[nodiscard]] absl::Status ShuttingDownNothingWritten();

// UNIMPLEMENTED: not offered by this deployment.
[[nodiscard]] absl::Status NoReadModels();

// INTERNAL: the server broke one of its own rules; a bug.
[[nodiscard]] absl::Status CachedStreamAhead(absl::string_view stream_id);
[[nodiscard]] absl::Status FingerprintMissing();
[[nodiscard]] absl::Status UnknownAccessKind();

}  // namespace renkei::app::errors

#endif  // RENKEI_SERVICES_APP_ERRORS_H_
