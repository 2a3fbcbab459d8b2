// Given/when/then tests of the shared support plan and the stage-lead
// ledger: revisions adopted at a conference, one lead per stage, leads on
// the team, transfers, retroactive corrections and the bitemporal query;
// closing and transferring a registered case.
#include "gtest/gtest.h"
#include "services/domain/case/decider.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/errors.h"
#include "services/domain/handover/responsibilities.h"
#include "services/domain/lookup.h"
#include "services/domain/testing/conference_case.h"
#include "services/domain/testing/fixtures.h"
#include "services/domain/testing/world.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

using testing::Day;
using testing::EventsEqual;
using testing::Expected;
using testing::kRevisePlan;
using testing::Parse;
using testing::ProtoEquals;
using testing::StoryDirectory;
using testing::World;

constexpr char kAssignMother[] = R"pb(
  assign_stage_lead {
    stage_id: "s-mother"
    lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
    reason: "agreed at the individual case conference"
    decision { conference_id: "k1" decision_id: "d-lead-mother" }
  })pb";

constexpr char kAssignChildren[] = R"pb(
  assign_stage_lead {
    stage_id: "s-children"
    lead { agency_id: "city-cfs" key_person_staff_id: "support-worker" }
    reason: "agreed at the individual case conference"
    decision { conference_id: "k1" decision_id: "d-lead-children" }
  })pb";

std::string KeyPerson(const std::optional<v1::LeadPeriod>& period) {
  return period.has_value() ? period->lead().key_person_staff_id() : "none";
}

class PlanTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::HoldConferenceK1(world_); }
  World world_{StoryDirectory()};
};

TEST_F(PlanTest, APlanAdoptedAtAConferenceIsRevisionOne) {
  const v1::CaseCommand command =
      world_.CaseCommand("c1", "counsellor", Day(4), kRevisePlan);
  auto events = world_.When(command);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  const v1::SupportPlanRevised& revised = (*events)[0].support_plan_revised();
  EXPECT_EQ(revised.revision(), 1u);
  EXPECT_TRUE(
      ProtoEquals(command.revise_support_plan().plan(), revised.plan()));
  EXPECT_EQ(revised.decision().decision_id(), "d-plan");

  world_.Apply(command);
  const CaseState& state = world_.Case("c1");
  EXPECT_EQ(state.plan_revision(), 1u);
  ASSERT_NE(state.FindStage("s-mother"), nullptr);
  EXPECT_EQ(state.FindStage("s-mother")->title(), "the mother's treatment");
  EXPECT_EQ(state.plan()->goals(2).horizon(), v1::GOAL_HORIZON_LONG);
}

TEST_F(PlanTest, ARevisionNeedsAPlanRevisionDecisionAboutThisCase) {
  v1::CaseCommand command =
      world_.CaseCommand("c1", "counsellor", Day(4), kRevisePlan);
  auto* decision = command.mutable_revise_support_plan()->mutable_decision();

  decision->Clear();
  EXPECT_EQ(world_.When(command).status(), errors::MissingField("decision"));

  decision->set_conference_id("k-none");
  decision->set_decision_id("d-plan");
  EXPECT_EQ(world_.When(command).status(),
            errors::ConferenceNotFound("k-none"));

  decision->set_conference_id("k1");
  decision->set_decision_id("d-none");
  EXPECT_EQ(world_.When(command).status(),
            errors::DecisionNotFound("k1", "d-none"));

  decision->set_decision_id("d-lead-mother");
  EXPECT_EQ(world_.When(command).status(),
            errors::WrongDecisionKind("k1", "d-lead-mother",
                                      v1::DECISION_KIND_LEAD_ASSIGNMENT,
                                      "a plan revision"));

  testing::OpenStandardCase(world_, "c2");
  v1::CaseCommand other =
      world_.CaseCommand("c2", "counsellor", Day(4), kRevisePlan);
  EXPECT_EQ(world_.When(other).status(),
            errors::DecisionAboutAnotherCase("k1", "d-plan", "c2"));

  // Decided on day 3: a revision recorded as of day 2 cannot rest on it.
  v1::CaseCommand early =
      world_.CaseCommand("c1", "counsellor", Day(2), kRevisePlan);
  EXPECT_EQ(world_.When(early).status(),
            errors::DecisionNotYetMade("k1", "d-plan"));
}

