// Who may change a case, as given events / when command / then events or
// error: team changes, closure and lead side by a conference under the case's
// framework, agenda and attendee rules, self-serving consents, and the
// coordinating body.
#include "services/domain/authority/authority.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/case/sharing.h"
#include "services/domain/errors.h"
#include "services/domain/testing/conference_case.h"
#include "services/domain/testing/fixtures.h"
#include "services/domain/testing/world.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

using testing::Day;

// The story directory with `agency` designated as 要対協's coordinating body.
DirectoryState DirectoryWithCoordinatingBody(
    absl::string_view agency = "city-cfs") {
  DirectoryState directory = testing::StoryDirectory();
  v1::DirectoryEvent designated;
  *designated.mutable_occurred_at() = ToTimestamp(Day(0));
  designated.mutable_coordinating_body_designated()->set_framework(
      v1::FRAMEWORK_YOTAIKYO);
  designated.mutable_coordinating_body_designated()->set_agency_id(
      std::string(agency));
  designated.mutable_coordinating_body_designated()->set_review_interval_days(
      30);
  Evolve(directory, designated);
  return directory;
}

// A conference `id` on c1 of `type`, convened by cw and attended by each of
// `attendees` (staff, agency), held on day 3, with one decision `kind`.
void HoldWithDecision(
    testing::World& world, absl::string_view id, absl::string_view type,
    std::vector<std::pair<std::string, std::string>> attendees,
    absl::string_view decision) {
  std::string invitees;
  std::string attendance;
  for (const auto& [staff, agency] : attendees) {
    absl::StrAppend(&invitees, " invitees { agency_id: \"", agency, "\" }");
    absl::StrAppend(&attendance, " attendance { staff_id: \"", staff,
                    "\" agency_id: \"", agency,
                    "\" acknowledged_confidentiality: true }");
  }
  world.GivenConference(
      id, attendees.front().first, Day(2),
      absl::StrCat("schedule_conference { type: ", type,
                   " basis: CONFERENCE_BASIS_YOTAIKYO title: \"t\" "
                   "coordinating_agency_id: \"city-cfs\" scheduled_for { "
                   "seconds: 1712221200 } ",
                   invitees, " agenda_case_ids: \"c1\" }"));
  world.GivenConference(id, attendees.front().first, Day(3),
                        absl::StrCat("hold_conference {", attendance, " }"));
  world.GivenConference(id, attendees.front().first, Day(3),
                        absl::StrCat("record_conference_decision { decision { ",
                                     decision, " } }"));
}

constexpr char kRemoveCfs[] = R"pb(
  remove_team_agency {
    agency_id: "city-cfs"
    reason: "no longer needed"
    decision { conference_id: "m1" decision_id: "d1" }
  })pb";

constexpr char kTeamChangeCfs[] =
    "decision_id: \"d1\" kind: DECISION_KIND_TEAM_CHANGE case_id: \"c1\" "
    "team_agency_id: \"city-cfs\" text: \"the children's centre leaves\"";

class AuthorityTest : public ::testing::Test {
 protected:
  AuthorityTest() : world_(testing::StoryDirectory()) {
    testing::OpenStandardCase(world_);
  }
  testing::World world_;
};

// The plan adopted, city-mh leading s-mother, and m1 held on day 6 by city-pa
// and city-cfs (not city-mh) deciding that jhs joins the team.
void MeetWithoutTheLead(testing::World& world) {
  testing::AdoptPlan(world);
  world.GivenCase("c1", "counsellor", Day(4), R"pb(
    assign_stage_lead {
      stage_id: "s-mother"
      lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
      reason: "agreed"
      decision { conference_id: "k1" decision_id: "d-lead-mother" }
    })pb");
  world.GivenConference("m1", "cw", Day(5), R"pb(
    schedule_conference {
      type: CONFERENCE_TYPE_INDIVIDUAL_CASE
      basis: CONFERENCE_BASIS_YOTAIKYO
      title: "t"
      coordinating_agency_id: "city-cfs"
      scheduled_for { seconds: 1712566800 }
      invitees { agency_id: "city-cfs" }
      agenda_case_ids: "c1"
    })pb");
  world.GivenConference("m1", "cw", Day(6), R"pb(
    hold_conference {
      attendance {
        staff_id: "cw"
        agency_id: "city-pa"
        acknowledged_confidentiality: true
      }
      attendance {
        staff_id: "support-worker"
        agency_id: "city-cfs"
        acknowledged_confidentiality: true
      }
    })pb");
  world.GivenConference("m1", "cw", Day(6), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d1"
        kind: DECISION_KIND_TEAM_CHANGE
        case_id: "c1"
        team_agency_id: "jhs"
        text: "the school joins"
      }
    })pb");
}

