// Deciding stage-lead commands: assign, transfer, correct (retroactively)
// and end. A stage has at most one lead at a time; the lead agency is on the
// support team and the key person is staff of it. Every change cites the
// conference decision behind it; a key-person change within the lead agency
// may cite a handover instead.
#include <optional>

#include "services/domain/case/decide_context.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/errors.h"
#include "services/domain/status_macros.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"

namespace renkei::domain::internal {
namespace {

std::string FormatUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone());
}

absl::Status ValidateLeadShape(const v1::StageLead& lead) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("lead.agency_id", lead.agency_id()));
  return ValidateId("lead.key_person_staff_id", lead.key_person_staff_id());
}

// The optional effective time, defaulting to the command's time.
absl::StatusOr<absl::Time> EffectiveFrom(
    const DecideContext& ctx, bool has_time,
    const google::protobuf::Timestamp& time) {
  if (!has_time) return ctx.at();
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateTimestamp("effective_from", time));
  return ToTime(time);
}

// The lead agency is on the team (now for an open-ended lead, and at `from`
// when that is not in the future); the key person works for it, is active
// now for an open-ended lead and was active at `from`.
absl::Status CheckLead(const DecideContext& ctx, const v1::StageLead& lead,
                       absl::Time from, bool open_ended) {
  const DirectoryState& directory = ctx.directory();
  const CaseState& state = ctx.state();
  RENKEI_DOMAIN_RETURN_IF_ERROR(directory.RequireAgency(lead.agency_id()));
  if (open_ended && !state.OnTeam(lead.agency_id())) {
    return errors::AgencyNotOnTeam(lead.agency_id());
  }
  if (from <= ctx.at() && !state.OnTeamAt(lead.agency_id(), from)) {
    return errors::AgencyNotOnTeam(lead.agency_id());
  }
  const std::string& staff_id = lead.key_person_staff_id();
  if (open_ended) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        directory.RequireActiveStaffOf(staff_id, lead.agency_id()));
  }
  const StaffRecord* staff = directory.FindStaff(staff_id);
  if (staff == nullptr) return errors::StaffNotFound(staff_id);
  if (staff->staff.agency_id() != lead.agency_id()) {
    return errors::StaffNotInAgency(staff_id, lead.agency_id());
  }
  if (from <= ctx.at() && !staff->ActiveAt(from)) {
    return errors::StaffNotActiveAt(staff_id, FormatUtc(from));
  }
  return absl::OkStatus();
}

// The case is open, the actor on its team, the stage in the plan, and no
// later knowledge of the stage's leads is recorded.
absl::Status CheckStage(const DecideContext& ctx, absl::string_view stage_id) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  if (ctx.state().FindStage(stage_id) == nullptr) {
    return errors::StageNotFound(stage_id);
  }
  return absl::OkStatus();
}

absl::Status CheckOrder(const DecideContext& ctx, absl::string_view stage_id) {
  std::optional<absl::Time> last = LastKnownAt(ctx.state(), stage_id);
  if (last.has_value() && *last > ctx.decided_at()) {
    return errors::LeadRecordedOutOfOrder(stage_id);
  }
  return absl::OkStatus();
}

// A lead decision about this case and stage (and, when the decision names a
// lead and `lead` is given, that lead). True when the coordinating body
// designated it.
absl::StatusOr<bool> CheckLeadDecision(const DecideContext& ctx,
                                       const v1::DecisionRef& ref,
                                       absl::string_view stage_id,
                                       const v1::StageLead* lead) {
  RENKEI_DOMAIN_ASSIGN_OR_RETURN(
      const DecisionState* decision,
      ctx.RequireDecision(ref,
                          {v1::DECISION_KIND_LEAD_ASSIGNMENT,
                           v1::DECISION_KIND_LEAD_DESIGNATION},
                          "a lead assignment or designation"));
  if (decision->decision.stage_id() != stage_id) {
    return errors::DecisionDiffers(ref.conference_id(), ref.decision_id(),
                                   "stage");
  }
  if (lead != nullptr && decision->decision.has_lead() &&
      !SameLead(decision->decision.lead(), *lead)) {
    return errors::DecisionDiffers(ref.conference_id(), ref.decision_id(),
                                   "lead");
  }
  return decision->decision.kind() == v1::DECISION_KIND_LEAD_DESIGNATION;
}

