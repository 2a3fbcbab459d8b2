// Given/when/then tests of the conference aggregate: scheduling, holding
// (attendance and confidentiality), minutes, decisions, role split, action
// items, cancellation, case reviews and the anonymised view.
#include "gtest/gtest.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/conference/anonymised_view.h"
#include "services/domain/conference/decider.h"
#include "services/domain/errors.h"
#include "services/domain/lookup.h"
#include "services/domain/testing/conference_case.h"
#include "services/domain/testing/fixtures.h"
#include "services/domain/testing/world.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

using testing::Day;
using testing::kHoldK1;
using testing::kScheduleK1;
using testing::Parse;
using testing::ProtoEquals;
using testing::StoryDirectory;
using testing::World;

constexpr char kAssignItem[] = R"pb(
  assign_action_item {
    item {
      action_item_id: "a1"
      case_id: "c1"
      description: "ask the school about attendance"
      assignee_staff_id: "counsellor"
      assignee_agency_id: "city-mh"
      due { seconds: 1712826000 }  # day 10
    }
  })pb";

// A pseudonym secret for the tests (any 32 bytes).
constexpr absl::string_view kSecret = "0123456789abcdef0123456789abcdef";

// An auditor agency viewing on day 40.
AnonymisedViewer Auditor() {
  return AnonymisedViewer{.agency_id = "audit", .auditor = true, .at = Day(40)};
}

class ConferenceTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::OpenStandardCase(world_); }
  void ScheduleAndHold() {
    world_.GivenConference("k1", "counsellor", Day(1), kScheduleK1);
    world_.GivenConference("k1", "counsellor", Day(3), kHoldK1);
  }
  World world_{StoryDirectory()};
};

TEST_F(ConferenceTest, SchedulingRecordsTheConvenerAndPinsTheAgendaCases) {
  const v1::ConferenceCommand command =
      world_.ConferenceCommand("k1", "counsellor", Day(1), kScheduleK1);
  auto events = world_.When(command);
  ASSERT_TRUE(events.ok()) << events.status();
  v1::ConferenceEvent expected = Parse<v1::ConferenceEvent>(R"pb(
    conference_scheduled {
      conference_id: "k1"
      type: CONFERENCE_TYPE_INDIVIDUAL_CASE
      basis: CONFERENCE_BASIS_YOTAIKYO
      title: "個別ケース検討会議"
      coordinating_agency_id: "city-cfs"
      convener { staff_id: "counsellor" agency_id: "city-mh" }
      scheduled_for { seconds: 1712134800 }
      invitees { agency_id: "city-pa" }
      invitees { agency_id: "city-mh" staff_id: "counsellor" }
      invitees { agency_id: "jhs" }
      agenda_cases { case_id: "c1" case_version: 8 }
      agenda_items { item_id: "i1" title: "roles and leads" case_id: "c1" }
    })pb");
  *expected.mutable_occurred_at() = command.occurred_at();
  *expected.mutable_actor() = command.actor();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_TRUE(ProtoEquals(expected, (*events)[0]));
  EXPECT_EQ(ReferencedStreams(ConferenceState{}, command),
            std::vector<std::string>{"case-c1"});

  world_.Apply(command);
  const ConferenceState& state = world_.Conference("k1");
  EXPECT_TRUE(state.scheduled);
  EXPECT_FALSE(state.is_held());
  EXPECT_TRUE(state.OnAgenda("c1"));
}

