// The catalogue of every identity error: passwords, sign-ins and sessions.
// One constructor per error, so codes and wording stay consistent and testable.
// RocksDB statuses convert through storage::errors::FromRocksDb.
#ifndef RENKEI_SERVICES_IDENTITY_ERRORS_H_
#define RENKEI_SERVICES_IDENTITY_ERRORS_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace renkei::identity::errors {

// INVALID_ARGUMENT: a new password that the policy refuses.
[[nodiscard]] absl::Status PasswordTooLong(size_t max_bytes);
[[nodiscard]] absl::Status PasswordTooShort(size_t characters,
                                            size_t min_characters);

// UNAUTHENTICATED: the credentials or the session do not prove who is calling.
[[nodiscard]] absl::Status WrongCredentials();
[[nodiscard]] absl::Status NotASessionToken();
[[nodiscard]] absl::Status SessionEnded();
[[nodiscard]] absl::Status SessionExpired(absl::Time expires_at);
[[nodiscard]] absl::Status SessionAlreadyEnded();

// PERMISSION_DENIED: the caller is known, but the password they gave is not
// theirs.
[[nodiscard]] absl::Status CurrentPasswordWrong();

// FAILED_PRECONDITION: the account is locked.
[[nodiscard]] absl::Status AccountLocked(absl::string_view staff_id,
                                         uint32_t failures,
                                         absl::Time locked_until);

// RESOURCE_EXHAUSTED: sign-ins are throttled; retry after the wait given.
[[nodiscard]] absl::Status SignInThrottled(absl::string_view staff_id,
                                           uint32_t failures,
                                           absl::Duration wait);
[[nodiscard]] absl::Status TooManySignInsAtOnce();
[[nodiscard]] absl::Status SignInInProgress(absl::string_view staff_id);
[[nodiscard]] absl::Status OutOfHashMemory();

// DATA_LOSS: a stored row does not parse.
[[nodiscard]] absl::Status RowUnreadable(absl::string_view key);

// INTERNAL: a library failed or the store broke its own rule; a bug.
[[nodiscard]] absl::Status SodiumInitFailed();
// The placeholder of a result every path sets; seen only through a bug.
[[nodiscard]] absl::Status ResultUnset();
}  // namespace renkei::identity::errors

#endif  // RENKEI_SERVICES_IDENTITY_ERRORS_H_
