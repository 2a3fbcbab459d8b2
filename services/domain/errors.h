// The catalogue of every domain refusal: one constructor per error, so codes
// and caseworker-facing wording stay consistent and testable.
#ifndef RENKEI_SERVICES_DOMAIN_ERRORS_H_
#define RENKEI_SERVICES_DOMAIN_ERRORS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "renkei/v1/conference.pb.h"
#include "renkei/v1/directory.pb.h"
#include "renkei/v1/handover.pb.h"
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
[[nodiscard]] absl::Status ConferenceNotFound(absl::string_view conference_id);
[[nodiscard]] absl::Status DecisionNotFound(absl::string_view conference_id,
                                            absl::string_view decision_id);
[[nodiscard]] absl::Status ActionItemNotFound(absl::string_view action_item_id);
[[nodiscard]] absl::Status StageNotFound(absl::string_view stage_id);
[[nodiscard]] absl::Status HandoverNotFound(absl::string_view handover_id);
[[nodiscard]] absl::Status EmergencyNotFound(absl::string_view emergency_id);

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
// The agency is not the referral's `side` ("referring" or "receiving").
[[nodiscard]] absl::Status NotReferralSide(absl::string_view referral_id,
                                           absl::string_view agency_id,
                                           absl::string_view side);
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
[[nodiscard]] absl::Status AgencyLeadsStage(absl::string_view agency_id,
                                            absl::string_view stage_id);
// Closing or transferring a registered case needs a conference decision.
[[nodiscard]] absl::Status DecisionRequired(absl::string_view case_id,
                                            absl::string_view action);

// FAILED_PRECONDITION: conferences.
[[nodiscard]] absl::Status ConferenceCancelled(absl::string_view conference_id);
[[nodiscard]] absl::Status ConferenceNotHeld(absl::string_view conference_id);
[[nodiscard]] absl::Status ConferenceAlreadyHeld(
    absl::string_view conference_id);
// Lists every attendee who has not acknowledged the duty of confidentiality.
[[nodiscard]] absl::Status ConfidentialityNotAcknowledged(
    absl::string_view conference_id, const std::vector<std::string>& staff_ids);
[[nodiscard]] absl::Status NotInvited(absl::string_view conference_id,
                                      absl::string_view staff_id,
                                      absl::string_view agency_id);
[[nodiscard]] absl::Status NotConferenceParticipant(
    absl::string_view conference_id, absl::string_view staff_id);
[[nodiscard]] absl::Status NotCoordinatingBody(absl::string_view conference_id,
                                               absl::string_view agency_id);
[[nodiscard]] absl::Status CaseNotOnAgenda(absl::string_view conference_id,
                                           absl::string_view case_id);
[[nodiscard]] absl::Status ConferenceAnonymised(
    absl::string_view conference_id);
[[nodiscard]] absl::Status NotPractitionersMeeting(
    absl::string_view conference_id);
[[nodiscard]] absl::Status WrongDecisionKind(absl::string_view conference_id,
                                             absl::string_view decision_id,
                                             v1::DecisionKind actual,
                                             absl::string_view needed);
[[nodiscard]] absl::Status DecisionAboutAnotherCase(
    absl::string_view conference_id, absl::string_view decision_id,
    absl::string_view case_id);
[[nodiscard]] absl::Status DecisionDiffers(absl::string_view conference_id,
                                           absl::string_view decision_id,
                                           absl::string_view what);
[[nodiscard]] absl::Status DecisionNotYetMade(absl::string_view conference_id,
                                              absl::string_view decision_id);
[[nodiscard]] absl::Status ActionItemAlreadyCompleted(
    absl::string_view action_item_id);
[[nodiscard]] absl::Status NotActionItemHolder(absl::string_view action_item_id,
                                               absl::string_view agency_id);

// FAILED_PRECONDITION: stage leads.
[[nodiscard]] absl::Status StageAlreadyHasLead(absl::string_view stage_id,
                                               absl::string_view agency_id,
                                               absl::string_view staff_id);
[[nodiscard]] absl::Status StageHasNoLead(absl::string_view stage_id);
[[nodiscard]] absl::Status StageStillLed(absl::string_view stage_id);
[[nodiscard]] absl::Status LeadRecordedOutOfOrder(absl::string_view stage_id);
[[nodiscard]] absl::Status StaffNotActiveAt(absl::string_view staff_id,
                                            absl::string_view when);

// FAILED_PRECONDITION: handovers and departures.
[[nodiscard]] absl::Status HandoverNotAcknowledged(
    absl::string_view handover_id);
[[nodiscard]] absl::Status HandoverFinished(absl::string_view handover_id,
                                            v1::HandoverStatus status);
[[nodiscard]] absl::Status NotSuccessor(absl::string_view handover_id,
                                        absl::string_view staff_id);
