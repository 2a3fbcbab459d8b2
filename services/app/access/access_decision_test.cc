// Tests of the access decision: relations to a case and what content each
// reader is shown.
#include "services/app/access/access_decision.h"

#include "gtest/gtest.h"
#include "services/domain/testing/fixtures.h"

namespace renkei::app {
namespace {

using domain::testing::CaseHarness;
using domain::testing::Day;
using domain::testing::StoryDirectory;

class AccessDecisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    harness_.OpenStandardCase();
    harness_.Given("cw", Day(2), R"pb(
      register_statutory_forum {
        forum {
          forum_id: "f-yotai"
          kind: FORUM_KIND_YOTAIKYO
          name: "個別ケース検討会議"
          member_agency_ids: "city-cfs"
          member_agency_ids: "cgc"
          member_agency_ids: "jhs"
        }
      })pb");
    harness_.Given("counsellor", Day(3), R"pb(
      record_entry {
        entry {
          entry_id: "e-statement"
          subject_ids: "daughter"
          categories: INFORMATION_CATEGORY_CHILD_REARING
          confidentiality {
            withheld_from_subject_ids: "mother"
            withheld_from_agency_ids: "nursery"
            reason: "the daughter asked"
          }
          interview {
            interviewers { staff_id: "counsellor" agency_id: "city-mh" }
            interviewee_subject_ids: "daughter"
            summary: "MARKER-STATEMENT"
          }
        }
      })pb");
  }

  AccessDecision As(std::string agency,
                    ReaderRole role = ReaderRole::kPractitioner,
                    std::string forum = "") const {
    return AccessDecision(
        harness_.state(),
        Reader{.staff_id = "someone",
               .agency_id = std::move(agency),
               .role = role,
               .purpose = v1::SHARING_PURPOSE_SUPPORT_COORDINATION,
               .forum_id = std::move(forum),
               .now = Day(10)});
  }

  CaseHarness harness_{StoryDirectory()};
};

TEST_F(AccessDecisionTest, RelationsDecideWhetherTheCaseIsVisibleAtAll) {
  EXPECT_EQ(As("city-mh").relation(), CaseRelation::kTeam);
  EXPECT_TRUE(As("city-mh").RequireCaseReader().ok());
  EXPECT_EQ(As("police", ReaderRole::kAuditor).relation(),
            CaseRelation::kAuditor);
  // A forum member reading as such.
  EXPECT_EQ(As("cgc", ReaderRole::kPractitioner, "f-yotai").relation(),
            CaseRelation::kForumMember);
  // A member not reading as the forum is related but no reader.
  const absl::Status related = As("cgc").RequireCaseReader();
  EXPECT_EQ(related.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(related.message().find("not on the support team"),
            std::string::npos);
  // No relation: the case does not exist to it, in the words used for a
  // case that does not exist.
  const absl::Status none = As("clinic").RequireCaseReader();
  EXPECT_EQ(none, CaseNotVisible("c1"));
  EXPECT_EQ(none.code(), absl::StatusCode::kNotFound);
}

TEST_F(AccessDecisionTest, ShowEntryFillsContentOnlyWhenAllowed) {
  const domain::EntryState& entry = *harness_.state().FindEntry("e-statement");
  v1::Entry out;
  out.set_entry_id("stale");
  const domain::EntryAccess team = As("city-mh").ShowEntry(entry, &out);
  ASSERT_TRUE(team.allowed());
  EXPECT_EQ(out.interview().summary(), "MARKER-STATEMENT");

  const domain::EntryAccess withheld = As("nursery").ShowEntry(entry, &out);
  EXPECT_FALSE(withheld.allowed());
  EXPECT_EQ(out.ByteSizeLong(), 0u);
  EXPECT_EQ(withheld.decision.explanation().find("MARKER"), std::string::npos);

  const domain::EntryAccess no_consent = As("city-cfs").ShowEntry(entry, &out);
  EXPECT_FALSE(no_consent.allowed());
  EXPECT_EQ(out.ByteSizeLong(), 0u);
}

TEST_F(AccessDecisionTest, ASharingCheckIsDecidedWithTheReaderAsSender) {
  const domain::EntryState& entry = *harness_.state().FindEntry("e-statement");
  domain::SharingRequest request;
  request.recipient_agency_id = "jhs";
  request.purpose = v1::SHARING_PURPOSE_SUPPORT_COORDINATION;
  request.forum_id = "f-yotai";
  // city-cfs is a member but may not see the statement itself.
  EXPECT_EQ(As("city-cfs").CheckSharing(entry, request).denial_reason(),
            v1::SHARING_DENIAL_REASON_SENDER_MAY_NOT_SEE);
  // city-mh may see it but is no member of the forum it cites.
  EXPECT_EQ(As("city-mh").CheckSharing(entry, request).denial_reason(),
            v1::SHARING_DENIAL_REASON_NOT_FORUM_MEMBER);
}

}  // namespace
}  // namespace renkei::app
