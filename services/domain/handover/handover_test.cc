// Given/when/then tests of handovers on staff rotation: starting, the
// briefing packet, acknowledgement by the successor, completion moving every
// lead and open item, and the refusal to mark a staff member as left while
// they still hold something.
#include "gtest/gtest.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/errors.h"
#include "services/domain/handover/decider.h"
#include "services/domain/handover/packet.h"
#include "services/domain/handover/responsibilities.h"
#include "services/domain/lookup.h"
#include "services/domain/testing/conference_case.h"
#include "services/domain/testing/fixtures.h"
#include "services/domain/testing/world.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

using testing::Day;
using testing::Parse;
using testing::ProtoEquals;
using testing::StoryDirectory;
using testing::World;

constexpr char kStart[] = R"pb(
  start_handover {
    outgoing_staff_id: "counsellor"
    successor_staff_id: "counsellor-2"
    reason: HANDOVER_REASON_MOVING_POST
    note: "moves to the health centre in April"
  })pb";

constexpr char kAcknowledge[] =
    R"pb(acknowledge_handover_packet { note: "read it all" })pb";

class HandoverTest : public ::testing::Test {
 protected:
  // The counsellor is key person of s-mother, holds action item a1 (due day
  // 10), handles r-consult (received from city-pa) and r-clinic (sent to the
  // clinic) on c1. counsellor-2 joins city-mh on day 50.
  void SetUp() override {
    testing::AdoptPlan(world_);
    world_.GivenCase("c1", "counsellor", Day(4), R"pb(
      assign_stage_lead {
        stage_id: "s-mother"
        lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
        reason: "agreed at the individual case conference"
        decision { conference_id: "k1" decision_id: "d-lead-mother" }
      })pb");
    world_.GivenConference("k1", "counsellor", Day(3), R"pb(
      assign_action_item {
        item {
          action_item_id: "a1"
          case_id: "c1"
          description: "ask the school about attendance"
          assignee_staff_id: "counsellor"
          assignee_agency_id: "city-mh"
          due { seconds: 1712826000 }  # day 10
        }
      })pb");
    world_.GivenCase("c1", "cw", Day(5), R"pb(
      register_statutory_forum {
        forum {
          forum_id: "f-yotaikyo"
          kind: FORUM_KIND_YOTAIKYO
          name: "要対協"
          member_agency_ids: "city-pa"
          member_agency_ids: "city-mh"
          member_agency_ids: "city-cfs"
        }
      })pb");
    world_.GivenCase("c1", "cw", Day(5), R"pb(
      make_referral {
        referral_id: "r-consult"
        to_agency_id: "city-mh"
        to_staff_id: "counsellor"
        subject_ids: "mother"
        reason: "how to approach the mother?"
        urgency: REFERRAL_URGENCY_ROUTINE
        response_deadline { seconds: 1712653200 }  # day 8
        purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        forum_id: "f-yotaikyo"
      })pb");
    world_.GivenCase("c1", "counsellor", Day(6), R"pb(
      accept_referral {
        referral_id: "r-consult"
        assigned_staff_id: "counsellor"
      })pb");
    world_.GivenCase("c1", "counsellor", Day(6), R"pb(
      record_entry {
        entry {
          entry_id: "e-assess"
          subject_ids: "mother"
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
          assessment {
            illness: ASSESSMENT_RATING_HIGH
            urgency: ASSESSMENT_RATING_MEDIUM
            case_ness: ASSESSMENT_RATING_HIGH
            quick_response: ASSESSMENT_RATING_MEDIUM
            suicidal_ideation: SUICIDAL_IDEATION_UNKNOWN
          }
        }
      })pb");
    world_.GivenCase("c1", "counsellor", Day(7), R"pb(
      record_entry {
        entry {
          entry_id: "e-statement"
          subject_ids: "daughter"
          categories: INFORMATION_CATEGORY_FAMILY_RELATIONS
          confidentiality {
            withheld_from_subject_ids: "mother"
            reason: "the daughter asked that this be kept from her mother"
          }
          contact {
            channel: CONTACT_CHANNEL_IN_PERSON
            counterpart_subject_ids: "daughter"
            summary: "the mother drinks from the morning"
          }
        }
      })pb");
    world_.GivenCase("c1", "counsellor", Day(7), R"pb(
      give_consent {
        terms {
          consent_id: "k-clinic"
          subject_id: "mother"
          decided_by_subject_id: "mother"
          scope {
            agency_ids: "clinic"
            purposes: SHARING_PURPOSE_MEDICAL_CARE
            categories: INFORMATION_CATEGORY_MENTAL_HEALTH
          }
          form: CONSENT_FORM_WRITTEN
          valid_until { seconds: 1718010000 }  # day 70
        }
      })pb");
    world_.GivenCase("c1", "counsellor", Day(7), R"pb(
      add_team_agency {
        agency_id: "clinic"
        reason: "treatment"
        decision { conference_id: "k1" decision_id: "d-team-clinic" }
      })pb");
    world_.GivenCase("c1", "counsellor", Day(8), R"pb(
      make_referral {
        referral_id: "r-clinic"
        to_agency_id: "clinic"
        subject_ids: "mother"
        reason: "treatment for depression and alcohol"
        urgency: REFERRAL_URGENCY_PROMPT
        response_deadline { seconds: 1713258000 }  # day 15
        purpose: SHARING_PURPOSE_MEDICAL_CARE
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
      })pb");
    world_.RegisterStaff("counsellor-2",
                         v1::PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR,
                         "city-mh", Day(50));
  }

