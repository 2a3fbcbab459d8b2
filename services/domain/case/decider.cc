// The case decider: common checks and dispatch to the per-area deciders.
#include "services/domain/case/decider.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/domain/authority/authority.h"
#include "services/domain/case/decide_context.h"
#include "services/domain/errors.h"
#include "services/domain/handover/handover_rules.h"
#include "services/domain/status_macros.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"
#include "services/privacy/personal_fields.h"

namespace renkei::domain {
namespace internal {

DecideContext::DecideContext(const CaseState& state,
                             const v1::CaseCommand& command,
                             const DirectoryState& directory,
                             const AggregateLookup& lookup)
    : state_(state),
      command_(command),
      directory_(directory),
      lookup_(lookup),
      at_(ToTime(command.occurred_at())),
      decided_at_(command.has_decided_at() ? ToTime(command.decided_at())
                                           : at_) {}

v1::CaseEvent DecideContext::NewEvent() const {
  v1::CaseEvent event;
  *event.mutable_occurred_at() = command_.occurred_at();
  *event.mutable_actor() = command_.actor();
  if (command_.has_decided_at()) {
    *event.mutable_recorded_at() = command_.decided_at();
  }
  return event;
}

absl::Status DecideContext::RequireCase() const {
  if (!state_.opened) return errors::CaseNotFound(command_.case_id());
  if (state_.case_id != command_.case_id()) {
    return errors::CaseIdMismatch(state_.case_id, command_.case_id());
  }
  return absl::OkStatus();
}

absl::Status DecideContext::RequireOpenCase() const {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireCase());
  if (state_.closed) return errors::CaseClosed(state_.case_id);
  return absl::OkStatus();
}

absl::Status DecideContext::RequireActor() const {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      directory_.RequireActiveStaffOf(actor().staff_id(), actor().agency_id()));
  if (directory_.HasRole(actor().staff_id(), v1::STAFF_ROLE_ADMINISTRATOR)) {
    return errors::AdministratorsHoldNoCases(actor().staff_id());
  }
  return absl::OkStatus();
}

absl::Status DecideContext::RequireActorOnTeam() const {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireActor());
  if (!state_.OnTeam(actor().agency_id())) {
    return errors::ActorNotOnTeam(actor().agency_id());
  }
  return absl::OkStatus();
}

absl::Status DecideContext::RequireTeamMemberOnOpenCase() const {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireOpenCase());
  return RequireActorOnTeam();
}

absl::Status DecideContext::RequireSubject(absl::string_view subject_id) const {
  if (state_.FindSubject(subject_id) == nullptr) {
    return errors::SubjectNotFound(subject_id);
  }
  return absl::OkStatus();
}

absl::Status DecideContext::RequireSubjects(
    const google::protobuf::RepeatedPtrField<std::string>& subject_ids) const {
  for (const std::string& id : subject_ids) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(RequireSubject(id));
  }
  return absl::OkStatus();
}

absl::Status DecideContext::RequireAgencies(
    const google::protobuf::RepeatedPtrField<std::string>& agency_ids) const {
  for (const std::string& id : agency_ids) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(directory_.RequireAgency(id));
  }
  return absl::OkStatus();
}

absl::StatusOr<const DecisionState*> DecideContext::RequireDecision(
    const v1::DecisionRef& ref, std::initializer_list<v1::DecisionKind> kinds,
    absl::string_view needed) const {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("decision.conference_id", ref.conference_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("decision.decision_id", ref.decision_id()));
  const ConferenceState* conference =
      lookup_.FindConference(ref.conference_id());
  if (conference == nullptr || !conference->scheduled) {
    return errors::ConferenceNotFound(ref.conference_id());
  }
  if (conference->is_cancelled()) {
    return errors::ConferenceCancelled(ref.conference_id());
  }
  if (!conference->is_held()) {
    return errors::ConferenceNotHeld(ref.conference_id());
  }
  if (conference->schedule.anonymised()) {
    return errors::ConferenceAnonymised(ref.conference_id());
  }
  const DecisionState* decision = conference->FindDecision(ref.decision_id());
  if (decision == nullptr) {
    return errors::DecisionNotFound(ref.conference_id(), ref.decision_id());
  }
  if (std::find(kinds.begin(), kinds.end(), decision->decision.kind()) ==
      kinds.end()) {
    return errors::WrongDecisionKind(ref.conference_id(), ref.decision_id(),
                                     decision->decision.kind(), needed);
  }
  if (decision->decision.case_id() != state_.case_id) {
    return errors::DecisionAboutAnotherCase(ref.conference_id(),
                                            ref.decision_id(), state_.case_id);
  }
  if (decision->at > at_) {
    return errors::DecisionNotYetMade(ref.conference_id(), ref.decision_id());
  }
  return decision;
}

