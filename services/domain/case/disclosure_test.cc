// Tests of telling household members about entries: the disclosure decision
// (MayDiscloseToSubject with the case), consents and refusals naming persons,
// and the RecordSubjectDisclosure command, as given events / when command /
// then events or error.
#include "gtest/gtest.h"
#include "services/domain/case/decider.h"
#include "services/domain/case/sharing.h"
#include "services/domain/errors.h"
#include "services/domain/testing/fixtures.h"

namespace renkei::domain {
namespace {

using testing::CaseHarness;
using testing::Day;
using testing::EventsEqual;
using testing::Expected;
using testing::Parse;
using testing::ProtoEquals;
using testing::StoryDirectory;

class DisclosureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    harness_.OpenStandardCase();
    // The children's father (living apart), the mother's partner, and a
    // younger child of the mother and the father.
    harness_.Given("cw", Day(0), R"pb(
      add_subject {
        subject {
          subject_id: "father"
          display_name: "父"
          relationship: RELATIONSHIP_OTHER_RELATIVE
        }
      })pb");
    harness_.Given("cw", Day(0), R"pb(
      add_subject {
        subject {
          subject_id: "partner"
          display_name: "同居人"
          relationship: RELATIONSHIP_NON_RELATIVE
        }
      })pb");
    harness_.Given("cw", Day(0), R"pb(
      add_subject {
        subject {
          subject_id: "younger"
          display_name: "次男"
          relationship: RELATIONSHIP_CHILD
          guardian_subject_ids: "mother"
          guardian_subject_ids: "father"
        }
      })pb");
    // What the nursery saw: about the son (recorded by the caseworker).
    harness_.Given("cw", Day(1), R"pb(
      record_entry {
        entry {
          entry_id: "e-nursery"
          subject_ids: "son"
          categories: INFORMATION_CATEGORY_CHILD_REARING
          information_received {
            source_agency_id: "nursery"
            content: "late most mornings, dirty clothes"
          }
        }
      })pb");
    // The daughter's statement, withheld from the mother.
    harness_.Given("cw", Day(1), R"pb(
      record_entry {
        entry {
          entry_id: "e-statement"
          subject_ids: "daughter"
          subject_ids: "mother"
          categories: INFORMATION_CATEGORY_CHILD_REARING
          confidentiality {
            withheld_from_subject_ids: "mother"
            reason: "the daughter asked that her mother not be told"
          }
          information_received {
            source_agency_id: "jhs"
            content: "the mother drinks from the morning"
          }
        }
      })pb");
    // About the mother only.
    harness_.Given("cw", Day(1), R"pb(
      record_entry {
        entry {
          entry_id: "e-mother"
          subject_ids: "mother"
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
          information_received {
            source_agency_id: "health-centre"
            content: "depression and alcohol"
          }
        }
      })pb");
    // About the younger child.
    harness_.Given("cw", Day(1), R"pb(
      record_entry {
        entry {
          entry_id: "e-younger"
          subject_ids: "younger"
          categories: INFORMATION_CATEGORY_CHILD_REARING
          information_received {
            source_agency_id: "nursery"
            content: "health check missed"
          }
        }
      })pb");
  }

  v1::SharingDecision Decide(absl::string_view entry, absl::string_view person,
                             absl::Time at) const {
    return MayDiscloseToSubject(harness_.state(),
                                *harness_.state().FindEntry(entry), person, at);
  }

  CaseHarness harness_{StoryDirectory()};
};

// ---- The decision -----------------------------------------------------------

TEST_F(DisclosureTest, AnEntryWithheldFromThePersonIsNeverDisclosedToThem) {
  const v1::SharingDecision decision = Decide("e-statement", "mother", Day(2));
  EXPECT_FALSE(decision.allowed());
  EXPECT_EQ(decision.denial_reason(), v1::SHARING_DENIAL_REASON_WITHHELD);
  EXPECT_EQ(decision.explanation().find("drinks"), std::string::npos);
}

