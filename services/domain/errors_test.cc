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
      {SubjectNotFound("x"), StatusCode::kNotFound},
      {AgencyNotFound("x"), StatusCode::kNotFound},
      {StaffNotFound("x"), StatusCode::kNotFound},
      {EntryNotFound("x"), StatusCode::kNotFound},
      {ReferralNotFound("x"), StatusCode::kNotFound},
      {ConsentNotFound("x"), StatusCode::kNotFound},
      {ForumNotFound("x"), StatusCode::kNotFound},
      {CaseClosed("x"), StatusCode::kFailedPrecondition},
      {CaseNotClosed("x"), StatusCode::kFailedPrecondition},
      {StaffHasLeft("x"), StatusCode::kFailedPrecondition},
      {StaffNotInAgency("x", "a"), StatusCode::kFailedPrecondition},
      {AgencyNotOnTeam("x"), StatusCode::kFailedPrecondition},
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
      {MissingField("x"), StatusCode::kInvalidArgument},
      {InvalidId("f", "x"), StatusCode::kInvalidArgument},
      {InvalidEnum("x", 0), StatusCode::kInvalidArgument},
      {InvalidField("x", "is wrong."), StatusCode::kInvalidArgument},
      {CaseIdMismatch("x", "y"), StatusCode::kInvalidArgument},
      {UnknownEventType("x"), StatusCode::kInvalidArgument},
      {CaseAlreadyExists("x"), StatusCode::kAlreadyExists},
      {AgencyAlreadyRegistered("x"), StatusCode::kAlreadyExists},
      {StaffAlreadyRegistered("x"), StatusCode::kAlreadyExists},
      {SubjectAlreadyExists("x"), StatusCode::kAlreadyExists},
      {EntryAlreadyExists("x"), StatusCode::kAlreadyExists},
      {ConsentAlreadyExists("x"), StatusCode::kAlreadyExists},
      {ReferralAlreadyExists("x"), StatusCode::kAlreadyExists},
      {ForumAlreadyExists("x"), StatusCode::kAlreadyExists},
      {AgencyAlreadyOnTeam("x"), StatusCode::kAlreadyExists},
      {CorruptEventPayload("x"), StatusCode::kDataLoss},
      {SharingWithoutBasis("entry 'x'", "a", "why"),
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
}

}  // namespace
}  // namespace renkei::domain::errors