  std::vector<std::string> Refs(absl::string_view staff_id, absl::Time at) {
    std::vector<std::string> refs;
    for (const v1::Responsibility& r :
         OpenResponsibilities(staff_id, world_.Everything(), at)) {
      refs.push_back(r.ref_id());
    }
    return refs;
  }

  World world_{StoryDirectory()};
};

const std::vector<std::string> kCounsellorHolds = {
    "key person of stage 's-mother' of case 'c1' for agency 'city-mh'",
    "referral 'r-consult' of case 'c1' received from 'city-pa' (accepted)",
    "referral 'r-clinic' of case 'c1' sent to 'clinic' (awaiting an answer)",
    "action item 'a1' of conference 'k1' due 2024-04-11",
};

TEST_F(HandoverTest, LeavingWithOpenResponsibilitiesIsRefusedWithTheFullList) {
  EXPECT_EQ(world_.WhenDeparture("counsellor", Day(60)).status(),
            errors::StaffHoldsResponsibilities("counsellor", kCounsellorHolds));
  EXPECT_EQ(
      Refs("counsellor", Day(60)),
      (std::vector<std::string>{"s-mother", "r-consult", "r-clinic", "a1"}));
  // Someone who holds nothing may leave.
  EXPECT_TRUE(world_.WhenDeparture("teacher", Day(60)).ok());
}

TEST_F(HandoverTest, StartingAHandoverNamesASuccessorInTheSameAgency) {
  const v1::HandoverCommand command =
      world_.HandoverCommand("h1", "counsellor", Day(55), kStart);
  auto events = world_.When(command);
  ASSERT_TRUE(events.ok()) << events.status();
  v1::HandoverEvent expected = Parse<v1::HandoverEvent>(R"pb(
    handover_started {
      handover_id: "h1"
      outgoing_staff_id: "counsellor"
      successor_staff_id: "counsellor-2"
      agency_id: "city-mh"
      reason: HANDOVER_REASON_MOVING_POST
      note: "moves to the health centre in April"
    })pb");
  *expected.mutable_occurred_at() = command.occurred_at();
  *expected.mutable_actor() = command.actor();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_TRUE(ProtoEquals(expected, (*events)[0]));

  auto start = [&](absl::string_view staff, absl::string_view text) {
    return world_.WhenHandover("h1", staff, Day(55), text).status();
  };
  EXPECT_EQ(start("counsellor", R"pb(start_handover {
                                       outgoing_staff_id: "counsellor"
                                       successor_staff_id: "support-worker"
                                       reason: HANDOVER_REASON_LEAVING
                                     })pb"),
            errors::StaffNotInAgency("support-worker", "city-mh"));
  EXPECT_EQ(start("counsellor", R"pb(start_handover {
                                       outgoing_staff_id: "counsellor"
                                       successor_staff_id: "counsellor"
                                       reason: HANDOVER_REASON_LEAVING
                                     })pb"),
            errors::InvalidField("successor_staff_id",
                                 "is the outgoing staff member."));
  EXPECT_EQ(start("counsellor", R"pb(start_handover {
                                       outgoing_staff_id: "counsellor"
                                       successor_staff_id: "counsellor-2"
                                     })pb"),
            errors::InvalidEnum("reason", 0));
  EXPECT_EQ(start("cw", kStart), errors::NotHandoverAgency("h1", "city-pa"));
  EXPECT_EQ(start("cw", R"pb(start_handover {
                               outgoing_staff_id: "former-cw"
                               successor_staff_id: "cw"
                               reason: HANDOVER_REASON_LEAVING
                             })pb"),
            errors::StaffHasLeft("former-cw"));
  world_.Apply(command);
  EXPECT_EQ(start("counsellor", kStart), errors::HandoverAlreadyExists("h1"));
  EXPECT_EQ(world_.Handover("h1").status, v1::HANDOVER_STATUS_STARTED);
}

