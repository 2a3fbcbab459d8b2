// Given/when/then tests of consent: given, refused, withdrawn, superseded.
#include "gtest/gtest.h"
#include "services/domain/case/decider.h"
#include "services/domain/errors.h"
#include "services/domain/testing/fixtures.h"

namespace renkei::domain {
namespace {

using testing::CaseHarness;
using testing::Day;
using testing::EventsEqual;
using testing::Expected;
using testing::StoryDirectory;
using testing::Ts;

constexpr char kRefusal[] = R"pb(
  refuse_consent {
    terms {
      consent_id: "k-refused"
      subject_id: "mother"
      decided_by_subject_id: "mother"
      scope {
        agency_ids: "city-mh"
        agency_ids: "city-cfs"
        purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
      }
      form: CONSENT_FORM_VERBAL
      statement: "私は大丈夫です"
    }
  })pb";

constexpr char kHealthCentreConsent[] = R"pb(
  give_consent {
    terms {
      consent_id: "k-hc"
      subject_id: "mother"
      decided_by_subject_id: "mother"
      scope {
        agency_ids: "health-centre"
        purposes: SHARING_PURPOSE_HEALTH_CONSULTATION
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
      }
      form: CONSENT_FORM_VERBAL
    }
  })pb";

class ConsentTest : public ::testing::Test {
 protected:
  void SetUp() override { harness_.OpenStandardCase(); }
  CaseHarness harness_{StoryDirectory()};
};

TEST_F(ConsentTest, ARefusalIsRecordedAsAFactTheTeamSees) {
  const v1::CaseCommand command =
      harness_.Command("counsellor", Day(4), kRefusal);
  EXPECT_TRUE(EventsEqual(
      Expected(command, {R"pb(
                           consent_refused {
                             terms {
                               consent_id: "k-refused"
                               subject_id: "mother"
                               decided_by_subject_id: "mother"
                               scope {
                                 agency_ids: "city-mh"
                                 agency_ids: "city-cfs"
                                 purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
                                 categories: INFORMATION_CATEGORY_MENTAL_HEALTH
                               }
                               form: CONSENT_FORM_VERBAL
                               valid_from { seconds: 1712307600 }
                               statement: "私は大丈夫です"
                             }
                           })pb"}),
      harness_.When(command)));
  harness_.Given("counsellor", Day(4), kRefusal);
  const ConsentState* refusal = harness_.state().FindConsent("k-refused");
  ASSERT_NE(refusal, nullptr);
  EXPECT_EQ(refusal->decision, ConsentDecision::kRefused);
  EXPECT_TRUE(refusal->RefusalStandingAt(Day(5)));
  EXPECT_FALSE(refusal->InForceAt(Day(5)));
  EXPECT_EQ(harness_.state().timeline.back().event_type,
            "renkei.v1.ConsentRefused");
}

TEST_F(ConsentTest, GivenConsentIsInForceFromItsStart) {
  harness_.Given("cw", Day(7), kHealthCentreConsent);
  const ConsentState* consent = harness_.state().FindConsent("k-hc");
  ASSERT_NE(consent, nullptr);
  EXPECT_EQ(consent->decision, ConsentDecision::kGiven);
  EXPECT_FALSE(consent->InForceAt(Day(6)));
  EXPECT_TRUE(consent->InForceAt(Day(7)));
  EXPECT_TRUE(consent->InForceAt(Day(300)));
}

TEST_F(ConsentTest, ConsentForAPeriodLapses) {
  harness_.Given("cw", Day(7), R"pb(
    give_consent {
      terms {
        consent_id: "k"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "health-centre"
          purposes: SHARING_PURPOSE_HEALTH_CONSULTATION
          categories: INFORMATION_CATEGORY_HEALTH
        }
        form: CONSENT_FORM_WRITTEN
        valid_from { seconds: 1712653200 }   # day 8
        valid_until { seconds: 1713517200 }  # day 18
      }
    })pb");
  const ConsentState* consent = harness_.state().FindConsent("k");
  EXPECT_FALSE(consent->InForceAt(Day(7)));
  EXPECT_TRUE(consent->InForceAt(Day(8)));
  EXPECT_TRUE(consent->InForceAt(Day(17)));
  EXPECT_FALSE(consent->InForceAt(Day(18)));
}

