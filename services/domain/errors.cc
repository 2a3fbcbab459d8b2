// Wording of every domain refusal.
#include "services/domain/errors.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

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

absl::string_view DecisionKindLabel(v1::DecisionKind kind) {
  switch (kind) {
    case v1::DECISION_KIND_GENERAL:
      return "a general decision";
    case v1::DECISION_KIND_PLAN_REVISION:
      return "a plan revision";
    case v1::DECISION_KIND_LEAD_ASSIGNMENT:
      return "a lead assignment";
    case v1::DECISION_KIND_LEAD_DESIGNATION:
      return "a lead designation by the coordinating body";
    case v1::DECISION_KIND_CASE_CLOSURE:
      return "a case closure";
    case v1::DECISION_KIND_CASE_TRANSFER:
      return "a case transfer";
    default:
      return "of an unknown kind";
  }
}

absl::string_view HandoverStatusLabel(v1::HandoverStatus status) {
  switch (status) {
    case v1::HANDOVER_STATUS_STARTED:
      return "started";
    case v1::HANDOVER_STATUS_ACKNOWLEDGED:
      return "acknowledged";
    case v1::HANDOVER_STATUS_COMPLETED:
      return "completed";
    case v1::HANDOVER_STATUS_CANCELLED:
      return "cancelled";
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
absl::Status EmergencyNotFound(absl::string_view emergency_id) {
  return absl::NotFoundError(absl::StrCat("Emergency access '", emergency_id,
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
absl::Status ConferenceNotFound(absl::string_view conference_id) {
  return absl::NotFoundError(
      absl::StrCat("Conference '", conference_id, "' does not exist."));
}
absl::Status DecisionNotFound(absl::string_view conference_id,
                              absl::string_view decision_id) {
  return absl::NotFoundError(absl::StrCat("Conference '", conference_id,
                                          "' recorded no decision '",
                                          decision_id, "'."));
}
absl::Status ActionItemNotFound(absl::string_view action_item_id) {
  return absl::NotFoundError(absl::StrCat(
      "Action item '", action_item_id, "' does not exist in this conference."));
}
absl::Status StageNotFound(absl::string_view stage_id) {
  return absl::NotFoundError(absl::StrCat(
      "Stage '", stage_id, "' is not in this case's support plan."));
}
absl::Status HandoverNotFound(absl::string_view handover_id) {
  return absl::NotFoundError(
      absl::StrCat("Handover '", handover_id, "' does not exist."));
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
absl::Status NotReferralSide(absl::string_view referral_id,
                             absl::string_view agency_id,
                             absl::string_view side) {
  return absl::FailedPreconditionError(
      absl::StrCat("Agency '", agency_id, "' is not the ", side,
                   " agency of referral '", referral_id, "'."));
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
absl::Status AgencyLeadsStage(absl::string_view agency_id,
                              absl::string_view stage_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Agency '", agency_id, "' leads stage '", stage_id,
                   "'; transfer the lead before it leaves the team."));
}
absl::Status DecisionRequired(absl::string_view case_id,
                              absl::string_view action) {
  return absl::FailedPreconditionError(
      absl::StrCat("Case '", case_id, "' is registered; ", action,
                   " it needs a decision recorded at a conference."));
}

absl::Status ConferenceCancelled(absl::string_view conference_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Conference '", conference_id, "' was cancelled."));
}
absl::Status ConferenceNotHeld(absl::string_view conference_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Conference '", conference_id, "' has not been held yet."));
}
absl::Status ConferenceAlreadyHeld(absl::string_view conference_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Conference '", conference_id, "' has already been held."));
}
absl::Status ConfidentialityNotAcknowledged(
    absl::string_view conference_id,
    const std::vector<std::string>& staff_ids) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Conference '", conference_id,
      "' binds its members to confidentiality; not acknowledged by: ",
      absl::StrJoin(staff_ids, ", "), "."));
}
absl::Status NotInvited(absl::string_view conference_id,
                        absl::string_view staff_id,
                        absl::string_view agency_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Staff member '", staff_id, "' of agency '", agency_id,
                   "' was not invited to conference '", conference_id, "'."));
}
absl::Status NotConferenceParticipant(absl::string_view conference_id,
                                      absl::string_view staff_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Staff member '", staff_id,
                   "' neither convened, attended nor coordinates conference '",
                   conference_id, "'."));
}
absl::Status NotCoordinatingBody(absl::string_view conference_id,
                                 absl::string_view agency_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Agency '", agency_id, "' is not the coordinating body of conference '",
      conference_id, "'."));
}
absl::Status CaseNotOnAgenda(absl::string_view conference_id,
                             absl::string_view case_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Case '", case_id, "' is not on the agenda of conference '",
                   conference_id, "'."));
}
absl::Status ConferenceAnonymised(absl::string_view conference_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Conference '", conference_id,
      "' is anonymised; it cannot decide or review an identified case."));
}
absl::Status NotPractitionersMeeting(absl::string_view conference_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Conference '", conference_id,
                   "' is not a practitioners' meeting; only those review "
                   "registered cases."));
}
absl::Status WrongDecisionKind(absl::string_view conference_id,
                               absl::string_view decision_id,
                               v1::DecisionKind actual,
                               absl::string_view needed) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Decision '", decision_id, "' of conference '", conference_id, "' is ",
      DecisionKindLabel(actual), "; ", needed, " is needed."));
}
absl::Status DecisionAboutAnotherCase(absl::string_view conference_id,
                                      absl::string_view decision_id,
                                      absl::string_view case_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Decision '", decision_id, "' of conference '",
                   conference_id, "' is not about case '", case_id, "'."));
}
absl::Status DecisionDiffers(absl::string_view conference_id,
                             absl::string_view decision_id,
                             absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("Decision '", decision_id, "' of conference '",
                   conference_id, "' decided a different ", what, "."));
}
absl::Status DecisionNotYetMade(absl::string_view conference_id,
                                absl::string_view decision_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Decision '", decision_id, "' of conference '",
                   conference_id, "' was made after this command's time."));
}
absl::Status ActionItemAlreadyCompleted(absl::string_view action_item_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Action item '", action_item_id, "' has already been completed."));
}
absl::Status NotActionItemHolder(absl::string_view action_item_id,
                                 absl::string_view agency_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Agency '", agency_id, "' neither holds action item '", action_item_id,
      "' nor convened or coordinates its conference."));
}

