// Tests of 進行管理: when a registered case is due for review at a
// practitioners' meeting, and which cases are overdue as of a date.
#include "services/domain/conference/progress_review.h"

#include "gtest/gtest.h"
#include "services/domain/testing/conference_case.h"
#include "services/domain/testing/fixtures.h"
#include "services/domain/testing/world.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

using testing::Day;
using testing::StoryDirectory;
using testing::World;

class ProgressReviewTest : public ::testing::Test {
 protected:
  // c1 is registered (要支援) from day 0 under 要対協.
  void SetUp() override { testing::OpenStandardCase(world_); }

  // A practitioners' meeting held on `day` that reviews c1.
  void ReviewAt(absl::string_view conference_id, int day) {
    world_.GivenConference(conference_id, "support-worker", Day(day - 10), R"pb(
      schedule_conference {
        type: CONFERENCE_TYPE_PRACTITIONERS
        basis: CONFERENCE_BASIS_YOTAIKYO
        title: "実務者会議"
        coordinating_agency_id: "city-cfs"
        scheduled_for { seconds: 1714554000 }
        invitees { agency_id: "city-mh" }
        agenda_case_ids: "c1"
      })pb");
    world_.GivenConference(conference_id, "support-worker", Day(day), R"pb(
      hold_conference {
        attendance {
          staff_id: "support-worker"
          agency_id: "city-cfs"
          acknowledged_confidentiality: true
        }
      })pb");
    world_.GivenConference(conference_id, "support-worker", Day(day), R"pb(
      record_case_review {
        case_id: "c1"
        status: "stable"
        lead_agency_id: "city-cfs"
        support_policy: "continue"
      })pb");
  }

  World world_{StoryDirectory()};
  ReviewPolicy policy_;
};

TEST_F(ProgressReviewTest,
       ANeverReviewedCaseIsOverdueNinetyDaysAfterRegistration) {
  EXPECT_EQ(policy_.default_interval, absl::Hours(24 * 90));
  EXPECT_TRUE(OverdueReviews(world_.Everything(), policy_, Day(90)).empty());
  const std::vector<v1::OverdueReview> overdue =
      OverdueReviews(world_.Everything(), policy_, Day(93));
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].case_id(), "c1");
  EXPECT_EQ(overdue[0].registration(), v1::REGISTRATION_SUPPORT_NEEDED);
  EXPECT_EQ(ToTime(overdue[0].due_at()), Day(90));
  EXPECT_EQ(overdue[0].days_overdue(), 3);
  EXPECT_FALSE(overdue[0].has_last_reviewed_at());
}

TEST_F(ProgressReviewTest, AReviewAtAPractitionersMeetingRestartsTheInterval) {
  ReviewAt("p1", 60);
  EXPECT_TRUE(OverdueReviews(world_.Everything(), policy_, Day(93)).empty());
  EXPECT_EQ(NextReviewDue(world_.Case("c1"), world_.Everything().conferences,
                          policy_, Day(93)),
            Day(150));
  const std::vector<v1::OverdueReview> overdue =
      OverdueReviews(world_.Everything(), policy_, Day(151));
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(ToTime(overdue[0].last_reviewed_at()), Day(60));
  EXPECT_EQ(overdue[0].last_conference_id(), "p1");
  EXPECT_EQ(ToTime(overdue[0].due_at()), Day(150));

  // As of day 59 the review had not happened.
  EXPECT_FALSE(
      LastReviewOf("c1", world_.Everything().conferences, Day(59)).has_value());
  ReviewAt("p2", 140);
  EXPECT_EQ(LastReviewOf("c1", world_.Everything().conferences, Day(151))
                ->conference_id,
            "p2");
  EXPECT_TRUE(OverdueReviews(world_.Everything(), policy_, Day(151)).empty());
}

TEST_F(ProgressReviewTest, TheIntervalIsConfiguredPerFramework) {
  policy_.per_framework[v1::FRAMEWORK_YOTAIKYO] = absl::Hours(24 * 30);
  policy_.per_framework[v1::FRAMEWORK_MENTAL_HEALTH] = absl::Hours(24 * 180);
  EXPECT_EQ(policy_.IntervalFor(world_.Case("c1")), absl::Hours(24 * 30));
  ASSERT_EQ(OverdueReviews(world_.Everything(), policy_, Day(31)).size(), 1u);

  world_.GivenCase("c1", "cw", Day(1), R"pb(
    change_case_frameworks {
      frameworks: FRAMEWORK_MENTAL_HEALTH
      frameworks: FRAMEWORK_SHIEN_KAIGI
      reason: "not a child-protection case after all"
    })pb");
  // The shortest of 180 days and the 90-day default.
  EXPECT_EQ(policy_.IntervalFor(world_.Case("c1")), absl::Hours(24 * 90));
}

TEST_F(ProgressReviewTest, ACasesOwnIntervalComesFirst) {
  policy_.per_framework[v1::FRAMEWORK_YOTAIKYO] = absl::Hours(24 * 30);
  // (Who may set it is authority_test's; here the state carries it.)
  CaseState c1 = world_.Case("c1");
  c1.review_interval_days = 7;
  EXPECT_EQ(policy_.IntervalFor(c1), absl::Hours(24 * 7));
  EXPECT_STREQ(policy_.IntervalSource(c1), "case");
  EXPECT_STREQ(policy_.IntervalSource(world_.Case("c1")), "framework");
  Caseload load;
  load.cases.push_back(&c1);
  EXPECT_TRUE(OverdueReviews(load, policy_, Day(7)).empty());
  const auto overdue = OverdueReviews(load, policy_, Day(8));
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].interval_days(), 7);
  EXPECT_EQ(overdue[0].interval_source(), "case");
  // Before the case was registered it was not due at all.
  EXPECT_FALSE(
      NextReviewDue(c1, {}, policy_, Day(0) - absl::Hours(1)).has_value());
}

TEST_F(ProgressReviewTest, OnlyOpenRegisteredCasesAreReviewed) {
  testing::OpenStandardCase(world_, "c2");
  world_.GivenCase("c2", "cw", Day(1),
                   R"pb(
                     change_case_registration {
                       registration: REGISTRATION_NONE
                       reason: "x"
                     })pb");
  world_.GivenCase("c2", "cw", Day(2),
                   R"pb(close_case { reason: "resolved" })pb");
  testing::OpenStandardCase(world_, "c3");
  world_.GivenCase("c3", "cw", Day(1),
                   R"pb(
                     change_case_registration {
                       registration: REGISTRATION_NONE
                       reason: "x"
                     })pb");
  world_.GivenCase("c3", "cw", Day(50), R"pb(
    change_case_registration {
      registration: REGISTRATION_PROTECTED
      reason: "the situation got worse"
    })pb");
  const std::vector<v1::OverdueReview> overdue =
      OverdueReviews(world_.Everything(), policy_, Day(100));
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].case_id(), "c1");
  EXPECT_EQ(NextReviewDue(world_.Case("c3"), {}, policy_, Day(100)), Day(140));
  EXPECT_FALSE(NextReviewDue(world_.Case("c2"), {}, policy_, Day(100)));
}

}  // namespace
}  // namespace renkei::domain