TEST_F(PlanTest, WithoutALookupTheConferenceIsNotFound) {
  const v1::CaseCommand command =
      world_.CaseCommand("c1", "counsellor", Day(4), kRevisePlan);
  EXPECT_EQ(Decide(world_.Case("c1"), command, world_.directory()).status(),
            errors::ConferenceNotFound("k1"));
  EXPECT_EQ(ReferencedStreams(command),
            std::vector<std::string>{"conference-k1"});
}

TEST_F(PlanTest, ADecisionOfAnUnheldOrCancelledConferenceIsRefused) {
  world_.GivenConference("k-later", "counsellor", Day(4), testing::kScheduleK1);
  v1::CaseCommand command =
      world_.CaseCommand("c1", "counsellor", Day(5), kRevisePlan);
  command.mutable_revise_support_plan()->mutable_decision()->set_conference_id(
      "k-later");
  EXPECT_EQ(world_.When(command).status(),
            errors::ConferenceNotHeld("k-later"));

  world_.GivenConference("k-later", "counsellor", Day(4),
                         R"pb(cancel_conference { reason: "no quorum" })pb");
  EXPECT_EQ(world_.When(command).status(),
            errors::ConferenceCancelled("k-later"));
}

TEST_F(PlanTest, MalformedPlansAreRefused) {
  v1::CaseCommand command =
      world_.CaseCommand("c1", "counsellor", Day(4), kRevisePlan);
  v1::SupportPlan& plan =
      *command.mutable_revise_support_plan()->mutable_plan();

  v1::CaseCommand no_stages = command;
  no_stages.mutable_revise_support_plan()->mutable_plan()->clear_stages();
  EXPECT_EQ(world_.When(no_stages).status(),
            errors::MissingField("plan.stages"));

  v1::CaseCommand bad_goal = command;
  bad_goal.mutable_revise_support_plan()
      ->mutable_plan()
      ->mutable_stages(0)
      ->add_goal_ids("g-none");
  EXPECT_EQ(
      world_.When(bad_goal).status(),
      errors::InvalidField("plan.stages.goal_ids",
                           "names 'g-none', which is not a goal of the plan."));

  v1::CaseCommand no_horizon = command;
  no_horizon.mutable_revise_support_plan()
      ->mutable_plan()
      ->mutable_goals(0)
      ->clear_horizon();
  EXPECT_EQ(world_.When(no_horizon).status(),
            errors::InvalidEnum("plan.goals.horizon", 0));

  v1::CaseCommand stranger = command;
  stranger.mutable_revise_support_plan()
      ->mutable_plan()
      ->mutable_goals(0)
      ->add_subject_ids("grandmother");
  EXPECT_EQ(world_.When(stranger).status(),
            errors::SubjectNotFound("grandmother"));

  plan.mutable_roles(0)->set_agency_id("jhs");
  EXPECT_EQ(world_.When(command).status(), errors::AgencyNotOnTeam("jhs"));
}

class StageLeadTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::AdoptPlan(world_); }

  // Conference k2 held on `day` deciding to move s-mother to city-cfs
  // (support-worker) as d-move.
  void DecideMove(int day) {
    world_.GivenConference("k2", "support-worker", Day(day - 1),
                           testing::kScheduleK1);
    world_.GivenConference("k2", "support-worker", Day(day), testing::kHoldK1);
    world_.GivenConference("k2", "support-worker", Day(day), R"pb(
      record_conference_decision {
        decision {
          decision_id: "d-move"
          kind: DECISION_KIND_LEAD_ASSIGNMENT
          case_id: "c1"
          stage_id: "s-mother"
          text: "the children's centre takes over while the mother is in hospital"
          lead { agency_id: "city-cfs" key_person_staff_id: "support-worker" }
        }
      })pb");
  }

  World world_{StoryDirectory()};
};

TEST_F(StageLeadTest, ConveningAConferenceDoesNotMakeALead) {
  // The counsellor convened k1 and recorded its decisions; nobody leads yet.
  EXPECT_EQ(world_.Conference("k1").convener().staff_id(), "counsellor");
  const CaseState& state = world_.Case("c1");
  EXPECT_FALSE(LeadAt(state, "s-mother", Day(5)).has_value());
  EXPECT_FALSE(LeadAt(state, "s-children", Day(5)).has_value());
  EXPECT_TRUE(LeadsAt(state, Day(5)).empty());
  EXPECT_TRUE(
      OpenResponsibilities("counsellor", world_.Everything(), Day(5)).empty());
  EXPECT_TRUE(world_.WhenDeparture("counsellor", Day(5)).ok());
}

