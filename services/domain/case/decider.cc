// The case decider: common checks and dispatch to the per-area deciders.
#include "services/domain/case/decider.h"

#include "services/domain/case/decide_context.h"
#include "services/domain/errors.h"
#include "services/domain/status_macros.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"

namespace renkei::domain {
namespace internal {

DecideContext::DecideContext(const CaseState& state,
                             const v1::CaseCommand& command,
                             const DirectoryState& directory)
    : state_(state),
      command_(command),
      directory_(directory),
      at_(ToTime(command.occurred_at())) {}

v1::CaseEvent DecideContext::NewEvent() const {
  v1::CaseEvent event;
  *event.mutable_occurred_at() = command_.occurred_at();
  *event.mutable_actor() = command_.actor();
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
  return directory_.RequireActiveStaffOf(actor().staff_id(),
                                         actor().agency_id());
}

absl::Status DecideContext::RequireActorOnTeam() const {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireActor());
  if (!state_.OnTeam(actor().agency_id())) {
    return errors::AgencyNotOnTeam(actor().agency_id());
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

}  // namespace internal

absl::StatusOr<std::vector<v1::CaseEvent>> Decide(
    const CaseState& state, const v1::CaseCommand& command,
    const DirectoryState& directory) {
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

  const internal::DecideContext ctx(state, command, directory);
  switch (command.kind_case()) {
    case Kind::kOpenCase:
    case Kind::kAddSubject:
    case Kind::kAddTeamAgency:
    case Kind::kRemoveTeamAgency:
    case Kind::kChangeCaseFrameworks:
    case Kind::kChangeCaseRegistration:
    case Kind::kCloseCase:
    case Kind::kReopenCase:
      return internal::DecideCaseLifecycle(ctx);
    case Kind::kRecordEntry:
    case Kind::kAmendEntry:
    case Kind::kRetractEntry:
      return internal::DecideEntry(ctx);
    case Kind::kGiveConsent:
    case Kind::kRefuseConsent:
    case Kind::kWithdrawConsent:
      return internal::DecideConsent(ctx);
    case Kind::kRegisterStatutoryForum:
    case Kind::kShareInformation:
      return internal::DecideSharing(ctx);
    case Kind::kMakeReferral:
    case Kind::kAcceptReferral:
    case Kind::kDeclineReferral:
    case Kind::kReturnReferral:
    case Kind::kReferReferralOn:
    case Kind::kGiveReferralFeedback:
    case Kind::kCloseReferral:
      return internal::DecideReferral(ctx);
    case Kind::KIND_NOT_SET:
      break;
  }
  return errors::EmptyCommand();
}

}  // namespace renkei::domain
