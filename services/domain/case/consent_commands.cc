// Deciding consent commands: give, refuse (both may supersede a current
// record) and withdraw.
#include "services/domain/authority/authority.h"
#include "services/domain/case/decide_context.h"
#include "services/domain/errors.h"
#include "services/domain/status_macros.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"

namespace renkei::domain::internal {
namespace {

absl::Status ValidateTerms(const DecideContext& ctx,
                           const v1::ConsentTerms& terms) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("terms.consent_id", terms.consent_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("terms.subject_id", terms.subject_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("terms.decided_by_subject_id", terms.decided_by_subject_id()));
  const v1::ConsentScope& scope = terms.scope();
  // A scope names agencies, household members or both; purposes are about
  // agencies and are required when agencies are named.
  const bool names_persons = !scope.person_subject_ids().empty();
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateIdList(
      "terms.scope.agency_ids", scope.agency_ids(), !names_persons));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateIdList(
      "terms.scope.person_subject_ids", scope.person_subject_ids(), false));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnumList(
      "terms.scope.purposes", scope.purposes(), &v1::SharingPurpose_IsValid,
      !scope.agency_ids().empty()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnumList("terms.scope.categories", scope.categories(),
                      &v1::InformationCategory_IsValid, true));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("terms.form", terms.form(), &v1::ConsentForm_IsValid));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateOptionalId(
      "terms.supersedes_consent_id", terms.supersedes_consent_id()));
  absl::Time from = ctx.at();
  if (terms.has_valid_from()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateTimestamp("terms.valid_from", terms.valid_from()));
    from = ToTime(terms.valid_from());
    if (from < ctx.at()) {
      return errors::InvalidField("terms.valid_from",
                                  "cannot be before the consent was decided.");
    }
  }
  if (terms.has_valid_until()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateTimestamp("terms.valid_until", terms.valid_until()));
    if (ToTime(terms.valid_until()) <= from) {
      return errors::InvalidField("terms.valid_until",
                                  "must be after the start of the consent.");
    }
  }
  return absl::OkStatus();
}

// `person` is a household member and either `subject` or their guardian.
absl::Status RequireDecider(const DecideContext& ctx, absl::string_view person,
                            absl::string_view subject_id) {
  const v1::Subject* subject = ctx.state().FindSubject(subject_id);
  if (subject == nullptr) return errors::SubjectNotFound(subject_id);
  if (ctx.state().FindSubject(person) == nullptr) {
    return errors::ConsentByNonMember(person);
  }
  if (person == subject_id) return absl::OkStatus();
  for (const std::string& guardian : subject->guardian_subject_ids()) {
    if (guardian == person) return absl::OkStatus();
  }
  return errors::NotGuardian(person, subject_id);
}

// Each person a scope names is a household member other than the subject
// whose information it is and the person deciding.
absl::Status RequirePersons(const DecideContext& ctx,
                            const v1::ConsentTerms& terms) {
  for (const std::string& person : terms.scope().person_subject_ids()) {
    if (person == terms.subject_id() ||
        person == terms.decided_by_subject_id()) {
      return errors::ScopeNamesDecidingSubject(person);
    }
    RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireSubject(person));
  }
  return absl::OkStatus();
}