TEST_F(ConferenceTest, SchedulingRefusals) {
  auto schedule = [&](auto edit) {
    v1::ConferenceCommand command =
        world_.ConferenceCommand("k1", "counsellor", Day(1), kScheduleK1);
    edit(*command.mutable_schedule_conference());
    return world_.When(command).status();
  };
  EXPECT_EQ(schedule([](auto& s) { s.add_agenda_case_ids("c9"); }),
            errors::CaseNotFound("c9"));
  EXPECT_EQ(schedule([](auto& s) { s.clear_invitees(); }),
            errors::MissingField("invitees"));
  EXPECT_EQ(schedule([](auto& s) { s.set_coordinating_agency_id("nowhere"); }),
            errors::AgencyNotFound("nowhere"));
  EXPECT_EQ(
      schedule([](auto& s) { s.mutable_invitees(0)->set_staff_id("nurse"); }),
      errors::StaffNotInAgency("nurse", "city-pa"));
  EXPECT_EQ(
      schedule([](auto& s) { s.mutable_agenda_items(0)->set_case_id("c2"); }),
      errors::InvalidField("agenda_items.case_id",
                           "names 'c2', which is not among "
                           "agenda_case_ids."));
  EXPECT_EQ(schedule([](auto& s) {
              s.set_type(v1::CONFERENCE_TYPE_SUPPORT_MEETING);
            }),
            errors::InvalidField(
                "basis",
                "must be the Social Welfare Act art. 106-6 or the Act on "
                "Self-Reliance Support art. 9 for a support meeting."));
  EXPECT_EQ(schedule([](auto& s) {
              s.set_type(v1::CONFERENCE_TYPE_LAYERED_SUPPORT);
            }),
            errors::InvalidField(
                "basis", "must be consent for a layered-support meeting."));
  EXPECT_EQ(schedule([](auto& s) {
              s.set_basis(v1::CONFERENCE_BASIS_NO_PERSONAL_DATA);
            }),
            errors::InvalidField("basis",
                                 "shows no personal data, so cases on the "
                                 "agenda need an anonymised conference."));
  EXPECT_EQ(schedule([](auto& s) { s.clear_basis(); }),
            errors::InvalidEnum("basis", 0));

  world_.GivenConference("k1", "counsellor", Day(1), kScheduleK1);
  EXPECT_EQ(schedule([](auto&) {}), errors::ConferenceAlreadyExists("k1"));

  world_.GivenCase("c1", "cw", Day(2),
                   R"pb(change_case_registration {
                          registration: REGISTRATION_NONE
                          reason: "x"
                        })pb");
  world_.GivenCase("c1", "cw", Day(2), R"pb(close_case { reason: "x" })pb");
  EXPECT_EQ(
      world_.WhenConference("k2", "counsellor", Day(3), kScheduleK1).status(),
      errors::CaseClosed("c1"));
}

TEST_F(ConferenceTest, HoldingRecordsAttendanceAndTheVersionsDiscussed) {
  world_.GivenConference("k1", "counsellor", Day(1), kScheduleK1);
  world_.GivenCase("c1", "cw", Day(2), R"pb(
    change_case_frameworks {
      frameworks: FRAMEWORK_YOTAIKYO
      frameworks: FRAMEWORK_MENTAL_HEALTH
      reason: "the mother's treatment"
    })pb");
  const v1::ConferenceCommand command =
      world_.ConferenceCommand("k1", "support-worker", Day(3), kHoldK1);
  auto events = world_.When(command);
  ASSERT_TRUE(events.ok()) << events.status();
  const v1::ConferenceHeld& held = (*events)[0].conference_held();
  EXPECT_EQ(held.attendance_size(), 3);
  ASSERT_EQ(held.discussed_cases_size(), 1);
  EXPECT_EQ(held.discussed_cases(0).case_version(), 9u);
  world_.Apply(command);
  const ConferenceState& state = world_.Conference("k1");
  EXPECT_EQ(state.held_at, Day(3));
  EXPECT_EQ(state.schedule.agenda_cases(0).case_version(), 8u);
  EXPECT_TRUE(state.Attended("support-worker"));
}

TEST_F(ConferenceTest, EveryAttendeeAcknowledgesConfidentialityUnderYotaikyo) {
  world_.GivenConference("k1", "counsellor", Day(1), kScheduleK1);
  v1::ConferenceCommand command =
      world_.ConferenceCommand("k1", "counsellor", Day(3), kHoldK1);
  auto* attendance = command.mutable_hold_conference()->mutable_attendance();
  attendance->Mutable(0)->set_acknowledged_confidentiality(false);
  attendance->Mutable(2)->set_acknowledged_confidentiality(false);
  EXPECT_EQ(
      world_.When(command).status(),
      errors::ConfidentialityNotAcknowledged("k1", {"cw", "support-worker"}));
}

// Consents by the mother (for herself and her children) naming jhs, the one
// agency k1 invites from outside c1's team.
void GiveMeetingConsents(testing::World& world) {
  for (const char* subject : {"mother", "daughter", "son"}) {
    world.GivenCase(
        "c1", "cw", Day(1),
        absl::StrCat("give_consent { terms { consent_id: \"k-meeting-", subject,
                     "\" subject_id: \"", subject,
                     "\" decided_by_subject_id: \"mother\" scope { "
                     "agency_ids: \"jhs\" purposes: "
                     "SHARING_PURPOSE_SUPPORT_COORDINATION categories: "
                     "INFORMATION_CATEGORY_DAILY_LIFE } form: "
                     "CONSENT_FORM_WRITTEN } }"));
  }
}

