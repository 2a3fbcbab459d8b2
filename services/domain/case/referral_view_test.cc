// Tests of what each party sees of a referral and of the overdue report.
#include "services/domain/case/referral_view.h"

#include "gtest/gtest.h"
#include "services/domain/errors.h"
#include "services/domain/testing/fixtures.h"
#include "services/domain/testing/referral_case.h"

namespace renkei::domain {
namespace {

using testing::CaseHarness;
using testing::Day;
using testing::kReferToClinic;
using testing::StoryDirectory;

// A reader of the referral's case on day 40 (consents in force then).
ViewRequest As(std::string agency) {
  return ViewRequest{.agency_id = std::move(agency),
                     .purpose = v1::SHARING_PURPOSE_MEDICAL_CARE,
                     .at = Day(40),
                     .forum_id = "",
                     .auditor = false};
}

class ReferralViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::PrepareReferralCase(harness_);
    harness_.Given("counsellor", Day(4), kReferToClinic);
    harness_.Given(
        "clinic-doctor", Day(5),
        R"pb(accept_referral { referral_id: "r-clinic" note: "ok" })pb");
    harness_.Given("clinic-doctor", Day(12), R"pb(
      give_referral_feedback {
        referral_id: "r-clinic"
        feedback: "treatment started"
      })pb");
  }
  CaseHarness harness_{StoryDirectory()};
};

TEST_F(ReferralViewTest, TheReferrerSeesStatusFeedbackAndOutcome) {
  harness_.Given("counsellor", Day(30),
                 R"pb(
                   close_referral {
                     referral_id: "r-clinic"
                     outcome: "stable, in treatment"
                   })pb");
  auto view = ViewReferral(harness_.state(), "r-clinic", As("city-mh"));
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(view->role(), v1::REFERRAL_VIEWER_ROLE_REFERRER);
  EXPECT_EQ(view->status(), v1::REFERRAL_STATUS_CLOSED);
  ASSERT_EQ(view->feedback_size(), 1);
  EXPECT_EQ(view->feedback(0).feedback(), "treatment started");
  EXPECT_EQ(view->feedback(0).by_staff_id(), "clinic-doctor");
  EXPECT_EQ(view->outcome(), "stable, in treatment");
  ASSERT_EQ(view->history_size(), 3);
  EXPECT_EQ(view->history(1).status(), v1::REFERRAL_STATUS_ACCEPTED);
  EXPECT_EQ(view->history(2).note(), "stable, in treatment");
}

TEST_F(ReferralViewTest, TheReceiverSeesOnlyWhatWasSent) {
  harness_.Given("counsellor", Day(6), R"pb(
    amend_entry {
      entry {
        entry_id: "e-assess"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        assessment {
          illness: ASSESSMENT_RATING_HIGH
          urgency: ASSESSMENT_RATING_HIGH
          case_ness: ASSESSMENT_RATING_HIGH
          quick_response: ASSESSMENT_RATING_HIGH
          suicidal_ideation: SUICIDAL_IDEATION_YES
        }
      }
      reason: "new information"
    })pb");
  harness_.Given("counsellor", Day(30), R"pb(
    close_referral {
      referral_id: "r-clinic"
      outcome: "counsellor's private view"
    })pb");
  auto view = ViewReferral(harness_.state(), "r-clinic", As("clinic"));
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(view->role(), v1::REFERRAL_VIEWER_ROLE_RECEIVER);
  EXPECT_EQ(view->status(), v1::REFERRAL_STATUS_CLOSED);
  EXPECT_EQ(view->referral().reason(),
            "depression and drinking: treatment recommended");
  ASSERT_EQ(view->sent_entries_size(), 1);
  EXPECT_EQ(view->sent_entries(0).assessment().suicidal_ideation(),
            v1::SUICIDAL_IDEATION_UNKNOWN);
  EXPECT_EQ(view->outcome(), "");
  EXPECT_EQ(view->history(2).note(), "");
}