absl::StatusOr<Events> Decided(const DecideContext& ctx,
                               const v1::ConsentTerms& terms, bool given) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateTerms(ctx, terms));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  if (ctx.state().FindConsent(terms.consent_id()) != nullptr) {
    return errors::ConsentAlreadyExists(terms.consent_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireDecider(ctx, terms.decided_by_subject_id(), terms.subject_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ctx.RequireAgencies(terms.scope().agency_ids()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequirePersons(ctx, terms));
  if (!terms.supersedes_consent_id().empty()) {
    const ConsentState* old =
        ctx.state().FindConsent(terms.supersedes_consent_id());
    if (old == nullptr)
      return errors::ConsentNotFound(terms.supersedes_consent_id());
    if (old->terms.subject_id() != terms.subject_id()) {
      return errors::ConsentOfAnotherSubject(terms.supersedes_consent_id(),
                                             terms.subject_id());
    }
    if (!old->current()) {
      return errors::ConsentNotCurrent(terms.supersedes_consent_id());
    }
  }
  v1::CaseEvent event = ctx.NewEvent();
  v1::ConsentTerms stored = terms;
  if (!stored.has_valid_from())
    *stored.mutable_valid_from() = ctx.command().occurred_at();
  if (given) {
    event.mutable_consent_given()->set_awaiting_confirmation(
        NeedsConfirmation(terms, ctx.actor().agency_id()));
    *event.mutable_consent_given()->mutable_terms() = std::move(stored);
  } else {
    *event.mutable_consent_refused()->mutable_terms() = std::move(stored);
  }
  return Events{std::move(event)};
}

absl::StatusOr<Events> Withdraw(const DecideContext& ctx,
                                const v1::WithdrawConsent& withdraw) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("consent_id", withdraw.consent_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("decided_by_subject_id", withdraw.decided_by_subject_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", withdraw.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  const ConsentState* consent = ctx.state().FindConsent(withdraw.consent_id());
  if (consent == nullptr) return errors::ConsentNotFound(withdraw.consent_id());
  if (consent->decision == ConsentDecision::kRefused) {
    return errors::CannotWithdrawRefusal(withdraw.consent_id());
  }
  if (!consent->current())
    return errors::ConsentNotCurrent(withdraw.consent_id());
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireDecider(
      ctx, withdraw.decided_by_subject_id(), consent->terms.subject_id()));
  v1::CaseEvent event = ctx.NewEvent();
  auto* withdrawn = event.mutable_consent_withdrawn();
  withdrawn->set_consent_id(withdraw.consent_id());
  withdrawn->set_decided_by_subject_id(withdraw.decided_by_subject_id());
  withdrawn->set_reason(withdraw.reason());
  return Events{std::move(event)};
}

// A second person confirms a consent that grants access to its recording
// agency (authority/authority.h: RequireConsentConfirmer).
absl::StatusOr<Events> Confirm(const DecideContext& ctx,
                               const v1::ConfirmConsent& confirm) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("consent_id", confirm.consent_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireOpenCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireActor());
  const ConsentState* consent = ctx.state().FindConsent(confirm.consent_id());
  if (consent == nullptr) return errors::ConsentNotFound(confirm.consent_id());
  if (consent->decision != ConsentDecision::kGiven ||
      !consent->awaiting_confirmation || consent->confirmed_at.has_value() ||
      !consent->current()) {
    return errors::ConsentNotAwaitingConfirmation(confirm.consent_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireConsentConfirmer(ctx.state(), *consent, ctx.actor().staff_id(),
                              ctx.actor().agency_id(), ctx.directory()));
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_consent_confirmed()->set_consent_id(confirm.consent_id());
  event.mutable_consent_confirmed()->set_note(confirm.note());
  return Events{std::move(event)};
}

}  // namespace

absl::StatusOr<Events> DecideConsent(const DecideContext& ctx) {
  const v1::CaseCommand& command = ctx.command();
  switch (command.kind_case()) {
    case v1::CaseCommand::kGiveConsent:
      return Decided(ctx, command.give_consent().terms(), /*given=*/true);
    case v1::CaseCommand::kRefuseConsent:
      return Decided(ctx, command.refuse_consent().terms(), /*given=*/false);
    case v1::CaseCommand::kWithdrawConsent:
      return Withdraw(ctx, command.withdraw_consent());
    case v1::CaseCommand::kConfirmConsent:
      return Confirm(ctx, command.confirm_consent());
    default:
      return errors::EmptyCommand();
  }
}

}  // namespace renkei::domain::internal
