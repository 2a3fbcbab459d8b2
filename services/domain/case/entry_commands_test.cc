// Given/when/then tests of recording, amending and retracting entries.
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

constexpr char kNurseryInfo[] = R"pb(
  record_entry {
    entry {
      entry_id: "e-nursery"
      subject_ids: "mother"
      subject_ids: "son"
      categories: INFORMATION_CATEGORY_HEALTH
      categories: INFORMATION_CATEGORY_CHILD_REARING
      information_received {
        source_agency_id: "nursery"
        source_staff_id: "nursery-teacher"
        content: "lateness, dirty clothes, alcohol on the mother's breath"
      }
    }
  })pb";

class EntryTest : public ::testing::Test {
 protected:
  void SetUp() override { harness_.OpenStandardCase(); }
  // kNurseryInfo's entry, unchanged, as an amendment.
  v1::CaseCommand AmendOfNurseryInfo(absl::string_view staff,
                                     absl::Time at) const {
    v1::CaseCommand command = harness_.Command(staff, at, kNurseryInfo);
    const v1::Entry entry = command.record_entry().entry();
    *command.mutable_amend_entry()->mutable_entry() = entry;
    command.mutable_amend_entry()->set_reason("correction");
    return command;
  }

  CaseHarness harness_{StoryDirectory()};
};

TEST_F(EntryTest, InformationReceivedIsRecorded) {
  const v1::CaseCommand command = harness_.Command("cw", Day(1), kNurseryInfo);
  EXPECT_TRUE(EventsEqual(
      Expected(
          command,
          {R"pb(
             entry_recorded {
               entry {
                 entry_id: "e-nursery"
                 subject_ids: "mother"
                 subject_ids: "son"
                 categories: INFORMATION_CATEGORY_HEALTH
                 categories: INFORMATION_CATEGORY_CHILD_REARING
                 information_received {
                   source_agency_id: "nursery"
                   source_staff_id: "nursery-teacher"
                   content: "lateness, dirty clothes, alcohol on the mother's breath"
                 }
               }
             })pb"}),
      harness_.When(command)));
  harness_.Given("cw", Day(1), kNurseryInfo);
  const EntryState* entry = harness_.state().FindEntry("e-nursery");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->version(), 1u);
  EXPECT_EQ(entry->recorded_by().staff_id(), "cw");
  EXPECT_EQ(entry->versions[0].at, Day(1));
}

TEST_F(EntryTest, EveryKindOfEntryCanBeRecorded) {
  harness_.Given("counsellor", Day(2), R"pb(
    record_entry {
      entry {
        entry_id: "e-assessment"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        assessment {
          illness: ASSESSMENT_RATING_HIGH
          urgency: ASSESSMENT_RATING_MEDIUM
          case_ness: ASSESSMENT_RATING_HIGH
          quick_response: ASSESSMENT_RATING_MEDIUM
          bio_notes: "drinking from the morning"
          psycho_notes: "depressed mood"
          social_notes: "divorced, weak ties to her parents"
          suicidal_ideation: SUICIDAL_IDEATION_UNKNOWN
          emergency_triggers {
            condition: "a child absent without notice"
            response: "consider an emergency home visit"
          }
        }
      }
    })pb");
  harness_.Given("counsellor", Day(3), R"pb(
    record_entry {
      entry {
        entry_id: "e-contact"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        contact {
          channel: CONTACT_CHANNEL_PHONE
          counterpart_agency_ids: "health-centre"
          summary: "how to assess the mother"
        }
      }
    })pb");
  harness_.Given("counsellor", Day(4), R"pb(
    record_entry {
      entry {
        entry_id: "e-visit"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_DAILY_LIFE
        joint_visit {
          participants { staff_id: "counsellor" agency_id: "city-mh" }
          participants { staff_id: "support-worker" agency_id: "city-cfs" }
          visited_subject_ids: "mother"
          summary: "the mother says she is fine"
        }
      }
    })pb");
  harness_.Given("support-worker", Day(5), R"pb(
    record_entry {
      entry {
        entry_id: "e-interview"
        subject_ids: "daughter"
        categories: INFORMATION_CATEGORY_CHILD_REARING
        interview {
          interviewers { staff_id: "support-worker" agency_id: "city-cfs" }
          interviewee_subject_ids: "daughter"
          location: "school"
          summary: "the children struggle"
        }
      }
    })pb");
  harness_.Given("cw", Day(6), R"pb(
    record_entry {
      entry {
        entry_id: "e-risk"
        subject_ids: "daughter"
        subject_ids: "son"
        categories: INFORMATION_CATEGORY_CHILD_REARING
        risk_ranking {
          rank: RISK_RANK_MODERATE
          lead_side: LEAD_SIDE_CITY
          reason: "市主体: no immediate danger"
        }
      }
    })pb");
  EXPECT_EQ(harness_.state().entry_order,
            (std::vector<std::string>{"e-assessment", "e-contact", "e-visit",
                                      "e-interview", "e-risk"}));
  EXPECT_EQ(harness_.state()
                .FindEntry("e-assessment")
                ->current()
                .assessment()
                .suicidal_ideation(),
            v1::SUICIDAL_IDEATION_UNKNOWN);
}