[[nodiscard]] absl::Status NotHandoverAgency(absl::string_view handover_id,
                                             absl::string_view agency_id);
[[nodiscard]] absl::Status HandoverDoesNotCover(absl::string_view handover_id,
                                                absl::string_view from_staff_id,
                                                absl::string_view to_staff_id);
// Lists each responsibility that appeared after the acknowledgement.
[[nodiscard]] absl::Status PacketChangedSinceAcknowledgement(
    absl::string_view handover_id, const std::vector<std::string>& added);
// A departure decided without the staff member's responsibilities.
[[nodiscard]] absl::Status DepartureUnchecked(absl::string_view staff_id);
// Lists each lead, open action item and pending referral still held.
[[nodiscard]] absl::Status StaffHoldsResponsibilities(
    absl::string_view staff_id, const std::vector<std::string>& held);

// INVALID_ARGUMENT: the command itself is malformed.
[[nodiscard]] absl::Status MissingField(absl::string_view field);
[[nodiscard]] absl::Status InvalidId(absl::string_view field,
                                     absl::string_view value);
[[nodiscard]] absl::Status InvalidEnum(absl::string_view field, int value);
[[nodiscard]] absl::Status InvalidField(absl::string_view field,
                                        absl::string_view why);
[[nodiscard]] absl::Status CaseIdMismatch(absl::string_view state_case_id,
                                          absl::string_view command_case_id);
[[nodiscard]] absl::Status ConferenceIdMismatch(
    absl::string_view state_conference_id,
    absl::string_view command_conference_id);
[[nodiscard]] absl::Status HandoverIdMismatch(
    absl::string_view state_handover_id, absl::string_view command_handover_id);
[[nodiscard]] absl::Status EmptyCommand();
// A consent or refusal names, as a person who may (not) be told, the subject
// whose information it is or the person deciding it.
[[nodiscard]] absl::Status ScopeNamesDecidingSubject(
    absl::string_view person_id);

// ALREADY_EXISTS: a duplicate.
[[nodiscard]] absl::Status CaseAlreadyExists(absl::string_view case_id);
[[nodiscard]] absl::Status AgencyAlreadyRegistered(absl::string_view agency_id);
[[nodiscard]] absl::Status StaffAlreadyRegistered(absl::string_view staff_id);
[[nodiscard]] absl::Status SubjectAlreadyExists(absl::string_view subject_id);
[[nodiscard]] absl::Status EntryAlreadyExists(absl::string_view entry_id);
[[nodiscard]] absl::Status ConsentAlreadyExists(absl::string_view consent_id);
[[nodiscard]] absl::Status ReferralAlreadyExists(absl::string_view referral_id);
[[nodiscard]] absl::Status ForumAlreadyExists(absl::string_view forum_id);
[[nodiscard]] absl::Status DisclosureAlreadyExists(
    absl::string_view disclosure_id);
[[nodiscard]] absl::Status AgencyAlreadyOnTeam(absl::string_view agency_id);
[[nodiscard]] absl::Status ConferenceAlreadyExists(
    absl::string_view conference_id);
[[nodiscard]] absl::Status DecisionAlreadyExists(absl::string_view decision_id);
[[nodiscard]] absl::Status ActionItemAlreadyExists(
    absl::string_view action_item_id);
[[nodiscard]] absl::Status HandoverAlreadyExists(absl::string_view handover_id);
[[nodiscard]] absl::Status EmergencyAlreadyExists(
    absl::string_view emergency_id);
[[nodiscard]] absl::Status CaseAlreadyReviewed(absl::string_view conference_id,
                                               absl::string_view case_id);

// Decoding events from the log.
// INVALID_ARGUMENT: the envelope names an event type this stream does not hold.
[[nodiscard]] absl::Status UnknownEventType(absl::string_view event_type);
// DATA_LOSS: the payload does not parse as the named type.
[[nodiscard]] absl::Status CorruptEventPayload(absl::string_view event_type);

// PERMISSION_DENIED: emergency access.
// Only a stage-lead agency of the case or a forum's coordinating agency.
[[nodiscard]] absl::Status NotEmergencyInvoker(absl::string_view agency_id);
// The reviewer must be another person than the one who invoked it.
[[nodiscard]] absl::Status SelfReviewedEmergency(
    absl::string_view emergency_id);
[[nodiscard]] absl::Status NotEmergencyReviewer(absl::string_view emergency_id,
                                                absl::string_view agency_id);
// FAILED_PRECONDITION: emergency access.
[[nodiscard]] absl::Status EmergencyAlreadyReviewed(
    absl::string_view emergency_id);
// INVALID_ARGUMENT: a bare emergency reason is no basis.
[[nodiscard]] absl::Status EmergencyReasonWithoutAccess();