constexpr char kAddJhs[] = R"pb(
  add_team_agency {
    agency_id: "jhs"
    reason: "the daughter's school"
    decision { conference_id: "m1" decision_id: "d1" }
  })pb";

TEST_F(AuthorityTest, ARegisteredCasesTeamChangesNeedAConferenceDecision) {
  EXPECT_EQ(
      world_
          .WhenCase("c1", "cw", Day(4), R"pb(
            remove_team_agency { agency_id: "city-cfs" reason: "x" })pb")
          .status(),
      errors::DecisionRequired("c1", "to remove an agency from its team"));
  EXPECT_EQ(world_
                .WhenCase("c1", "cw", Day(4), R"pb(
                  add_team_agency { agency_id: "jhs" reason: "x" })pb")
                .status(),
            errors::DecisionRequired("c1", "to add an agency to its team"));
}

TEST_F(AuthorityTest, AMiniCaseMeetingOfOneAgencyCannotRemoveTheCentre) {
  // Given city-pa alone holds a mini case conference and records a team
  // change, when it removes city-cfs citing it, then it is refused.
  HoldWithDecision(world_, "m1", "CONFERENCE_TYPE_MINI_CASE",
                   {{"cw", "city-pa"}}, kTeamChangeCfs);
  auto refused = world_.WhenCase("c1", "cw", Day(4), kRemoveCfs);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("does not decide cases"),
            absl::string_view::npos)
      << refused.status();
}

TEST_F(AuthorityTest, AnIndividualConferenceOfOneAgencyCannotChangeTheTeam) {
  HoldWithDecision(world_, "m1", "CONFERENCE_TYPE_INDIVIDUAL_CASE",
                   {{"cw", "city-pa"}}, kTeamChangeCfs);
  EXPECT_EQ(world_.WhenCase("c1", "cw", Day(4), kRemoveCfs).status(),
            errors::DecisionNotOfGoverningConference(
                "m1", "d1",
                "only one agency attended; a conference of one agency cannot "
                "change the case"));
  // A closure decided the same way is refused as well.
  world_.GivenConference("m1", "cw", Day(3), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-close"
        kind: DECISION_KIND_CASE_CLOSURE
        case_id: "c1"
        text: "close"
      }
    })pb");
  EXPECT_EQ(world_
                .WhenCase("c1", "cw", Day(4), R"pb(
                  close_case {
                    reason: "all fine"
                    decision { conference_id: "m1" decision_id: "d-close" }
                  })pb")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(world_.Case("c1").closed);
}

TEST(AuthorityPlanTest,
     TheLeadAgenciesMustAttendUnlessTheCoordinatingBodyDoes) {
  testing::World world(testing::StoryDirectory());
  MeetWithoutTheLead(world);
  EXPECT_EQ(world.WhenCase("c1", "cw", Day(7), kAddJhs).status(),
            errors::DecisionNotOfGoverningConference(
                "m1", "d1",
                "neither the lead agencies (city-mh absent) nor the "
                "coordinating body attended"));
}

TEST(AuthorityCoordinatedTest, TheCoordinatingBodysPresenceIsEnough) {
  testing::World world(DirectoryWithCoordinatingBody("city-cfs"));
  MeetWithoutTheLead(world);
  auto events = world.WhenCase("c1", "cw", Day(7), kAddJhs);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ((*events)[0].support_team_agency_joined().decision().decision_id(),
            "d1");
}

TEST_F(AuthorityTest, ATeamChangeDecisionNamesTheAgency) {
  HoldWithDecision(world_, "m1", "CONFERENCE_TYPE_INDIVIDUAL_CASE",
                   {{"cw", "city-pa"}, {"counsellor", "city-mh"}},
                   kTeamChangeCfs);
  EXPECT_EQ(world_
                .WhenCase("c1", "cw", Day(4), R"pb(
                  remove_team_agency {
                    agency_id: "city-mh"
                    reason: "x"
                    decision { conference_id: "m1" decision_id: "d1" }
                  })pb")
                .status(),
            errors::DecisionDiffers("m1", "d1", "agency"));
  // The decision of a conference of two agencies with no lead to wait for.
  auto removed = world_.WhenCase("c1", "cw", Day(4), kRemoveCfs);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ((*removed)[0].support_team_agency_left().agency_id(), "city-cfs");
}

