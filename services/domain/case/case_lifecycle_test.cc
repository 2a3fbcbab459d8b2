// Given/when/then tests of opening, subjects, support team, frameworks,
// registration, closing and reopening a case, and the checks every command
// shares.
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

constexpr char kOpen[] = R"pb(
  open_case {
    kind: CASE_KIND_HOUSEHOLD
    title: "母子世帯"
    intake {
      noticed_by_agency_id: "nursery"
      observation: "lateness, dirty clothes, alcohol on the mother's breath"
      relays { agency_id: "nursery" staff_id: "nursery-teacher" }
      relays {
        agency_id: "city-pa"
        staff_id: "cw"
        note: "consulted counsellor"
      }
      relays { agency_id: "city-mh" }
    }
    frameworks: FRAMEWORK_SHIEN_KAIGI
    frameworks: FRAMEWORK_MENTAL_HEALTH
    registration: REGISTRATION_NONE
  })pb";

class CaseLifecycleTest : public ::testing::Test {
 protected:
  CaseHarness harness_{StoryDirectory()};
};

TEST_F(CaseLifecycleTest, OpeningRecordsTheIntakeAndPutsTheOpenerOnTheTeam) {
  const v1::CaseCommand command = harness_.Command("cw", Day(0), kOpen);
  EXPECT_TRUE(EventsEqual(
      Expected(
          command,
          {R"pb(
             case_opened {
               case_id: "c1"
               kind: CASE_KIND_HOUSEHOLD
               title: "母子世帯"
               intake {
                 noticed_by_agency_id: "nursery"
                 observation: "lateness, dirty clothes, alcohol on the mother's breath"
                 relays { agency_id: "nursery" staff_id: "nursery-teacher" }
                 relays {
                   agency_id: "city-pa"
                   staff_id: "cw"
                   note: "consulted counsellor"
                 }
                 relays { agency_id: "city-mh" }
               }
               frameworks: FRAMEWORK_SHIEN_KAIGI
               frameworks: FRAMEWORK_MENTAL_HEALTH
               registration: REGISTRATION_NONE
             })pb",
           R"pb(support_team_agency_joined {
                  agency_id: "city-pa"
                  reason: "opened the case"
                })pb"}),
      harness_.When(command)));

  harness_.Given("cw", Day(0), kOpen);
  const CaseState& state = harness_.state();
  EXPECT_TRUE(state.opened);
  EXPECT_EQ(state.case_id, "c1");
  EXPECT_EQ(state.opening.intake().relays_size(), 3);
  EXPECT_EQ(state.frameworks,
            (std::vector<v1::Framework>{v1::FRAMEWORK_SHIEN_KAIGI,
                                        v1::FRAMEWORK_MENTAL_HEALTH}));
  EXPECT_EQ(state.TeamNow(), std::vector<std::string>{"city-pa"});
}

TEST_F(CaseLifecycleTest, OpeningTheSameCaseTwiceIsRefused) {
  harness_.Given("cw", Day(0), kOpen);
  EXPECT_EQ(harness_.When("cw", Day(1), kOpen).status(),
            errors::CaseAlreadyExists("c1"));
}

TEST_F(CaseLifecycleTest, OpeningNeedsValidFrameworksAndRegistration) {
  EXPECT_EQ(harness_
                .When("cw", Day(0), R"pb(
                  open_case {
                    kind: CASE_KIND_PERSON
                    title: "t"
                    intake { noticed_by_agency_id: "nursery" observation: "o" }
                    registration: REGISTRATION_NONE
                  })pb")
                .status(),
            absl::OkStatus())
      << "a first contact may have no framework yet";
  EXPECT_EQ(harness_
                .When("cw", Day(0), R"pb(
                  open_case {
                    kind: CASE_KIND_PERSON
                    title: "t"
                    intake { noticed_by_agency_id: "nursery" observation: "o" }
                    frameworks: FRAMEWORK_UNSPECIFIED
                    registration: REGISTRATION_NONE
                  })pb")
                .status(),
            errors::InvalidEnum("frameworks", 0));
  EXPECT_EQ(harness_
                .When("cw", Day(0), R"pb(
                  open_case {
                    kind: CASE_KIND_PERSON
                    title: "t"
                    intake { noticed_by_agency_id: "nursery" observation: "o" }
                    frameworks: FRAMEWORK_OTHER
                  })pb")
                .status(),
            errors::InvalidEnum("registration", 0));
}