absl::Status StageAlreadyHasLead(absl::string_view stage_id,
                                 absl::string_view agency_id,
                                 absl::string_view staff_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Stage '", stage_id, "' is already led by agency '", agency_id,
      "' (key person '", staff_id,
      "'); a stage has one lead at a time, so transfer it instead."));
}
absl::Status StageHasNoLead(absl::string_view stage_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Stage '", stage_id, "' has no lead at that time."));
}
absl::Status StageStillLed(absl::string_view stage_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Stage '", stage_id,
                   "' still has a lead; end the lead before dropping it."));
}
absl::Status LeadRecordedOutOfOrder(absl::string_view stage_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("A later change to the leads of stage '", stage_id,
                   "' is already recorded; record this one at a later time."));
}
absl::Status StaffNotActiveAt(absl::string_view staff_id,
                              absl::string_view when) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Staff member '", staff_id, "' was not working at ", when, "."));
}

absl::Status HandoverNotAcknowledged(absl::string_view handover_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "The successor has not acknowledged the packet of handover '",
      handover_id, "'."));
}
absl::Status HandoverFinished(absl::string_view handover_id,
                              v1::HandoverStatus status) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Handover '", handover_id, "' is ", HandoverStatusLabel(status), "."));
}
absl::Status NotSuccessor(absl::string_view handover_id,
                          absl::string_view staff_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Only the successor can acknowledge handover '", handover_id,
                   "'; '", staff_id, "' is not it."));
}
absl::Status NotHandoverAgency(absl::string_view handover_id,
                               absl::string_view agency_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Agency '", agency_id, "' is not the agency of handover '",
                   handover_id, "'."));
}
absl::Status HandoverDoesNotCover(absl::string_view handover_id,
                                  absl::string_view from_staff_id,
                                  absl::string_view to_staff_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Handover '", handover_id, "' does not move work from '",
                   from_staff_id, "' to '", to_staff_id, "'."));
}
absl::Status PacketChangedSinceAcknowledgement(
    absl::string_view handover_id, const std::vector<std::string>& added) {
  return absl::FailedPreconditionError(
      absl::StrCat("The packet of handover '", handover_id,
                   "' changed since the successor acknowledged it (",
                   absl::StrJoin(added, "; "),
                   "); the successor must acknowledge it again."));
}
absl::Status DepartureUnchecked(absl::string_view staff_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("The departure of staff member '", staff_id,
                   "' cannot be recorded without checking what they still "
                   "hold."));
}
absl::Status StaffHoldsResponsibilities(absl::string_view staff_id,
                                        const std::vector<std::string>& held) {
  return absl::FailedPreconditionError(
      absl::StrCat("Staff member '", staff_id, "' still holds ", held.size(),
                   " responsibilities: ", absl::StrJoin(held, "; "),
                   ". Hand them over first."));
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
absl::Status ConferenceIdMismatch(absl::string_view state_conference_id,
                                  absl::string_view command_conference_id) {
  return absl::InvalidArgumentError(
      absl::StrCat("The command is for conference '", command_conference_id,
                   "' but was given conference '", state_conference_id, "'."));
}
absl::Status HandoverIdMismatch(absl::string_view state_handover_id,
                                absl::string_view command_handover_id) {
  return absl::InvalidArgumentError(
      absl::StrCat("The command is for handover '", command_handover_id,
                   "' but was given handover '", state_handover_id, "'."));
}
absl::Status EmptyCommand() {
  return absl::InvalidArgumentError("The command says nothing to do.");
}
absl::Status ScopeNamesDecidingSubject(absl::string_view person_id) {
  return absl::InvalidArgumentError(absl::StrCat(
      "'terms.scope.person_subject_ids' names '", person_id,
      "', whose information it is or who decides it; name other household "
      "members."));
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
absl::Status EmergencyAlreadyExists(absl::string_view emergency_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "Emergency access '", emergency_id, "' already exists on this case."));
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
absl::Status DisclosureAlreadyExists(absl::string_view disclosure_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "Disclosure '", disclosure_id, "' is already recorded on this case."));
}
absl::Status AgencyAlreadyOnTeam(absl::string_view agency_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "Agency '", agency_id, "' is already on this case's support team."));
}
absl::Status ConferenceAlreadyExists(absl::string_view conference_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "Conference '", conference_id, "' has already been scheduled."));
}
absl::Status DecisionAlreadyExists(absl::string_view decision_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "Decision '", decision_id, "' is already recorded in this conference."));
}
absl::Status ActionItemAlreadyExists(absl::string_view action_item_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "Action item '", action_item_id, "' already exists in this conference."));
}
absl::Status HandoverAlreadyExists(absl::string_view handover_id) {
  return absl::AlreadyExistsError(
      absl::StrCat("Handover '", handover_id, "' has already been started."));
}
absl::Status CaseAlreadyReviewed(absl::string_view conference_id,
                                 absl::string_view case_id) {
  return absl::AlreadyExistsError(absl::StrCat("Conference '", conference_id,
                                               "' already reviewed case '",
                                               case_id, "'."));
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

absl::Status NotAdministrator(absl::string_view staff_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Staff member '", staff_id,
      "' is not an administrator of the directory; only administrators "
      "register agencies and staff, assign roles and record departures."));
}
absl::Status NotAuditor(absl::string_view staff_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Staff member '", staff_id,
      "' has no auditor role; the audit service (the raw log, replays, the "
      "access and security logs) is for auditors, whom an administrator "
      "designates."));
}
absl::Status AuditorsWriteNoCaseContent(absl::string_view staff_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Staff member '", staff_id,
      "' is an auditor, who reads everything and writes no case content."));
}
absl::Status NotRecordsAdministrator(absl::string_view staff_id,
                                     absl::string_view action) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Staff member '", staff_id, "' may not ", action,
      ": legal holds and erasure are for administrators, who keep the "
      "retention schedule."));
}
absl::Status LegalHoldInForce(absl::string_view case_id,
                              absl::string_view hold_id,
                              absl::string_view reason,
                              absl::string_view action) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Case '", case_id, "' is under legal hold '", hold_id, "' (", reason,
      "): it may not ", action, " until the hold is released."));
}
absl::Status LegalHoldExists(absl::string_view hold_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "Legal hold '", hold_id, "' is already in force on this case."));
}
absl::Status LegalHoldNotFound(absl::string_view hold_id) {
  return absl::NotFoundError(
      absl::StrCat("No legal hold '", hold_id, "' is in force on this case."));
}
absl::Status SubjectAlreadyErased(absl::string_view subject_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Subject '", subject_id,
      "' was erased: nothing about them may be recorded or erased again."));
}
absl::Status CaseErased(absl::string_view case_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Case '", case_id,
      "' was erased at the end of its retention: it takes no further "
      "commands."));
}
absl::Status CaseOpenForErasure(absl::string_view case_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Case '", case_id,
      "' is open: a case is erased only once it is closed (erase a household "
      "member with EraseSubject meanwhile)."));
}
absl::Status AdministratorsHoldNoCases(absl::string_view staff_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Staff member '", staff_id,
      "' is an administrator, who manages the directory only and never "
      "reads or writes case content."));
}
absl::Status RoleAlreadyHeld(absl::string_view staff_id, v1::StaffRole role) {
  return absl::FailedPreconditionError(
      absl::StrCat("Staff member '", staff_id, "' already holds the role ",
                   v1::StaffRole_Name(role), "."));
}
absl::Status RoleNotHeld(absl::string_view staff_id, v1::StaffRole role) {
  return absl::FailedPreconditionError(
      absl::StrCat("Staff member '", staff_id, "' does not hold the role ",
                   v1::StaffRole_Name(role), "."));
}
absl::Status LastAdministrator(absl::string_view staff_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Staff member '", staff_id,
      "' is the last administrator; grant the role to another first."));
}
absl::Status AdministratorExists() {
  return absl::FailedPreconditionError(
      "The directory already has an administrator; they register further "
      "staff and roles.");
}