TEST_F(ConferenceTest, AConsentBasedMeetingNeedsEveryPersonsConsent) {
  v1::ConferenceCommand schedule =
      world_.ConferenceCommand("k1", "counsellor", Day(1), kScheduleK1);
  schedule.mutable_schedule_conference()->set_type(
      v1::CONFERENCE_TYPE_LAYERED_SUPPORT);
  schedule.mutable_schedule_conference()->set_basis(
      v1::CONFERENCE_BASIS_CONSENT);
  // Given no consent in force, when a 重層的支援会議 is scheduled, then it is
  // refused, naming each person without one.
  EXPECT_EQ(
      world_.When(schedule).status(),
      errors::ConsentMissingForMeeting("c1", {"daughter", "mother", "son"}));
  // A consent that does not name the outside agency (jhs) is not enough.
  world_.GivenCase("c1", "cw", Day(1), R"pb(
    give_consent {
      terms {
        consent_id: "k-narrow"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "nursery"
          purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
          categories: INFORMATION_CATEGORY_DAILY_LIFE
        }
        form: CONSENT_FORM_WRITTEN
      }
    })pb");
  EXPECT_EQ(
      world_.When(schedule).status(),
      errors::ConsentMissingForMeeting("c1", {"daughter", "mother", "son"}));
  GiveMeetingConsents(world_);
  world_.Apply(schedule);
  // Given the mother withdraws her consent, the meeting cannot be held.
  world_.GivenCase("c1", "cw", Day(2), R"pb(
    withdraw_consent {
      consent_id: "k-meeting-mother"
      decided_by_subject_id: "mother"
      reason: "changed her mind"
    })pb");
  EXPECT_EQ(world_
                .WhenConference("k1", "counsellor", Day(3), R"pb(
                  hold_conference {
                    attendance { staff_id: "cw" agency_id: "city-pa" }
                  })pb")
                .status(),
            errors::ConsentMissingForMeeting("c1", {"mother"}));
}

TEST_F(ConferenceTest, AConsentBasedMeetingNeedsNoAcknowledgement) {
  GiveMeetingConsents(world_);
  v1::ConferenceCommand schedule =
      world_.ConferenceCommand("k1", "counsellor", Day(1), kScheduleK1);
  schedule.mutable_schedule_conference()->set_type(
      v1::CONFERENCE_TYPE_LAYERED_SUPPORT);
  schedule.mutable_schedule_conference()->set_basis(
      v1::CONFERENCE_BASIS_CONSENT);
  world_.Apply(schedule);
  EXPECT_TRUE(world_
                  .WhenConference("k1", "counsellor", Day(3), R"pb(
                    hold_conference {
                      attendance { staff_id: "cw" agency_id: "city-pa" }
                    })pb")
                  .ok());
}

TEST_F(ConferenceTest, HoldingRefusals) {
  EXPECT_EQ(world_.WhenConference("k1", "counsellor", Day(3), kHoldK1).status(),
            errors::ConferenceNotFound("k1"));
  world_.GivenConference("k1", "counsellor", Day(1), kScheduleK1);
  EXPECT_EQ(world_.WhenConference("k1", "cw", Day(3), kHoldK1).status(),
            errors::NotConferenceParticipant("k1", "cw"));
  EXPECT_EQ(world_
                .WhenConference("k1", "counsellor", Day(3), R"pb(
                  hold_conference {
                    attendance {
                      staff_id: "nurse"
                      agency_id: "home-nursing"
                      acknowledged_confidentiality: true
                    }
                  })pb")
                .status(),
            errors::NotInvited("k1", "nurse", "home-nursing"));
  EXPECT_EQ(world_
                .WhenConference("k1", "counsellor", Day(3),
                                R"pb(hold_conference {})pb")
                .status(),
            errors::MissingField("attendance"));
  world_.GivenConference("k1", "counsellor", Day(3), kHoldK1);
  EXPECT_EQ(world_.WhenConference("k1", "counsellor", Day(3), kHoldK1).status(),
            errors::ConferenceAlreadyHeld("k1"));
}

TEST_F(ConferenceTest, MinutesAndDecisionsNeedAHeldConferenceAndAParticipant) {
  world_.GivenConference("k1", "counsellor", Day(1), kScheduleK1);
  constexpr char kMinutes[] =
      R"pb(record_minutes { text: "the mother agreed to treatment" })pb";
  EXPECT_EQ(
      world_.WhenConference("k1", "counsellor", Day(3), kMinutes).status(),
      errors::ConferenceNotHeld("k1"));
  world_.GivenConference("k1", "counsellor", Day(3), kHoldK1);
  EXPECT_EQ(world_.WhenConference("k1", "teacher", Day(3), kMinutes).status(),
            errors::NotConferenceParticipant("k1", "teacher"));
  EXPECT_EQ(
      world_.WhenConference("k1", "counsellor", Day(2), kMinutes).status(),
      errors::InvalidField("occurred_at",
                           "is before the conference was held."));
  world_.GivenConference("k1", "cw", Day(3), kMinutes);
  EXPECT_EQ(world_.Conference("k1").minutes[0].text,
            "the mother agreed to treatment");
}

