// The handover decider and the completion plan.
#include "services/domain/handover/decider.h"

#include "absl/strings/str_cat.h"
#include "services/domain/errors.h"
#include "services/domain/handover/responsibilities.h"
#include "services/domain/status_macros.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"

namespace renkei::domain {
namespace {

using Events = std::vector<v1::HandoverEvent>;

v1::HandoverEvent NewEvent(const v1::HandoverCommand& command) {
  v1::HandoverEvent event;
  *event.mutable_occurred_at() = command.occurred_at();
  *event.mutable_actor() = command.actor();
  return event;
}

// Started, this handover's, and neither completed nor cancelled.
absl::Status RequireOpen(const HandoverState& state,
                         const v1::HandoverCommand& command) {
  if (!state.started) return errors::HandoverNotFound(command.handover_id());
  if (state.handover_id != command.handover_id()) {
    return errors::HandoverIdMismatch(state.handover_id, command.handover_id());
  }
  if (state.finished()) {
    return errors::HandoverFinished(state.handover_id, state.status);
  }
  return absl::OkStatus();
}

absl::Status RequireAgencyActor(const HandoverState& state,
                                const v1::HandoverCommand& command) {
  if (command.actor().agency_id() != state.agency_id()) {
    return errors::NotHandoverAgency(state.handover_id,
                                     command.actor().agency_id());
  }
  return absl::OkStatus();
}

absl::StatusOr<Events> Start(const HandoverState& state,
                             const v1::HandoverCommand& command,
                             const DirectoryState& directory) {
  const v1::StartHandover& start = command.start_handover();
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("outgoing_staff_id", start.outgoing_staff_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("successor_staff_id", start.successor_staff_id()));
  if (start.outgoing_staff_id() == start.successor_staff_id()) {
    return errors::InvalidField("successor_staff_id",
                                "is the outgoing staff member.");
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("reason", start.reason(), &v1::HandoverReason_IsValid));
  if (state.started) return errors::HandoverAlreadyExists(state.handover_id);
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      directory.RequireActiveStaff(start.outgoing_staff_id()));
  const std::string& agency_id =
      directory.FindStaff(start.outgoing_staff_id())->staff.agency_id();
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      directory.RequireActiveStaffOf(start.successor_staff_id(), agency_id));
  if (command.actor().agency_id() != agency_id) {
    return errors::NotHandoverAgency(command.handover_id(),
                                     command.actor().agency_id());
  }
  v1::HandoverEvent event = NewEvent(command);
  auto* started = event.mutable_handover_started();
  started->set_handover_id(command.handover_id());
  started->set_outgoing_staff_id(start.outgoing_staff_id());
  started->set_successor_staff_id(start.successor_staff_id());
  started->set_agency_id(agency_id);
  started->set_reason(start.reason());
  started->set_note(start.note());
  return Events{std::move(event)};
}

absl::StatusOr<Events> Acknowledge(const HandoverState& state,
                                   const v1::HandoverCommand& command,
                                   const DirectoryState& directory,
                                   const Caseload& caseload) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireOpen(state, command));
  if (command.actor().staff_id() != state.successor_staff_id()) {
    return errors::NotSuccessor(state.handover_id, command.actor().staff_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(directory.RequireActiveStaffOf(
      state.successor_staff_id(), state.agency_id()));
  v1::HandoverEvent event = NewEvent(command);
  auto* acknowledged = event.mutable_handover_packet_acknowledged();
  for (v1::Responsibility& r :
       OpenResponsibilities(state.outgoing_staff_id(), caseload,
                            ToTime(command.occurred_at()))) {
    *acknowledged->add_responsibilities() = std::move(r);
  }
  acknowledged->set_note(command.acknowledge_handover_packet().note());
  return Events{std::move(event)};
}

absl::StatusOr<Events> Complete(const HandoverState& state,
                                const v1::HandoverCommand& command,
                                const DirectoryState& directory,
                                const Caseload& caseload) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireOpen(state, command));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireAgencyActor(state, command));
  if (state.status != v1::HANDOVER_STATUS_ACKNOWLEDGED) {
    return errors::HandoverNotAcknowledged(state.handover_id);
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(directory.RequireActiveStaffOf(
      state.successor_staff_id(), state.agency_id()));
  std::vector<v1::Responsibility> open = OpenResponsibilities(
      state.outgoing_staff_id(), caseload, ToTime(command.occurred_at()));
  std::vector<std::string> added;
  for (const v1::Responsibility& r : open) {
    bool seen = false;
    for (const v1::Responsibility& known : state.acknowledged) {
      seen = seen || SameResponsibility(r, known);
    }
    if (!seen) added.push_back(r.description());
  }
  if (!added.empty()) {
    return errors::PacketChangedSinceAcknowledgement(state.handover_id, added);
  }
  v1::HandoverEvent event = NewEvent(command);
  auto* completed = event.mutable_handover_completed();
  for (v1::Responsibility& r : open) *completed->add_moved() = std::move(r);
  completed->set_note(command.complete_handover().note());
  return Events{std::move(event)};
}

absl::StatusOr<Events> Cancel(const HandoverState& state,
                              const v1::HandoverCommand& command) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireText("reason", command.cancel_handover().reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireOpen(state, command));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireAgencyActor(state, command));
  v1::HandoverEvent event = NewEvent(command);
  event.mutable_handover_cancelled()->set_reason(
      command.cancel_handover().reason());
  return Events{std::move(event)};
}