TEST_F(EntryTest, MalformedEntriesAreInvalid) {
  EXPECT_EQ(harness_
                .When("cw", Day(1), R"pb(
                  record_entry {
                    entry {
                      entry_id: "e"
                      categories: INFORMATION_CATEGORY_HEALTH
                      information_received {
                        source_agency_id: "nursery"
                        content: "c"
                      }
                    }
                  })pb")
                .status(),
            errors::MissingField("entry.subject_ids"));
  EXPECT_EQ(harness_
                .When("cw", Day(1), R"pb(
                  record_entry {
                    entry {
                      entry_id: "e"
                      subject_ids: "mother"
                      categories: INFORMATION_CATEGORY_UNSPECIFIED
                      information_received {
                        source_agency_id: "nursery"
                        content: "c"
                      }
                    }
                  })pb")
                .status(),
            errors::InvalidEnum("entry.categories", 0));
  EXPECT_EQ(harness_
                .When("cw", Day(1), R"pb(
                  record_entry {
                    entry {
                      entry_id: "e"
                      subject_ids: "mother"
                      categories: INFORMATION_CATEGORY_HEALTH
                    }
                  })pb")
                .status(),
            errors::MissingField("entry.body"));
  EXPECT_EQ(
      harness_
          .When("counsellor", Day(1), R"pb(
            record_entry {
              entry {
                entry_id: "e"
                subject_ids: "mother"
                categories: INFORMATION_CATEGORY_HEALTH
                joint_visit {
                  participants { staff_id: "counsellor" agency_id: "city-mh" }
                  visited_subject_ids: "mother"
                  summary: "s"
                }
              }
            })pb")
          .status(),
      errors::InvalidField("entry.joint_visit.participants",
                           "needs at least two staff members."));
  EXPECT_EQ(harness_
                .When("counsellor", Day(1), R"pb(
                  record_entry {
                    entry {
                      entry_id: "e"
                      subject_ids: "mother"
                      categories: INFORMATION_CATEGORY_HEALTH
                      assessment {
                        illness: ASSESSMENT_RATING_HIGH
                        urgency: ASSESSMENT_RATING_HIGH
                        case_ness: ASSESSMENT_RATING_HIGH
                        quick_response: ASSESSMENT_RATING_HIGH
                      }
                    }
                  })pb")
                .status(),
            errors::InvalidEnum("entry.assessment.suicidal_ideation", 0));
  EXPECT_EQ(harness_
                .When("counsellor", Day(1), R"pb(
                  record_entry {
                    entry {
                      entry_id: "e"
                      subject_ids: "mother"
                      categories: INFORMATION_CATEGORY_HEALTH
                      contact { channel: CONTACT_CHANNEL_PHONE summary: "s" }
                    }
                  })pb")
                .status(),
            errors::MissingField("entry.contact.counterpart"));
  EXPECT_EQ(harness_
                .When("cw", Day(1), R"pb(
                  record_entry {
                    entry {
                      entry_id: "e"
                      subject_ids: "mother"
                      categories: INFORMATION_CATEGORY_HEALTH
                      confidentiality { withheld_from_subject_ids: "mother" }
                      information_received {
                        source_agency_id: "nursery"
                        content: "c"
                      }
                    }
                  })pb")
                .status(),
            errors::MissingField("entry.confidentiality.reason"));
}

