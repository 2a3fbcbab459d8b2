// Deciding case lifecycle commands: open, subjects, support team, frameworks,
// registration, close, transfer (moving away) and reopen.
#include "services/domain/authority/authority.h"
#include "services/domain/case/decide_context.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/errors.h"
#include "services/domain/status_macros.h"
#include "services/domain/validation.h"

namespace renkei::domain::internal {
namespace {

absl::Status ValidateIntake(const v1::Intake& intake) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("intake.noticed_by_agency_id", intake.noticed_by_agency_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireText("intake.observation", intake.observation()));
  for (const v1::IntakeRelay& relay : intake.relays()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateId("intake.relays.agency_id", relay.agency_id()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateOptionalId("intake.relays.staff_id", relay.staff_id()));
  }
  return absl::OkStatus();
}

absl::Status ValidateSubject(const v1::Subject& subject) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("subject.subject_id", subject.subject_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireText("subject.display_name", subject.display_name()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum("subject.relationship",
                                            subject.relationship(),
                                            &v1::Relationship_IsValid));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateIdList(
      "subject.guardian_subject_ids", subject.guardian_subject_ids(), false));
  for (const std::string& guardian : subject.guardian_subject_ids()) {
    if (guardian == subject.subject_id()) {
      return errors::InvalidField("subject.guardian_subject_ids",
                                  "cannot name the subject themself.");
    }
  }
  if (subject.has_unborn()) {
    if (!subject.unborn().has_expected_birth()) {
      return errors::MissingField("subject.unborn.expected_birth");
    }
    RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateTimestamp(
        "subject.unborn.expected_birth", subject.unborn().expected_birth()));
  }
  return absl::OkStatus();
}

absl::StatusOr<Events> Open(const DecideContext& ctx,
                            const v1::OpenCase& open) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("kind", open.kind(), &v1::CaseKind_IsValid));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("title", open.title()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateIntake(open.intake()));
  // A first contact may have no framework yet.
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnumList("frameworks", open.frameworks(),
                                                &v1::Framework_IsValid, false));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum("registration", open.registration(),
                                            &v1::Registration_IsValid));
  if (ctx.state().opened) return errors::CaseAlreadyExists(ctx.state().case_id);
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireActor());
  const DirectoryState& directory = ctx.directory();
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      directory.RequireAgency(open.intake().noticed_by_agency_id()));
  for (const v1::IntakeRelay& relay : open.intake().relays()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(directory.RequireAgency(relay.agency_id()));
    if (!relay.staff_id().empty()) {
      if (directory.FindStaff(relay.staff_id()) == nullptr) {
        return errors::StaffNotFound(relay.staff_id());
      }
      if (directory.FindStaff(relay.staff_id())->staff.agency_id() !=
          relay.agency_id()) {
        return errors::StaffNotInAgency(relay.staff_id(), relay.agency_id());
      }
    }
  }

  v1::CaseEvent opened = ctx.NewEvent();
  auto* body = opened.mutable_case_opened();
  body->set_case_id(ctx.command().case_id());
  body->set_kind(open.kind());
  body->set_title(open.title());
  *body->mutable_intake() = open.intake();
  *body->mutable_frameworks() = open.frameworks();
  body->set_registration(open.registration());

  v1::CaseEvent joined = ctx.NewEvent();
  joined.mutable_support_team_agency_joined()->set_agency_id(
      ctx.actor().agency_id());
  joined.mutable_support_team_agency_joined()->set_reason("opened the case");
  return Events{std::move(opened), std::move(joined)};
}

absl::StatusOr<Events> AddSubject(const DecideContext& ctx,
                                  const v1::AddSubject& add) {
  const v1::Subject& subject = add.subject();
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateSubject(subject));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  if (ctx.state().FindSubject(subject.subject_id()) != nullptr) {
    return errors::SubjectAlreadyExists(subject.subject_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ctx.RequireSubjects(subject.guardian_subject_ids()));
  v1::CaseEvent event = ctx.NewEvent();
  *event.mutable_subject_added()->mutable_subject() = subject;
  return Events{std::move(event)};
}

// A registered case's team changes are decisions of a conference under its
// framework naming the agency; any case may cite one, which is then checked.
absl::Status RequireTeamChangeDecision(const DecideContext& ctx,
                                       const v1::DecisionRef& decision,
                                       absl::string_view agency_id,
                                       absl::string_view action) {
  if (!HasDecision(decision)) {
    if (IsRegistered(ctx.state().registration)) {
      return errors::DecisionRequired(ctx.state().case_id, action);
    }
    return absl::OkStatus();
  }
  RENKEI_DOMAIN_ASSIGN_OR_RETURN(
      const DecisionState* found,
      ctx.RequireGoverningDecision(decision, v1::DECISION_KIND_TEAM_CHANGE,
                                   "a team change"));
  if (found->decision.team_agency_id() != agency_id) {
    return errors::DecisionDiffers(decision.conference_id(),
                                   decision.decision_id(), "agency");
  }
  return absl::OkStatus();
}