absl::Status ActorNotOnTeam(absl::string_view agency_id) {
  return absl::PermissionDeniedError(
      absl::StrCat("Agency '", agency_id,
                   "' is not on this case's support team, so its staff may "
                   "not act on the case; a team member can add it."));
}
absl::Status AgendaCaseNotOnTeam(absl::string_view case_id,
                                 absl::string_view agency_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Agency '", agency_id, "' is not on the support team of case '", case_id,
      "', so it cannot put the case on a conference's agenda (only the "
      "coordinating body's practitioners' meeting lists every registered "
      "case)."));
}
absl::Status NotConferenceAttendee(absl::string_view conference_id,
                                   absl::string_view staff_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Staff member '", staff_id, "' did not attend conference '",
      conference_id,
      "'; its decisions, case reviews, role splits and action items are "
      "recorded by its attendees."));
}
absl::Status SelfConfirmedConsent(absl::string_view consent_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Consent '", consent_id,
      "' grants access to the agency that recorded it, so another person "
      "than the one who recorded it must confirm it."));
}
absl::Status NotConsentConfirmer(absl::string_view consent_id,
                                 absl::string_view staff_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Staff member '", staff_id, "' may not confirm consent '", consent_id,
      "': a supervisor (査察指導員, 統括支援員) of an agency on the case's "
      "team "
      "or staff of the case's coordinating body may."));
}
absl::Status NotFrameworkCoordinatingBody(absl::string_view agency_id,
                                          absl::string_view what) {
  return absl::PermissionDeniedError(
      absl::StrCat("Agency '", agency_id, "' is not the coordinating body of ",
                   "this case's framework; only it may ", what, "."));
}
absl::Status DecisionNotOfGoverningConference(absl::string_view conference_id,
                                              absl::string_view decision_id,
                                              absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("Decision '", decision_id, "' of conference '",
                   conference_id, "' cannot change this case: ", why, "."));
}
absl::Status ConsentNotAwaitingConfirmation(absl::string_view consent_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("Consent '", consent_id,
                   "' is not awaiting confirmation (it was not given, is "
                   "already confirmed, or no longer current)."));
}
absl::Status ConsentMissingForMeeting(
    absl::string_view case_id, const std::vector<std::string>& subject_ids) {
  return absl::FailedPreconditionError(absl::StrCat(
      "This meeting's basis is consent, but on case '", case_id,
      "' no consent is in force for: ", absl::StrJoin(subject_ids, ", "),
      " (hold a 支援会議 instead while consent is missing)."));
}