TEST_F(ConsentTest, AGuardianDecidesForAChild) {
  harness_.Given("support-worker", Day(6), R"pb(
    give_consent {
      terms {
        consent_id: "k-daughter"
        subject_id: "daughter"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "jhs"
          purposes: SHARING_PURPOSE_EDUCATION
          categories: INFORMATION_CATEGORY_EDUCATION
        }
        form: CONSENT_FORM_WRITTEN
      }
    })pb");
  EXPECT_EQ(
      harness_.state().FindConsent("k-daughter")->terms.decided_by_subject_id(),
      "mother");
}

TEST_F(ConsentTest, OnlyTheSubjectOrTheirGuardianDecides) {
  EXPECT_EQ(harness_
                .When("cw", Day(6), R"pb(
                  give_consent {
                    terms {
                      consent_id: "k"
                      subject_id: "mother"
                      decided_by_subject_id: "daughter"
                      scope {
                        agency_ids: "jhs"
                        purposes: SHARING_PURPOSE_EDUCATION
                        categories: INFORMATION_CATEGORY_EDUCATION
                      }
                      form: CONSENT_FORM_VERBAL
                    }
                  })pb")
                .status(),
            errors::NotGuardian("daughter", "mother"));
  EXPECT_EQ(harness_
                .When("cw", Day(6), R"pb(
                  give_consent {
                    terms {
                      consent_id: "k"
                      subject_id: "son"
                      decided_by_subject_id: "grandmother"
                      scope {
                        agency_ids: "nursery"
                        purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
                        categories: INFORMATION_CATEGORY_CHILD_REARING
                      }
                      form: CONSENT_FORM_VERBAL
                    }
                  })pb")
                .status(),
            errors::ConsentByNonMember("grandmother"));
  EXPECT_EQ(harness_
                .When("cw", Day(6), R"pb(
                  give_consent {
                    terms {
                      consent_id: "k"
                      subject_id: "neighbour"
                      decided_by_subject_id: "neighbour"
                      scope {
                        agency_ids: "nursery"
                        purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
                        categories: INFORMATION_CATEGORY_CHILD_REARING
                      }
                      form: CONSENT_FORM_VERBAL
                    }
                  })pb")
                .status(),
            errors::SubjectNotFound("neighbour"));
}

TEST_F(ConsentTest, MalformedConsentIsInvalid) {
  EXPECT_EQ(harness_
                .When("cw", Day(6), R"pb(
                  give_consent {
                    terms {
                      consent_id: "k"
                      subject_id: "mother"
                      decided_by_subject_id: "mother"
                      scope {
                        agency_ids: "jhs"
                        purposes: SHARING_PURPOSE_EDUCATION
                        categories: INFORMATION_CATEGORY_EDUCATION
                      }
                    }
                  })pb")
                .status(),
            errors::InvalidEnum("terms.form", 0));
  EXPECT_EQ(harness_
                .When("cw", Day(6), R"pb(
                  give_consent {
                    terms {
                      consent_id: "k"
                      subject_id: "mother"
                      decided_by_subject_id: "mother"
                      scope {
                        agency_ids: "jhs"
                        categories: INFORMATION_CATEGORY_EDUCATION
                      }
                      form: CONSENT_FORM_VERBAL
                    }
                  })pb")
                .status(),
            errors::MissingField("terms.scope.purposes"));
  v1::CaseCommand backdated =
      harness_.Command("cw", Day(6), kHealthCentreConsent);
  *backdated.mutable_give_consent()->mutable_terms()->mutable_valid_from() =
      Ts(Day(5));
  EXPECT_EQ(harness_.When(backdated).status(),
            errors::InvalidField("terms.valid_from",
                                 "cannot be before the consent was decided."));
  v1::CaseCommand inverted =
      harness_.Command("cw", Day(6), kHealthCentreConsent);
  *inverted.mutable_give_consent()->mutable_terms()->mutable_valid_until() =
      Ts(Day(6));
  EXPECT_EQ(harness_.When(inverted).status(),
            errors::InvalidField("terms.valid_until",
                                 "must be after the start of the consent."));
}

