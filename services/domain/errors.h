// The catalogue of every domain refusal: one constructor per error, so codes
// and caseworker-facing wording stay consistent and testable.
#ifndef RENKEI_SERVICES_DOMAIN_ERRORS_H_
#define RENKEI_SERVICES_DOMAIN_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "renkei/v1/referral.pb.h"

namespace renkei::domain::errors {

// NOT_FOUND: something named by the command does not exist.
[[nodiscard]] absl::Status CaseNotFound(absl::string_view case_id);
[[nodiscard]] absl::Status SubjectNotFound(absl::string_view subject_id);
[[nodiscard]] absl::Status AgencyNotFound(absl::string_view agency_id);
[[nodiscard]] absl::Status StaffNotFound(absl::string_view staff_id);
[[nodiscard]] absl::Status EntryNotFound(absl::string_view entry_id);
[[nodiscard]] absl::Status ReferralNotFound(absl::string_view referral_id);
[[nodiscard]] absl::Status ConsentNotFound(absl::string_view consent_id);
[[nodiscard]] absl::Status ForumNotFound(absl::string_view forum_id);

// FAILED_PRECONDITION: the state of the case or directory forbids it.
[[nodiscard]] absl::Status CaseClosed(absl::string_view case_id);
[[nodiscard]] absl::Status CaseNotClosed(absl::string_view case_id);
[[nodiscard]] absl::Status StaffHasLeft(absl::string_view staff_id);
[[nodiscard]] absl::Status StaffNotInAgency(absl::string_view staff_id,
                                            absl::string_view agency_id);
[[nodiscard]] absl::Status AgencyNotOnTeam(absl::string_view agency_id);
[[nodiscard]] absl::Status LastTeamAgency(absl::string_view agency_id);
[[nodiscard]] absl::Status InvalidReferralTransition(
    absl::string_view referral_id, v1::ReferralStatus status,
    absl::string_view action);
[[nodiscard]] absl::Status NotReferralReceiver(absl::string_view referral_id,
                                               absl::string_view agency_id);
[[nodiscard]] absl::Status NotReferrer(absl::string_view referral_id,
                                       absl::string_view agency_id);
[[nodiscard]] absl::Status ConsentByNonMember(absl::string_view person_id);
[[nodiscard]] absl::Status NotGuardian(absl::string_view person_id,
                                       absl::string_view subject_id);
[[nodiscard]] absl::Status ConsentNotCurrent(absl::string_view consent_id);
[[nodiscard]] absl::Status CannotWithdrawRefusal(absl::string_view consent_id);
[[nodiscard]] absl::Status ConsentOfAnotherSubject(
    absl::string_view consent_id, absl::string_view subject_id);
[[nodiscard]] absl::Status EntryAlreadyRetracted(absl::string_view entry_id);
[[nodiscard]] absl::Status NotEntryRecorder(absl::string_view entry_id,
                                            absl::string_view agency_id);
[[nodiscard]] absl::Status NotForumMember(absl::string_view forum_id,
                                          absl::string_view agency_id);

// INVALID_ARGUMENT: the command itself is malformed.
[[nodiscard]] absl::Status MissingField(absl::string_view field);
[[nodiscard]] absl::Status InvalidId(absl::string_view field,
                                     absl::string_view value);
[[nodiscard]] absl::Status InvalidEnum(absl::string_view field, int value);
[[nodiscard]] absl::Status InvalidField(absl::string_view field,
                                        absl::string_view why);
[[nodiscard]] absl::Status CaseIdMismatch(absl::string_view state_case_id,
                                          absl::string_view command_case_id);
[[nodiscard]] absl::Status EmptyCommand();

// ALREADY_EXISTS: a duplicate.
[[nodiscard]] absl::Status CaseAlreadyExists(absl::string_view case_id);
[[nodiscard]] absl::Status AgencyAlreadyRegistered(absl::string_view agency_id);
[[nodiscard]] absl::Status StaffAlreadyRegistered(absl::string_view staff_id);
[[nodiscard]] absl::Status SubjectAlreadyExists(absl::string_view subject_id);
[[nodiscard]] absl::Status EntryAlreadyExists(absl::string_view entry_id);
[[nodiscard]] absl::Status ConsentAlreadyExists(absl::string_view consent_id);
[[nodiscard]] absl::Status ReferralAlreadyExists(absl::string_view referral_id);
[[nodiscard]] absl::Status ForumAlreadyExists(absl::string_view forum_id);
[[nodiscard]] absl::Status AgencyAlreadyOnTeam(absl::string_view agency_id);

// Decoding events from the log.
// INVALID_ARGUMENT: the envelope names an event type this stream does not hold.
[[nodiscard]] absl::Status UnknownEventType(absl::string_view event_type);
// DATA_LOSS: the payload does not parse as the named type.
[[nodiscard]] absl::Status CorruptEventPayload(absl::string_view event_type);

// PERMISSION_DENIED: sharing case content without a basis.
[[nodiscard]] absl::Status SharingWithoutBasis(absl::string_view what,
                                               absl::string_view agency_id,
                                               absl::string_view explanation);

}  // namespace renkei::domain::errors

#endif  // RENKEI_SERVICES_DOMAIN_ERRORS_H_