TEST_F(DisclosureTest, AnEntryAboutThePersonOnlyIsSubjectAccess) {
  const v1::SharingDecision decision = Decide("e-mother", "mother", Day(2));
  ASSERT_TRUE(decision.allowed()) << decision.explanation();
  EXPECT_TRUE(ProtoEquals(
      Parse<v1::SharingBasis>(R"pb(subject_access { subject_id: "mother" })pb"),
      decision.basis()));
}

TEST_F(DisclosureTest, AChildsEntryMayBeToldToTheGuardian) {
  const v1::SharingDecision decision = Decide("e-nursery", "mother", Day(2));
  ASSERT_TRUE(decision.allowed()) << decision.explanation();
  EXPECT_TRUE(ProtoEquals(Parse<v1::SharingBasis>(R"pb(
                            household_disclosure {
                              subject_id: "mother"
                              guardian_of_subject_ids: "son"
                            })pb"),
                          decision.basis()));
  // The daughter is not the son's guardian.
  EXPECT_EQ(Decide("e-nursery", "daughter", Day(2)).denial_reason(),
            v1::SHARING_DENIAL_REASON_NO_PERSON_CONSENT);
}

TEST_F(DisclosureTest, AnEntryAboutAnotherAdultNeedsTheirConsent) {
  const v1::SharingDecision decision = Decide("e-mother", "partner", Day(2));
  EXPECT_FALSE(decision.allowed());
  EXPECT_EQ(decision.denial_reason(),
            v1::SHARING_DENIAL_REASON_NO_PERSON_CONSENT);
  EXPECT_EQ(decision.explanation().find("depression"), std::string::npos);
}