TEST_F(CaseLifecycleTest, IntakeNamesKnownAgenciesAndTheirStaff) {
  EXPECT_EQ(harness_
                .When("cw", Day(0), R"pb(
                  open_case {
                    kind: CASE_KIND_PERSON
                    title: "t"
                    intake { noticed_by_agency_id: "nowhere" observation: "o" }
                    frameworks: FRAMEWORK_OTHER
                    registration: REGISTRATION_NONE
                  })pb")
                .status(),
            errors::AgencyNotFound("nowhere"));
  EXPECT_EQ(harness_
                .When("cw", Day(0), R"pb(
                  open_case {
                    kind: CASE_KIND_PERSON
                    title: "t"
                    intake {
                      noticed_by_agency_id: "nursery"
                      observation: "o"
                      relays { agency_id: "jhs" staff_id: "nursery-teacher" }
                    }
                    frameworks: FRAMEWORK_OTHER
                    registration: REGISTRATION_NONE
                  })pb")
                .status(),
            errors::StaffNotInAgency("nursery-teacher", "jhs"));
}

TEST_F(CaseLifecycleTest, CommandsOnAnUnopenedCaseAreNotFound) {
  EXPECT_EQ(
      harness_.When("cw", Day(0), R"pb(close_case { reason: "x" })pb").status(),
      errors::CaseNotFound("c1"));
}

TEST_F(CaseLifecycleTest, CommandsNeedTimeActorAndCaseId) {
  v1::CaseCommand command = harness_.Command("cw", Day(0), kOpen);
  command.clear_occurred_at();
  EXPECT_EQ(harness_.When(command).status(),
            errors::MissingField("occurred_at"));

  command = harness_.Command("cw", Day(0), kOpen);
  command.set_case_id("");
  EXPECT_EQ(harness_.When(command).status(), errors::MissingField("case_id"));

  command = harness_.Command("cw", Day(0), kOpen);
  command.mutable_actor()->clear_staff_id();
  EXPECT_EQ(harness_.When(command).status(),
            errors::MissingField("actor.staff_id"));

  command = harness_.Command("cw", Day(0), "");
  EXPECT_EQ(harness_.When(command).status(), errors::EmptyCommand());
}

TEST_F(CaseLifecycleTest, TheActorMustBeAnActiveStaffMemberOfTheirAgency) {
  EXPECT_EQ(harness_.When("ghost", Day(0), kOpen).status(),
            errors::StaffNotFound("ghost"));
  EXPECT_EQ(harness_.When("former-cw", Day(0), kOpen).status(),
            errors::StaffHasLeft("former-cw"));
  v1::CaseCommand command = harness_.Command("cw", Day(0), kOpen);
  command.mutable_actor()->set_agency_id("city-mh");
  EXPECT_EQ(harness_.When(command).status(),
            errors::StaffNotInAgency("cw", "city-mh"));
}

TEST_F(CaseLifecycleTest, AStaffMemberWhoLeavesAfterwardsCanDoNothingNew) {
  harness_.OpenStandardCase();
  v1::DirectoryEvent left;
  *left.mutable_occurred_at() = testing::Ts(Day(3));
  left.mutable_staff_member_left()->set_staff_id("counsellor");
  left.mutable_staff_member_left()->set_reason("rotation");
  Evolve(harness_.mutable_directory(), left);
  EXPECT_EQ(
      harness_.When("counsellor", Day(4), R"pb(close_case { reason: "x" })pb")
          .status(),
      errors::StaffHasLeft("counsellor"));
}

TEST_F(CaseLifecycleTest, AnAgencyNotOnTheTeamCannotRecordOnTheCase) {
  harness_.OpenStandardCase();
  EXPECT_EQ(harness_
                .When("teacher", Day(1),
                      R"pb(add_team_agency { agency_id: "jhs" reason: "x" })pb")
                .status(),
            errors::ActorNotOnTeam("jhs"));
}

TEST_F(CaseLifecycleTest, AStateOfAnotherCaseIsRejected) {
  harness_.OpenStandardCase();
  v1::CaseCommand command =
      harness_.Command("cw", Day(1), R"pb(close_case { reason: "x" })pb");
  command.set_case_id("c2");
  EXPECT_EQ(harness_.When(command).status(),
            errors::CaseIdMismatch("c1", "c2"));
}

