// Wording of every domain refusal.
#include "services/domain/errors.h"

#include "absl/strings/str_cat.h"

namespace renkei::domain::errors {
namespace {

absl::string_view StatusLabel(v1::ReferralStatus status) {
  switch (status) {
    case v1::REFERRAL_STATUS_MADE:
      return "awaiting an answer";
    case v1::REFERRAL_STATUS_ACCEPTED:
      return "accepted";
    case v1::REFERRAL_STATUS_NOT_ACCEPTED:
      return "not accepted";
    case v1::REFERRAL_STATUS_RETURNED:
      return "returned";
    case v1::REFERRAL_STATUS_REFERRED_ON:
      return "referred on";
    case v1::REFERRAL_STATUS_CLOSED:
      return "closed";
    default:
      return "in an unknown state";
  }
}

}  // namespace

absl::Status CaseNotFound(absl::string_view case_id) {
  return absl::NotFoundError(
      absl::StrCat("Case '", case_id, "' does not exist."));
}
absl::Status SubjectNotFound(absl::string_view subject_id) {
  return absl::NotFoundError(
      absl::StrCat("'", subject_id, "' is not a member of this household."));
}
absl::Status AgencyNotFound(absl::string_view agency_id) {
  return absl::NotFoundError(absl::StrCat(
      "Agency '", agency_id, "' is not registered in the directory."));
}
absl::Status StaffNotFound(absl::string_view staff_id) {
  return absl::NotFoundError(absl::StrCat(
      "Staff member '", staff_id, "' is not registered in the directory."));
}
absl::Status EntryNotFound(absl::string_view entry_id) {
  return absl::NotFoundError(
      absl::StrCat("Entry '", entry_id, "' does not exist on this case."));
}
absl::Status ReferralNotFound(absl::string_view referral_id) {
  return absl::NotFoundError(absl::StrCat("Referral '", referral_id,
                                          "' does not exist on this case."));
}
absl::Status ConsentNotFound(absl::string_view consent_id) {
  return absl::NotFoundError(absl::StrCat("Consent record '", consent_id,
                                          "' does not exist on this case."));
}
absl::Status ForumNotFound(absl::string_view forum_id) {
  return absl::NotFoundError(
      absl::StrCat("Forum '", forum_id, "' is not registered on this case."));
}

absl::Status CaseClosed(absl::string_view case_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Case '", case_id, "' is closed; reopen it before recording anything."));
}
absl::Status CaseNotClosed(absl::string_view case_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Case '", case_id, "' is open; only a closed case can be reopened."));
}
absl::Status StaffHasLeft(absl::string_view staff_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Staff member '", staff_id,
                   "' has left and cannot be given anything new."));
}
absl::Status StaffNotInAgency(absl::string_view staff_id,
                              absl::string_view agency_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Staff member '", staff_id, "' does not work for agency '",
                   agency_id, "'."));
}
absl::Status AgencyNotOnTeam(absl::string_view agency_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Agency '", agency_id, "' is not on this case's support team."));
}
absl::Status LastTeamAgency(absl::string_view agency_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Agency '", agency_id,
      "' is the last agency on the support team; a case needs at least one."));
}
absl::Status InvalidReferralTransition(absl::string_view referral_id,
                                       v1::ReferralStatus status,
                                       absl::string_view action) {
  return absl::FailedPreconditionError(
      absl::StrCat("Referral '", referral_id, "' is ", StatusLabel(status),
                   "; it cannot be ", action, "."));
}
absl::Status NotReferralReceiver(absl::string_view referral_id,
                                 absl::string_view agency_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Only the receiving agency can answer referral '",
                   referral_id, "'; '", agency_id, "' is not it."));
}
absl::Status NotReferrer(absl::string_view referral_id,
                         absl::string_view agency_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Only the referring agency can close referral '",
                   referral_id, "'; '", agency_id, "' is not it."));
}
absl::Status ConsentByNonMember(absl::string_view person_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "'", person_id,
      "' is not a member of this household and cannot decide consent."));
}
absl::Status NotGuardian(absl::string_view person_id,
                         absl::string_view subject_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("'", person_id, "' is not recorded as a guardian of '",
                   subject_id, "' and cannot decide consent for them."));
}
absl::Status ConsentNotCurrent(absl::string_view consent_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Consent record '", consent_id,
                   "' has already been withdrawn or superseded."));
}
absl::Status CannotWithdrawRefusal(absl::string_view consent_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Consent record '", consent_id,
                   "' records a refusal; there is no consent to withdraw."));
}
absl::Status ConsentOfAnotherSubject(absl::string_view consent_id,
                                     absl::string_view subject_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Consent record '", consent_id, "' is not about '", subject_id, "'."));
}
absl::Status EntryAlreadyRetracted(absl::string_view entry_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Entry '", entry_id, "' has been retracted."));
}
absl::Status NotEntryRecorder(absl::string_view entry_id,
                              absl::string_view agency_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Only the agency that recorded entry '", entry_id,
                   "' can correct it; '", agency_id, "' did not."));
}
absl::Status NotForumMember(absl::string_view forum_id,
                            absl::string_view agency_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Agency '", agency_id, "' is not a member of forum '", forum_id, "'."));
}