TEST_F(ConferenceTest, DecisionRefusals) {
  ScheduleAndHold();
  auto decide = [&](absl::string_view staff, absl::string_view text) {
    return world_.WhenConference("k1", staff, Day(3), text).status();
  };
  EXPECT_EQ(decide("cw", R"pb(record_conference_decision {
                                decision {
                                  decision_id: "d1"
                                  kind: DECISION_KIND_PLAN_REVISION
                                  text: "x"
                                }
                              })pb"),
            errors::MissingField("decision.case_id"));
  EXPECT_EQ(decide("cw", R"pb(record_conference_decision {
                                decision {
                                  decision_id: "d1"
                                  kind: DECISION_KIND_LEAD_ASSIGNMENT
                                  case_id: "c1"
                                  text: "x"
                                }
                              })pb"),
            errors::MissingField("decision.stage_id"));
  EXPECT_EQ(decide("cw", R"pb(record_conference_decision {
                                decision {
                                  decision_id: "d1"
                                  kind: DECISION_KIND_CASE_CLOSURE
                                  case_id: "c2"
                                  text: "x"
                                }
                              })pb"),
            errors::CaseNotOnAgenda("k1", "c2"));
  EXPECT_EQ(decide("counsellor", R"pb(record_conference_decision {
                                        decision {
                                          decision_id: "d1"
                                          kind: DECISION_KIND_LEAD_DESIGNATION
                                          case_id: "c1"
                                          stage_id: "s1"
                                          text: "x"
                                        }
                                      })pb"),
            errors::NotCoordinatingBody("k1", "city-mh"));
  EXPECT_EQ(decide("cw", R"pb(record_conference_decision {
                                decision {
                                  decision_id: "d1"
                                  kind: DECISION_KIND_LEAD_ASSIGNMENT
                                  case_id: "c1"
                                  stage_id: "s1"
                                  text: "x"
                                  lead {
                                    agency_id: "city-mh"
                                    key_person_staff_id: "former-cw"
                                  }
                                }
                              })pb"),
            errors::StaffHasLeft("former-cw"));
  constexpr char kGeneral[] = R"pb(record_conference_decision {
                                     decision {
                                       decision_id: "d1"
                                       kind: DECISION_KIND_GENERAL
                                       text: "meet again in a month"
                                     }
                                   })pb";
  world_.GivenConference("k1", "cw", Day(3), kGeneral);
  EXPECT_EQ(decide("cw", kGeneral), errors::DecisionAlreadyExists("d1"));
}

TEST_F(ConferenceTest, TheRoleSplitIsRecorded) {
  ScheduleAndHold();
  world_.GivenConference("k1", "support-worker", Day(3), R"pb(
    agree_role_split {
      roles {
        agency_id: "city-mh"
        responsibility: "the mother's treatment"
        case_id: "c1"
      }
      roles {
        agency_id: "jhs"
        responsibility: "watch attendance"
        case_id: "c1"
      }
    })pb");
  const ConferenceState& state = world_.Conference("k1");
  ASSERT_EQ(state.role_splits.size(), 1u);
  EXPECT_EQ(state.role_splits[0].roles[1].agency_id(), "jhs");
  EXPECT_EQ(world_
                .WhenConference("k1", "cw", Day(3), R"pb(
                  agree_role_split {
                    roles { agency_id: "jhs" responsibility: "x" case_id: "c2" }
                  })pb")
                .status(),
            errors::CaseNotOnAgenda("k1", "c2"));
  EXPECT_EQ(world_
                .WhenConference("k1", "cw", Day(3), R"pb(
                  agree_role_split {
                    roles { agency_id: "nowhere" responsibility: "x" }
                  })pb")
                .status(),
            errors::AgencyNotFound("nowhere"));
}

TEST_F(ConferenceTest, ActionItemsAreCompletedOrOverdueAsOfADate) {
  ScheduleAndHold();
  world_.GivenConference("k1", "counsellor", Day(3), kAssignItem);
  world_.GivenConference("k1", "support-worker", Day(3), R"pb(
    assign_action_item {
      item {
        action_item_id: "a2"
        description: "book the next meeting"
        assignee_staff_id: "support-worker"
        assignee_agency_id: "city-cfs"
        due { seconds: 1712480400 }  # day 6
      }
    })pb");
  const ConferenceState& state = world_.Conference("k1");
  EXPECT_TRUE(OverdueActionItems(state, Day(5)).empty());
  std::vector<v1::OverdueActionItem> day8 = OverdueActionItems(state, Day(8));
  ASSERT_EQ(day8.size(), 1u);
  EXPECT_EQ(day8[0].item().action_item_id(), "a2");
  EXPECT_EQ(day8[0].days_overdue(), 2);

  world_.GivenConference("k1", "support-worker", Day(9), R"pb(
    complete_action_item { action_item_id: "a2" note: "booked" })pb");
  std::vector<v1::OverdueActionItem> day12 = OverdueActionItems(state, Day(12));
  ASSERT_EQ(day12.size(), 1u);
  EXPECT_EQ(day12[0].item().action_item_id(), "a1");
  // As of day 8 a2 was still open and overdue.
  EXPECT_EQ(OverdueActionItems(state, Day(8)).size(), 1u);
  EXPECT_TRUE(state.FindActionItem("a2")->completed());
}

