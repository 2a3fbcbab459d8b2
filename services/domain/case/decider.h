// The case decider: a case command and the current case state (plus the
// directory and any cited conference or handover, read-only) give the events
// to append, or the refusal.
#ifndef RENKEI_SERVICES_DOMAIN_CASE_DECIDER_H_
#define RENKEI_SERVICES_DOMAIN_CASE_DECIDER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "renkei/v1/case.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/directory/directory.h"
#include "services/domain/lookup.h"

namespace renkei::domain {

// How far before a case's opening a command's business time may lie (an
// earlier event recorded late).
inline constexpr absl::Duration kBusinessTimeFloor = absl::Hours(24 * 366);

// Pure: no clock, no ids invented; every event carries the command's
// occurred_at and actor. Refusals come from services/domain/errors.h.
// Every command needs case_id, occurred_at and an actor who is an active
// staff member of the actor's agency. Except for OpenCase (the opener's
// agency joins the team), a receiver answering a referral and either side
// reassigning its handler, the actor's agency must be on the support team.
// Nothing but ReopenCase is accepted on a closed case.
//
// Commands citing a conference decision (plan revisions, stage leads,
// closing or transferring a registered case) or a handover find them through
// `lookup` (ReferencedStreams(command) names the streams to load). A command
// that would change nothing (reassigning to the current holder) returns no
// events, so re-deciding it is safe.
[[nodiscard]] absl::StatusOr<std::vector<v1::CaseEvent>> Decide(
    const CaseState& state, const v1::CaseCommand& command,
    const DirectoryState& directory, const AggregateLookup& lookup);

// As above with nothing to look up: a cited conference or handover is not
// found.
[[nodiscard]] absl::StatusOr<std::vector<v1::CaseEvent>> Decide(
    const CaseState& state, const v1::CaseCommand& command,
    const DirectoryState& directory);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_CASE_DECIDER_H_