// PERMISSION_DENIED: who may change a case.
// The acting agency is not on the case's support team (the same rule and
// code as a read by such an agency).
[[nodiscard]] absl::Status ActorNotOnTeam(absl::string_view agency_id);
// A conference's agenda lists only cases the convener's agency is on the team
// of (the coordinating body's practitioners' meeting: every registered case).
[[nodiscard]] absl::Status AgendaCaseNotOnTeam(absl::string_view case_id,
                                               absl::string_view agency_id);
// Decisions, case reviews, role splits and action items come from attendees.
[[nodiscard]] absl::Status NotConferenceAttendee(
    absl::string_view conference_id, absl::string_view staff_id);
// A self-serving consent is confirmed by a second person.
[[nodiscard]] absl::Status SelfConfirmedConsent(absl::string_view consent_id);
[[nodiscard]] absl::Status NotConsentConfirmer(absl::string_view consent_id,
                                               absl::string_view staff_id);
// Only the framework's coordinating body (調整機関) may.
[[nodiscard]] absl::Status NotFrameworkCoordinatingBody(
    absl::string_view agency_id, absl::string_view what);

// PERMISSION_DENIED: only an active administrator changes the directory.
[[nodiscard]] absl::Status NotAdministrator(absl::string_view staff_id);
[[nodiscard]] absl::Status NotAuditor(absl::string_view staff_id);
[[nodiscard]] absl::Status AuditorsWriteNoCaseContent(
    absl::string_view staff_id);
// PERMISSION_DENIED: an administrator manages the directory only.
// The privacy lifecycle: legal holds and erasure.
[[nodiscard]] absl::Status NotRecordsAdministrator(absl::string_view staff_id,
                                                   absl::string_view action);
[[nodiscard]] absl::Status LegalHoldInForce(absl::string_view case_id,
                                            absl::string_view hold_id,
                                            absl::string_view reason,
                                            absl::string_view action);
[[nodiscard]] absl::Status LegalHoldExists(absl::string_view hold_id);
[[nodiscard]] absl::Status LegalHoldNotFound(absl::string_view hold_id);
[[nodiscard]] absl::Status SubjectAlreadyErased(absl::string_view subject_id);
[[nodiscard]] absl::Status CaseErased(absl::string_view case_id);
[[nodiscard]] absl::Status CaseOpenForErasure(absl::string_view case_id);
[[nodiscard]] absl::Status AdministratorsHoldNoCases(
    absl::string_view staff_id);
// FAILED_PRECONDITION: roles.
[[nodiscard]] absl::Status RoleAlreadyHeld(absl::string_view staff_id,
                                           v1::StaffRole role);
[[nodiscard]] absl::Status RoleNotHeld(absl::string_view staff_id,
                                       v1::StaffRole role);
[[nodiscard]] absl::Status LastAdministrator(absl::string_view staff_id);
[[nodiscard]] absl::Status AdministratorExists();

// FAILED_PRECONDITION: authority.
// The cited decision is not of a conference that may change this case:
// `why` says which condition failed.
[[nodiscard]] absl::Status DecisionNotOfGoverningConference(
    absl::string_view conference_id, absl::string_view decision_id,
    absl::string_view why);
[[nodiscard]] absl::Status ConsentNotAwaitingConfirmation(
    absl::string_view consent_id);
// A meeting whose basis is consent, with persons on a case lacking consent.
[[nodiscard]] absl::Status ConsentMissingForMeeting(
    absl::string_view case_id, const std::vector<std::string>& subject_ids);

// PERMISSION_DENIED: sharing case content without a basis.
[[nodiscard]] absl::Status SharingWithoutBasis(absl::string_view what,
                                               absl::string_view agency_id,
                                               absl::string_view explanation);
// PERMISSION_DENIED: telling a household member about an entry refused by
// `rule` (a SharingDenialReason name, or the actor's own access).
[[nodiscard]] absl::Status DisclosureToSubjectDenied(
    absl::string_view entry_id, absl::string_view subject_id,
    absl::string_view rule, absl::string_view explanation);
// PERMISSION_DENIED: the actor may not see the entry it would tell about.
[[nodiscard]] absl::Status DisclosureOfUnseenEntry(absl::string_view entry_id,
                                                   absl::string_view agency_id,
                                                   absl::string_view rule);

// NOT_FOUND: reading a case the reader may not know of (told apart from a case
// that does not exist by nobody).
[[nodiscard]] absl::Status CaseNotVisible(absl::string_view case_id);
// PERMISSION_DENIED: reading a case the agency is related to but not on the
// support team of.
[[nodiscard]] absl::Status NotCaseReader(absl::string_view agency_id,
                                         absl::string_view case_id);

}  // namespace renkei::domain::errors

#endif  // RENKEI_SERVICES_DOMAIN_ERRORS_H_