absl::StatusOr<Events> Assign(const DecideContext& ctx,
                              const v1::AssignStageLead& assign) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("stage_id", assign.stage_id()));
  if (!assign.has_lead()) return errors::MissingField("lead");
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateLeadShape(assign.lead()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", assign.reason()));
  if (!HasDecision(assign.decision())) return errors::MissingField("decision");
  RENKEI_DOMAIN_ASSIGN_OR_RETURN(
      const absl::Time from,
      EffectiveFrom(ctx, assign.has_effective_from(), assign.effective_from()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(CheckStage(ctx, assign.stage_id()));
  for (const v1::LeadPeriod& period :
       LeadHistory(ctx.state(), assign.stage_id())) {
    if (!period.has_valid_to() || ToTime(period.valid_to()) > from) {
      return errors::StageAlreadyHasLead(assign.stage_id(),
                                         period.lead().agency_id(),
                                         period.lead().key_person_staff_id());
    }
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(CheckOrder(ctx, assign.stage_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(CheckLead(ctx, assign.lead(), from, true));
  RENKEI_DOMAIN_ASSIGN_OR_RETURN(
      const bool designated,
      CheckLeadDecision(ctx, assign.decision(), assign.stage_id(),
                        &assign.lead()));
  v1::CaseEvent event = ctx.NewEvent();
  auto* assigned = event.mutable_stage_lead_assigned();
  assigned->set_stage_id(assign.stage_id());
  *assigned->mutable_lead() = assign.lead();
  *assigned->mutable_valid_from() = ToTimestamp(from);
  assigned->set_reason(assign.reason());
  *assigned->mutable_decision() = assign.decision();
  assigned->set_designated_by_coordinating_body(designated);
  return Events{std::move(event)};
}

absl::StatusOr<Events> Transfer(const DecideContext& ctx,
                                const v1::TransferStageLead& transfer) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("stage_id", transfer.stage_id()));
  if (!transfer.has_lead()) return errors::MissingField("lead");
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateLeadShape(transfer.lead()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", transfer.reason()));
  const bool by_handover = !transfer.handover_id().empty();
  if (!by_handover && !HasDecision(transfer.decision())) {
    return errors::MissingField("decision");
  }
  if (by_handover && HasDecision(transfer.decision())) {
    return errors::InvalidField("handover_id",
                                "cannot be combined with a decision.");
  }
  RENKEI_DOMAIN_ASSIGN_OR_RETURN(
      const absl::Time from, EffectiveFrom(ctx, transfer.has_effective_from(),
                                           transfer.effective_from()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(CheckStage(ctx, transfer.stage_id()));
  std::optional<v1::LeadPeriod> previous =
      LeadAt(ctx.state(), transfer.stage_id(), from);
  if (!previous.has_value()) return errors::StageHasNoLead(transfer.stage_id());
  if (SameLead(previous->lead(), transfer.lead())) return Events{};
  RENKEI_DOMAIN_RETURN_IF_ERROR(CheckOrder(ctx, transfer.stage_id()));
  bool designated = false;
  if (by_handover) {
    if (transfer.lead().agency_id() != previous->lead().agency_id()) {
      return errors::InvalidField(
          "lead.agency_id",
          "must stay the lead agency when a handover moves the key person.");
    }
    RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireHandoverMove(
        transfer.handover_id(), previous->lead().key_person_staff_id(),
        transfer.lead().key_person_staff_id()));
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(CheckLead(ctx, transfer.lead(), from, true));
  if (!by_handover) {
    RENKEI_DOMAIN_ASSIGN_OR_RETURN(
        designated, CheckLeadDecision(ctx, transfer.decision(),
                                      transfer.stage_id(), &transfer.lead()));
  }
  v1::CaseEvent event = ctx.NewEvent();
  auto* transferred = event.mutable_stage_lead_transferred();
  transferred->set_stage_id(transfer.stage_id());
  *transferred->mutable_previous() = previous->lead();
  *transferred->mutable_lead() = transfer.lead();
  *transferred->mutable_valid_from() = ToTimestamp(from);
  transferred->set_reason(transfer.reason());
  if (!by_handover) *transferred->mutable_decision() = transfer.decision();
  transferred->set_handover_id(transfer.handover_id());
  transferred->set_designated_by_coordinating_body(designated);
  return Events{std::move(event)};
}

absl::StatusOr<Events> Correct(const DecideContext& ctx,
                               const v1::CorrectStageLead& correct) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("stage_id", correct.stage_id()));
  if (correct.has_lead()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateLeadShape(correct.lead()));
  }
  if (!correct.has_valid_from()) return errors::MissingField("valid_from");
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateTimestamp("valid_from", correct.valid_from()));
  const absl::Time from = ToTime(correct.valid_from());
  if (correct.has_valid_to()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateTimestamp("valid_to", correct.valid_to()));
    if (ToTime(correct.valid_to()) <= from) {
      return errors::InvalidField("valid_to", "must be after valid_from.");
    }
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", correct.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(CheckStage(ctx, correct.stage_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(CheckOrder(ctx, correct.stage_id()));
  if (correct.has_lead()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        CheckLead(ctx, correct.lead(), from, !correct.has_valid_to()));
  }
  if (HasDecision(correct.decision())) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        CheckLeadDecision(ctx, correct.decision(), correct.stage_id(),
                          correct.has_lead() ? &correct.lead() : nullptr)
            .status());
  }
  v1::CaseEvent event = ctx.NewEvent();
  auto* corrected = event.mutable_stage_lead_corrected();
  corrected->set_stage_id(correct.stage_id());
  if (correct.has_lead()) *corrected->mutable_lead() = correct.lead();
  *corrected->mutable_valid_from() = correct.valid_from();
  if (correct.has_valid_to()) {
    *corrected->mutable_valid_to() = correct.valid_to();
  }
  corrected->set_reason(correct.reason());
  if (HasDecision(correct.decision())) {
    *corrected->mutable_decision() = correct.decision();
  }
  return Events{std::move(event)};
}