TEST_F(HandoverTest, ThePacketBriefsTheSuccessorOnEverythingOpen) {
  world_.GivenHandover("h1", "counsellor", Day(55), kStart);
  const v1::HandoverPacket packet =
      BuildHandoverPacket(world_.Handover("h1"), world_.Everything(), Day(60));
  EXPECT_EQ(packet.successor_staff_id(), "counsellor-2");
  EXPECT_EQ(packet.responsibilities_size(), 4);
  ASSERT_EQ(packet.cases_size(), 1);
  const v1::PacketCase& c1 = packet.cases(0);
  EXPECT_EQ(c1.case_id(), "c1");
  EXPECT_EQ(c1.registration(), v1::REGISTRATION_SUPPORT_NEEDED);
  ASSERT_EQ(c1.stages_led_size(), 1);
  EXPECT_EQ(c1.stages_led(0).title(), "the mother's treatment");
  EXPECT_EQ(ToTime(c1.stages_led(0).since()), Day(4));
  ASSERT_EQ(c1.action_items_size(), 1);
  EXPECT_EQ(c1.action_items(0).item().action_item_id(), "a1");
  EXPECT_TRUE(c1.action_items(0).overdue());
  ASSERT_EQ(c1.open_referrals_size(), 2);
  EXPECT_EQ(c1.open_referrals(0).referral_id(), "r-consult");
  EXPECT_EQ(c1.open_referrals(0).side(), v1::REFERRAL_SIDE_RECEIVER);
  EXPECT_EQ(c1.open_referrals(1).referral_id(), "r-clinic");
  EXPECT_EQ(c1.open_referrals(1).side(), v1::REFERRAL_SIDE_REFERRER);
  EXPECT_EQ(c1.open_referrals(1).counterpart_agency_id(), "clinic");
  ASSERT_EQ(c1.consents_in_force_size(), 1);
  ASSERT_EQ(c1.consents_expiring_size(), 1);
  EXPECT_EQ(ToTime(c1.consents_expiring(0).valid_until()), Day(70));
  ASSERT_EQ(c1.confidential_warnings_size(), 1);
  EXPECT_EQ(c1.confidential_warnings(0).entry_id(), "e-statement");
  EXPECT_EQ(c1.confidential_warnings(0).withheld_from_subject_ids(0), "mother");
  EXPECT_EQ(c1.latest_assessment().entry_id(), "e-assess");
  EXPECT_EQ(c1.latest_assessment().assessment().suicidal_ideation(),
            v1::SUICIDAL_IDEATION_UNKNOWN);
  ASSERT_EQ(c1.mid_and_long_term_goals_size(), 2);
  EXPECT_EQ(c1.mid_and_long_term_goals(0).goal_id(), "g-routine");
  EXPECT_EQ(c1.mid_and_long_term_goals(1).goal_id(), "g-sober");
  EXPECT_EQ(c1.plan_revision(), 1u);
  EXPECT_EQ(ToTime(c1.next_review_due()), Day(90));

  // With a shorter window the consent is no longer "expiring".
  PacketOptions options;
  options.expiring_within = absl::Hours(24 * 5);
  EXPECT_EQ(BuildHandoverPacket(world_.Handover("h1"), world_.Everything(),
                                Day(60), options)
                .cases(0)
                .consents_expiring_size(),
            0);
}