TEST_F(AuthorityTest, AnAgencyOffTheTeamCannotPutTheCaseOnAnAgenda) {
  constexpr char kPractitioners[] = R"pb(
    schedule_conference {
      type: CONFERENCE_TYPE_PRACTITIONERS
      basis: CONFERENCE_BASIS_YOTAIKYO
      title: "実務者会議"
      coordinating_agency_id: "city-cfs"
      scheduled_for { seconds: 1712221200 }
      invitees { agency_id: "city-pa" }
      agenda_case_ids: "c1"
    })pb";
  EXPECT_EQ(
      world_.WhenConference("p1", "teacher", Day(1), kPractitioners).status(),
      errors::AgendaCaseNotOnTeam("c1", "jhs"));
}

TEST(AuthorityCoordinatedTest, TheCoordinatingBodyListsEveryRegisteredCase) {
  // The health centre, not on c1's team, is 要対協's coordinating body.
  testing::World world(DirectoryWithCoordinatingBody("health-centre"));
  testing::OpenStandardCase(world);
  std::string practitioners = R"pb(
    schedule_conference {
      type: CONFERENCE_TYPE_PRACTITIONERS
      basis: CONFERENCE_BASIS_YOTAIKYO
      title: "実務者会議"
      coordinating_agency_id: "health-centre"
      scheduled_for { seconds: 1712221200 }
      invitees { agency_id: "city-pa" }
      agenda_case_ids: "c1"
    })pb";
  EXPECT_TRUE(
      world.WhenConference("p1", "hc-nurse", Day(1), practitioners).ok());
  // Another agency cannot claim to coordinate 要対協.
  std::string claimed = practitioners;
  claimed.replace(
      claimed.find("coordinating_agency_id: \"health-centre\""),
      std::string("coordinating_agency_id: \"health-centre\"").size(),
      "coordinating_agency_id: \"city-pa\"");
  EXPECT_EQ(world.WhenConference("p1", "cw", Day(1), claimed).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Only its practitioners' meeting: an individual case conference it
  // convenes still needs a place on the team.
  std::string individual = practitioners;
  individual.replace(individual.find("CONFERENCE_TYPE_PRACTITIONERS"),
                     std::string("CONFERENCE_TYPE_PRACTITIONERS").size(),
                     "CONFERENCE_TYPE_INDIVIDUAL_CASE");
  EXPECT_EQ(world.WhenConference("p1", "hc-nurse", Day(1), individual).status(),
            errors::AgendaCaseNotOnTeam("c1", "health-centre"));
}

TEST_F(AuthorityTest, ReviewsAndActionItemsComeFromAttendees) {
  world_.GivenConference("p1", "support-worker", Day(1), R"pb(
    schedule_conference {
      type: CONFERENCE_TYPE_PRACTITIONERS
      basis: CONFERENCE_BASIS_YOTAIKYO
      title: "実務者会議"
      coordinating_agency_id: "city-cfs"
      scheduled_for { seconds: 1712221200 }
      invitees { agency_id: "city-pa" }
      invitees { agency_id: "jhs" }
      agenda_case_ids: "c1"
    })pb");
  world_.GivenConference("p1", "support-worker", Day(3), R"pb(
    hold_conference {
      attendance {
        staff_id: "cw"
        agency_id: "city-pa"
        acknowledged_confidentiality: true
      }
      attendance {
        staff_id: "teacher"
        agency_id: "jhs"
        acknowledged_confidentiality: true
      }
    })pb");
  constexpr char kReview[] = R"pb(
    record_case_review {
      case_id: "c1"
      status: "all fine"
      lead_agency_id: "city-pa"
      support_policy: "continue"
    })pb";
  // The convener did not attend: it may not record the review.
  EXPECT_EQ(
      world_.WhenConference("p1", "support-worker", Day(3), kReview).status(),
      errors::NotConferenceAttendee("p1", "support-worker"));
  EXPECT_TRUE(world_.WhenConference("p1", "cw", Day(3), kReview).ok());
  // An action item on the case goes to an agency on its team.
  EXPECT_EQ(world_
                .WhenConference("p1", "cw", Day(3), R"pb(
                  assign_action_item {
                    item {
                      action_item_id: "a1"
                      case_id: "c1"
                      description: "check attendance"
                      assignee_staff_id: "teacher"
                      assignee_agency_id: "jhs"
                      due { seconds: 1712826000 }
                    }
                  })pb")
                .status(),
            errors::AgencyNotOnTeam("jhs"));
}