TEST_F(CaseLifecycleTest, SubjectsAreHouseholdMembersWithGuardians) {
  harness_.OpenStandardCase();
  const v1::Subject* daughter = harness_.state().FindSubject("daughter");
  ASSERT_NE(daughter, nullptr);
  EXPECT_EQ(daughter->relationship(), v1::RELATIONSHIP_CHILD);
  EXPECT_EQ(daughter->guardian_subject_ids(0), "mother");

  EXPECT_EQ(harness_
                .When("cw", Day(1), R"pb(
                  add_subject {
                    subject {
                      subject_id: "mother"
                      display_name: "x"
                      relationship: RELATIONSHIP_PARENT
                    }
                  })pb")
                .status(),
            errors::SubjectAlreadyExists("mother"));
  EXPECT_EQ(harness_
                .When("cw", Day(1), R"pb(
                  add_subject {
                    subject {
                      subject_id: "baby"
                      display_name: "x"
                      relationship: RELATIONSHIP_CHILD
                      guardian_subject_ids: "father"
                    }
                  })pb")
                .status(),
            errors::SubjectNotFound("father"));
  EXPECT_EQ(harness_
                .When("cw", Day(1), R"pb(
                  add_subject {
                    subject { subject_id: "baby" display_name: "x" }
                  })pb")
                .status(),
            errors::InvalidEnum("subject.relationship", 0));
}

TEST_F(CaseLifecycleTest, AgenciesJoinAndLeaveTheTeamWithReasons) {
  harness_.OpenStandardCase();
  harness_.Given("counsellor", Day(2), R"pb(add_team_agency {
                                              agency_id: "jhs"
                                              reason: "daughter's school"
                                            })pb");
  EXPECT_TRUE(harness_.state().OnTeam("jhs"));
  const v1::CaseCommand leave = harness_.Command(
      "cw", Day(5),
      R"pb(remove_team_agency { agency_id: "jhs" reason: "graduated" })pb");
  EXPECT_TRUE(EventsEqual(Expected(leave, {R"pb(support_team_agency_left {
                                                  agency_id: "jhs"
                                                  reason: "graduated"
                                                })pb"}),
                          harness_.When(leave)));
  harness_.Given(
      "cw", Day(5),
      R"pb(remove_team_agency { agency_id: "jhs" reason: "graduated" })pb");
  EXPECT_FALSE(harness_.state().OnTeam("jhs"));
  EXPECT_TRUE(harness_.state().OnTeamAt("jhs", Day(3)));
  EXPECT_FALSE(harness_.state().OnTeamAt("jhs", Day(5)));
  EXPECT_FALSE(harness_.state().OnTeamAt("jhs", Day(1)));

  harness_.Given("cw", Day(8),
                 R"pb(add_team_agency { agency_id: "jhs" reason: "again" })pb");
  EXPECT_TRUE(harness_.state().OnTeamAt("jhs", Day(9)));
  EXPECT_EQ(harness_.state().team.at("jhs").size(), 2u);
}

TEST_F(CaseLifecycleTest, TeamChangesAreRefusedWhenTheyMakeNoSense) {
  harness_.OpenStandardCase();
  EXPECT_EQ(
      harness_
          .When("cw", Day(1),
                R"pb(add_team_agency { agency_id: "city-mh" reason: "x" })pb")
          .status(),
      errors::AgencyAlreadyOnTeam("city-mh"));
  EXPECT_EQ(
      harness_
          .When("cw", Day(1),
                R"pb(add_team_agency { agency_id: "nowhere" reason: "x" })pb")
          .status(),
      errors::AgencyNotFound("nowhere"));
  EXPECT_EQ(
      harness_.When("cw", Day(1), R"pb(add_team_agency { agency_id: "jhs" })pb")
          .status(),
      errors::MissingField("reason"));
  EXPECT_EQ(
      harness_
          .When("cw", Day(1),
                R"pb(remove_team_agency { agency_id: "jhs" reason: "x" })pb")
          .status(),
      errors::AgencyNotOnTeam("jhs"));
}