absl::Status MissingField(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat("'", field, "' is required."));
}
absl::Status InvalidId(absl::string_view field, absl::string_view value) {
  return absl::InvalidArgumentError(
      absl::StrCat("'", field, "' has an invalid id '", value,
                   "' (use 1-64 letters, digits, '.', '_' or '-')."));
}
absl::Status InvalidEnum(absl::string_view field, int value) {
  return absl::InvalidArgumentError(
      absl::StrCat("'", field, "' has no valid value (got ", value, ")."));
}
absl::Status InvalidField(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("'", field, "' ", why));
}
absl::Status CaseIdMismatch(absl::string_view state_case_id,
                            absl::string_view command_case_id) {
  return absl::InvalidArgumentError(
      absl::StrCat("The command is for case '", command_case_id,
                   "' but was given case '", state_case_id, "'."));
}
absl::Status EmptyCommand() {
  return absl::InvalidArgumentError("The command says nothing to do.");
}

absl::Status CaseAlreadyExists(absl::string_view case_id) {
  return absl::AlreadyExistsError(
      absl::StrCat("Case '", case_id, "' has already been opened."));
}
absl::Status AgencyAlreadyRegistered(absl::string_view agency_id) {
  return absl::AlreadyExistsError(
      absl::StrCat("Agency '", agency_id, "' is already registered."));
}
absl::Status StaffAlreadyRegistered(absl::string_view staff_id) {
  return absl::AlreadyExistsError(
      absl::StrCat("Staff member '", staff_id, "' is already registered."));
}
absl::Status SubjectAlreadyExists(absl::string_view subject_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "'", subject_id, "' is already a member of this household."));
}
absl::Status EntryAlreadyExists(absl::string_view entry_id) {
  return absl::AlreadyExistsError(
      absl::StrCat("Entry '", entry_id, "' already exists on this case."));
}
absl::Status ConsentAlreadyExists(absl::string_view consent_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "Consent record '", consent_id, "' already exists on this case."));
}
absl::Status ReferralAlreadyExists(absl::string_view referral_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "Referral '", referral_id, "' already exists on this case."));
}
absl::Status ForumAlreadyExists(absl::string_view forum_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "Forum '", forum_id, "' is already registered on this case."));
}
absl::Status AgencyAlreadyOnTeam(absl::string_view agency_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "Agency '", agency_id, "' is already on this case's support team."));
}

absl::Status UnknownEventType(absl::string_view event_type) {
  return absl::InvalidArgumentError(
      absl::StrCat("Event type '", event_type, "' does not belong here."));
}
absl::Status CorruptEventPayload(absl::string_view event_type) {
  return absl::DataLossError(absl::StrCat(
      "The stored payload of a '", event_type, "' event cannot be read."));
}

absl::Status SharingWithoutBasis(absl::string_view what,
                                 absl::string_view agency_id,
                                 absl::string_view explanation) {
  return absl::PermissionDeniedError(absl::StrCat("No basis to share ", what,
                                                  " with agency '", agency_id,
                                                  "': ", explanation));
}

}  // namespace renkei::domain::errors