absl::StatusOr<Events> AddTeamAgency(const DecideContext& ctx,
                                     const v1::AddTeamAgency& add) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("agency_id", add.agency_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", add.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.directory().RequireAgency(add.agency_id()));
  if (ctx.state().OnTeam(add.agency_id())) {
    return errors::AgencyAlreadyOnTeam(add.agency_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireTeamChangeDecision(
      ctx, add.decision(), add.agency_id(), "to add an agency to its team"));
  v1::CaseEvent event = ctx.NewEvent();
  auto* joined = event.mutable_support_team_agency_joined();
  joined->set_agency_id(add.agency_id());
  joined->set_reason(add.reason());
  if (HasDecision(add.decision())) *joined->mutable_decision() = add.decision();
  return Events{std::move(event)};
}

absl::StatusOr<Events> RemoveTeamAgency(const DecideContext& ctx,
                                        const v1::RemoveTeamAgency& remove) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("agency_id", remove.agency_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", remove.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  if (!ctx.state().OnTeam(remove.agency_id())) {
    return errors::AgencyNotOnTeam(remove.agency_id());
  }
  if (ctx.state().TeamNow().size() == 1) {
    return errors::LastTeamAgency(remove.agency_id());
  }
  for (const v1::CurrentStageLead& lead : LeadsAt(ctx.state(), ctx.at())) {
    if (lead.lead().agency_id() == remove.agency_id()) {
      return errors::AgencyLeadsStage(remove.agency_id(), lead.stage_id());
    }
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireTeamChangeDecision(ctx, remove.decision(), remove.agency_id(),
                                "to remove an agency from its team"));
  v1::CaseEvent event = ctx.NewEvent();
  auto* left = event.mutable_support_team_agency_left();
  left->set_agency_id(remove.agency_id());
  left->set_reason(remove.reason());
  if (HasDecision(remove.decision())) {
    *left->mutable_decision() = remove.decision();
  }
  return Events{std::move(event)};
}

absl::StatusOr<Events> UpdateSubject(const DecideContext& ctx,
                                     const v1::UpdateSubject& update) {
  const v1::Subject& subject = update.subject();
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateSubject(subject));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", update.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  if (ctx.state().FindSubject(subject.subject_id()) == nullptr) {
    return errors::SubjectNotFound(subject.subject_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ctx.RequireSubjects(subject.guardian_subject_ids()));
  v1::CaseEvent event = ctx.NewEvent();
  *event.mutable_subject_updated()->mutable_subject() = subject;
  event.mutable_subject_updated()->set_reason(update.reason());
  return Events{std::move(event)};
}

absl::StatusOr<Events> SetLeadSide(const DecideContext& ctx,
                                   const v1::SetCaseLeadSide& set) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("lead_side", set.lead_side(), &v1::LeadSide_IsValid));
  if (!HasDecision(set.decision())) return errors::MissingField("decision");
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  RENKEI_DOMAIN_ASSIGN_OR_RETURN(
      const DecisionState* found,
      ctx.RequireGoverningDecision(set.decision(), v1::DECISION_KIND_LEAD_SIDE,
                                   "a lead-side decision"));
  if (found->decision.lead_side() != set.lead_side()) {
    return errors::DecisionDiffers(set.decision().conference_id(),
                                   set.decision().decision_id(), "lead side");
  }
  v1::CaseEvent event = ctx.NewEvent();
  *event.mutable_case_lead_side_set() = [&] {
    v1::CaseLeadSideSet body;
    body.set_lead_side(set.lead_side());
    *body.mutable_decision() = set.decision();
    return body;
  }();
  return Events{std::move(event)};
}

absl::StatusOr<Events> SetReviewInterval(const DecideContext& ctx,
                                         const v1::SetCaseReviewInterval& set) {
  if (set.interval_days() < 0 || set.interval_days() > 366) {
    return errors::InvalidField(
        "interval_days",
        "must be between 0 (the framework's interval) and 366 days.");
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", set.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireOpenCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireActor());
  const std::string body = CaseCoordinatingBody(ctx.state(), ctx.directory());
  if (body.empty() || body != ctx.actor().agency_id()) {
    return errors::NotFrameworkCoordinatingBody(
        ctx.actor().agency_id(), "set the case's review interval");
  }
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_case_review_interval_set()->set_interval_days(
      set.interval_days());
  event.mutable_case_review_interval_set()->set_reason(set.reason());
  return Events{std::move(event)};
}

absl::StatusOr<Events> ChangeFrameworks(
    const DecideContext& ctx, const v1::ChangeCaseFrameworks& change) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnumList(
      "frameworks", change.frameworks(), &v1::Framework_IsValid, true));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", change.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  v1::CaseEvent event = ctx.NewEvent();
  *event.mutable_case_frameworks_changed()->mutable_frameworks() =
      change.frameworks();
  event.mutable_case_frameworks_changed()->set_reason(change.reason());
  return Events{std::move(event)};
}