TEST_F(StageLeadTest, AssigningALeadRecordsTheDecisionBehindIt) {
  const v1::CaseCommand command =
      world_.CaseCommand("c1", "counsellor", Day(4), kAssignMother);
  EXPECT_TRUE(EventsEqual(
      Expected(
          command,
          {R"pb(
             stage_lead_assigned {
               stage_id: "s-mother"
               lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
               valid_from { seconds: 1712307600 }  # day 4
               reason: "agreed at the individual case conference"
               decision { conference_id: "k1" decision_id: "d-lead-mother" }
             })pb"}),
      world_.When(command)));
  world_.Apply(command);
  const std::optional<v1::LeadPeriod> lead =
      LeadAt(world_.Case("c1"), "s-mother", Day(10));
  ASSERT_TRUE(lead.has_value());
  EXPECT_EQ(lead->lead().agency_id(), "city-mh");
  EXPECT_EQ(lead->fact().decision().decision_id(), "d-lead-mother");
  EXPECT_EQ(lead->fact().recorded_by().staff_id(), "counsellor");
}

TEST_F(StageLeadTest, TwoLeadsForOneStageAreRefused) {
  world_.GivenCase("c1", "counsellor", Day(4), kAssignMother);
  const auto again = world_.WhenCase("c1", "support-worker", Day(5), R"pb(
    assign_stage_lead {
      stage_id: "s-mother"
      lead { agency_id: "city-cfs" key_person_staff_id: "support-worker" }
      reason: "we lead it too"
      decision { conference_id: "k1" decision_id: "d-lead-children" }
    })pb");
  EXPECT_EQ(again.status(),
            errors::StageAlreadyHasLead("s-mother", "city-mh", "counsellor"));

  // Nor from some later date: the lead in force is open-ended.
  const auto later = world_.WhenCase("c1", "counsellor", Day(5), R"pb(
    assign_stage_lead {
      stage_id: "s-mother"
      lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
      effective_from { seconds: 1714554000 }  # day 30
      reason: "again"
      decision { conference_id: "k1" decision_id: "d-lead-mother" }
    })pb");
  EXPECT_EQ(later.status(),
            errors::StageAlreadyHasLead("s-mother", "city-mh", "counsellor"));
}

TEST_F(StageLeadTest, ALeadForAnAgencyOffTheTeamIsRefused) {
  const auto events = world_.WhenCase("c1", "cw", Day(5), R"pb(
    assign_stage_lead {
      stage_id: "s-children"
      lead { agency_id: "jhs" key_person_staff_id: "teacher" }
      reason: "the school sees the children every day"
      decision { conference_id: "k1" decision_id: "d-lead-children" }
    })pb");
  EXPECT_EQ(events.status(), errors::AgencyNotOnTeam("jhs"));
}

TEST_F(StageLeadTest, TheKeyPersonIsActiveStaffOfTheLeadAgency) {
  v1::CaseCommand command =
      world_.CaseCommand("c1", "cw", Day(5), kAssignChildren);
  v1::StageLead* lead = command.mutable_assign_stage_lead()->mutable_lead();
  lead->set_key_person_staff_id("cw");
  EXPECT_EQ(world_.When(command).status(),
            errors::StaffNotInAgency("cw", "city-cfs"));
  lead->set_agency_id("city-pa");
  lead->set_key_person_staff_id("former-cw");
  // city-pa is on the team; former-cw has left.
  EXPECT_EQ(world_.When(command).status(), errors::StaffHasLeft("former-cw"));
}

TEST_F(StageLeadTest, TheLeadMustMatchTheDecision) {
  v1::CaseCommand command =
      world_.CaseCommand("c1", "cw", Day(5), kAssignMother);
  command.mutable_assign_stage_lead()->mutable_lead()->set_agency_id(
      "city-cfs");
  command.mutable_assign_stage_lead()->mutable_lead()->set_key_person_staff_id(
      "support-worker");
  EXPECT_EQ(world_.When(command).status(),
            errors::DecisionDiffers("k1", "d-lead-mother", "lead"));

  v1::CaseCommand wrong_stage =
      world_.CaseCommand("c1", "cw", Day(5), kAssignChildren);
  wrong_stage.mutable_assign_stage_lead()->mutable_decision()->set_decision_id(
      "d-lead-mother");
  EXPECT_EQ(world_.When(wrong_stage).status(),
            errors::DecisionDiffers("k1", "d-lead-mother", "stage"));

  v1::CaseCommand plan_decision =
      world_.CaseCommand("c1", "cw", Day(5), kAssignChildren);
  plan_decision.mutable_assign_stage_lead()
      ->mutable_decision()
      ->set_decision_id("d-plan");
  EXPECT_EQ(
      world_.When(plan_decision).status(),
      errors::WrongDecisionKind("k1", "d-plan", v1::DECISION_KIND_PLAN_REVISION,
                                "a lead assignment or designation"));
}

TEST_F(StageLeadTest, LeadsNeedAStageOfThePlanAndADecision) {
  v1::CaseCommand command =
      world_.CaseCommand("c1", "cw", Day(5), kAssignMother);
  command.mutable_assign_stage_lead()->set_stage_id("s-none");
  EXPECT_EQ(world_.When(command).status(), errors::StageNotFound("s-none"));

  v1::CaseCommand no_decision =
      world_.CaseCommand("c1", "cw", Day(5), kAssignMother);
  no_decision.mutable_assign_stage_lead()->clear_decision();
  EXPECT_EQ(world_.When(no_decision).status(),
            errors::MissingField("decision"));

  v1::CaseCommand no_lead =
      world_.CaseCommand("c1", "cw", Day(5), kAssignMother);
  no_lead.mutable_assign_stage_lead()->clear_lead();
  EXPECT_EQ(world_.When(no_lead).status(), errors::MissingField("lead"));
}

TEST_F(StageLeadTest, TheCoordinatingBodyDesignatesWhenMembersCannotAgree) {
  world_.GivenConference("k1", "support-worker", Day(3), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-designate"
        kind: DECISION_KIND_LEAD_DESIGNATION
        case_id: "c1"
        stage_id: "s-children"
        text: "members could not agree; the coordinating body names city-cfs"
        lead { agency_id: "city-cfs" key_person_staff_id: "support-worker" }
      }
    })pb");
  v1::CaseCommand command =
      world_.CaseCommand("c1", "support-worker", Day(4), kAssignChildren);
  command.mutable_assign_stage_lead()->mutable_decision()->set_decision_id(
      "d-designate");
  auto events = world_.When(command);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_TRUE(
      (*events)[0].stage_lead_assigned().designated_by_coordinating_body());
}