absl::StatusOr<Events> End(const DecideContext& ctx,
                           const v1::EndStageLead& end) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("stage_id", end.stage_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", end.reason()));
  RENKEI_DOMAIN_ASSIGN_OR_RETURN(
      const absl::Time from,
      EffectiveFrom(ctx, end.has_effective_from(), end.effective_from()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(CheckStage(ctx, end.stage_id()));
  std::optional<v1::LeadPeriod> previous =
      LeadAt(ctx.state(), end.stage_id(), from);
  if (!previous.has_value()) return errors::StageHasNoLead(end.stage_id());
  RENKEI_DOMAIN_RETURN_IF_ERROR(CheckOrder(ctx, end.stage_id()));
  if (HasDecision(end.decision())) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ctx.RequireDecision(
               end.decision(),
               {v1::DECISION_KIND_GENERAL, v1::DECISION_KIND_PLAN_REVISION,
                v1::DECISION_KIND_LEAD_ASSIGNMENT,
                v1::DECISION_KIND_LEAD_DESIGNATION},
               "a decision about the plan or its leads")
            .status());
  }
  v1::CaseEvent event = ctx.NewEvent();
  auto* ended = event.mutable_stage_lead_ended();
  ended->set_stage_id(end.stage_id());
  *ended->mutable_previous() = previous->lead();
  *ended->mutable_valid_from() = ToTimestamp(from);
  ended->set_reason(end.reason());
  if (HasDecision(end.decision())) *ended->mutable_decision() = end.decision();
  return Events{std::move(event)};
}

}  // namespace

Events EndAllLeads(const DecideContext& ctx, absl::string_view reason) {
  Events events;
  for (const v1::CurrentStageLead& lead : LeadsAt(ctx.state(), ctx.at())) {
    v1::CaseEvent event = ctx.NewEvent();
    auto* ended = event.mutable_stage_lead_ended();
    ended->set_stage_id(lead.stage_id());
    *ended->mutable_previous() = lead.lead();
    *ended->mutable_valid_from() = ctx.command().occurred_at();
    ended->set_reason(std::string(reason));
    events.push_back(std::move(event));
  }
  return events;
}

absl::StatusOr<Events> DecideStageLead(const DecideContext& ctx) {
  const v1::CaseCommand& command = ctx.command();
  switch (command.kind_case()) {
    case v1::CaseCommand::kAssignStageLead:
      return Assign(ctx, command.assign_stage_lead());
    case v1::CaseCommand::kTransferStageLead:
      return Transfer(ctx, command.transfer_stage_lead());
    case v1::CaseCommand::kCorrectStageLead:
      return Correct(ctx, command.correct_stage_lead());
    case v1::CaseCommand::kEndStageLead:
      return End(ctx, command.end_stage_lead());
    default:
      return errors::EmptyCommand();
  }
}

}  // namespace renkei::domain::internal