TEST_F(HandoverTest, OnlyTheSuccessorAcknowledgesThePacket) {
  world_.GivenHandover("h1", "counsellor", Day(55), kStart);
  EXPECT_EQ(
      world_.WhenHandover("h1", "counsellor", Day(56), kAcknowledge).status(),
      errors::NotSuccessor("h1", "counsellor"));
  EXPECT_EQ(
      world_.WhenHandover("h1", "counsellor", Day(56), "complete_handover {}")
          .status(),
      errors::HandoverNotAcknowledged("h1"));
  world_.GivenHandover("h1", "counsellor-2", Day(56), kAcknowledge);
  const HandoverState& state = world_.Handover("h1");
  EXPECT_EQ(state.status, v1::HANDOVER_STATUS_ACKNOWLEDGED);
  EXPECT_EQ(state.acknowledged.size(), 4u);
  EXPECT_EQ(state.acknowledged_at, Day(56));
}

TEST_F(HandoverTest, WorkAddedAfterAcknowledgementMustBeAcknowledgedAgain) {
  world_.GivenHandover("h1", "counsellor", Day(55), kStart);
  world_.GivenHandover("h1", "counsellor-2", Day(56), kAcknowledge);
  world_.GivenConference("k1", "counsellor", Day(57), R"pb(
    assign_action_item {
      item {
        action_item_id: "a3"
        description: "call the clinic"
        assignee_staff_id: "counsellor"
        assignee_agency_id: "city-mh"
        due { seconds: 1717405200 }  # day 63
      }
    })pb");
  EXPECT_EQ(
      world_.WhenHandover("h1", "counsellor", Day(58), "complete_handover {}")
          .status(),
      errors::PacketChangedSinceAcknowledgement(
          "h1", {"action item 'a3' of conference 'k1' due 2024-06-03"}));
  world_.GivenHandover("h1", "counsellor-2", Day(58), kAcknowledge);
  EXPECT_TRUE(
      world_.WhenHandover("h1", "counsellor", Day(58), "complete_handover {}")
          .ok());
}