TEST_F(EntryTest, EntriesNameKnownSubjectsAgenciesAndActiveStaff) {
  EXPECT_EQ(harness_
                .When("cw", Day(1), R"pb(
                  record_entry {
                    entry {
                      entry_id: "e"
                      subject_ids: "grandmother"
                      categories: INFORMATION_CATEGORY_HEALTH
                      information_received {
                        source_agency_id: "nursery"
                        content: "c"
                      }
                    }
                  })pb")
                .status(),
            errors::SubjectNotFound("grandmother"));
  EXPECT_EQ(harness_
                .When("cw", Day(1), R"pb(
                  record_entry {
                    entry {
                      entry_id: "e"
                      subject_ids: "mother"
                      categories: INFORMATION_CATEGORY_HEALTH
                      information_received {
                        source_agency_id: "nowhere"
                        content: "c"
                      }
                    }
                  })pb")
                .status(),
            errors::AgencyNotFound("nowhere"));
  EXPECT_EQ(
      harness_
          .When("cw", Day(1), R"pb(
            record_entry {
              entry {
                entry_id: "e"
                subject_ids: "mother"
                categories: INFORMATION_CATEGORY_HEALTH
                joint_visit {
                  participants { staff_id: "cw" agency_id: "city-pa" }
                  participants { staff_id: "former-cw" agency_id: "city-pa" }
                  visited_subject_ids: "mother"
                  summary: "s"
                }
              }
            })pb")
          .status(),
      errors::StaffHasLeft("former-cw"));
  EXPECT_EQ(
      harness_
          .When("cw", Day(1), R"pb(
            record_entry {
              entry {
                entry_id: "e"
                subject_ids: "mother"
                categories: INFORMATION_CATEGORY_HEALTH
                interview {
                  interviewers { staff_id: "counsellor" agency_id: "city-pa" }
                  interviewee_subject_ids: "mother"
                  summary: "s"
                }
              }
            })pb")
          .status(),
      errors::StaffNotInAgency("counsellor", "city-pa"));
}

TEST_F(EntryTest, AnEntryIdIsUsedOnce) {
  harness_.Given("cw", Day(1), kNurseryInfo);
  EXPECT_EQ(harness_.When("cw", Day(2), kNurseryInfo).status(),
            errors::EntryAlreadyExists("e-nursery"));
}

TEST_F(EntryTest, AConfidentialEntryIsWithheldFromNamedPeople) {
  harness_.Given("counsellor", Day(5), R"pb(
    record_entry {
      entry {
        entry_id: "e-statement"
        subject_ids: "mother"
        subject_ids: "daughter"
        categories: INFORMATION_CATEGORY_CHILD_REARING
        confidentiality {
          withheld_from_subject_ids: "mother"
          withheld_from_agency_ids: "nursery"
          reason: "the daughter asked that her mother not be told"
        }
        interview {
          interviewers { staff_id: "counsellor" agency_id: "city-mh" }
          interviewee_subject_ids: "daughter"
          summary: "the mother drinks from the morning"
        }
      }
    })pb");
  const v1::Confidentiality& conf =
      harness_.state().FindEntry("e-statement")->current().confidentiality();
  EXPECT_EQ(conf.withheld_from_subject_ids(0), "mother");
  EXPECT_EQ(conf.withheld_from_agency_ids(0), "nursery");
}

