// Each catalogued refusal carries the status code its kind calls for and
// names what it is about.
#include "services/domain/errors.h"

#include <vector>

#include "gtest/gtest.h"

namespace renkei::domain::errors {
namespace {

struct Case {
  absl::Status status;
  absl::StatusCode code;
};

TEST(ErrorsTest, CodesFollowTheKindOfRefusal) {
  using absl::StatusCode;
  const std::vector<Case> cases = {
      {CaseNotFound("x"), StatusCode::kNotFound},
      {CaseNotVisible("x"), StatusCode::kNotFound},
      {NotCaseReader("a", "x"), StatusCode::kPermissionDenied},
      {SubjectNotFound("x"), StatusCode::kNotFound},
      {AgencyNotFound("x"), StatusCode::kNotFound},
      {StaffNotFound("x"), StatusCode::kNotFound},
      {EntryNotFound("x"), StatusCode::kNotFound},
      {ReferralNotFound("x"), StatusCode::kNotFound},
      {ConsentNotFound("x"), StatusCode::kNotFound},
      {ForumNotFound("x"), StatusCode::kNotFound},
      {ConferenceNotFound("x"), StatusCode::kNotFound},
      {DecisionNotFound("k", "x"), StatusCode::kNotFound},
      {ActionItemNotFound("x"), StatusCode::kNotFound},
      {StageNotFound("x"), StatusCode::kNotFound},
      {HandoverNotFound("x"), StatusCode::kNotFound},
      {CaseClosed("x"), StatusCode::kFailedPrecondition},
      {CaseNotClosed("x"), StatusCode::kFailedPrecondition},
      {NotRecordsAdministrator("x", "erase"), StatusCode::kPermissionDenied},
      {LegalHoldInForce("x", "h", "r", "be erased"),
       StatusCode::kFailedPrecondition},
      {LegalHoldExists("x"), StatusCode::kAlreadyExists},
      {LegalHoldNotFound("x"), StatusCode::kNotFound},
      {SubjectAlreadyErased("x"), StatusCode::kFailedPrecondition},
      {CaseErased("x"), StatusCode::kFailedPrecondition},
      {CaseOpenForErasure("x"), StatusCode::kFailedPrecondition},
      {StaffHasLeft("x"), StatusCode::kFailedPrecondition},
      {StaffNotInAgency("x", "a"), StatusCode::kFailedPrecondition},
      {AgencyNotOnTeam("x"), StatusCode::kFailedPrecondition},
      {ActorNotOnTeam("x"), StatusCode::kPermissionDenied},
      {AgendaCaseNotOnTeam("x", "a"), StatusCode::kPermissionDenied},
      {NotConferenceAttendee("k", "x"), StatusCode::kPermissionDenied},
      {SelfConfirmedConsent("x"), StatusCode::kPermissionDenied},
      {NotConsentConfirmer("x", "s"), StatusCode::kPermissionDenied},
      {NotFrameworkCoordinatingBody("x", "w"), StatusCode::kPermissionDenied},
      {DecisionNotOfGoverningConference("k", "x", "w"),
       StatusCode::kFailedPrecondition},
      {ConsentNotAwaitingConfirmation("x"), StatusCode::kFailedPrecondition},
      {ConsentMissingForMeeting("x", {"s"}), StatusCode::kFailedPrecondition},
      {LastTeamAgency("x"), StatusCode::kFailedPrecondition},
      {InvalidReferralTransition("x", v1::REFERRAL_STATUS_CLOSED, "accepted"),
       StatusCode::kFailedPrecondition},
      {NotReferralReceiver("x", "a"), StatusCode::kFailedPrecondition},
      {NotReferrer("x", "a"), StatusCode::kFailedPrecondition},
      {ConsentByNonMember("x"), StatusCode::kFailedPrecondition},
      {NotGuardian("x", "s"), StatusCode::kFailedPrecondition},
      {ConsentNotCurrent("x"), StatusCode::kFailedPrecondition},
      {CannotWithdrawRefusal("x"), StatusCode::kFailedPrecondition},
      {ConsentOfAnotherSubject("x", "s"), StatusCode::kFailedPrecondition},
      {EntryAlreadyRetracted("x"), StatusCode::kFailedPrecondition},
      {NotEntryRecorder("x", "a"), StatusCode::kFailedPrecondition},
      {NotForumMember("x", "a"), StatusCode::kFailedPrecondition},
      {NotReferralSide("x", "a", "receiving"), StatusCode::kFailedPrecondition},
      {AgencyLeadsStage("x", "s"), StatusCode::kFailedPrecondition},
      {DecisionRequired("x", "to close it"), StatusCode::kFailedPrecondition},
      {ConferenceCancelled("x"), StatusCode::kFailedPrecondition},
      {ConferenceNotHeld("x"), StatusCode::kFailedPrecondition},
      {ConferenceAlreadyHeld("x"), StatusCode::kFailedPrecondition},
      {ConfidentialityNotAcknowledged("x", {"a", "b"}),
       StatusCode::kFailedPrecondition},
      {NotInvited("x", "s", "a"), StatusCode::kFailedPrecondition},
      {NotConferenceParticipant("x", "s"), StatusCode::kFailedPrecondition},
      {NotCoordinatingBody("x", "a"), StatusCode::kFailedPrecondition},
      {CaseNotOnAgenda("x", "c"), StatusCode::kFailedPrecondition},
      {ConferenceAnonymised("x"), StatusCode::kFailedPrecondition},
      {NotPractitionersMeeting("x"), StatusCode::kFailedPrecondition},
      {WrongDecisionKind("x", "d", v1::DECISION_KIND_GENERAL,
                         "a plan revision"),
       StatusCode::kFailedPrecondition},
      {DecisionAboutAnotherCase("x", "d", "c"),
       StatusCode::kFailedPrecondition},
      {DecisionDiffers("x", "d", "lead"), StatusCode::kFailedPrecondition},
      {DecisionNotYetMade("x", "d"), StatusCode::kFailedPrecondition},
      {ActionItemAlreadyCompleted("x"), StatusCode::kFailedPrecondition},
      {NotActionItemHolder("x", "a"), StatusCode::kFailedPrecondition},
      {StageAlreadyHasLead("x", "a", "s"), StatusCode::kFailedPrecondition},
      {StageHasNoLead("x"), StatusCode::kFailedPrecondition},
      {StageStillLed("x"), StatusCode::kFailedPrecondition},
      {LeadRecordedOutOfOrder("x"), StatusCode::kFailedPrecondition},
      {StaffNotActiveAt("x", "2024-04-01"), StatusCode::kFailedPrecondition},
      {HandoverNotAcknowledged("x"), StatusCode::kFailedPrecondition},
      {HandoverFinished("x", v1::HANDOVER_STATUS_COMPLETED),
       StatusCode::kFailedPrecondition},
      {NotSuccessor("x", "s"), StatusCode::kFailedPrecondition},
      {NotHandoverAgency("x", "a"), StatusCode::kFailedPrecondition},
      {HandoverDoesNotCover("x", "a", "b"), StatusCode::kFailedPrecondition},
      {PacketChangedSinceAcknowledgement("x", {"a"}),
       StatusCode::kFailedPrecondition},
      {DepartureUnchecked("x"), StatusCode::kFailedPrecondition},
      {StaffHoldsResponsibilities("x", {"a"}), StatusCode::kFailedPrecondition},
      {MissingField("x"), StatusCode::kInvalidArgument},
      {InvalidId("f", "x"), StatusCode::kInvalidArgument},
      {InvalidEnum("x", 0), StatusCode::kInvalidArgument},
      {InvalidField("x", "is wrong."), StatusCode::kInvalidArgument},
      {CaseIdMismatch("x", "y"), StatusCode::kInvalidArgument},
      {ConferenceIdMismatch("x", "y"), StatusCode::kInvalidArgument},
      {HandoverIdMismatch("x", "y"), StatusCode::kInvalidArgument},
      {ScopeNamesDecidingSubject("x"), StatusCode::kInvalidArgument},
      {UnknownEventType("x"), StatusCode::kInvalidArgument},
      {CaseAlreadyExists("x"), StatusCode::kAlreadyExists},
      {AgencyAlreadyRegistered("x"), StatusCode::kAlreadyExists},
      {StaffAlreadyRegistered("x"), StatusCode::kAlreadyExists},
      {SubjectAlreadyExists("x"), StatusCode::kAlreadyExists},
      {EntryAlreadyExists("x"), StatusCode::kAlreadyExists},
      {ConsentAlreadyExists("x"), StatusCode::kAlreadyExists},
      {ReferralAlreadyExists("x"), StatusCode::kAlreadyExists},
      {ForumAlreadyExists("x"), StatusCode::kAlreadyExists},
      {DisclosureAlreadyExists("x"), StatusCode::kAlreadyExists},
      {AgencyAlreadyOnTeam("x"), StatusCode::kAlreadyExists},
      {ConferenceAlreadyExists("x"), StatusCode::kAlreadyExists},
      {DecisionAlreadyExists("x"), StatusCode::kAlreadyExists},
      {ActionItemAlreadyExists("x"), StatusCode::kAlreadyExists},
      {HandoverAlreadyExists("x"), StatusCode::kAlreadyExists},
      {CaseAlreadyReviewed("k", "x"), StatusCode::kAlreadyExists},
      {CorruptEventPayload("x"), StatusCode::kDataLoss},
      {SharingWithoutBasis("entry 'x'", "a", "why"),
       StatusCode::kPermissionDenied},
      {DisclosureToSubjectDenied("x", "mother", "WITHHELD", "why"),
       StatusCode::kPermissionDenied},
      {DisclosureOfUnseenEntry("x", "a", "NO_CONSENT"),
       StatusCode::kPermissionDenied},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.status;
    EXPECT_NE(c.status.message().find("x"), absl::string_view::npos)
        << c.status;
  }
  EXPECT_EQ(EmptyCommand().code(), StatusCode::kInvalidArgument);
}

TEST(ErrorsTest, MessagesSpeakToACaseworker) {
  EXPECT_EQ(StaffHasLeft("sato").message(),
            "Staff member 'sato' has left and cannot be given anything new.");
  EXPECT_EQ(InvalidReferralTransition("r1", v1::REFERRAL_STATUS_NOT_ACCEPTED,
                                      "accepted")
                .message(),
            "Referral 'r1' is not accepted; it cannot be accepted.");
  EXPECT_EQ(
      SharingWithoutBasis("entry 'e1'", "clinic", "no consent.").message(),
      "No basis to share entry 'e1' with agency 'clinic': no consent.");
  EXPECT_EQ(StageAlreadyHasLead("s-mother", "city-mh", "counsellor").message(),
            "Stage 's-mother' is already led by agency 'city-mh' (key person "
            "'counsellor'); a stage has one lead at a time, so transfer it "
            "instead.");
  EXPECT_EQ(
      StaffHoldsResponsibilities("sato", {"lead of s1", "item a1"}).message(),
      "Staff member 'sato' still holds 2 responsibilities: lead of s1; "
      "item a1. Hand them over first.");
  EXPECT_EQ(ConfidentialityNotAcknowledged("k1", {"cw", "nurse"}).message(),
            "Conference 'k1' binds its members to confidentiality; not "
            "acknowledged by: cw, nurse.");
}

}  // namespace
}  // namespace renkei::domain::errors