constexpr char kSelfServingConsent[] = R"pb(
  give_consent {
    terms {
      consent_id: "k-finances"
      subject_id: "mother"
      decided_by_subject_id: "mother"
      scope {
        agency_ids: "city-mh"
        purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
        categories: INFORMATION_CATEGORY_FINANCES
      }
      form: CONSENT_FORM_VERBAL
    }
  })pb";

TEST_F(AuthorityTest, AConsentForTheRecordersOwnAgencyWaitsForASupervisor) {
  // Given city-mh records the mother's consent granting city-mh access to her
  // finances, then it waits for confirmation and is not in force.
  auto events =
      world_.WhenCase("c1", "counsellor", Day(1), kSelfServingConsent);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_TRUE((*events)[0].consent_given().awaiting_confirmation());
  world_.GivenCase("c1", "counsellor", Day(1), kSelfServingConsent);
  const ConsentState* consent = world_.Case("c1").FindConsent("k-finances");
  ASSERT_NE(consent, nullptr);
  EXPECT_FALSE(consent->InForceAt(Day(2)));

  constexpr char kConfirm[] =
      R"pb(confirm_consent { consent_id: "k-finances" note: "checked" })pb";
  // The recorder cannot confirm it; nor can a practitioner who is not a
  // supervisor.
  EXPECT_EQ(world_.WhenCase("c1", "counsellor", Day(2), kConfirm).status(),
            errors::SelfConfirmedConsent("k-finances"));
  EXPECT_EQ(world_.WhenCase("c1", "cw", Day(2), kConfirm).status(),
            errors::NotConsentConfirmer("k-finances", "cw"));
  // city-pa's supervisor (a team agency) confirms; from then it is in force.
  world_.GivenCase("c1", "supervisor", Day(2), kConfirm);
  consent = world_.Case("c1").FindConsent("k-finances");
  EXPECT_FALSE(consent->InForceAt(Day(1) + absl::Hours(1)));
  EXPECT_TRUE(consent->InForceAt(Day(3)));
  EXPECT_EQ(consent->confirmed_by.staff_id(), "supervisor");
  EXPECT_EQ(world_.WhenCase("c1", "supervisor", Day(3), kConfirm).status(),
            errors::ConsentNotAwaitingConfirmation("k-finances"));
}

TEST_F(AuthorityTest, AConsentForOtherAgenciesNeedsNoConfirmation) {
  auto events = world_.WhenCase("c1", "cw", Day(1), kSelfServingConsent);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_FALSE((*events)[0].consent_given().awaiting_confirmation());
}

TEST_F(AuthorityTest, TheLeadSideIsADecisionOfTheJointConference) {
  HoldWithDecision(
      world_, "m1", "CONFERENCE_TYPE_INDIVIDUAL_CASE",
      {{"cw", "city-pa"}, {"counsellor", "city-mh"}},
      "decision_id: \"d1\" kind: DECISION_KIND_LEAD_SIDE "
      "case_id: \"c1\" lead_side: LEAD_SIDE_CITY text: \"市主体\"");
  EXPECT_EQ(world_
                .WhenCase("c1", "cw", Day(4), R"pb(
                  set_case_lead_side {
                    lead_side: LEAD_SIDE_CHILD_GUIDANCE_CENTRE
                    decision { conference_id: "m1" decision_id: "d1" }
                  })pb")
                .status(),
            errors::DecisionDiffers("m1", "d1", "lead side"));
  EXPECT_EQ(world_
                .WhenCase("c1", "cw", Day(4), R"pb(
                  set_case_lead_side { lead_side: LEAD_SIDE_CITY })pb")
                .status(),
            errors::MissingField("decision"));
  world_.GivenCase("c1", "cw", Day(4), R"pb(
    set_case_lead_side {
      lead_side: LEAD_SIDE_CITY
      decision { conference_id: "m1" decision_id: "d1" }
    })pb");
  EXPECT_EQ(world_.Case("c1").lead_side(), v1::LEAD_SIDE_CITY);
  EXPECT_EQ(world_.Case("c1").lead_sides.size(), 1u);
}