absl::StatusOr<Events> ChangeRegistration(
    const DecideContext& ctx, const v1::ChangeCaseRegistration& change) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum(
      "registration", change.registration(), &v1::Registration_IsValid));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", change.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_case_registration_changed()->set_registration(
      change.registration());
  event.mutable_case_registration_changed()->set_reason(change.reason());
  return Events{std::move(event)};
}

// A registered case needs a conference decision of `kind` to end here; any
// case may cite one, which is then checked.
absl::Status RequireEndingDecision(const DecideContext& ctx,
                                   const v1::DecisionRef& decision,
                                   v1::DecisionKind kind,
                                   absl::string_view action,
                                   absl::string_view needed) {
  if (!HasDecision(decision)) {
    if (IsRegistered(ctx.state().registration)) {
      return errors::DecisionRequired(ctx.state().case_id, action);
    }
    return absl::OkStatus();
  }
  return ctx.RequireGoverningDecision(decision, kind, needed).status();
}

absl::StatusOr<Events> Close(const DecideContext& ctx,
                             const v1::CloseCase& close) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", close.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEndingDecision(
      ctx, close.decision(), v1::DECISION_KIND_CASE_CLOSURE, "to close it",
      "a case closure"));
  Events events = EndAllLeads(ctx, "case closed");
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_case_closed()->set_reason(close.reason());
  if (HasDecision(close.decision())) {
    *event.mutable_case_closed()->mutable_decision() = close.decision();
  }
  events.push_back(std::move(event));
  return events;
}

absl::StatusOr<Events> Transfer(const DecideContext& ctx,
                                const v1::TransferCase& transfer) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireText("destination", transfer.destination()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", transfer.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEndingDecision(
      ctx, transfer.decision(), v1::DECISION_KIND_CASE_TRANSFER,
      "to transfer it", "a case transfer"));
  Events events = EndAllLeads(ctx, "case transferred");
  v1::CaseEvent event = ctx.NewEvent();
  auto* transferred = event.mutable_case_transferred();
  transferred->set_destination(transfer.destination());
  transferred->set_reason(transfer.reason());
  if (HasDecision(transfer.decision())) {
    *transferred->mutable_decision() = transfer.decision();
  }
  events.push_back(std::move(event));
  return events;
}

absl::StatusOr<Events> Reopen(const DecideContext& ctx,
                              const v1::ReopenCase& reopen) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", reopen.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireCase());
  if (!ctx.state().closed) return errors::CaseNotClosed(ctx.state().case_id);
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireActorOnTeam());
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_case_reopened()->set_reason(reopen.reason());
  return Events{std::move(event)};
}

}  // namespace

absl::StatusOr<Events> DecideCaseLifecycle(const DecideContext& ctx) {
  const v1::CaseCommand& command = ctx.command();
  switch (command.kind_case()) {
    case v1::CaseCommand::kOpenCase:
      return Open(ctx, command.open_case());
    case v1::CaseCommand::kAddSubject:
      return AddSubject(ctx, command.add_subject());
    case v1::CaseCommand::kAddTeamAgency:
      return AddTeamAgency(ctx, command.add_team_agency());
    case v1::CaseCommand::kRemoveTeamAgency:
      return RemoveTeamAgency(ctx, command.remove_team_agency());
    case v1::CaseCommand::kChangeCaseFrameworks:
      return ChangeFrameworks(ctx, command.change_case_frameworks());
    case v1::CaseCommand::kChangeCaseRegistration:
      return ChangeRegistration(ctx, command.change_case_registration());
    case v1::CaseCommand::kCloseCase:
      return Close(ctx, command.close_case());
    case v1::CaseCommand::kTransferCase:
      return Transfer(ctx, command.transfer_case());
    case v1::CaseCommand::kReopenCase:
      return Reopen(ctx, command.reopen_case());
    case v1::CaseCommand::kUpdateSubject:
      return UpdateSubject(ctx, command.update_subject());
    case v1::CaseCommand::kSetCaseLeadSide:
      return SetLeadSide(ctx, command.set_case_lead_side());
    case v1::CaseCommand::kSetCaseReviewInterval:
      return SetReviewInterval(ctx, command.set_case_review_interval());
    default:
      return errors::EmptyCommand();
  }
}

}  // namespace renkei::domain::internal