TEST_F(HandoverTest, ACompletedHandoverMovesEverythingToTheSuccessor) {
  world_.GivenHandover("h1", "counsellor", Day(55), kStart);
  world_.GivenHandover("h1", "counsellor-2", Day(56), kAcknowledge);
  const std::vector<PlannedCommand> plan =
      world_.CompleteHandover("h1", "counsellor", Day(60));
  ASSERT_EQ(plan.size(), 4u);
  EXPECT_EQ(plan[0].stream_id, "case-c1");
  EXPECT_EQ(plan[0].idempotency_key,
            "handover/h1/RESPONSIBILITY_KIND_STAGE_LEAD/case-c1/s-mother");
  EXPECT_EQ(plan[3].stream_id, "conference-k1");
  EXPECT_EQ(plan[3].causation_id, "h1");
  const auto& transfer =
      std::get<v1::CaseCommand>(plan[0].command).transfer_stage_lead();
  EXPECT_EQ(transfer.reason(), "handover h1");
  EXPECT_EQ(transfer.handover_id(), "h1");
  EXPECT_EQ(transfer.lead().key_person_staff_id(), "counsellor-2");

  EXPECT_EQ(world_.Handover("h1").status, v1::HANDOVER_STATUS_COMPLETED);
  EXPECT_EQ(world_.Handover("h1").moved.size(), 4u);
  EXPECT_TRUE(Refs("counsellor", Day(60)).empty());
  EXPECT_EQ(
      Refs("counsellor-2", Day(60)),
      (std::vector<std::string>{"s-mother", "r-consult", "r-clinic", "a1"}));
  const CaseState& c1 = world_.Case("c1");
  const std::optional<v1::LeadPeriod> lead = LeadAt(c1, "s-mother", Day(61));
  ASSERT_TRUE(lead.has_value());
  EXPECT_EQ(lead->lead().key_person_staff_id(), "counsellor-2");
  EXPECT_EQ(lead->fact().handover_id(), "h1");
  EXPECT_EQ(LeadAt(c1, "s-mother", Day(59))->lead().key_person_staff_id(),
            "counsellor");
  EXPECT_EQ(c1.FindReferral("r-consult")->receiver_staff_id, "counsellor-2");
  EXPECT_EQ(c1.FindReferral("r-clinic")->referrer_staff_id, "counsellor-2");
  EXPECT_EQ(
      world_.Conference("k1").FindActionItem("a1")->item.assignee_staff_id(),
      "counsellor-2");
  // As of a day before the completion, the counsellor still held all four:
  // who handled a referral or held an item then, not now.
  EXPECT_EQ(
      Refs("counsellor", Day(59)),
      (std::vector<std::string>{"s-mother", "r-consult", "r-clinic", "a1"}));
  EXPECT_TRUE(Refs("counsellor-2", Day(59)).empty());
  EXPECT_EQ(c1.FindReferral("r-consult")->ReceiverAt(Day(59)), "counsellor");
  EXPECT_EQ(c1.FindReferral("r-clinic")->ReferrerAt(Day(59)), "counsellor");
  EXPECT_EQ(world_.Conference("k1").FindActionItem("a1")->AssigneeAt(Day(59)),
            std::make_pair(std::string("counsellor"), std::string("city-mh")));

  // Running the plan again changes nothing.
  for (const PlannedCommand& planned : plan) {
    absl::StatusOr<size_t> events = world_.Run(planned);
    ASSERT_TRUE(events.ok()) << events.status();
    EXPECT_EQ(*events, 0u) << planned.idempotency_key;
  }
  // And the counsellor may now leave.
  world_.GivenDeparture("counsellor", Day(61));
  EXPECT_TRUE(world_.directory().FindStaff("counsellor")->HasLeft());
}

TEST_F(HandoverTest, ACompletedHandoverCoversWhatIsNotMovedYet) {
  world_.GivenHandover("h1", "counsellor", Day(55), kStart);
  world_.GivenHandover("h1", "counsellor-2", Day(56), kAcknowledge);
  // Completed, but the planned moves have not run yet.
  world_.GivenHandover("h1", "counsellor", Day(60), "complete_handover {}");
  EXPECT_EQ(Refs("counsellor", Day(60)).size(), 4u);
  EXPECT_TRUE(world_.WhenDeparture("counsellor", Day(61)).ok());

  // Something new after the handover is not covered.
  world_.GivenConference("k1", "counsellor", Day(60), R"pb(
    assign_action_item {
      item {
        action_item_id: "a4"
        description: "one more thing"
        assignee_staff_id: "counsellor"
        assignee_agency_id: "city-mh"
        due { seconds: 1717405200 }  # day 63
      }
    })pb");
  EXPECT_EQ(world_.WhenDeparture("counsellor", Day(61)).status(),
            errors::StaffHoldsResponsibilities(
                "counsellor",
                {"action item 'a4' of conference 'k1' due 2024-06-03"}));
}