TEST_F(StageLeadTest, ATransferReplacesTheLeadFromItsDate) {
  world_.GivenCase("c1", "counsellor", Day(4), kAssignMother);
  DecideMove(20);
  const v1::CaseCommand command =
      world_.CaseCommand("c1", "support-worker", Day(21), R"pb(
        transfer_stage_lead {
          stage_id: "s-mother"
          lead { agency_id: "city-cfs" key_person_staff_id: "support-worker" }
          reason: "the mother is in hospital; the children come first"
          decision { conference_id: "k2" decision_id: "d-move" }
        })pb");
  EXPECT_TRUE(EventsEqual(
      Expected(command,
               {R"pb(
                  stage_lead_transferred {
                    stage_id: "s-mother"
                    previous {
                      agency_id: "city-mh"
                      key_person_staff_id: "counsellor"
                    }
                    lead {
                      agency_id: "city-cfs"
                      key_person_staff_id: "support-worker"
                    }
                    valid_from { seconds: 1713776400 }  # day 21
                    reason: "the mother is in hospital; the children come first"
                    decision { conference_id: "k2" decision_id: "d-move" }
                  })pb"}),
      world_.When(command)));
  world_.Apply(command);
  const CaseState& state = world_.Case("c1");
  EXPECT_EQ(KeyPerson(LeadAt(state, "s-mother", Day(20))), "counsellor");
  EXPECT_EQ(KeyPerson(LeadAt(state, "s-mother", Day(21))), "support-worker");
  // Transferring again to the same lead changes nothing.
  auto again = world_.When(command);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->empty());
}