absl::Status NotEmergencyInvoker(absl::string_view agency_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Agency '", agency_id,
      "' may not invoke emergency access on this case: only a stage-lead "
      "agency of the case or the coordinating agency of a statutory forum "
      "registered on it may."));
}

absl::Status SelfReviewedEmergency(absl::string_view emergency_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Emergency access '", emergency_id,
      "' must be reviewed by another person than the one who invoked it."));
}

absl::Status NotEmergencyReviewer(absl::string_view emergency_id,
                                  absl::string_view agency_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Agency '", agency_id, "' may not review emergency access '",
      emergency_id,
      "': the invoking agency (its supervisor), a stage-lead agency or a "
      "forum's coordinating agency may."));
}

absl::Status EmergencyAlreadyReviewed(absl::string_view emergency_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Emergency access '", emergency_id, "' has already been reviewed."));
}

absl::Status EmergencyReasonWithoutAccess() {
  return absl::InvalidArgumentError(
      "'emergency_reason' alone is no basis for sharing: invoke emergency "
      "access first (InvokeEmergencyAccess, by a stage-lead agency or a "
      "forum's coordinating agency) and cite it as 'emergency_id'.");
}

absl::Status DisclosureToSubjectDenied(absl::string_view entry_id,
                                       absl::string_view subject_id,
                                       absl::string_view rule,
                                       absl::string_view explanation) {
  return absl::PermissionDeniedError(
      absl::StrCat("Entry '", entry_id, "' may not be told to '", subject_id,
                   "' (", rule, "): ", explanation));
}
absl::Status DisclosureOfUnseenEntry(absl::string_view entry_id,
                                     absl::string_view agency_id,
                                     absl::string_view rule) {
  return absl::PermissionDeniedError(
      absl::StrCat("Agency '", agency_id, "' may not see entry '", entry_id,
                   "' (", rule, "), so it cannot tell anyone about it."));
}

absl::Status CaseNotVisible(absl::string_view case_id) {
  return absl::NotFoundError(absl::StrCat(
      "case '", case_id, "' does not exist or is not visible to you"));
}

absl::Status NotCaseReader(absl::string_view agency_id,
                           absl::string_view case_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "agency '", agency_id, "' is not on the support team of case '", case_id,
      "' now; only its team agencies, auditors and, reading as its members "
      "(forum_id), a statutory forum's members may read it"));
}

}  // namespace renkei::domain::errors
