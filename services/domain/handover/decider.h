// The handover decider, and the plan of per-stream commands that completing
// a handover sets off (moving every lead and open item to the successor).
#ifndef RENKEI_SERVICES_DOMAIN_HANDOVER_DECIDER_H_
#define RENKEI_SERVICES_DOMAIN_HANDOVER_DECIDER_H_

#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "renkei/v1/case.pb.h"
#include "renkei/v1/conference.pb.h"
#include "renkei/v1/handover.pb.h"
#include "services/domain/directory/directory.h"
#include "services/domain/handover/handover_state.h"
#include "services/domain/lookup.h"

namespace renkei::domain {

// Pure: every event carries the command's occurred_at and actor. Every
// command needs handover_id, occurred_at and an active actor.
//  - Start: the outgoing staff member and the successor are active staff of
//    the same agency, and the actor works for it.
//  - Acknowledge (the successor only, again if needed): records the
//    responsibilities the packet lists now (OpenResponsibilities over
//    `caseload`).
//  - Complete (staff of the handover's agency, after acknowledgement):
//    refused if a responsibility appeared since the acknowledgement;
//    records every open responsibility as moved.
//  - Cancel: until completed.
// `caseload` holds the cases and conferences the outgoing staff member is
// involved in; only Acknowledge and Complete read it.
[[nodiscard]] absl::StatusOr<std::vector<v1::HandoverEvent>> Decide(
    const HandoverState& state, const v1::HandoverCommand& command,
    const DirectoryState& directory, const Caseload& caseload);

// One command for another stream that a completed handover sets off.
struct PlannedCommand {
  std::string stream_id;  // "case-<id>" or "conference-<id>"
  std::variant<v1::CaseCommand, v1::ConferenceCommand> command;
  std::string causation_id;  // the handover id
  // Stable for this handover and item, so a retried run is recognised.
  std::string idempotency_key;
};

// The commands moving each responsibility the completed `handover` lists as
// moved to its successor, by `actor` at `at`, with reason "handover <id>"
// and the handover id: transfer the stage lead (same agency, new key
// person), reassign the action item, reassign the referral's handler. Each
// decides to no events once applied, so running the plan again is safe.
[[nodiscard]] std::vector<PlannedCommand> PlanHandoverCompletion(
    const HandoverState& handover, const v1::Actor& actor, absl::Time at);

struct HandoverCompletion {
  std::vector<v1::HandoverEvent> events;  // HandoverCompleted
  std::vector<PlannedCommand> commands;
};

// Decides a CompleteHandover command and plans the moves that follow it.
[[nodiscard]] absl::StatusOr<HandoverCompletion> DecideHandoverCompletion(
    const HandoverState& state, const v1::HandoverCommand& command,
    const DirectoryState& directory, const Caseload& caseload);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_HANDOVER_DECIDER_H_