TEST_F(ConferenceTest, ActionItemRefusals) {
  ScheduleAndHold();
  v1::ConferenceCommand assign =
      world_.ConferenceCommand("k1", "counsellor", Day(3), kAssignItem);
  v1::ActionItem* item = assign.mutable_assign_action_item()->mutable_item();
  item->set_assignee_agency_id("city-pa");
  EXPECT_EQ(world_.When(assign).status(),
            errors::StaffNotInAgency("counsellor", "city-pa"));
  item->set_assignee_agency_id("city-mh");
  *item->mutable_due() = ToTimestamp(Day(2));
  EXPECT_EQ(
      world_.When(assign).status(),
      errors::InvalidField("item.due", "must be after the item is assigned."));

  world_.GivenConference("k1", "counsellor", Day(3), kAssignItem);
  EXPECT_EQ(
      world_.WhenConference("k1", "counsellor", Day(3), kAssignItem).status(),
      errors::ActionItemAlreadyExists("a1"));
  EXPECT_EQ(world_
                .WhenConference("k1", "teacher", Day(4), R"pb(
                  complete_action_item { action_item_id: "a1" })pb")
                .status(),
            errors::NotActionItemHolder("a1", "jhs"));
  EXPECT_EQ(world_
                .WhenConference("k1", "counsellor", Day(4), R"pb(
                  complete_action_item { action_item_id: "a9" })pb")
                .status(),
            errors::ActionItemNotFound("a9"));
  world_.GivenConference("k1", "counsellor", Day(4), R"pb(
    complete_action_item { action_item_id: "a1" note: "done" })pb");
  EXPECT_EQ(world_
                .WhenConference("k1", "counsellor", Day(5), R"pb(
                  complete_action_item { action_item_id: "a1" })pb")
                .status(),
            errors::ActionItemAlreadyCompleted("a1"));
}

TEST_F(ConferenceTest, ReassigningAnActionItem) {
  ScheduleAndHold();
  world_.GivenConference("k1", "counsellor", Day(3), kAssignItem);
  constexpr char kToSupportWorker[] = R"pb(
    reassign_action_item {
      action_item_id: "a1"
      staff_id: "support-worker"
      agency_id: "city-cfs"
      reason: "the support worker sees the school weekly"
    })pb";
  EXPECT_EQ(
      world_.WhenConference("k1", "teacher", Day(4), kToSupportWorker).status(),
      errors::NotActionItemHolder("a1", "jhs"));
  const v1::ConferenceCommand command =
      world_.ConferenceCommand("k1", "counsellor", Day(4), kToSupportWorker);
  v1::ConferenceEvent expected = Parse<v1::ConferenceEvent>(R"pb(
    action_item_reassigned {
      action_item_id: "a1"
      previous_staff_id: "counsellor"
      previous_agency_id: "city-mh"
      staff_id: "support-worker"
      agency_id: "city-cfs"
      reason: "the support worker sees the school weekly"
    })pb");
  *expected.mutable_occurred_at() = command.occurred_at();
  *expected.mutable_actor() = command.actor();
  auto events = world_.When(command);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_TRUE(ProtoEquals(expected, (*events)[0]));
  world_.Apply(command);
  EXPECT_EQ(
      world_.Conference("k1").FindActionItem("a1")->item.assignee_staff_id(),
      "support-worker");
  // To the current assignee: nothing to do.
  auto again = world_.When(command);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(world_
                .WhenConference("k1", "support-worker", Day(4), R"pb(
                  reassign_action_item {
                    action_item_id: "a1"
                    staff_id: "counsellor"
                    agency_id: "city-mh"
                    reason: "x"
                    handover_id: "h-none"
                  })pb")
                .status(),
            errors::HandoverNotFound("h-none"));
}