TEST_F(CaseLifecycleTest, TheLastTeamAgencyCannotLeave) {
  harness_.Given("cw", Day(0), kOpen);
  EXPECT_EQ(harness_
                .When("cw", Day(1), R"pb(remove_team_agency {
                                           agency_id: "city-pa"
                                           reason: "x"
                                         })pb")
                .status(),
            errors::LastTeamAgency("city-pa"));
}

TEST_F(CaseLifecycleTest, FrameworksAndRegistrationChangeWithReasons) {
  harness_.OpenStandardCase();
  harness_.Given("cw", Day(3), R"pb(
    change_case_frameworks {
      frameworks: FRAMEWORK_YOTAIKYO
      frameworks: FRAMEWORK_JUSOTEKI_SHIEN
      reason: "children at risk; consent obtained"
    })pb");
  harness_.Given("cw", Day(3), R"pb(
    change_case_registration {
      registration: REGISTRATION_SUPPORT_NEEDED
      reason: "要支援 registered at the practitioners' meeting"
    })pb");
  EXPECT_EQ(harness_.state().frameworks,
            (std::vector<v1::Framework>{v1::FRAMEWORK_YOTAIKYO,
                                        v1::FRAMEWORK_JUSOTEKI_SHIEN}));
  EXPECT_EQ(harness_.state().registration, v1::REGISTRATION_SUPPORT_NEEDED);
  EXPECT_EQ(harness_
                .When("cw", Day(3), R"pb(
                  change_case_registration {
                    registration: REGISTRATION_UNSPECIFIED
                    reason: "x"
                  })pb")
                .status(),
            errors::InvalidEnum("registration", 0));
}

TEST_F(CaseLifecycleTest, AClosedCaseAcceptsNothingButReopening) {
  harness_.OpenStandardCase();
  harness_.Given("cw", Day(10),
                 R"pb(close_case { reason: "family moved away" })pb");
  EXPECT_TRUE(harness_.state().closed);
  EXPECT_EQ(harness_.state().closure_reason, "family moved away");
  EXPECT_EQ(harness_
                .When("cw", Day(11),
                      R"pb(add_team_agency { agency_id: "jhs" reason: "x" })pb")
                .status(),
            errors::CaseClosed("c1"));
  EXPECT_EQ(
      harness_.When("cw", Day(11), R"pb(close_case { reason: "again" })pb")
          .status(),
      errors::CaseClosed("c1"));

  const v1::CaseCommand reopen = harness_.Command(
      "counsellor", Day(20), R"pb(reopen_case { reason: "moved back" })pb");
  EXPECT_TRUE(EventsEqual(
      Expected(reopen, {R"pb(case_reopened { reason: "moved back" })pb"}),
      harness_.When(reopen)));
  harness_.Given("counsellor", Day(20),
                 R"pb(reopen_case { reason: "moved back" })pb");
  EXPECT_FALSE(harness_.state().closed);
}

TEST_F(CaseLifecycleTest, OnlyAClosedCaseCanBeReopened) {
  harness_.OpenStandardCase();
  EXPECT_EQ(harness_.When("cw", Day(1), R"pb(reopen_case { reason: "x" })pb")
                .status(),
            errors::CaseNotClosed("c1"));
  EXPECT_EQ(harness_.When("cw", Day(1), R"pb(close_case {})pb").status(),
            errors::MissingField("reason"));
}

TEST_F(CaseLifecycleTest, TheTimelineKeepsEveryEventInOrder) {
  harness_.OpenStandardCase();
  const std::vector<TimelineItem>& timeline = harness_.state().timeline;
  ASSERT_EQ(timeline.size(), harness_.history().size());
  EXPECT_EQ(timeline[0].event_type, "renkei.v1.CaseOpened");
  EXPECT_EQ(timeline[1].event_type, "renkei.v1.SupportTeamAgencyJoined");
  EXPECT_EQ(timeline[1].ref_id, "city-pa");
  EXPECT_EQ(timeline[2].event_type, "renkei.v1.SubjectAdded");
  EXPECT_EQ(timeline[2].ref_id, "mother");
  EXPECT_EQ(timeline[2].actor.staff_id(), "cw");
  EXPECT_EQ(timeline[2].occurred_at, Day(0));

  const CaseState replayed = Replay(harness_.history());
  EXPECT_EQ(replayed.TeamNow(), harness_.state().TeamNow());
  EXPECT_EQ(replayed.subjects.size(), 3u);
}

}  // namespace
}  // namespace renkei::domain