TEST_F(AuthorityTest, OnlyTheCoordinatingBodySetsACasesReviewInterval) {
  constexpr char kSet[] =
      R"pb(set_case_review_interval { interval_days: 14 reason: "risk" })pb";
  EXPECT_EQ(world_.WhenCase("c1", "support-worker", Day(1), kSet).status(),
            errors::NotFrameworkCoordinatingBody(
                "city-cfs", "set the case's review interval"));
  testing::World coordinated(DirectoryWithCoordinatingBody());
  testing::OpenStandardCase(coordinated);
  EXPECT_EQ(coordinated.WhenCase("c1", "cw", Day(1), kSet).status(),
            errors::NotFrameworkCoordinatingBody(
                "city-pa", "set the case's review interval"));
  coordinated.GivenCase("c1", "support-worker", Day(1), kSet);
  EXPECT_EQ(coordinated.Case("c1").review_interval_days, 14);
}

TEST_F(AuthorityTest, AnUnbornChildIsUpdatedOnceBornKeepingItsId) {
  world_.GivenCase("c1", "cw", Day(1), R"pb(
    add_subject {
      subject {
        subject_id: "baby"
        display_name: "胎児"
        relationship: RELATIONSHIP_CHILD
        guardian_subject_ids: "mother"
        unborn { expected_birth { seconds: 1720000000 } }
      }
    })pb");
  EXPECT_TRUE(world_.Case("c1").FindSubject("baby")->has_unborn());
  world_.GivenCase("c1", "cw", Day(60), R"pb(
    update_subject {
      subject {
        subject_id: "baby"
        display_name: "次男"
        relationship: RELATIONSHIP_CHILD
        guardian_subject_ids: "mother"
      }
      reason: "born and named"
    })pb");
  const v1::Subject* baby = world_.Case("c1").FindSubject("baby");
  EXPECT_EQ(baby->display_name(), "次男");
  EXPECT_FALSE(baby->has_unborn());
  EXPECT_EQ(world_.Case("c1").subjects.size(), 4u);
  EXPECT_EQ(world_
                .WhenCase("c1", "cw", Day(60), R"pb(
                  update_subject {
                    subject {
                      subject_id: "nobody"
                      display_name: "x"
                      relationship: RELATIONSHIP_CHILD
                    }
                    reason: "x"
                  })pb")
                .status(),
            errors::SubjectNotFound("nobody"));
}

TEST(AuthorityPlanTest, AsKnownOnUsesTheRecordedTimeNotTheBusinessTime) {
  testing::World world_(testing::StoryDirectory());
  testing::AdoptPlan(world_);
  // Recorded on day 100 (the server's time) about day 4 (business time).
  v1::CaseCommand assign = world_.CaseCommand("c1", "counsellor", Day(4), R"pb(
    assign_stage_lead {
      stage_id: "s-mother"
      lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
      reason: "agreed"
      decision { conference_id: "k1" decision_id: "d-lead-mother" }
    })pb");
  *assign.mutable_decided_at() = ToTimestamp(Day(100));
  world_.Apply(assign);
  const CaseState& c = world_.Case("c1");
  // As known on day 50 nobody led the stage, although the lead is valid
  // from day 4; as known on day 100 the counsellor did.
  EXPECT_FALSE(LeadAt(c, "s-mother", Day(10), Day(50)).has_value());
  auto known = LeadAt(c, "s-mother", Day(10), Day(100));
  ASSERT_TRUE(known.has_value());
  EXPECT_EQ(known->lead().key_person_staff_id(), "counsellor");
}

TEST_F(AuthorityTest, ATeamChangeLoadsTheConferenceItCites) {
  const v1::CaseCommand command =
      world_.CaseCommand("c1", "cw", Day(4), kRemoveCfs);
  EXPECT_EQ(ReferencedStreams(command),
            (std::vector<std::string>{"conference-m1"}));
}