TEST_F(ConferenceTest, ACancelledConferenceTakesNothingMore) {
  world_.GivenConference("k1", "counsellor", Day(1), kScheduleK1);
  EXPECT_EQ(world_
                .WhenConference("k1", "cw", Day(2),
                                R"pb(cancel_conference { reason: "x" })pb")
                .status(),
            errors::NotConferenceParticipant("k1", "cw"));
  world_.GivenConference("k1", "support-worker", Day(2),
                         R"pb(cancel_conference { reason: "snow" })pb");
  EXPECT_EQ(world_.WhenConference("k1", "counsellor", Day(3), kHoldK1).status(),
            errors::ConferenceCancelled("k1"));
  EXPECT_EQ(world_.Conference("k1").cancellation_reason, "snow");

  world_.GivenConference("k2", "counsellor", Day(1), kScheduleK1);
  world_.GivenConference("k2", "counsellor", Day(3), kHoldK1);
  EXPECT_EQ(world_
                .WhenConference("k2", "counsellor", Day(4),
                                R"pb(cancel_conference { reason: "x" })pb")
                .status(),
            errors::ConferenceAlreadyHeld("k2"));
}

constexpr char kSchedulePractitioners[] = R"pb(
  schedule_conference {
    type: CONFERENCE_TYPE_PRACTITIONERS
    basis: CONFERENCE_BASIS_YOTAIKYO
    title: "実務者会議"
    coordinating_agency_id: "city-cfs"
    scheduled_for { seconds: 1714554000 }  # day 30
    invitees { agency_id: "city-pa" }
    invitees { agency_id: "city-mh" }
    invitees { agency_id: "cgc" }
    agenda_case_ids: "c1"
  })pb";

constexpr char kHoldPractitioners[] = R"pb(
  hold_conference {
    attendance {
      staff_id: "support-worker"
      agency_id: "city-cfs"
      acknowledged_confidentiality: true
    }
    attendance {
      staff_id: "cgc-worker"
      agency_id: "cgc"
      acknowledged_confidentiality: true
    }
  })pb";

constexpr char kReviewC1[] = R"pb(
  record_case_review {
    case_id: "c1"
    status: "treatment started; attendance improving"
    lead_agency_id: "city-mh"
    support_policy: "continue; review the children's stage next time"
  })pb";

TEST(CaseReviewTest, APractitionersMeetingReviewsStatusLeadAndPlan) {
  World world(StoryDirectory());
  testing::AdoptPlan(world);
  world.GivenCase("c1", "counsellor", Day(4), R"pb(
    assign_stage_lead {
      stage_id: "s-mother"
      lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
      reason: "agreed"
      decision { conference_id: "k1" decision_id: "d-lead-mother" }
    })pb");
  world.GivenConference("p1", "support-worker", Day(20),
                        kSchedulePractitioners);
  world.GivenConference("p1", "support-worker", Day(30), kHoldPractitioners);
  const v1::ConferenceCommand command =
      world.ConferenceCommand("p1", "support-worker", Day(30), kReviewC1);
  EXPECT_EQ(ReferencedStreams(world.Conference("p1"), command),
            std::vector<std::string>{"case-c1"});
  auto events = world.When(command);
  ASSERT_TRUE(events.ok()) << events.status();
  const v1::CaseReviewed& reviewed = (*events)[0].case_reviewed();
  EXPECT_EQ(reviewed.plan_revision(), 1u);
  ASSERT_EQ(reviewed.stage_leads_size(), 1);
  EXPECT_EQ(reviewed.stage_leads(0).lead().key_person_staff_id(), "counsellor");
  EXPECT_EQ(reviewed.case_version(), world.Case("c1").version);
  world.Apply(command);
  EXPECT_EQ(world.When(command).status(),
            errors::CaseAlreadyReviewed("p1", "c1"));
  // An individual case conference does not review.
  EXPECT_EQ(
      world.WhenConference("k1", "counsellor", Day(4), kReviewC1).status(),
      errors::NotPractitionersMeeting("k1"));
}

TEST_F(ConferenceTest, AReviewNamesALeadAgencyOnTheTeam) {
  world_.GivenConference("p1", "support-worker", Day(20),
                         kSchedulePractitioners);
  world_.GivenConference("p1", "support-worker", Day(30), kHoldPractitioners);
  v1::ConferenceCommand command =
      world_.ConferenceCommand("p1", "support-worker", Day(30), kReviewC1);
  command.mutable_record_case_review()->set_lead_agency_id("cgc");
  EXPECT_EQ(world_.When(command).status(), errors::AgencyNotOnTeam("cgc"));
  command.mutable_record_case_review()->set_case_id("c2");
  EXPECT_EQ(world_.When(command).status(), errors::CaseNotOnAgenda("p1", "c2"));
}