TEST_F(ReferralViewTest, TheReferrerFollowsAnOnwardReferral) {
  harness_.Given("clinic-doctor", Day(13), R"pb(
    add_team_agency { agency_id: "home-nursing" reason: "home nursing" })pb");
  harness_.Given("clinic-doctor", Day(14), R"pb(
    refer_referral_on {
      referral_id: "r-clinic"
      onward {
        referral_id: "r-nursing"
        to_agency_id: "home-nursing"
        subject_ids: "mother"
        reason: "psychiatric home-visit nursing"
        urgency: REFERRAL_URGENCY_ROUTINE
        response_deadline { seconds: 1713690000 }
        purpose: SHARING_PURPOSE_MEDICAL_CARE
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
      }
    })pb");
  harness_.Given("nurse", Day(15),
                 R"pb(accept_referral { referral_id: "r-nursing" })pb");
  harness_.Given("nurse", Day(18), R"pb(
    give_referral_feedback {
      referral_id: "r-nursing"
      feedback: "first visit done"
    })pb");

  auto referrer = ViewReferral(harness_.state(), "r-clinic", As("city-mh"));
  ASSERT_TRUE(referrer.ok()) << referrer.status();
  ASSERT_EQ(referrer->onward_size(), 1);
  EXPECT_EQ(referrer->onward(0).referral().to_agency_id(), "home-nursing");
  EXPECT_EQ(referrer->onward(0).status(), v1::REFERRAL_STATUS_ACCEPTED);
  EXPECT_EQ(referrer->onward(0).feedback(0).feedback(), "first visit done");

  auto first_receiver =
      ViewReferral(harness_.state(), "r-clinic", As("clinic"));
  ASSERT_TRUE(first_receiver.ok());
  EXPECT_EQ(first_receiver->onward_size(), 0);

  EXPECT_EQ(ViewReferral(harness_.state(), "r-clinic", As("home-nursing"))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  auto onward_receiver =
      ViewReferral(harness_.state(), "r-nursing", As("home-nursing"));
  ASSERT_TRUE(onward_receiver.ok());
  EXPECT_EQ(onward_receiver->referral().from_agency_id(), "clinic");
}

TEST_F(ReferralViewTest, OtherAgenciesSeeNothing) {
  // Not a party: to it the referral does not exist (no existence oracle).
  EXPECT_EQ(ViewReferral(harness_.state(), "r-clinic", As("city-cfs")).status(),
            errors::ReferralNotFound("r-clinic"));
  EXPECT_EQ(ViewReferral(harness_.state(), "r-none", As("city-mh")).status(),
            errors::ReferralNotFound("r-none"));
}

TEST_F(ReferralViewTest, ASentEntryWithheldLaterIsListedNotShown) {
  harness_.Given("counsellor", Day(6), R"pb(
    amend_entry {
      entry {
        entry_id: "e-assess"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        confidentiality {
          withheld_from_agency_ids: "clinic"
          reason: "not for the clinic after all"
        }
        assessment {
          illness: ASSESSMENT_RATING_HIGH
          urgency: ASSESSMENT_RATING_MEDIUM
          case_ness: ASSESSMENT_RATING_HIGH
          quick_response: ASSESSMENT_RATING_MEDIUM
          suicidal_ideation: SUICIDAL_IDEATION_UNKNOWN
        }
      }
      reason: "withheld from the clinic"
    })pb");
  auto receiver = ViewReferral(harness_.state(), "r-clinic", As("clinic"));
  ASSERT_TRUE(receiver.ok()) << receiver.status();
  EXPECT_EQ(receiver->sent_entries_size(), 0);
  ASSERT_EQ(receiver->withheld_entries_size(), 1);
  EXPECT_EQ(receiver->withheld_entries(0).entry_id(), "e-assess");
  EXPECT_EQ(receiver->withheld_entries(0).reason(),
            v1::SHARING_DENIAL_REASON_WITHHELD);
  // The referrer recorded it and still sees it as sent.
  auto referrer = ViewReferral(harness_.state(), "r-clinic", As("city-mh"));
  ASSERT_TRUE(referrer.ok());
  EXPECT_EQ(referrer->sent_entries_size(), 1);
}

TEST_F(ReferralViewTest, UnansweredReferralsPastTheirDeadlineAreOverdue) {
  // r-clinic was answered; r-cgc (deadline day 5) and r-late (day 20) are not.
  harness_.Given("cw", Day(4), R"pb(
    make_referral {
      referral_id: "r-cgc"
      to_agency_id: "cgc"
      subject_ids: "daughter"
      reason: "advice"
      urgency: REFERRAL_URGENCY_PROMPT
      response_deadline { seconds: 1712394000 }  # day 5
      purpose: SHARING_PURPOSE_CHILD_PROTECTION
      categories: INFORMATION_CATEGORY_CHILD_REARING
      forum_id: "f-shien"
    })pb");
  harness_.Given("cw", Day(4), R"pb(
    make_referral {
      referral_id: "r-late"
      to_agency_id: "city-cfs"
      subject_ids: "son"
      reason: "nursery follow-up"
      urgency: REFERRAL_URGENCY_ROUTINE
      response_deadline { seconds: 1713690000 }  # day 20
      purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
      categories: INFORMATION_CATEGORY_CHILD_REARING
      forum_id: "f-shien"
    })pb");

  EXPECT_TRUE(OverdueReferrals(harness_.state(), Day(5)).empty());
  std::vector<v1::OverdueReferral> overdue =
      OverdueReferrals(harness_.state(), Day(6));
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].referral_id(), "r-cgc");
  EXPECT_EQ(overdue[0].to_agency_id(), "cgc");
  EXPECT_EQ(overdue[0].hours_overdue(), 24);

  overdue = OverdueReferrals(harness_.state(), Day(21));
  ASSERT_EQ(overdue.size(), 2u);
  EXPECT_EQ(overdue[1].referral_id(), "r-late");

  harness_.Given("cgc-worker", Day(22),
                 R"pb(accept_referral { referral_id: "r-cgc" })pb");
  overdue = OverdueReferrals(harness_.state(), Day(22));
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].referral_id(), "r-late");
  // As of day 21 (before the acceptance was recorded as happening), r-cgc
  // was still awaiting an answer: as_of is the state as of then.
  overdue = OverdueReferrals(harness_.state(), Day(21));
  ASSERT_EQ(overdue.size(), 2u);
  EXPECT_EQ(overdue[0].referral_id(), "r-cgc");
  // Before it was made, nothing of it.
  EXPECT_TRUE(OverdueReferrals(harness_.state(), Day(1)).empty());
}

}  // namespace
}  // namespace renkei::domain