TEST_F(StageLeadTest, ATransferNeedsALeadAndABasis) {
  const char kTransfer[] = R"pb(
    transfer_stage_lead {
      stage_id: "s-mother"
      lead { agency_id: "city-cfs" key_person_staff_id: "support-worker" }
      reason: "x"
    })pb";
  EXPECT_EQ(world_.WhenCase("c1", "cw", Day(5), kTransfer).status(),
            errors::MissingField("decision"));
  v1::CaseCommand command = world_.CaseCommand("c1", "cw", Day(5), kTransfer);
  auto* transfer = command.mutable_transfer_stage_lead();
  transfer->mutable_decision()->set_conference_id("k1");
  transfer->mutable_decision()->set_decision_id("d-lead-mother");
  EXPECT_EQ(world_.When(command).status(), errors::StageHasNoLead("s-mother"));
  transfer->set_handover_id("h1");
  EXPECT_EQ(world_.When(command).status(),
            errors::InvalidField("handover_id",
                                 "cannot be combined with a decision."));
}

TEST_F(StageLeadTest, ARetroactiveCorrectionChangesOnlyLaterKnowledge) {
  world_.GivenCase("c1", "counsellor", Day(4), kAssignMother);  // known day 4
  DecideMove(39);
  world_.GivenCase("c1", "support-worker", Day(40), R"pb(
    transfer_stage_lead {
      stage_id: "s-mother"
      lead { agency_id: "city-cfs" key_person_staff_id: "support-worker" }
      reason: "moved at the second conference"
      decision { conference_id: "k2" decision_id: "d-move" }
    })pb");  // valid from day 40, known day 40
  // Recorded on day 60: the support worker had in fact taken over on day 30.
  world_.GivenCase("c1", "support-worker", Day(60), R"pb(
    correct_stage_lead {
      stage_id: "s-mother"
      lead { agency_id: "city-cfs" key_person_staff_id: "support-worker" }
      valid_from { seconds: 1714554000 }  # day 30
      valid_to { seconds: 1715418000 }    # day 40
      reason: "the hand-over happened at the hospital admission on day 30"
    })pb");
  const CaseState& state = world_.Case("c1");

  // Who led on day 35?
  EXPECT_EQ(KeyPerson(LeadAt(state, "s-mother", Day(35), Day(20))),
            "counsellor");
  EXPECT_EQ(KeyPerson(LeadAt(state, "s-mother", Day(35), Day(50))),
            "counsellor");  // before the correction was recorded
  EXPECT_EQ(KeyPerson(LeadAt(state, "s-mother", Day(35), Day(60))),
            "support-worker");  // from the correction on
  EXPECT_EQ(KeyPerson(LeadAt(state, "s-mother", Day(35))), "support-worker");
  // On day 45, as known on day 39 (before the transfer) and now.
  EXPECT_EQ(KeyPerson(LeadAt(state, "s-mother", Day(45), Day(39))),
            "counsellor");
  EXPECT_EQ(KeyPerson(LeadAt(state, "s-mother", Day(45))), "support-worker");
  // Before the plan there was no lead.
  EXPECT_EQ(KeyPerson(LeadAt(state, "s-mother", Day(2))), "none");

  const std::vector<v1::LeadPeriod> now = LeadHistory(state, "s-mother");
  ASSERT_EQ(now.size(), 3u);
  EXPECT_EQ(now[0].lead().key_person_staff_id(), "counsellor");
  EXPECT_EQ(ToTime(now[0].valid_from()), Day(4));
  EXPECT_EQ(ToTime(now[0].valid_to()), Day(30));
  EXPECT_EQ(now[1].fact().change(), v1::LEAD_CHANGE_KIND_CORRECTED);
  EXPECT_EQ(ToTime(now[1].valid_to()), Day(40));
  EXPECT_EQ(now[2].fact().change(), v1::LEAD_CHANGE_KIND_TRANSFERRED);
  EXPECT_FALSE(now[2].has_valid_to());

  const std::vector<v1::LeadPeriod> then =
      LeadHistory(state, "s-mother", Day(50));
  ASSERT_EQ(then.size(), 2u);
  EXPECT_EQ(ToTime(then[0].valid_to()), Day(40));

  const std::vector<v1::LeadFact> ledger = LeadLedger(state, "s-mother");
  ASSERT_EQ(ledger.size(), 3u);
  EXPECT_EQ(ToTime(ledger[2].known_at()), Day(60));
  EXPECT_EQ(ToTime(ledger[2].valid_from()), Day(30));
}