constexpr char kScheduleAnonymised[] = R"pb(
  schedule_conference {
    type: CONFERENCE_TYPE_REPRESENTATIVES
    basis: CONFERENCE_BASIS_NO_PERSONAL_DATA
    title: "代表者会議 (事例共有)"
    coordinating_agency_id: "city-cfs"
    scheduled_for { seconds: 1714554000 }
    invitees { agency_id: "jhs" }
    invitees { agency_id: "nursery" }
    agenda_case_ids: "c1"
    anonymised: true
  })pb";

TEST_F(ConferenceTest, AnAnonymisedConferenceShowsNoNamesOrIds) {
  world_.GivenConference("r1", "support-worker", Day(20), kScheduleAnonymised);
  world_.GivenConference("r1", "support-worker", Day(30), R"pb(
    hold_conference {
      attendance { staff_id: "support-worker" agency_id: "city-cfs" }
      attendance { staff_id: "teacher" agency_id: "jhs" }
      attendance { staff_id: "nursery-teacher" agency_id: "nursery" }
    })pb");
  world_.GivenConference("r1", "support-worker", Day(30), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d1"
        kind: DECISION_KIND_GENERAL
        case_id: "c1"
        text: "share attendance concerns at the school-year transition"
      }
    })pb");
  EXPECT_EQ(world_
                .WhenConference("r1", "support-worker", Day(30), R"pb(
                  record_conference_decision {
                    decision {
                      decision_id: "d2"
                      kind: DECISION_KIND_CASE_CLOSURE
                      case_id: "c1"
                      text: "x"
                    }
                  })pb")
                .status(),
            errors::ConferenceAnonymised("r1"));

  EXPECT_EQ(world_
                .WhenConference("r1", "support-worker", Day(30), R"pb(
                  agree_role_split {
                    roles { agency_id: "jhs" responsibility: "x" case_id: "c1" }
                  })pb")
                .status(),
            errors::ConferenceAnonymised("r1"));
  // A plan cannot rest on an anonymised conference.
  world_.GivenConference("r1", "support-worker", Day(30), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-general"
        kind: DECISION_KIND_GENERAL
        text: "no case decided here"
      }
    })pb");
  EXPECT_EQ(world_
                .WhenCase("c1", "cw", Day(31), R"pb(
                  close_case {
                    reason: "x"
                    decision { conference_id: "r1" decision_id: "d-general" }
                  })pb")
                .status(),
            errors::ConferenceAnonymised("r1"));

  const v1::AnonymisedConference view = AnonymisedView(
      world_.Conference("r1"), world_.Lookup(), kSecret, Auditor());
  const std::string key = PseudonymousCaseKey(kSecret, "r1", "c1");
  EXPECT_EQ(key.size(), 21u);
  EXPECT_EQ(key.substr(0, 5), "anon-");
  EXPECT_EQ(key, PseudonymousCaseKey(kSecret, "r1", "c1"));
  EXPECT_NE(key, PseudonymousCaseKey(kSecret, "r2", "c1"));
  EXPECT_NE(key, PseudonymousCaseKey(kSecret, "r1", "c2"));
  // Another secret gives another key; the ids cannot be shifted between
  // conference and case.
  EXPECT_NE(
      key, PseudonymousCaseKey("another secret of thirty-two b..", "r1", "c1"));
  EXPECT_NE(PseudonymousCaseKey(kSecret, "r1c", "1"),
            PseudonymousCaseKey(kSecret, "r1", "c1"));
  ASSERT_EQ(view.cases_size(), 1);
  EXPECT_EQ(view.cases(0).case_key(), key);
  EXPECT_EQ(view.cases(0).registration(), v1::REGISTRATION_SUPPORT_NEEDED);
  EXPECT_EQ(view.cases(0).household_size(), 3);
  ASSERT_EQ(view.decisions_size(), 2);
  EXPECT_EQ(view.decisions(0).case_key(), key);
  EXPECT_EQ(view.decisions(1).case_key(), "");
  EXPECT_EQ(view.decisions(0).text(),
            "share attendance concerns at the school-year transition");
  EXPECT_EQ(view.attending_agency_ids_size(), 3);

  const std::string text = view.DebugString();
  for (const char* identifying :
       {"\"c1\"", "母", "長女", "mother", "daughter", "母子世帯",
        "nursery-teacher", "teacher\"", "lateness"}) {
    EXPECT_EQ(text.find(identifying), std::string::npos) << identifying;
  }
}