TEST_F(DisclosureTest, AConsentNamingThePartnerAllowsTellingThemFromItsStart) {
  harness_.Given("cw", Day(3), R"pb(
    give_consent {
      terms {
        consent_id: "k-partner"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          person_subject_ids: "partner"
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  const v1::SharingDecision decision = Decide("e-mother", "partner", Day(4));
  ASSERT_TRUE(decision.allowed()) << decision.explanation();
  EXPECT_TRUE(ProtoEquals(Parse<v1::SharingBasis>(R"pb(
                            household_disclosure {
                              subject_id: "partner"
                              consent_ids: "k-partner"
                            })pb"),
                          decision.basis()));
  EXPECT_FALSE(Decide("e-mother", "partner", Day(2)).allowed());
  // It names the partner, not the father.
  EXPECT_EQ(Decide("e-mother", "father", Day(4)).denial_reason(),
            v1::SHARING_DENIAL_REASON_NO_PERSON_CONSENT);
}

TEST_F(DisclosureTest, AConsentForOtherCategoriesDoesNotCover) {
  harness_.Given("cw", Day(3), R"pb(
    give_consent {
      terms {
        consent_id: "k-partner"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          person_subject_ids: "partner"
          categories: INFORMATION_CATEGORY_FINANCES
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  EXPECT_EQ(Decide("e-mother", "partner", Day(4)).denial_reason(),
            v1::SHARING_DENIAL_REASON_NO_PERSON_CONSENT);
}

TEST_F(DisclosureTest, ARefusalNamingTheFatherDeniesEvenAGuardian) {
  ASSERT_TRUE(Decide("e-younger", "father", Day(2)).allowed());
  harness_.Given("cw", Day(3), R"pb(
    refuse_consent {
      terms {
        consent_id: "r-father"
        subject_id: "younger"
        decided_by_subject_id: "mother"
        scope {
          person_subject_ids: "father"
          categories: INFORMATION_CATEGORY_CHILD_REARING
        }
        form: CONSENT_FORM_VERBAL
        statement: "not his side"
      }
    })pb");
  const v1::SharingDecision decision = Decide("e-younger", "father", Day(4));
  EXPECT_FALSE(decision.allowed());
  EXPECT_EQ(decision.denial_reason(), v1::SHARING_DENIAL_REASON_REFUSED_PERSON);
  EXPECT_NE(decision.explanation().find("r-father"), std::string::npos);
  // The refusal's words are content: never quoted.
  EXPECT_EQ(decision.explanation().find("not his side"), std::string::npos);
  // The mother, the other guardian, may still be told.
  EXPECT_TRUE(Decide("e-younger", "mother", Day(4)).allowed());
}

TEST_F(DisclosureTest, ARetractedEntryIsNotDisclosed) {
  harness_.Given("cw", Day(2), R"pb(
    retract_entry { entry_id: "e-mother" reason: "wrong household" })pb");
  EXPECT_EQ(Decide("e-mother", "mother", Day(3)).denial_reason(),
            v1::SHARING_DENIAL_REASON_RETRACTED);
}

TEST_F(DisclosureTest, APersonOutsideTheHouseholdIsUnknown) {
  EXPECT_EQ(Decide("e-mother", "neighbour", Day(2)).denial_reason(),
            v1::SHARING_DENIAL_REASON_UNKNOWN_RECIPIENT);
}

// ---- Consents and refusals naming persons -----------------------------------

TEST_F(DisclosureTest, AScopeNamingOnlyPersonsNeedsNoAgencyOrPurpose) {
  const auto command = harness_.Command("cw", Day(3), R"pb(
    give_consent {
      terms {
        consent_id: "k-partner"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          person_subject_ids: "partner"
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  auto events = harness_.When(command);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].consent_given().terms().scope().person_subject_ids(0),
            "partner");
}

TEST_F(DisclosureTest, AScopeNamingNobodyIsRefused) {
  auto events = harness_.When("cw", Day(3), R"pb(
    give_consent {
      terms {
        consent_id: "k-none"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope { categories: INFORMATION_CATEGORY_MENTAL_HEALTH }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  EXPECT_EQ(events.status(), errors::MissingField("terms.scope.agency_ids"));
}

TEST_F(DisclosureTest, AScopeWithAgenciesStillNeedsPurposes) {
  auto events = harness_.When("cw", Day(3), R"pb(
    give_consent {
      terms {
        consent_id: "k-hc"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "health-centre"
          person_subject_ids: "partner"
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  EXPECT_EQ(events.status(), errors::MissingField("terms.scope.purposes"));
}

TEST_F(DisclosureTest, AScopeMustNameOtherHouseholdMembers) {
  auto unknown = harness_.When("cw", Day(3), R"pb(
    give_consent {
      terms {
        consent_id: "k-x"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          person_subject_ids: "neighbour"
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  EXPECT_EQ(unknown.status(), errors::SubjectNotFound("neighbour"));

  auto itself = harness_.When("cw", Day(3), R"pb(
    refuse_consent {
      terms {
        consent_id: "r-x"
        subject_id: "younger"
        decided_by_subject_id: "mother"
        scope {
          person_subject_ids: "mother"
          categories: INFORMATION_CATEGORY_CHILD_REARING
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  EXPECT_EQ(itself.status(), errors::ScopeNamesDecidingSubject("mother"));

  auto subject = harness_.When("cw", Day(3), R"pb(
    give_consent {
      terms {
        consent_id: "k-x"
        subject_id: "younger"
        decided_by_subject_id: "mother"
        scope {
          person_subject_ids: "younger"
          categories: INFORMATION_CATEGORY_CHILD_REARING
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  EXPECT_EQ(subject.status(), errors::ScopeNamesDecidingSubject("younger"));

  auto malformed = harness_.When("cw", Day(3), R"pb(
    give_consent {
      terms {
        consent_id: "k-x"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          person_subject_ids: "the partner"
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
}

// ---- RecordSubjectDisclosure ------------------------------------------------

TEST_F(DisclosureTest, TellingTheMotherWhatTheNurserySawIsRecorded) {
  const auto command = harness_.Command("cw", Day(2), R"pb(
    record_subject_disclosure {
      disclosure_id: "d1"
      subject_id: "mother"
      entry_ids: "e-nursery"
      entry_ids: "e-mother"
      summary: "the nursery was worried"
      channel: DISCLOSURE_CHANNEL_HOME_VISIT
    })pb");
  EXPECT_TRUE(EventsEqual(
      Expected(command, {R"pb(
                           subject_disclosure_recorded {
                             disclosure_id: "d1"
                             subject_id: "mother"
                             items {
                               entry_id: "e-nursery"
                               entry_version: 1
                               basis {
                                 household_disclosure {
                                   subject_id: "mother"
                                   guardian_of_subject_ids: "son"
                                 }
                               }
                             }
                             items {
                               entry_id: "e-mother"
                               entry_version: 1
                               basis { subject_access { subject_id: "mother" } }
                             }
                             summary: "the nursery was worried"
                             channel: DISCLOSURE_CHANNEL_HOME_VISIT
                           })pb"}),
      harness_.When(command)));
  harness_.Given("cw", Day(2), R"pb(
    record_subject_disclosure {
      disclosure_id: "d1"
      subject_id: "mother"
      entry_ids: "e-nursery"
      summary: "the nursery was worried about the mornings"
    })pb");
  ASSERT_EQ(harness_.state().subject_disclosures.size(), 1u);
  const SubjectDisclosure& told = harness_.state().subject_disclosures[0];
  EXPECT_EQ(told.recorded.subject_id(), "mother");
  EXPECT_EQ(told.actor.staff_id(), "cw");
  EXPECT_EQ(told.at, Day(2));
  EXPECT_EQ(harness_.state().timeline.back().event_type,
            "renkei.v1.SubjectDisclosureRecorded");
  EXPECT_EQ(harness_.state().timeline.back().ref_id, "mother");
  // The same id again.
  EXPECT_EQ(harness_
                .When("cw", Day(3), R"pb(
                  record_subject_disclosure {
                    disclosure_id: "d1"
                    subject_id: "mother"
                    entry_ids: "e-mother"
                    summary: "again"
                  })pb")
                .status(),
            errors::DisclosureAlreadyExists("d1"));
}

TEST_F(DisclosureTest, TellingTheMotherAWithheldEntryIsRefused) {
  auto events = harness_.When("cw", Day(2), R"pb(
    record_subject_disclosure {
      disclosure_id: "d1"
      subject_id: "mother"
      entry_ids: "e-nursery"
      entry_ids: "e-statement"
      summary: "what the school said"
    })pb");
  ASSERT_EQ(events.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(events.status().message().find("e-statement"), std::string::npos);
  EXPECT_NE(events.status().message().find("WITHHELD"), std::string::npos);
  EXPECT_EQ(events.status().message().find("drinks"), std::string::npos);
}

TEST_F(DisclosureTest, TellingTheFatherAgainstARefusalIsRefused) {
  harness_.Given("cw", Day(2), R"pb(
    refuse_consent {
      terms {
        consent_id: "r-father"
        subject_id: "younger"
        decided_by_subject_id: "mother"
        scope {
          person_subject_ids: "father"
          categories: INFORMATION_CATEGORY_CHILD_REARING
        }
        form: CONSENT_FORM_WRITTEN
        statement: "not his side"
      }
    })pb");
  auto events = harness_.When("cw", Day(3), R"pb(
    record_subject_disclosure {
      disclosure_id: "d1"
      subject_id: "father"
      entry_ids: "e-younger"
      summary: "the missed health check"
    })pb");
  ASSERT_EQ(events.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(events.status().message().find("REFUSED_PERSON"),
            std::string::npos);
  EXPECT_EQ(events.status().message().find("not his side"), std::string::npos);
}

TEST_F(DisclosureTest, TellingThePartnerWithTheMothersConsentIsRecorded) {
  harness_.Given("cw", Day(2), R"pb(
    give_consent {
      terms {
        consent_id: "k-partner"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          person_subject_ids: "partner"
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  auto events = harness_.When("cw", Day(3), R"pb(
    record_subject_disclosure {
      disclosure_id: "d1"
      subject_id: "partner"
      entry_ids: "e-mother"
      summary: "she will see the clinic"
      channel: DISCLOSURE_CHANNEL_IN_PERSON
    })pb");
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_TRUE(
      ProtoEquals(Parse<v1::SharingBasis>(R"pb(household_disclosure {
                                                 subject_id: "partner"
                                                 consent_ids: "k-partner"
                                               })pb"),
                  (*events)[0].subject_disclosure_recorded().items(0).basis()));
}

TEST_F(DisclosureTest, AnActorThatMayNotSeeTheEntryCannotTellAboutIt) {
  // city-mh is on the team but recorded none of it and has no consent.
  auto events = harness_.When("counsellor", Day(2), R"pb(
    record_subject_disclosure {
      disclosure_id: "d1"
      subject_id: "mother"
      entry_ids: "e-nursery"
      summary: "the nursery was worried"
    })pb");
  ASSERT_EQ(events.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(events.status(),
            errors::DisclosureOfUnseenEntry(
                "e-nursery", "city-mh", "SHARING_DENIAL_REASON_NO_CONSENT"));
}

TEST_F(DisclosureTest, AnActorOffTheTeamIsRefused) {
  auto events = harness_.When("nurse", Day(2), R"pb(
    record_subject_disclosure {
      disclosure_id: "d1"
      subject_id: "mother"
      entry_ids: "e-mother"
      summary: "x"
    })pb");
  EXPECT_EQ(events.status(), errors::ActorNotOnTeam("home-nursing"));
}

TEST_F(DisclosureTest, MalformedOrUnknownNamesAreRefused) {
  auto run = [this](absl::string_view kind) {
    return harness_.When("cw", Day(2), kind).status();
  };
  EXPECT_EQ(run(R"pb(record_subject_disclosure {
                       disclosure_id: "d1"
                       subject_id: "the mother"
                       entry_ids: "e-mother"
                       summary: "x"
                     })pb"),
            errors::InvalidId("subject_id", "the mother"));
  EXPECT_EQ(run(R"pb(record_subject_disclosure {
                       disclosure_id: "d1"
                       entry_ids: "e-mother"
                       summary: "x"
                     })pb"),
            errors::MissingField("subject_id"));
  EXPECT_EQ(run(R"pb(record_subject_disclosure {
                       disclosure_id: "d1"
                       subject_id: "mother"
                       summary: "x"
                     })pb"),
            errors::MissingField("entry_ids"));
  EXPECT_EQ(run(R"pb(record_subject_disclosure {
                       disclosure_id: "d1"
                       subject_id: "mother"
                       entry_ids: "e-mother"
                       summary: "  "
                     })pb"),
            errors::MissingField("summary"));
  v1::CaseCommand unknown_channel = harness_.Command("cw", Day(2), R"pb(
    record_subject_disclosure {
      disclosure_id: "d1"
      subject_id: "mother"
      entry_ids: "e-mother"
      summary: "x"
    })pb");
  unknown_channel.mutable_record_subject_disclosure()->set_channel(
      static_cast<v1::DisclosureChannel>(99));
  EXPECT_EQ(harness_.When(unknown_channel).status(),
            errors::InvalidEnum("channel", 99));
  EXPECT_EQ(run(R"pb(record_subject_disclosure {
                       disclosure_id: "d1"
                       subject_id: "neighbour"
                       entry_ids: "e-mother"
                       summary: "x"
                     })pb"),
            errors::SubjectNotFound("neighbour"));
  EXPECT_EQ(run(R"pb(record_subject_disclosure {
                       disclosure_id: "d1"
                       subject_id: "mother"
                       entry_ids: "e-none"
                       summary: "x"
                     })pb"),
            errors::EntryNotFound("e-none"));
}

TEST_F(DisclosureTest, NothingIsToldOnAClosedCase) {
  harness_.Given("cw", Day(2), R"pb(close_case { reason: "moved on" })pb");
  auto events = harness_.When("cw", Day(3), R"pb(
    record_subject_disclosure {
      disclosure_id: "d1"
      subject_id: "mother"
      entry_ids: "e-mother"
      summary: "x"
    })pb");
  EXPECT_EQ(events.status(), errors::CaseClosed("c1"));
}

}  // namespace
}  // namespace renkei::domain