TEST_F(HandoverTest, MovesCitingAHandoverAreChecked) {
  constexpr char kTransfer[] = R"pb(
    transfer_stage_lead {
      stage_id: "s-mother"
      lead { agency_id: "city-mh" key_person_staff_id: "counsellor-2" }
      reason: "handover h1"
      handover_id: "h1"
    })pb";
  EXPECT_EQ(world_.WhenCase("c1", "counsellor", Day(56), kTransfer).status(),
            errors::HandoverNotFound("h1"));
  world_.GivenHandover("h1", "counsellor", Day(55), kStart);
  EXPECT_EQ(world_.WhenCase("c1", "counsellor", Day(56), kTransfer).status(),
            errors::HandoverNotAcknowledged("h1"));
  world_.GivenHandover("h1", "counsellor-2", Day(56), kAcknowledge);
  EXPECT_TRUE(world_.WhenCase("c1", "counsellor", Day(57), kTransfer).ok());

  v1::CaseCommand elsewhere =
      world_.CaseCommand("c1", "counsellor", Day(57), kTransfer);
  elsewhere.mutable_transfer_stage_lead()->mutable_lead()->set_agency_id(
      "city-cfs");
  elsewhere.mutable_transfer_stage_lead()
      ->mutable_lead()
      ->set_key_person_staff_id("support-worker");
  EXPECT_EQ(world_.When(elsewhere).status(),
            errors::InvalidField("lead.agency_id",
                                 "must stay the lead agency when a handover "
                                 "moves the key person."));
  EXPECT_EQ(world_
                .WhenCase("c1", "counsellor", Day(57), R"pb(
                  reassign_referral_handler {
                    referral_id: "r-clinic"
                    side: REFERRAL_SIDE_REFERRER
                    staff_id: "counsellor-2"
                    reason: "handover h1"
                    handover_id: "h1"
                  })pb")
                .ok(),
            true);
  world_.RegisterStaff("counsellor-3",
                       v1::PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR,
                       "city-mh", Day(50));
  EXPECT_EQ(world_
                .WhenConference("k1", "counsellor", Day(57), R"pb(
                  reassign_action_item {
                    action_item_id: "a1"
                    staff_id: "counsellor-3"
                    agency_id: "city-mh"
                    reason: "handover h1"
                    handover_id: "h1"
                  })pb")
                .status(),
            errors::HandoverDoesNotCover("h1", "counsellor", "counsellor-3"));

  world_.GivenHandover("h1", "counsellor", Day(57),
                       R"pb(cancel_handover { reason: "stays after all" })pb");
  EXPECT_EQ(world_.WhenCase("c1", "counsellor", Day(58), kTransfer).status(),
            errors::HandoverFinished("h1", v1::HANDOVER_STATUS_CANCELLED));
  EXPECT_EQ(
      world_.WhenHandover("h1", "counsellor-2", Day(58), kAcknowledge).status(),
      errors::HandoverFinished("h1", v1::HANDOVER_STATUS_CANCELLED));
}

TEST_F(HandoverTest, ReassigningAReferralsHandler) {
  constexpr char kReassign[] = R"pb(
    reassign_referral_handler {
      referral_id: "r-consult"
      side: REFERRAL_SIDE_RECEIVER
      staff_id: "counsellor-2"
      reason: "caseload balancing"
    })pb";
  EXPECT_EQ(world_.WhenCase("c1", "cw", Day(60), kReassign).status(),
            errors::NotReferralSide("r-consult", "city-pa", "receiving"));
  const v1::CaseCommand command =
      world_.CaseCommand("c1", "counsellor", Day(60), kReassign);
  EXPECT_TRUE(testing::EventsEqual(
      testing::Expected(command, {R"pb(
                                    referral_handler_reassigned {
                                      referral_id: "r-consult"
                                      side: REFERRAL_SIDE_RECEIVER
                                      previous_staff_id: "counsellor"
                                      staff_id: "counsellor-2"
                                      reason: "caseload balancing"
                                    })pb"}),
      world_.When(command)));
  world_.Apply(command);
  auto again = world_.When(command);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->empty());

  v1::CaseCommand outsider = command;
  outsider.mutable_reassign_referral_handler()->set_staff_id("support-worker");
  EXPECT_EQ(world_.When(outsider).status(),
            errors::StaffNotInAgency("support-worker", "city-mh"));

  world_.GivenCase("c1", "cw", Day(61), R"pb(
    close_referral { referral_id: "r-consult" outcome: "advice given" })pb");
  v1::CaseCommand closed = command;
  closed.mutable_reassign_referral_handler()->set_staff_id("counsellor");
  EXPECT_EQ(world_.When(closed).status(),
            errors::InvalidReferralTransition(
                "r-consult", v1::REFERRAL_STATUS_CLOSED, "reassigned"));
}