absl::StatusOr<const DecisionState*> DecideContext::RequireGoverningDecision(
    const v1::DecisionRef& ref, v1::DecisionKind kind,
    absl::string_view needed) const {
  RENKEI_DOMAIN_ASSIGN_OR_RETURN(const DecisionState* decision,
                                 RequireDecision(ref, {kind}, needed));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireGoverningConference(
      state_, *lookup_.FindConference(ref.conference_id()), *decision,
      directory_));
  return decision;
}

absl::Status DecideContext::RequireHandoverMove(
    absl::string_view handover_id, absl::string_view from_staff_id,
    absl::string_view to_staff_id) const {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("handover_id", handover_id));
  return domain::RequireHandoverMove(lookup_.FindHandover(handover_id),
                                     handover_id, from_staff_id, to_staff_id);
}

}  // namespace internal

absl::StatusOr<std::vector<v1::CaseEvent>> Decide(
    const CaseState& state, const v1::CaseCommand& command,
    const DirectoryState& directory) {
  return Decide(state, command, directory, AggregateLookup{});
}

absl::StatusOr<std::vector<v1::CaseEvent>> Decide(
    const CaseState& state, const v1::CaseCommand& command,
    const DirectoryState& directory, const AggregateLookup& lookup) {
  using Kind = v1::CaseCommand::KindCase;
  if (command.kind_case() == v1::CaseCommand::KIND_NOT_SET) {
    return errors::EmptyCommand();
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("case_id", command.case_id()));
  if (!command.has_occurred_at()) return errors::MissingField("occurred_at");
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateTimestamp("occurred_at", command.occurred_at()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("actor.staff_id", command.actor().staff_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("actor.agency_id", command.actor().agency_id()));

  // Business time has a floor per case: not more than a year before it was
  // opened (the server bounds it by its own clock and 2000-01-01 too).
  if (state.opened && command.kind_case() != v1::CaseCommand::kOpenCase &&
      ToTime(command.occurred_at()) < state.opened_at - kBusinessTimeFloor) {
    return errors::InvalidField(
        "occurred_at",
        absl::StrCat(
            "is more than ", absl::ToInt64Hours(kBusinessTimeFloor) / 24,
            " days before the case was opened (",
            absl::FormatTime("%Y-%m-%d", state.opened_at, absl::UTCTimeZone()),
            ")."));
  }
  if (state.erased_at.has_value()) return errors::CaseErased(state.case_id);
  // Nothing more is recorded about an erased household member (the
  // erasure commands name one, and say so themselves).
  if (command.kind_case() != Kind::kEraseSubject &&
      !state.erased_subjects.empty()) {
    for (const std::string& subject : privacy::NamedSubjects(command)) {
      if (state.SubjectErased(subject)) {
        return errors::SubjectAlreadyErased(subject);
      }
    }
  }
  const internal::DecideContext ctx(state, command, directory, lookup);
  switch (command.kind_case()) {
    case Kind::kPlaceLegalHold:
    case Kind::kReleaseLegalHold:
    case Kind::kEraseSubject:
    case Kind::kEraseCase:
      return internal::DecidePrivacy(ctx);
    case Kind::kOpenCase:
    case Kind::kAddSubject:
    case Kind::kAddTeamAgency:
    case Kind::kRemoveTeamAgency:
    case Kind::kChangeCaseFrameworks:
    case Kind::kChangeCaseRegistration:
    case Kind::kCloseCase:
    case Kind::kTransferCase:
    case Kind::kReopenCase:
    case Kind::kUpdateSubject:
    case Kind::kSetCaseLeadSide:
    case Kind::kSetCaseReviewInterval:
      return internal::DecideCaseLifecycle(ctx);
    case Kind::kRecordEntry:
    case Kind::kAmendEntry:
    case Kind::kRetractEntry:
      return internal::DecideEntry(ctx);
    case Kind::kGiveConsent:
    case Kind::kRefuseConsent:
    case Kind::kWithdrawConsent:
    case Kind::kConfirmConsent:
      return internal::DecideConsent(ctx);
    case Kind::kRegisterStatutoryForum:
    case Kind::kShareInformation:
    case Kind::kInvokeEmergencyAccess:
    case Kind::kReviewEmergencyAccess:
      return internal::DecideSharing(ctx);
    case Kind::kRecordSubjectDisclosure:
      return internal::DecideDisclosure(ctx);
    case Kind::kMakeReferral:
    case Kind::kAcceptReferral:
    case Kind::kDeclineReferral:
    case Kind::kReturnReferral:
    case Kind::kReferReferralOn:
    case Kind::kGiveReferralFeedback:
    case Kind::kCloseReferral:
    case Kind::kReassignReferralHandler:
      return internal::DecideReferral(ctx);
    case Kind::kReviseSupportPlan:
      return internal::DecidePlan(ctx);
    case Kind::kAssignStageLead:
    case Kind::kTransferStageLead:
    case Kind::kCorrectStageLead:
    case Kind::kEndStageLead:
      return internal::DecideStageLead(ctx);
    case Kind::KIND_NOT_SET:
      break;
  }
  return errors::EmptyCommand();
}

}  // namespace renkei::domain