TEST_F(AuthorityTest, BusinessTimeHasAFloorBeforeTheCaseWasOpened) {
  constexpr char kEntry[] = R"pb(
    record_entry {
      entry {
        entry_id: "e-old"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_HEALTH
        contact {
          channel: CONTACT_CHANNEL_PHONE
          counterpart_subject_ids: "mother"
          summary: "an old call"
        }
      }
    })pb";
  EXPECT_TRUE(world_.WhenCase("c1", "cw", Day(-300), kEntry).ok());
  EXPECT_EQ(world_.WhenCase("c1", "cw", Day(-400), kEntry).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(AuthorityTest, ASupportMeetingIsAMeetingOfTheCasesForum) {
  constexpr char kShienKaigi[] = R"pb(
    schedule_conference {
      type: CONFERENCE_TYPE_SUPPORT_MEETING
      basis: CONFERENCE_BASIS_SHIEN_KAIGI
      title: "支援会議"
      coordinating_agency_id: "city-pa"
      scheduled_for { seconds: 1712221200 }
      invitees { agency_id: "city-mh" }
      agenda_case_ids: "c1"
    })pb";
  EXPECT_EQ(world_.WhenConference("s1", "cw", Day(1), kShienKaigi).status(),
            errors::MissingField("forum_id"));
  v1::ConferenceCommand command =
      world_.ConferenceCommand("s1", "cw", Day(1), kShienKaigi);
  command.mutable_schedule_conference()->set_forum_id("f-shien");
  EXPECT_EQ(world_.When(command).status(), errors::ForumNotFound("f-shien"));
  world_.GivenCase("c1", "cw", Day(1), R"pb(
    register_statutory_forum {
      forum {
        forum_id: "f-shien"
        kind: FORUM_KIND_SHIEN_KAIGI
        name: "支援会議"
        member_agency_ids: "city-pa"
        member_agency_ids: "city-cfs"
      }
    })pb");
  EXPECT_EQ(world_.When(command).status(),
            errors::NotForumMember("f-shien", "city-mh"));
  command.mutable_schedule_conference()->mutable_invitees(0)->set_agency_id(
      "city-cfs");
  auto events = world_.When(command);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ((*events)[0].conference_scheduled().forum_id(), "f-shien");
}

TEST_F(AuthorityTest, AnAdministratorNeverActsOnACase) {
  EXPECT_EQ(world_
                .WhenCase("c1", "admin", Day(1), R"pb(
                  add_team_agency { agency_id: "jhs" reason: "x" })pb")
                .status(),
            errors::AdministratorsHoldNoCases("admin"));
}

TEST(CoordinatingBodyTest, TheDirectoryDesignatesOneBodyPerFramework) {
  DirectoryState directory = testing::StoryDirectory();
  v1::DirectoryCommand command;
  *command.mutable_occurred_at() = ToTimestamp(Day(0));
  command.mutable_actor()->set_staff_id("admin");
  command.mutable_actor()->set_agency_id("city-pa");
  auto* designate = command.mutable_designate_coordinating_body();
  designate->set_framework(v1::FRAMEWORK_YOTAIKYO);
  designate->set_agency_id("nowhere");
  EXPECT_EQ(Decide(directory, command).status(),
            errors::AgencyNotFound("nowhere"));
  designate->set_agency_id("city-cfs");
  designate->set_review_interval_days(400);
  EXPECT_EQ(Decide(directory, command).status().code(),
            absl::StatusCode::kInvalidArgument);
  designate->set_review_interval_days(30);
  auto events = Decide(directory, command);
  ASSERT_TRUE(events.ok()) << events.status();
  for (const auto& event : *events) Evolve(directory, event);
  EXPECT_EQ(directory.CoordinatingBodyOf(v1::FRAMEWORK_YOTAIKYO), "city-cfs");
  EXPECT_TRUE(directory.Coordinates("city-cfs", v1::FRAMEWORK_YOTAIKYO));
  EXPECT_FALSE(directory.Coordinates("city-pa", v1::FRAMEWORK_YOTAIKYO));
  // A later designation replaces it.
  designate->set_agency_id("city-pa");
  auto replaced = Decide(directory, command);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  for (const auto& event : *replaced) Evolve(directory, event);
  EXPECT_EQ(directory.CoordinatingBodyOf(v1::FRAMEWORK_YOTAIKYO), "city-pa");
}

}  // namespace
}  // namespace renkei::domain