TEST_F(ConsentTest, ScopeNamesKnownAgenciesAndIdsAreUnique) {
  v1::CaseCommand command =
      harness_.Command("cw", Day(6), kHealthCentreConsent);
  command.mutable_give_consent()
      ->mutable_terms()
      ->mutable_scope()
      ->add_agency_ids("nowhere");
  EXPECT_EQ(harness_.When(command).status(), errors::AgencyNotFound("nowhere"));
  harness_.Given("cw", Day(6), kHealthCentreConsent);
  EXPECT_EQ(harness_.When("cw", Day(7), kHealthCentreConsent).status(),
            errors::ConsentAlreadyExists("k-hc"));
}

TEST_F(ConsentTest, ANewConsentSupersedesTheOldOneWithoutEditingIt) {
  harness_.Given("counsellor", Day(4), kRefusal);
  harness_.Given("counsellor", Day(7), R"pb(
    give_consent {
      terms {
        consent_id: "k-agreed"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "city-mh"
          agency_ids: "city-cfs"
          purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        }
        form: CONSENT_FORM_VERBAL
        supersedes_consent_id: "k-refused"
      }
    })pb");
  const ConsentState* refusal = harness_.state().FindConsent("k-refused");
  EXPECT_EQ(refusal->superseded_by, "k-agreed");
  EXPECT_TRUE(refusal->RefusalStandingAt(Day(6)));
  EXPECT_FALSE(refusal->RefusalStandingAt(Day(7)));
  EXPECT_EQ(refusal->terms.statement(), "私は大丈夫です");
  EXPECT_EQ(harness_.state().consent_order,
            (std::vector<std::string>{"k-refused", "k-agreed"}));

  EXPECT_EQ(harness_
                .When("counsellor", Day(8), R"pb(
                  give_consent {
                    terms {
                      consent_id: "k-again"
                      subject_id: "mother"
                      decided_by_subject_id: "mother"
                      scope {
                        agency_ids: "city-mh"
                        purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
                        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
                      }
                      form: CONSENT_FORM_VERBAL
                      supersedes_consent_id: "k-refused"
                    }
                  })pb")
                .status(),
            errors::ConsentNotCurrent("k-refused"));
}

TEST_F(ConsentTest, SupersedingNeedsAKnownRecordOfTheSameSubject) {
  harness_.Given("cw", Day(6), kHealthCentreConsent);
  EXPECT_EQ(harness_
                .When("cw", Day(7), R"pb(
                  give_consent {
                    terms {
                      consent_id: "k2"
                      subject_id: "daughter"
                      decided_by_subject_id: "mother"
                      scope {
                        agency_ids: "jhs"
                        purposes: SHARING_PURPOSE_EDUCATION
                        categories: INFORMATION_CATEGORY_EDUCATION
                      }
                      form: CONSENT_FORM_VERBAL
                      supersedes_consent_id: "k-hc"
                    }
                  })pb")
                .status(),
            errors::ConsentOfAnotherSubject("k-hc", "daughter"));
  EXPECT_EQ(harness_
                .When("cw", Day(7), R"pb(
                  refuse_consent {
                    terms {
                      consent_id: "k2"
                      subject_id: "mother"
                      decided_by_subject_id: "mother"
                      scope {
                        agency_ids: "jhs"
                        purposes: SHARING_PURPOSE_EDUCATION
                        categories: INFORMATION_CATEGORY_EDUCATION
                      }
                      form: CONSENT_FORM_VERBAL
                      supersedes_consent_id: "k-none"
                    }
                  })pb")
                .status(),
            errors::ConsentNotFound("k-none"));
}