TEST_F(StageLeadTest, KnowledgeIsRecordedInOrder) {
  world_.GivenCase("c1", "counsellor", Day(10), kAssignMother);
  const auto events = world_.WhenCase("c1", "counsellor", Day(8), R"pb(
    correct_stage_lead {
      stage_id: "s-mother"
      valid_from { seconds: 1712307600 }  # day 4
      reason: "x"
    })pb");
  EXPECT_EQ(events.status(), errors::LeadRecordedOutOfOrder("s-mother"));
}

TEST_F(StageLeadTest, CorrectionsAreCheckedLikeLeads) {
  const auto backwards = world_.WhenCase("c1", "counsellor", Day(8), R"pb(
    correct_stage_lead {
      stage_id: "s-mother"
      valid_from { seconds: 1712653200 }  # day 8
      valid_to { seconds: 1712307600 }    # day 4
      reason: "x"
    })pb");
  EXPECT_EQ(backwards.status(),
            errors::InvalidField("valid_to", "must be after valid_from."));
  world_.RegisterStaff("new-counsellor",
                       v1::PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR,
                       "city-mh", Day(6));
  const auto before_joining = world_.WhenCase("c1", "counsellor", Day(8), R"pb(
    correct_stage_lead {
      stage_id: "s-mother"
      lead { agency_id: "city-mh" key_person_staff_id: "new-counsellor" }
      valid_from { seconds: 1712307600 }  # day 4
      valid_to { seconds: 1712653200 }    # day 8
      reason: "x"
    })pb");
  EXPECT_EQ(before_joining.status(),
            errors::StaffNotActiveAt("new-counsellor", "2024-04-05 09:00 UTC"));
}

TEST_F(StageLeadTest, AnEndedLeadLeavesTheStageFree) {
  world_.GivenCase("c1", "counsellor", Day(4), kAssignMother);
  world_.GivenCase("c1", "counsellor", Day(30),
                   R"pb(
                     end_stage_lead {
                       stage_id: "s-mother"
                       reason: "treatment stage finished"
                     })pb");
  const CaseState& state = world_.Case("c1");
  EXPECT_EQ(KeyPerson(LeadAt(state, "s-mother", Day(29))), "counsellor");
  EXPECT_EQ(KeyPerson(LeadAt(state, "s-mother", Day(30))), "none");
  EXPECT_EQ(world_
                .WhenCase("c1", "counsellor", Day(31), R"pb(
                  end_stage_lead { stage_id: "s-mother" reason: "again" })pb")
                .status(),
            errors::StageHasNoLead("s-mother"));
  EXPECT_TRUE(world_.WhenCase("c1", "counsellor", Day(31), kAssignMother).ok());
}

TEST_F(StageLeadTest, ALeadAgencyCannotLeaveTheTeamNorItsStageBeDropped) {
  world_.GivenCase("c1", "counsellor", Day(4), kAssignMother);
  EXPECT_EQ(world_
                .WhenCase("c1", "cw", Day(5), R"pb(
                  remove_team_agency { agency_id: "city-mh" reason: "x" })pb")
                .status(),
            errors::AgencyLeadsStage("city-mh", "s-mother"));

  world_.GivenConference("k1", "counsellor", Day(5), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-plan-2"
        kind: DECISION_KIND_PLAN_REVISION
        case_id: "c1"
        text: "children only"
      }
    })pb");
  v1::CaseCommand revise =
      world_.CaseCommand("c1", "counsellor", Day(5), kRevisePlan);
  v1::SupportPlan* plan = revise.mutable_revise_support_plan()->mutable_plan();
  plan->mutable_stages()->DeleteSubrange(0, 1);
  plan->mutable_roles()->DeleteSubrange(0, 1);
  revise.mutable_revise_support_plan()->mutable_decision()->set_decision_id(
      "d-plan-2");
  EXPECT_EQ(world_.When(revise).status(), errors::StageStillLed("s-mother"));
}

class CaseEndingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::AdoptPlan(world_);
    world_.GivenCase("c1", "counsellor", Day(4), kAssignMother);
    world_.GivenConference("k1", "support-worker", Day(3), R"pb(
      record_conference_decision {
        decision {
          decision_id: "d-close"
          kind: DECISION_KIND_CASE_CLOSURE
          case_id: "c1"
          text: "support goals reached: 終結"
        }
      })pb");
    world_.GivenConference("k1", "support-worker", Day(3), R"pb(
      record_conference_decision {
        decision {
          decision_id: "d-move-away"
          kind: DECISION_KIND_CASE_TRANSFER
          case_id: "c1"
          text: "the family moves to another city: 転居"
        }
      })pb");
  }
  World world_{StoryDirectory()};
};