TEST_F(HandoverTest, CompletionAndCancellationRefusals) {
  world_.GivenHandover("h1", "counsellor", Day(55), kStart);
  world_.GivenHandover("h1", "counsellor-2", Day(56), kAcknowledge);
  EXPECT_EQ(
      world_.WhenHandover("h1", "cw", Day(57), "complete_handover {}").status(),
      errors::NotHandoverAgency("h1", "city-pa"));
  EXPECT_EQ(
      world_.WhenHandover("h1", "counsellor", Day(57), "cancel_handover {}")
          .status(),
      errors::MissingField("reason"));
  EXPECT_EQ(Decide(world_.Handover("h1"),
                   world_.HandoverCommand("h2", "counsellor", Day(57),
                                          "complete_handover {}"),
                   world_.directory(), world_.Everything())
                .status(),
            errors::HandoverIdMismatch("h1", "h2"));
  EXPECT_EQ(
      DecideHandoverCompletion(
          world_.Handover("h1"),
          world_.HandoverCommand("h1", "counsellor", Day(57), kAcknowledge),
          world_.directory(), world_.Everything())
          .status(),
      errors::InvalidField("command", "is not a CompleteHandover."));
  world_.CompleteHandover("h1", "counsellor", Day(57));
  EXPECT_EQ(
      world_.WhenHandover("h1", "counsellor", Day(58), "complete_handover {}")
          .status(),
      errors::HandoverFinished("h1", v1::HANDOVER_STATUS_COMPLETED));
  EXPECT_EQ(world_
                .WhenHandover("h1", "counsellor", Day(58),
                              R"pb(cancel_handover { reason: "x" })pb")
                .status(),
            errors::HandoverFinished("h1", v1::HANDOVER_STATUS_COMPLETED));
  // A plan is only made for a completed handover.
  HandoverState started = world_.Handover("h1");
  started.status = v1::HANDOVER_STATUS_ACKNOWLEDGED;
  EXPECT_TRUE(PlanHandoverCompletion(started, v1::Actor{}, Day(58)).empty());
}

TEST_F(HandoverTest, TheCaseloadToLoadIsWhatTheStaffMemberIsInvolvedIn) {
  EXPECT_TRUE(Involves(world_.Case("c1"), "counsellor"));
  EXPECT_TRUE(Involves(world_.Conference("k1"), "counsellor"));
  EXPECT_FALSE(Involves(world_.Case("c1"), "teacher"));
  EXPECT_FALSE(Involves(world_.Conference("k1"), "teacher"));
  // Named as a referral's receiver without having recorded anything.
  world_.GivenCase("c1", "cw", Day(9), R"pb(
    register_statutory_forum {
      forum {
        forum_id: "f-nurse"
        kind: FORUM_KIND_YOTAIKYO
        name: "個別ケース検討会議"
        member_agency_ids: "city-pa"
        member_agency_ids: "health-centre"
      }
    })pb");
  world_.GivenCase("c1", "cw", Day(9), R"pb(
    make_referral {
      referral_id: "r-nurse"
      to_agency_id: "health-centre"
      to_staff_id: "hc-nurse"
      subject_ids: "mother"
      reason: "a home visit by the public-health nurse"
      urgency: REFERRAL_URGENCY_ROUTINE
      response_deadline { seconds: 1713258000 }  # day 15
      purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
      categories: INFORMATION_CATEGORY_HEALTH
      forum_id: "f-nurse"
    })pb");
  EXPECT_TRUE(Involves(world_.Case("c1"), "hc-nurse"));
}

TEST_F(HandoverTest, ReferencedStreamsNameTheHandover) {
  const v1::CaseCommand command = world_.CaseCommand(
      "c1", "counsellor", Day(57),
      R"pb(
        transfer_stage_lead {
          stage_id: "s-mother"
          lead { agency_id: "city-mh" key_person_staff_id: "counsellor-2" }
          reason: "handover h1"
          handover_id: "h1"
        })pb");
  EXPECT_EQ(ReferencedStreams(command),
            std::vector<std::string>{"handover-h1"});
}

}  // namespace
}  // namespace renkei::domain