TEST_F(ConsentTest, ARefusalCanSupersedeAConsent) {
  harness_.Given("cw", Day(6), kHealthCentreConsent);
  harness_.Given("cw", Day(9), R"pb(
    refuse_consent {
      terms {
        consent_id: "k-no-more"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "health-centre"
          purposes: SHARING_PURPOSE_HEALTH_CONSULTATION
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        }
        form: CONSENT_FORM_VERBAL
        statement: "もう行きません"
        supersedes_consent_id: "k-hc"
      }
    })pb");
  const ConsentState* consent = harness_.state().FindConsent("k-hc");
  EXPECT_TRUE(consent->InForceAt(Day(8)));
  EXPECT_FALSE(consent->InForceAt(Day(9)));
}

TEST_F(ConsentTest, WithdrawalEndsAConsentFromThatMoment) {
  harness_.Given("cw", Day(6), kHealthCentreConsent);
  const v1::CaseCommand withdraw = harness_.Command("cw", Day(12), R"pb(
    withdraw_consent {
      consent_id: "k-hc"
      decided_by_subject_id: "mother"
      reason: "she no longer wants the health centre involved"
    })pb");
  EXPECT_TRUE(EventsEqual(
      Expected(withdraw,
               {R"pb(consent_withdrawn {
                       consent_id: "k-hc"
                       decided_by_subject_id: "mother"
                       reason: "she no longer wants the health centre involved"
                     })pb"}),
      harness_.When(withdraw)));
  harness_.Given("cw", Day(12), R"pb(
    withdraw_consent {
      consent_id: "k-hc"
      decided_by_subject_id: "mother"
      reason: "she no longer wants the health centre involved"
    })pb");
  const ConsentState* consent = harness_.state().FindConsent("k-hc");
  EXPECT_TRUE(consent->InForceAt(Day(11)));
  EXPECT_FALSE(consent->InForceAt(Day(12)));
  EXPECT_EQ(harness_
                .When("cw", Day(13), R"pb(
                  withdraw_consent {
                    consent_id: "k-hc"
                    decided_by_subject_id: "mother"
                    reason: "again"
                  })pb")
                .status(),
            errors::ConsentNotCurrent("k-hc"));
}

TEST_F(ConsentTest, WithdrawalRefusals) {
  harness_.Given("counsellor", Day(4), kRefusal);
  harness_.Given("cw", Day(6), kHealthCentreConsent);
  EXPECT_EQ(harness_
                .When("cw", Day(7), R"pb(
                  withdraw_consent {
                    consent_id: "k-refused"
                    decided_by_subject_id: "mother"
                    reason: "x"
                  })pb")
                .status(),
            errors::CannotWithdrawRefusal("k-refused"));
  EXPECT_EQ(harness_
                .When("cw", Day(7), R"pb(
                  withdraw_consent {
                    consent_id: "k-none"
                    decided_by_subject_id: "mother"
                    reason: "x"
                  })pb")
                .status(),
            errors::ConsentNotFound("k-none"));
  EXPECT_EQ(harness_
                .When("cw", Day(7), R"pb(
                  withdraw_consent {
                    consent_id: "k-hc"
                    decided_by_subject_id: "son"
                    reason: "x"
                  })pb")
                .status(),
            errors::NotGuardian("son", "mother"));
  EXPECT_EQ(harness_
                .When("cw", Day(7), R"pb(
                  withdraw_consent {
                    consent_id: "k-hc"
                    decided_by_subject_id: "stranger"
                    reason: "x"
                  })pb")
                .status(),
            errors::ConsentByNonMember("stranger"));
}

TEST_F(ConsentTest, ConsentIsRecordedOnlyByTheTeamOnAnOpenCase) {
  EXPECT_EQ(harness_.When("teacher", Day(6), kHealthCentreConsent).status(),
            errors::ActorNotOnTeam("jhs"));
  harness_.Given("cw", Day(10), R"pb(close_case { reason: "x" })pb");
  EXPECT_EQ(harness_.When("cw", Day(11), kHealthCentreConsent).status(),
            errors::CaseClosed("c1"));
}

}  // namespace
}  // namespace renkei::domain