TEST_F(CaseEndingTest, ClosingARegisteredCaseNeedsAClosureDecision) {
  EXPECT_EQ(world_
                .WhenCase("c1", "cw", Day(90),
                          R"pb(close_case { reason: "stable" })pb")
                .status(),
            errors::DecisionRequired("c1", "to close it"));
  EXPECT_EQ(world_
                .WhenCase("c1", "cw", Day(90), R"pb(
                  close_case {
                    reason: "stable"
                    decision { conference_id: "k1" decision_id: "d-move-away" }
                  })pb")
                .status(),
            errors::WrongDecisionKind("k1", "d-move-away",
                                      v1::DECISION_KIND_CASE_TRANSFER,
                                      "a case closure"));
}

TEST_F(CaseEndingTest, ClosingEndsTheLeadsInForce) {
  const v1::CaseCommand command = world_.CaseCommand("c1", "cw", Day(90), R"pb(
    close_case {
      reason: "stable"
      decision { conference_id: "k1" decision_id: "d-close" }
    })pb");
  EXPECT_TRUE(EventsEqual(
      Expected(command,
               {R"pb(
                  stage_lead_ended {
                    stage_id: "s-mother"
                    previous {
                      agency_id: "city-mh"
                      key_person_staff_id: "counsellor"
                    }
                    valid_from { seconds: 1719738000 }  # day 90
                    reason: "case closed"
                  })pb",
                R"pb(
                  case_closed {
                    reason: "stable"
                    decision { conference_id: "k1" decision_id: "d-close" }
                  })pb"}),
      world_.When(command)));
  world_.Apply(command);
  EXPECT_TRUE(world_.Case("c1").closed);
  EXPECT_EQ(KeyPerson(LeadAt(world_.Case("c1"), "s-mother", Day(91))), "none");
  EXPECT_EQ(KeyPerson(LeadAt(world_.Case("c1"), "s-mother", Day(89))),
            "counsellor");
}

TEST_F(CaseEndingTest, AFamilyMovingAwayIsATransferDecidedAtAConference) {
  EXPECT_EQ(
      world_
          .WhenCase("c1", "cw", Day(90), R"pb(
            transfer_case { destination: "桑名市" reason: "moved" })pb")
          .status(),
      errors::DecisionRequired("c1", "to transfer it"));
  const v1::CaseCommand command = world_.CaseCommand("c1", "cw", Day(90), R"pb(
    transfer_case {
      destination: "桑名市"
      reason: "the family moved"
      decision { conference_id: "k1" decision_id: "d-move-away" }
    })pb");
  auto events = world_.When(command);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].stage_lead_ended().reason(), "case transferred");
  EXPECT_EQ((*events)[1].case_transferred().destination(), "桑名市");
  world_.Apply(command);
  const CaseState& state = world_.Case("c1");
  EXPECT_TRUE(state.closed);
  EXPECT_EQ(state.transferred_to, "桑名市");
  EXPECT_EQ(state.closure_decision.decision_id(), "d-move-away");
  EXPECT_EQ(world_.WhenCase("c1", "cw", Day(91), kAssignMother).status(),
            errors::CaseClosed("c1"));
  world_.GivenCase("c1", "cw", Day(120),
                   R"pb(reopen_case { reason: "the family came back" })pb");
  EXPECT_EQ(world_.Case("c1").transferred_to, "");
}

TEST(CaseEndingWithoutRegistrationTest, AnUnregisteredCaseClosesWithoutOne) {
  World world(StoryDirectory());
  testing::OpenStandardCase(world);
  world.GivenCase("c1", "cw", Day(1), R"pb(
    change_case_registration {
      registration: REGISTRATION_NONE
      reason: "no longer needed"
    })pb");
  EXPECT_FALSE(world.Case("c1").registered_since.has_value());
  EXPECT_TRUE(world
                  .WhenCase("c1", "cw", Day(2),
                            R"pb(close_case { reason: "resolved" })pb")
                  .ok());
}

}  // namespace
}  // namespace renkei::domain