template <typename Command>
Command Stamp(const v1::Actor& actor, absl::Time at) {
  Command command;
  *command.mutable_occurred_at() = ToTimestamp(at);
  *command.mutable_actor() = actor;
  return command;
}

PlannedCommand Plan(const HandoverState& handover, const v1::Responsibility& r,
                    const v1::Actor& actor, absl::Time at) {
  const std::string reason = absl::StrCat("handover ", handover.handover_id);
  const std::string& successor = handover.successor_staff_id();
  PlannedCommand planned;
  planned.stream_id = r.stream_id();
  planned.causation_id = handover.handover_id;
  planned.idempotency_key = absl::StrCat("handover/", handover.handover_id, "/",
                                         v1::ResponsibilityKind_Name(r.kind()),
                                         "/", r.stream_id(), "/", r.ref_id());
  if (r.kind() == v1::RESPONSIBILITY_KIND_ACTION_ITEM) {
    auto command = Stamp<v1::ConferenceCommand>(actor, at);
    command.set_conference_id(r.conference_id());
    auto* reassign = command.mutable_reassign_action_item();
    reassign->set_action_item_id(r.ref_id());
    reassign->set_staff_id(successor);
    reassign->set_agency_id(r.agency_id());
    reassign->set_reason(reason);
    reassign->set_handover_id(handover.handover_id);
    planned.command = std::move(command);
    return planned;
  }
  auto command = Stamp<v1::CaseCommand>(actor, at);
  command.set_case_id(r.case_id());
  if (r.kind() == v1::RESPONSIBILITY_KIND_STAGE_LEAD) {
    auto* transfer = command.mutable_transfer_stage_lead();
    transfer->set_stage_id(r.ref_id());
    transfer->mutable_lead()->set_agency_id(r.agency_id());
    transfer->mutable_lead()->set_key_person_staff_id(successor);
    *transfer->mutable_effective_from() = ToTimestamp(at);
    transfer->set_reason(reason);
    transfer->set_handover_id(handover.handover_id);
  } else {
    auto* reassign = command.mutable_reassign_referral_handler();
    reassign->set_referral_id(r.ref_id());
    reassign->set_side(r.kind() == v1::RESPONSIBILITY_KIND_REFERRAL_SENT
                           ? v1::REFERRAL_SIDE_REFERRER
                           : v1::REFERRAL_SIDE_RECEIVER);
    reassign->set_staff_id(successor);
    reassign->set_reason(reason);
    reassign->set_handover_id(handover.handover_id);
  }
  planned.command = std::move(command);
  return planned;
}

}  // namespace

absl::StatusOr<std::vector<v1::HandoverEvent>> Decide(
    const HandoverState& state, const v1::HandoverCommand& command,
    const DirectoryState& directory, const Caseload& caseload) {
  if (command.kind_case() == v1::HandoverCommand::KIND_NOT_SET) {
    return errors::EmptyCommand();
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("handover_id", command.handover_id()));
  if (!command.has_occurred_at()) return errors::MissingField("occurred_at");
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateTimestamp("occurred_at", command.occurred_at()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("actor.staff_id", command.actor().staff_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("actor.agency_id", command.actor().agency_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(directory.RequireActiveStaffOf(
      command.actor().staff_id(), command.actor().agency_id()));
  if (directory.HasRole(command.actor().staff_id(),
                        v1::STAFF_ROLE_ADMINISTRATOR)) {
    return errors::AdministratorsHoldNoCases(command.actor().staff_id());
  }
  if (command.has_start_handover() &&
      directory.HasRole(command.start_handover().successor_staff_id(),
                        v1::STAFF_ROLE_ADMINISTRATOR)) {
    return errors::AdministratorsHoldNoCases(
        command.start_handover().successor_staff_id());
  }
  switch (command.kind_case()) {
    case v1::HandoverCommand::kStartHandover:
      return Start(state, command, directory);
    case v1::HandoverCommand::kAcknowledgeHandoverPacket:
      return Acknowledge(state, command, directory, caseload);
    case v1::HandoverCommand::kCompleteHandover:
      return Complete(state, command, directory, caseload);
    case v1::HandoverCommand::kCancelHandover:
      return Cancel(state, command);
    case v1::HandoverCommand::KIND_NOT_SET:
      break;
  }
  return errors::EmptyCommand();
}

std::vector<PlannedCommand> PlanHandoverCompletion(
    const HandoverState& handover, const v1::Actor& actor, absl::Time at) {
  std::vector<PlannedCommand> plan;
  if (handover.status != v1::HANDOVER_STATUS_COMPLETED) return plan;
  for (const v1::Responsibility& r : handover.moved) {
    plan.push_back(Plan(handover, r, actor, at));
  }
  return plan;
}

absl::StatusOr<HandoverCompletion> DecideHandoverCompletion(
    const HandoverState& state, const v1::HandoverCommand& command,
    const DirectoryState& directory, const Caseload& caseload) {
  if (command.kind_case() != v1::HandoverCommand::kCompleteHandover) {
    return errors::InvalidField("command", "is not a CompleteHandover.");
  }
  HandoverCompletion completion;
  RENKEI_DOMAIN_ASSIGN_OR_RETURN(completion.events,
                                 Decide(state, command, directory, caseload));
  HandoverState completed = state;
  for (const v1::HandoverEvent& event : completion.events) {
    Evolve(completed, event);
  }
  completion.commands = PlanHandoverCompletion(completed, command.actor(),
                                               ToTime(command.occurred_at()));
  return completion;
}

}  // namespace renkei::domain
