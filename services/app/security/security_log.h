// The security log: what IdentityStore reports (sign-ins, failures,
// lockouts, sign-outs, revocations, password changes) appended to the stream
// "security", one event per record, for auditors (AuditService.ReadStream).
//
// Thread-safety: safe for concurrent use (the log serialises appends).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/identity/identity_store.h"
#include "storage/event_log.h"

namespace renkei::app {

inline constexpr char kSecurityStream[] = "security";

// Appends `records` as events acted by `staff_id` of `agency_id` (empty for
// an unidentified caller, e.g. a failed sign-in) at `now`. UNAVAILABLE when
// the log refuses; nothing to do for no records.
[[nodiscard]] absl::Status RecordSecurity(
    storage::EventLog& log, absl::Time now, const std::string& staff_id,
    const std::string& agency_id, const std::string& correlation_id,
    const std::vector<identity::SecurityRecord>& records);

}  // namespace renkei::app