TEST_F(EntryTest, AnEntryCannotBeWithheldFromThoseWhoRecordedItOrTookPart) {
  EXPECT_EQ(
      harness_
          .When("counsellor", Day(5), R"pb(
            record_entry {
              entry {
                entry_id: "e"
                subject_ids: "daughter"
                categories: INFORMATION_CATEGORY_CHILD_REARING
                confidentiality {
                  withheld_from_agency_ids: "city-cfs"
                  reason: "r"
                }
                interview {
                  interviewers { staff_id: "counsellor" agency_id: "city-mh" }
                  interviewers {
                    staff_id: "support-worker"
                    agency_id: "city-cfs"
                  }
                  interviewee_subject_ids: "daughter"
                  summary: "s"
                }
              }
            })pb")
          .status(),
      errors::InvalidField(
          "entry.confidentiality.withheld_from_agency_ids",
          "cannot name an agency that recorded the entry or took part in it."));
}

TEST_F(EntryTest, InformationFromAForumNeedsAKnownForumTheRecorderAttends) {
  EXPECT_EQ(
      harness_
          .When("cw", Day(1), R"pb(
            record_entry {
              entry {
                entry_id: "e"
                subject_ids: "mother"
                categories: INFORMATION_CATEGORY_HEALTH
                origin_forum_id: "f"
                information_received { source_agency_id: "jhs" content: "c" }
              }
            })pb")
          .status(),
      errors::ForumNotFound("f"));
  harness_.Given("cw", Day(1), R"pb(
    register_statutory_forum {
      forum {
        forum_id: "f"
        kind: FORUM_KIND_SHIEN_KAIGI
        name: "支援会議"
        member_agency_ids: "city-mh"
        member_agency_ids: "jhs"
      }
    })pb");
  EXPECT_EQ(
      harness_
          .When("cw", Day(1), R"pb(
            record_entry {
              entry {
                entry_id: "e"
                subject_ids: "mother"
                categories: INFORMATION_CATEGORY_HEALTH
                origin_forum_id: "f"
                information_received { source_agency_id: "jhs" content: "c" }
              }
            })pb")
          .status(),
      errors::NotForumMember("f", "city-pa"));
}

TEST_F(EntryTest, AnAmendmentIsANewVersionAndKeepsTheOriginal) {
  harness_.Given("cw", Day(1), kNurseryInfo);
  const v1::CaseCommand amend = harness_.Command("cw", Day(2), R"pb(
    amend_entry {
      entry {
        entry_id: "e-nursery"
        subject_ids: "mother"
        subject_ids: "son"
        categories: INFORMATION_CATEGORY_CHILD_REARING
        information_received {
          source_agency_id: "nursery"
          content: "lateness and dirty clothes; alcohol not confirmed"
        }
      }
      reason: "the nursery corrected its report"
    })pb");
  auto events = harness_.When(amend);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].entry_amended().reason(),
            "the nursery corrected its report");
  harness_.Given("cw", Day(2), R"pb(
    amend_entry {
      entry {
        entry_id: "e-nursery"
        subject_ids: "mother"
        subject_ids: "son"
        categories: INFORMATION_CATEGORY_CHILD_REARING
        information_received {
          source_agency_id: "nursery"
          content: "lateness and dirty clothes; alcohol not confirmed"
        }
      }
      reason: "the nursery corrected its report"
    })pb");
  const EntryState* entry = harness_.state().FindEntry("e-nursery");
  ASSERT_EQ(entry->version(), 2u);
  EXPECT_EQ(entry->versions[0].entry.information_received().content(),
            "lateness, dirty clothes, alcohol on the mother's breath");
  EXPECT_EQ(entry->current().information_received().content(),
            "lateness and dirty clothes; alcohol not confirmed");
  EXPECT_EQ(entry->versions[1].reason, "the nursery corrected its report");
  EXPECT_EQ(entry->versions[1].at, Day(2));
}