TEST_F(ConferenceTest, TheAnonymisedViewOfAnIdentifiedConferenceOmitsText) {
  ScheduleAndHold();
  world_.GivenConference("k1", "counsellor", Day(3), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d1"
        kind: DECISION_KIND_GENERAL
        case_id: "c1"
        text: "母 agreed to see the health centre"
      }
    })pb");
  const v1::AnonymisedConference view = AnonymisedView(
      world_.Conference("k1"), world_.Lookup(), kSecret, Auditor());
  ASSERT_EQ(view.decisions_size(), 1);
  EXPECT_EQ(view.decisions(0).text(), "");
  EXPECT_EQ(view.DebugString().find("母"), std::string::npos);
}

TEST_F(ConferenceTest, OnlyParticipantAgenciesSeeAConference) {
  EXPECT_FALSE(ConferenceVisibleToAgency(world_.Conference("k1"), "city-mh"));
  world_.GivenConference("k1", "counsellor", Day(1), kScheduleK1);
  const ConferenceState& scheduled = world_.Conference("k1");
  // Convener (city-mh), coordinating body (city-cfs), invitees (city-pa,
  // jhs).
  for (const char* agency : {"city-mh", "city-cfs", "city-pa", "jhs"}) {
    EXPECT_TRUE(ConferenceVisibleToAgency(scheduled, agency)) << agency;
  }
  for (const char* agency : {"nursery", "cgc", "audit", ""}) {
    EXPECT_FALSE(ConferenceVisibleToAgency(scheduled, agency)) << agency;
  }
}

TEST_F(ConferenceTest, AnonymisedFactsComeOnlyFromEntriesTheViewerMaySee) {
  // A risk ranking the caseworker records, withheld from the school.
  world_.GivenCase("c1", "cw", Day(1), R"pb(
    record_entry {
      entry {
        entry_id: "e-risk"
        subject_ids: "daughter"
        categories: INFORMATION_CATEGORY_CHILD_REARING
        confidentiality {
          withheld_from_agency_ids: "jhs"
          reason: "the daughter asked"
        }
        risk_ranking {
          rank: RISK_RANK_HIGH
          lead_side: LEAD_SIDE_CHILD_GUIDANCE_CENTRE
          reason: "the daughter's account"
        }
      }
    })pb");
  ScheduleAndHold();
  const ConferenceState& k1 = world_.Conference("k1");
  auto view_for = [&](const AnonymisedViewer& viewer) {
    const v1::AnonymisedConference view =
        AnonymisedView(k1, world_.Lookup(), kSecret, viewer);
    EXPECT_EQ(view.cases_size(), 1);
    return view.cases_size() == 1 ? view.cases(0) : v1::AnonymisedCase();
  };
  // The school was invited but the entry is withheld from it.
  const v1::AnonymisedCase school =
      view_for({.agency_id = "jhs", .auditor = false, .at = Day(4)});
  EXPECT_EQ(school.latest_risk_rank(), v1::RISK_RANK_UNSPECIFIED);
  EXPECT_EQ(school.lead_side(), v1::LEAD_SIDE_UNSPECIFIED);
  // The recording agency sees its own record.
  const v1::AnonymisedCase own =
      view_for({.agency_id = "city-pa", .auditor = false, .at = Day(4)});
  EXPECT_EQ(own.latest_risk_rank(), v1::RISK_RANK_HIGH);
  EXPECT_EQ(own.lead_side(), v1::LEAD_SIDE_CHILD_GUIDANCE_CENTRE);
  // An auditor sees what is not withheld from its own agency.
  EXPECT_EQ(view_for(Auditor()).latest_risk_rank(), v1::RISK_RANK_HIGH);
  EXPECT_EQ(view_for({.agency_id = "jhs", .auditor = true, .at = Day(4)})
                .latest_risk_rank(),
            v1::RISK_RANK_UNSPECIFIED);
}

TEST_F(ConferenceTest, CommandsNeedAnIdTimeAndActiveActor) {
  v1::ConferenceCommand command =
      world_.ConferenceCommand("k1", "counsellor", Day(1), kScheduleK1);
  command.clear_conference_id();
  EXPECT_EQ(world_.When(command).status(),
            errors::MissingField("conference_id"));
  EXPECT_EQ(
      world_.WhenConference("k1", "former-cw", Day(1), kScheduleK1).status(),
      errors::StaffHasLeft("former-cw"));
  EXPECT_EQ(world_.WhenConference("k1", "counsellor", Day(1), "").status(),
            errors::EmptyCommand());
  world_.GivenConference("k1", "counsellor", Day(1), kScheduleK1);
  ConferenceState other = world_.Conference("k1");
  v1::ConferenceCommand hold =
      world_.ConferenceCommand("k2", "counsellor", Day(3), kHoldK1);
  EXPECT_EQ(Decide(other, hold, world_.directory(), world_.Lookup()).status(),
            errors::ConferenceIdMismatch("k1", "k2"));
}

}  // namespace
}  // namespace renkei::domain
