// Given/when/then tests of the referral lifecycle and its refusals.
#include "gtest/gtest.h"
#include "services/domain/case/decider.h"
#include "services/domain/case/sharing.h"
#include "services/domain/errors.h"
#include "services/domain/testing/fixtures.h"
#include "services/domain/testing/referral_case.h"

namespace renkei::domain {
namespace {

using testing::CaseHarness;
using testing::Day;
using testing::EventsEqual;
using testing::Expected;
using testing::kReferToClinic;
using testing::StoryDirectory;

class ReferralTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::PrepareReferralCase(harness_); }
  v1::ReferralStatus Status(absl::string_view id) const {
    return harness_.state().FindReferral(id)->status;
  }
  CaseHarness harness_{StoryDirectory()};
};

TEST_F(ReferralTest, AnInternalConsultationUnderTheShienKaigi) {
  const v1::CaseCommand command = harness_.Command("cw", Day(2), R"pb(
    make_referral {
      referral_id: "r-mh"
      to_agency_id: "city-mh"
      to_staff_id: "counsellor"
      subject_ids: "mother"
      reason: "alcohol on her breath; how to approach her?"
      urgency: REFERRAL_URGENCY_ROUTINE
      response_deadline { seconds: 1712394000 }  # day 5
      purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
      categories: INFORMATION_CATEGORY_MENTAL_HEALTH
      forum_id: "f-shien"
    })pb");
  EXPECT_TRUE(EventsEqual(
      Expected(
          command,
          {R"pb(
             referral_made {
               referral {
                 referral_id: "r-mh"
                 from_agency_id: "city-pa"
                 from_staff_id: "cw"
                 to_agency_id: "city-mh"
                 to_staff_id: "counsellor"
                 subject_ids: "mother"
                 reason: "alcohol on her breath; how to approach her?"
                 urgency: REFERRAL_URGENCY_ROUTINE
                 response_deadline { seconds: 1712394000 }
                 purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
                 categories: INFORMATION_CATEGORY_MENTAL_HEALTH
                 basis {
                   statutory_forum {
                     forum_id: "f-shien"
                     kind: FORUM_KIND_SHIEN_KAIGI
                     legal_basis: "Social Welfare Act art. 106-6 (支援会議)"
                   }
                 }
               }
             })pb"}),
      harness_.When(command)));
}

TEST_F(ReferralTest, AReferralUnderConsentSendsTheEntriesNamed) {
  const v1::CaseCommand command =
      harness_.Command("counsellor", Day(4), kReferToClinic);
  auto events = harness_.When(command);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  const v1::Referral& referral = (*events)[0].referral_made().referral();
  EXPECT_EQ(referral.from_agency_id(), "city-mh");
  EXPECT_EQ(referral.from_staff_id(), "counsellor");
  ASSERT_EQ(referral.sent_entries_size(), 1);
  EXPECT_EQ(referral.sent_entries(0).entry_id(), "e-assess");
  EXPECT_EQ(referral.sent_entries(0).entry_version(), 1u);
  EXPECT_EQ(referral.basis().consent().consent_ids(0), "k-clinic");

  harness_.Given("counsellor", Day(4), kReferToClinic);
  EXPECT_EQ(Status("r-clinic"), v1::REFERRAL_STATUS_MADE);
}

TEST_F(ReferralTest, AReferralWithoutABasisIsRefused) {
  const v1::CaseCommand command = harness_.Command("counsellor", Day(4), R"pb(
    make_referral {
      referral_id: "r-cso"
      to_agency_id: "cso"
      subject_ids: "mother"
      reason: "daily-life support"
      urgency: REFERRAL_URGENCY_ROUTINE
      response_deadline { seconds: 1712826000 }
      purpose: SHARING_PURPOSE_WELFARE_SERVICES
      categories: INFORMATION_CATEGORY_DAILY_LIFE
    })pb");
  auto result = harness_.When(command);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(result.status(),
            errors::SharingWithoutBasis(
                "referral 'r-cso'", "cso",
                "Agency 'cso' is not on the support team at that time."));
}

TEST_F(ReferralTest, SentEntriesMustFitTheReferralsCategoriesAndBeShareable) {
  v1::CaseCommand beyond =
      harness_.Command("counsellor", Day(4), kReferToClinic);
  beyond.mutable_make_referral()->clear_categories();
  beyond.mutable_make_referral()->add_categories(
      v1::INFORMATION_CATEGORY_HEALTH);
  EXPECT_EQ(
      harness_.When(beyond).status(),
      errors::InvalidField("entry_ids",
                           "entry 'e-assess' carries information beyond "
                           "the referral's categories (minimum necessary)."));

  harness_.Given("counsellor", Day(4), R"pb(
    record_entry {
      entry {
        entry_id: "e-secret"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        confidentiality { withheld_from_agency_ids: "clinic" reason: "r" }
        contact {
          channel: CONTACT_CHANNEL_PHONE
          counterpart_subject_ids: "mother"
          summary: "s"
        }
      }
    })pb");
  v1::CaseCommand withheld =
      harness_.Command("counsellor", Day(4), kReferToClinic);
  withheld.mutable_make_referral()->add_entry_ids("e-secret");
  EXPECT_EQ(harness_.When(withheld).status().code(),
            absl::StatusCode::kPermissionDenied);

  v1::CaseCommand unknown =
      harness_.Command("counsellor", Day(4), kReferToClinic);
  unknown.mutable_make_referral()->add_entry_ids("e-none");
  EXPECT_EQ(harness_.When(unknown).status(), errors::EntryNotFound("e-none"));
}

TEST_F(ReferralTest, MalformedReferralsAreInvalid) {
  auto with = [&](auto change) {
    v1::CaseCommand command =
        harness_.Command("counsellor", Day(4), kReferToClinic);
    change(*command.mutable_make_referral());
    return harness_.When(command).status();
  };
  EXPECT_EQ(with([](v1::MakeReferral& m) { m.clear_response_deadline(); }),
            errors::MissingField("response_deadline"));
  EXPECT_EQ(with([](v1::MakeReferral& m) {
              *m.mutable_response_deadline() = testing::Ts(Day(4));
            }),
            errors::InvalidField("response_deadline",
                                 "must be after the referral is made."));
  EXPECT_EQ(with([](v1::MakeReferral& m) {
              m.set_urgency(v1::REFERRAL_URGENCY_UNSPECIFIED);
            }),
            errors::InvalidEnum("urgency", 0));
  EXPECT_EQ(with([](v1::MakeReferral& m) { m.clear_reason(); }),
            errors::MissingField("reason"));
  EXPECT_EQ(with([](v1::MakeReferral& m) { m.clear_subject_ids(); }),
            errors::MissingField("subject_ids"));
  EXPECT_EQ(
      with([](v1::MakeReferral& m) { m.set_to_agency_id("city-mh"); }),
      errors::InvalidField("to_agency_id", "is the referring agency itself."));
  EXPECT_EQ(with([](v1::MakeReferral& m) { m.set_to_agency_id("nowhere"); }),
            errors::AgencyNotFound("nowhere"));
  EXPECT_EQ(with([](v1::MakeReferral& m) { m.set_to_staff_id("helper"); }),
            errors::StaffNotInAgency("helper", "clinic"));
  EXPECT_EQ(with([](v1::MakeReferral& m) {
              m.set_to_agency_id("city-pa");
              m.set_to_staff_id("former-cw");
            }),
            errors::StaffHasLeft("former-cw"));
  EXPECT_EQ(with([](v1::MakeReferral& m) { m.add_subject_ids("uncle"); }),
            errors::SubjectNotFound("uncle"));
}

TEST_F(ReferralTest, AReferralIdIsUsedOnce) {
  harness_.Given("counsellor", Day(4), kReferToClinic);
  EXPECT_EQ(harness_.When("counsellor", Day(4), kReferToClinic).status(),
            errors::ReferralAlreadyExists("r-clinic"));
}

TEST_F(ReferralTest, TheReceiverAcceptsOnce) {
  harness_.Given("counsellor", Day(4), kReferToClinic);
  const v1::CaseCommand accept = harness_.Command("clinic-doctor", Day(5), R"pb(
    accept_referral {
      referral_id: "r-clinic"
      assigned_staff_id: "clinic-doctor"
      note: "first visit on the 12th"
    })pb");
  EXPECT_TRUE(
      EventsEqual(Expected(accept, {R"pb(referral_accepted {
                                           referral_id: "r-clinic"
                                           assigned_staff_id: "clinic-doctor"
                                           note: "first visit on the 12th"
                                         })pb"}),
                  harness_.When(accept)));
  harness_.Given("clinic-doctor", Day(5),
                 R"pb(accept_referral { referral_id: "r-clinic" })pb");
  EXPECT_EQ(Status("r-clinic"), v1::REFERRAL_STATUS_ACCEPTED);
  EXPECT_EQ(harness_
                .When("clinic-doctor", Day(6),
                      R"pb(accept_referral { referral_id: "r-clinic" })pb")
                .status(),
            errors::InvalidReferralTransition(
                "r-clinic", v1::REFERRAL_STATUS_ACCEPTED, "accepted"));
}

TEST_F(ReferralTest, NoAcceptanceAfterADecline) {
  harness_.Given("counsellor", Day(4), kReferToClinic);
  harness_.Given("clinic-doctor", Day(5), R"pb(
    decline_referral {
      referral_id: "r-clinic"
      reason: "not taking new patients"
    })pb");
  EXPECT_EQ(Status("r-clinic"), v1::REFERRAL_STATUS_NOT_ACCEPTED);
  EXPECT_EQ(harness_
                .When("clinic-doctor", Day(6),
                      R"pb(accept_referral { referral_id: "r-clinic" })pb")
                .status(),
            errors::InvalidReferralTransition(
                "r-clinic", v1::REFERRAL_STATUS_NOT_ACCEPTED, "accepted"));
  EXPECT_EQ(harness_
                .When("clinic-doctor", Day(6), R"pb(
                  give_referral_feedback {
                    referral_id: "r-clinic"
                    feedback: "x"
                  })pb")
                .status(),
            errors::InvalidReferralTransition("r-clinic",
                                              v1::REFERRAL_STATUS_NOT_ACCEPTED,
                                              "given feedback"));
  EXPECT_EQ(harness_
                .When("clinic-doctor", Day(6),
                      R"pb(decline_referral { referral_id: "r-clinic" })pb")
                .status(),
            errors::MissingField("reason"));
}

TEST_F(ReferralTest, FeedbackFlowsAfterAcceptanceUntilClosed) {
  harness_.Given("counsellor", Day(4), kReferToClinic);
  EXPECT_EQ(harness_
                .When("clinic-doctor", Day(5), R"pb(
                  give_referral_feedback {
                    referral_id: "r-clinic"
                    feedback: "x"
                  })pb")
                .status(),
            errors::InvalidReferralTransition(
                "r-clinic", v1::REFERRAL_STATUS_MADE, "given feedback"));
  harness_.Given("clinic-doctor", Day(5),
                 R"pb(accept_referral { referral_id: "r-clinic" })pb");
  harness_.Given("clinic-doctor", Day(12), R"pb(
    give_referral_feedback {
      referral_id: "r-clinic"
      feedback: "outpatient treatment for depression and alcohol started"
    })pb");
  harness_.Given("clinic-doctor", Day(40), R"pb(
    give_referral_feedback {
      referral_id: "r-clinic"
      feedback: "attending weekly"
    })pb");
  const ReferralState* referral = harness_.state().FindReferral("r-clinic");
  ASSERT_EQ(referral->feedback.size(), 2u);
  EXPECT_EQ(referral->feedback[0].by_agency_id(), "clinic");
  EXPECT_EQ(referral->feedback[1].feedback(), "attending weekly");

  harness_.Given("counsellor", Day(60), R"pb(
    close_referral { referral_id: "r-clinic" outcome: "in treatment" })pb");
  EXPECT_EQ(Status("r-clinic"), v1::REFERRAL_STATUS_CLOSED);
  EXPECT_EQ(harness_
                .When("clinic-doctor", Day(61), R"pb(
                  give_referral_feedback {
                    referral_id: "r-clinic"
                    feedback: "x"
                  })pb")
                .status(),
            errors::InvalidReferralTransition(
                "r-clinic", v1::REFERRAL_STATUS_CLOSED, "given feedback"));
  EXPECT_EQ(
      harness_
          .When("counsellor", Day(61), R"pb(
            close_referral { referral_id: "r-clinic" outcome: "again" })pb")
          .status(),
      errors::InvalidReferralTransition("r-clinic", v1::REFERRAL_STATUS_CLOSED,
                                        "closed"));
}

TEST_F(ReferralTest, OnlyThePartiesMoveAReferral) {
  harness_.Given("counsellor", Day(4), kReferToClinic);
  EXPECT_EQ(harness_
                .When("cw", Day(5),
                      R"pb(accept_referral { referral_id: "r-clinic" })pb")
                .status(),
            errors::NotReferralReceiver("r-clinic", "city-pa"));
  EXPECT_EQ(harness_
                .When("clinic-doctor", Day(5), R"pb(
                  close_referral { referral_id: "r-clinic" outcome: "x" })pb")
                .status(),
            errors::NotReferrer("r-clinic", "clinic"));
  EXPECT_EQ(harness_
                .When("clinic-doctor", Day(5),
                      R"pb(accept_referral { referral_id: "r-none" })pb")
                .status(),
            errors::ReferralNotFound("r-none"));
  EXPECT_EQ(harness_
                .When("clinic-doctor", Day(5), R"pb(
                  accept_referral {
                    referral_id: "r-clinic"
                    assigned_staff_id: "nurse"
                  })pb")
                .status(),
            errors::StaffNotInAgency("nurse", "clinic"));
}

TEST_F(ReferralTest, AReceiverOutsideTheTeamCanAnswer) {
  harness_.Given("cw", Day(4), R"pb(
    make_referral {
      referral_id: "r-cgc"
      to_agency_id: "cgc"
      subject_ids: "daughter"
      subject_ids: "son"
      reason: "how to intervene for the children"
      urgency: REFERRAL_URGENCY_PROMPT
      response_deadline { seconds: 1712826000 }
      purpose: SHARING_PURPOSE_CHILD_PROTECTION
      categories: INFORMATION_CATEGORY_CHILD_REARING
      forum_id: "f-shien"
    })pb");
  EXPECT_FALSE(harness_.state().OnTeam("cgc"));
  harness_.Given("cgc-worker", Day(5),
                 R"pb(accept_referral { referral_id: "r-cgc" })pb");
  harness_.Given("cgc-worker", Day(6),
                 R"pb(
                   give_referral_feedback {
                     referral_id: "r-cgc"
                     feedback: "watch attendance"
                   })pb");
  EXPECT_EQ(harness_.state().FindReferral("r-cgc")->feedback.size(), 1u);
}

TEST_F(ReferralTest, AReferralCanBeReturnedAndThenClosed) {
  harness_.Given("counsellor", Day(4), kReferToClinic);
  harness_.Given("clinic-doctor", Day(5),
                 R"pb(accept_referral { referral_id: "r-clinic" })pb");
  harness_.Given("clinic-doctor", Day(6),
                 R"pb(
                   return_referral {
                     referral_id: "r-clinic"
                     reason: "needs inpatient care"
                   })pb");
  EXPECT_EQ(Status("r-clinic"), v1::REFERRAL_STATUS_RETURNED);
  EXPECT_EQ(harness_
                .When("clinic-doctor", Day(7), R"pb(
                  return_referral { referral_id: "r-clinic" reason: "x" })pb")
                .status(),
            errors::InvalidReferralTransition(
                "r-clinic", v1::REFERRAL_STATUS_RETURNED, "returned"));
  harness_.Given("counsellor", Day(7),
                 R"pb(
                   close_referral {
                     referral_id: "r-clinic"
                     outcome: "looking for a hospital"
                   })pb");
  const ReferralState* referral = harness_.state().FindReferral("r-clinic");
  ASSERT_EQ(referral->history.size(), 4u);
  EXPECT_EQ(referral->history[2].note(), "needs inpatient care");
  EXPECT_EQ(referral->history[3].status(), v1::REFERRAL_STATUS_CLOSED);
  EXPECT_EQ(referral->outcome, "looking for a hospital");
}

TEST_F(ReferralTest, ReferringOnMakesAnOnwardReferralFromTheReceiver) {
  harness_.Given("counsellor", Day(4), kReferToClinic);
  harness_.Given("clinic-doctor", Day(5),
                 R"pb(accept_referral { referral_id: "r-clinic" })pb");
  harness_.Given("clinic-doctor", Day(5), R"pb(
    add_team_agency {
      agency_id: "home-nursing"
      reason: "psychiatric home nursing"
    })pb");
  constexpr char kReferOn[] = R"pb(
    refer_referral_on {
      referral_id: "r-clinic"
      onward {
        referral_id: "r-nursing"
        to_agency_id: "home-nursing"
        subject_ids: "mother"
        reason: "psychiatric home-visit nursing"
        urgency: REFERRAL_URGENCY_ROUTINE
        response_deadline { seconds: 1713690000 }  # day 20
        purpose: SHARING_PURPOSE_MEDICAL_CARE
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
      }
    })pb";
  const v1::CaseCommand command =
      harness_.Command("clinic-doctor", Day(8), kReferOn);
  EXPECT_TRUE(EventsEqual(
      Expected(command, {R"pb(referral_referred_on {
                                referral_id: "r-clinic"
                                onward_referral_id: "r-nursing"
                                to_agency_id: "home-nursing"
                                reason: "psychiatric home-visit nursing"
                              })pb",
                         R"pb(referral_made {
                                referral {
                                  referral_id: "r-nursing"
                                  from_agency_id: "clinic"
                                  from_staff_id: "clinic-doctor"
                                  to_agency_id: "home-nursing"
                                  subject_ids: "mother"
                                  reason: "psychiatric home-visit nursing"
                                  urgency: REFERRAL_URGENCY_ROUTINE
                                  response_deadline { seconds: 1713690000 }
                                  purpose: SHARING_PURPOSE_MEDICAL_CARE
                                  categories: INFORMATION_CATEGORY_MENTAL_HEALTH
                                  basis { consent { consent_ids: "k-clinic" } }
                                  parent_referral_id: "r-clinic"
                                }
                              })pb"}),
      harness_.When(command)));
  harness_.Given("clinic-doctor", Day(8), kReferOn);
  EXPECT_EQ(Status("r-clinic"), v1::REFERRAL_STATUS_REFERRED_ON);
  EXPECT_EQ(Status("r-nursing"), v1::REFERRAL_STATUS_MADE);
  harness_.Given("clinic-doctor", Day(9), R"pb(
    give_referral_feedback {
      referral_id: "r-clinic"
      feedback: "home nursing arranged"
    })pb");
  EXPECT_EQ(harness_.When("clinic-doctor", Day(9), kReferOn).status(),
            errors::InvalidReferralTransition(
                "r-clinic", v1::REFERRAL_STATUS_REFERRED_ON, "referred on"));
}

TEST_F(ReferralTest, AClosedCaseTakesNoReferralSteps) {
  harness_.Given("counsellor", Day(4), kReferToClinic);
  harness_.Given("cw", Day(5), R"pb(close_case { reason: "moved" })pb");
  EXPECT_EQ(harness_
                .When("clinic-doctor", Day(6),
                      R"pb(accept_referral { referral_id: "r-clinic" })pb")
                .status(),
            errors::CaseClosed("c1"));
}

}  // namespace
}  // namespace renkei::domain