TEST_F(EntryTest, ARetractionPointsAtTheOriginalWithAReason) {
  harness_.Given("cw", Day(1), kNurseryInfo);
  const v1::CaseCommand retract =
      harness_.Command("cw", Day(3), R"pb(retract_entry {
                                            entry_id: "e-nursery"
                                            reason: "recorded on the wrong case"
                                          })pb");
  EXPECT_TRUE(
      EventsEqual(Expected(retract, {R"pb(entry_retracted {
                                            entry_id: "e-nursery"
                                            reason: "recorded on the wrong case"
                                          })pb"}),
                  harness_.When(retract)));
  harness_.Given("cw", Day(3), R"pb(retract_entry {
                                      entry_id: "e-nursery"
                                      reason: "recorded on the wrong case"
                                    })pb");
  const EntryState* entry = harness_.state().FindEntry("e-nursery");
  EXPECT_TRUE(entry->retracted());
  EXPECT_EQ(entry->version(), 1u);
  EXPECT_EQ(entry->retraction_reason, "recorded on the wrong case");

  EXPECT_EQ(
      harness_
          .When("cw", Day(4),
                R"pb(retract_entry { entry_id: "e-nursery" reason: "x" })pb")
          .status(),
      errors::EntryAlreadyRetracted("e-nursery"));
  EXPECT_EQ(harness_.When("cw", Day(4), kNurseryInfo).status(),
            errors::EntryAlreadyExists("e-nursery"));
}

TEST_F(EntryTest, ARiskRankingNamesTheLeadSide) {
  EXPECT_EQ(harness_
                .When("cw", Day(1), R"pb(
                  record_entry {
                    entry {
                      entry_id: "e"
                      subject_ids: "son"
                      categories: INFORMATION_CATEGORY_CHILD_REARING
                      risk_ranking { rank: RISK_RANK_HIGH reason: "r" }
                    }
                  })pb")
                .status(),
            errors::InvalidEnum("entry.risk_ranking.lead_side", 0));
  EXPECT_EQ(harness_
                .When("cw", Day(1), R"pb(
                  record_entry {
                    entry {
                      entry_id: "e"
                      subject_ids: "son"
                      categories: INFORMATION_CATEGORY_CHILD_REARING
                      interview { interviewee_subject_ids: "son" summary: "s" }
                    }
                  })pb")
                .status(),
            errors::MissingField("entry.interview.interviewers"));
}

TEST_F(EntryTest, ARetractedEntryCannotBeAmended) {
  harness_.Given("cw", Day(1), kNurseryInfo);
  harness_.Given(
      "cw", Day(2),
      R"pb(retract_entry { entry_id: "e-nursery" reason: "duplicate" })pb");
  EXPECT_EQ(harness_.When(AmendOfNurseryInfo("cw", Day(3))).status(),
            errors::EntryAlreadyRetracted("e-nursery"));
}

TEST_F(EntryTest, OnlyTheRecordingAgencyCorrectsAnEntry) {
  harness_.Given("cw", Day(1), kNurseryInfo);
  EXPECT_EQ(
      harness_
          .When("counsellor", Day(2),
                R"pb(retract_entry { entry_id: "e-nursery" reason: "x" })pb")
          .status(),
      errors::NotEntryRecorder("e-nursery", "city-mh"));
  EXPECT_EQ(harness_.When(AmendOfNurseryInfo("counsellor", Day(2))).status(),
            errors::NotEntryRecorder("e-nursery", "city-mh"));
  EXPECT_EQ(harness_
                .When("cw", Day(2),
                      R"pb(retract_entry { entry_id: "nope" reason: "x" })pb")
                .status(),
            errors::EntryNotFound("nope"));
  EXPECT_EQ(
      harness_
          .When("cw", Day(2), R"pb(retract_entry { entry_id: "e-nursery" })pb")
          .status(),
      errors::MissingField("reason"));
}

}  // namespace
}  // namespace renkei::domain
