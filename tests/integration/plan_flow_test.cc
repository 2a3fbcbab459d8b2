// End-to-end over gRPC: step 10 of the acceptance story (a 要対協 individual
// case conference, its decisions, the support plan and the stage leads, a
// retroactive correction answered bitemporally) and the staff rotation that
// follows (the briefing packet, acknowledgement, completion moving every lead
// and action item to the successor, the departure), plus progress review
// (進行管理) and the precise refusals of the plan and conference services.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "renkei/v1/access.pb.h"
#include "renkei/v1/conference_service.grpc.pb.h"
#include "renkei/v1/handover_service.grpc.pb.h"
#include "renkei/v1/plan_service.grpc.pb.h"
#include "renkei/v1/review_service.grpc.pb.h"
#include "services/app/access/case_access.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/conference/progress_review.h"
#include "services/domain/event_codec.h"
#include "services/domain/handover/packet.h"
#include "services/domain/time_util.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

using Case = v1::CaseService::Stub;
using Consent = v1::ConsentService::Stub;
using Conference = v1::ConferenceService::Stub;
using Plan = v1::PlanService::Stub;
using Handover = v1::HandoverService::Stub;
using Review = v1::ReviewService::Stub;
using Directory = v1::DirectoryService::Stub;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class PlanFlowTest : public ServerFixture {
 protected:
  void SetUp() override {
    // The story runs over the last weeks: the server's clock starts before
    // it and follows each step (At), so recorded times follow the story.
    AdvanceServerTime(now_ - absl::Hours(24 * 130));
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    NewStubs();
    // The counsellor's successor at the mental-health division.
    v1::CommandReply reply;
    Ok(Call(directory_.get(), &Directory::RegisterStaffMember, "admin",
            Setup<v1::RegisterStaffMemberRequest>(
                R"pb(staff {
                       staff_id: "counsellor2"
                       display_name: "counsellor2"
                       profession: PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR
                       agency_id: "city-mh"
                     })pb"),
            &reply));
  }

  // Stubs for the services the base fixture has none for (again after a
  // restart: the channel changes).
  void NewStubs() {
    conferences_ = v1::ConferenceService::NewStub(channel_);
    plans_ = v1::PlanService::NewStub(channel_);
    handovers_ = v1::HandoverService::NewStub(channel_);
    reviews_ = v1::ReviewService::NewStub(channel_);
  }

  void Ok(const grpc::Status& s) { ASSERT_TRUE(s.ok()) << s.error_message(); }

  absl::Time Ago(int days) const { return now_ - absl::Hours(24 * days); }

  static std::string Seconds(absl::Time t) {
    return absl::StrCat(absl::ToUnixSeconds(t));
  }

  // A command request on the aggregate `id` (case, conference or handover),
  // stamped as having happened at `at`, and recorded then: the server's
  // clock moves to `at` (never back), so "as known on" follows the story.
  template <typename Request>
  Request At(const std::string& id, absl::Time at, const std::string& text,
             const std::string& key = "") {
    AdvanceServerTime(at);
    Request r = Make<Request>(id, text, key);
    *r.mutable_options()->mutable_occurred_at() = domain::ToTimestamp(at);
    return r;
  }

  // The same, happening now (the server's clock).
  template <typename Request>
  static Request Make(const std::string& id, const std::string& text,
                      const std::string& key = "") {
    Request r = Cmd<Request>(id, text, key);
    if constexpr (requires { r.set_conference_id(""); }) {
      r.set_conference_id(id);
    }
    if constexpr (requires { r.set_handover_id(""); }) r.set_handover_id(id);
    return r;
  }

  // Case c1 (mother, daughter), registered as needing support with 要対協,
  // opened 10 days ago by the caseworker with city-mh on the team; the 要対協
  // forum has every agency of the fixture but "audit" as members.
  void OpenCase() {
    const absl::Time at = Ago(10);
    Ok(Call(cases_.get(), &Case::OpenCase, "cw",
            At<v1::OpenCaseRequest>("c1", at, R"pb(
              kind: CASE_KIND_HOUSEHOLD
              title: "mother-child household"
              intake {
                noticed_by_agency_id: "nursery"
                observation: "lateness, alcohol on the mother's breath"
                relays { agency_id: "nursery" staff_id: "teacher" }
                relays { agency_id: "city-pa" staff_id: "cw" }
              }
              frameworks: FRAMEWORK_YOTAIKYO
              registration: REGISTRATION_NONE
            )pb"),
            &reply_));
    Ok(Call(cases_.get(), &Case::AddSubject, "cw",
            At<v1::AddSubjectRequest>(
                "c1", at, R"pb(subject {
                                 subject_id: "mother"
                                 display_name: "mother"
                                 relationship: RELATIONSHIP_HEAD_OF_HOUSEHOLD
                               })pb"),
            &reply_));
    Ok(Call(cases_.get(), &Case::AddSubject, "cw",
            At<v1::AddSubjectRequest>("c1", at,
                                      R"pb(subject {
                                             subject_id: "daughter"
                                             display_name: "daughter"
                                             relationship: RELATIONSHIP_CHILD
                                             guardian_subject_ids: "mother"
                                           })pb"),
            &reply_));
    Ok(Call(consent_.get(), &Consent::RegisterStatutoryForum, "cw",
            At<v1::RegisterStatutoryForumRequest>(
                "c1", at, R"pb(forum {
                                 forum_id: "f1"
                                 kind: FORUM_KIND_YOTAIKYO
                                 name: "要対協"
                                 member_agency_ids: "city-pa"
                                 member_agency_ids: "city-mh"
                                 member_agency_ids: "nursery"
                                 member_agency_ids: "clinic"
                               })pb"),
            &reply_));
    Ok(Call(cases_.get(), &Case::AddTeamAgency, "cw",
            At<v1::AddTeamAgencyRequest>(
                "c1", at, R"pb(agency_id: "city-mh"
                               reason: "counsellor consulted")pb"),
            &reply_));
    // Registered once its team is formed: later team changes are
    // conference decisions.
    Ok(Call(cases_.get(), &Case::ChangeCaseRegistration, "cw",
            At<v1::ChangeCaseRegistrationRequest>(
                "c1", at, R"pb(registration: REGISTRATION_SUPPORT_NEEDED
                               reason: "受理会議")pb"),
            &reply_));
  }

  // The counsellor (city-mh) convenes a 要対協 individual case conference k1,
  // 9 days ago, for 7 days ago; the caseworker's division (city-pa) is the
  // coordinating body; the nursery and the clinic's doctor are invited.
  void ScheduleConference() {
    Ok(Call(conferences_.get(), &Conference::ScheduleConference, "counsellor",
            At<v1::ScheduleConferenceRequest>(
                "k1", Ago(9),
                absl::StrCat(R"pb(
                               type: CONFERENCE_TYPE_INDIVIDUAL_CASE
                               basis: CONFERENCE_BASIS_YOTAIKYO
                               title: "個別ケース検討会議 (母子世帯)"
                               coordinating_agency_id: "city-pa"
                               scheduled_for { seconds:)pb",
                             Seconds(Ago(7)), R"pb(}
                                                   invitees { agency_id: "city-pa" }
                               invitees { agency_id: "nursery" }
                               invitees { agency_id: "clinic" staff_id: "doctor" }
                               agenda_case_ids: "c1"
                               agenda_items {
                                 item_id: "i-share"
                                 title: "share what each agency knows"
                                 case_id: "c1"
                               }
                               agenda_items {
                                 item_id: "i-roles"
                                 title: "role split and leads"
                                 case_id: "c1"
                               })pb")),
            &reply_));
  }

  // Held 7 days ago by the coordinating body; every attendee acknowledges
  // the duty of confidentiality (要対協).
  void HoldConference() {
    Ok(Call(conferences_.get(), &Conference::HoldConference, "cw",
            At<v1::HoldConferenceRequest>("k1", Ago(7), R"pb(
              attendance {
                staff_id: "counsellor"
                agency_id: "city-mh"
                acknowledged_confidentiality: true
              }
              attendance {
                staff_id: "cw"
                agency_id: "city-pa"
                acknowledged_confidentiality: true
              }
              attendance {
                staff_id: "teacher"
                agency_id: "nursery"
                acknowledged_confidentiality: true
              }
            )pb"),
            &reply_));
  }

  // Minutes, role split, decisions (the plan, the treatment lead agreed, the
  // livelihood lead designated by the coordinating body) and an action item
  // for the counsellor, due in 20 days.
  void RecordDecisions() {
    const absl::Time at = Ago(7);
    Ok(Call(
        conferences_.get(), &Conference::RecordMinutes, "cw",
        At<v1::RecordMinutesRequest>(
            "k1", at,
            R"pb(text: "each agency reported; the daughter carries the household")pb"),
        &reply_));
    Ok(Call(conferences_.get(), &Conference::AgreeRoleSplit, "cw",
            At<v1::AgreeRoleSplitRequest>("k1", at, R"pb(
              roles {
                agency_id: "city-mh"
                responsibility: "coordinate the mother's treatment"
                case_id: "c1"
              }
              roles {
                agency_id: "city-pa"
                responsibility: "public assistance"
                case_id: "c1"
              }
              roles {
                agency_id: "nursery"
                responsibility: "watch the son; report absences"
                case_id: "c1"
              }
            )pb"),
            &reply_));
    Ok(Call(conferences_.get(), &Conference::RecordConferenceDecision,
            "counsellor",
            At<v1::RecordConferenceDecisionRequest>("k1", at, R"pb(
              decision {
                decision_id: "d-plan"
                kind: DECISION_KIND_PLAN_REVISION
                case_id: "c1"
                text: "adopt one shared support plan"
              }
            )pb"),
            &reply_));
    Ok(Call(conferences_.get(), &Conference::RecordConferenceDecision,
            "counsellor",
            At<v1::RecordConferenceDecisionRequest>("k1", at, R"pb(
              decision {
                decision_id: "d-lead-treatment"
                kind: DECISION_KIND_LEAD_ASSIGNMENT
                case_id: "c1"
                stage_id: "s-treatment"
                text: "the counsellor leads the mother's treatment stage"
                lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
              }
            )pb"),
            &reply_));
    Ok(Call(
        conferences_.get(), &Conference::RecordConferenceDecision, "cw",
        At<v1::RecordConferenceDecisionRequest>("k1", at, R"pb(
          decision {
            decision_id: "d-lead-livelihood"
            kind: DECISION_KIND_LEAD_DESIGNATION
            case_id: "c1"
            stage_id: "s-livelihood"
            text: "members could not agree; the coordinating body names the caseworker"
            lead { agency_id: "city-pa" key_person_staff_id: "cw" }
          }
        )pb"),
        &reply_));
    Ok(Call(
        conferences_.get(), &Conference::AssignActionItem, "cw",
        At<v1::AssignActionItemRequest>(
            "k1", at,
            absl::StrCat(
                R"pb(item { action_item_id: "a-clinic-plan" case_id: "c1"
                            description: "confirm the clinic's treatment plan"
                            assignee_staff_id: "counsellor"
                            assignee_agency_id: "city-mh"
                            due { seconds:)pb",
                Seconds(now_ + absl::Hours(24 * 20)), " } }")),
        &reply_));
  }

  // The plan adopted at k1, recorded 6 days ago: three stages, of which
  // "s-medical" gets no lead.
  void RevisePlan() {
    Ok(Call(
        plans_.get(), &Plan::ReviseSupportPlan, "counsellor",
        At<v1::ReviseSupportPlanRequest>("c1", Ago(6), R"pb(
          plan {
            goals {
              goal_id: "g-treatment"
              horizon: GOAL_HORIZON_SHORT
              description: "outpatient treatment for depression and alcohol continues"
              subject_ids: "mother"
            }
            goals {
              goal_id: "g-routine"
              horizon: GOAL_HORIZON_MID
              description: "the daughter gets to school on time, fed and clean"
              subject_ids: "daughter"
            }
            goals {
              goal_id: "g-stable"
              horizon: GOAL_HORIZON_LONG
              description: "a sober, stable household living on its own means"
            }
            stages {
              stage_id: "s-treatment"
              title: "the mother's treatment and recovery"
              goal_ids: "g-treatment"
              goal_ids: "g-stable"
            }
            stages {
              stage_id: "s-livelihood"
              title: "livelihood and services"
              goal_ids: "g-stable"
            }
            stages {
              stage_id: "s-medical"
              title: "medical care"
              goal_ids: "g-treatment"
            }
            roles {
              agency_id: "city-mh"
              responsibility: "coordinate treatment"
              stage_id: "s-treatment"
            }
            roles {
              agency_id: "city-pa"
              responsibility: "public assistance"
              stage_id: "s-livelihood"
            }
            summary: "treatment first; then livelihood"
          }
          decision { conference_id: "k1" decision_id: "d-plan" }
          reason: "adopted at the 要対協 individual case conference"
        )pb"),
        &reply_));
  }

  // Recorded 6 days ago, effective from the conference 7 days ago.
  void AssignLeads() {
    Ok(Call(plans_.get(), &Plan::AssignStageLead, "counsellor",
            At<v1::AssignStageLeadRequest>(
                "c1", Ago(6),
                absl::StrCat(R"pb(
                               stage_id: "s-treatment"
                               lead {
                                 agency_id: "city-mh"
                                 key_person_staff_id: "counsellor"
                               }
                               effective_from { seconds:)pb",
                             Seconds(Ago(7)), R"pb(}
                                                   reason: "agreed at the 要対協 individual case conference"
                               decision {
                                 conference_id: "k1"
                                 decision_id: "d-lead-treatment"
                               })pb")),
            &reply_));
    Ok(Call(plans_.get(), &Plan::AssignStageLead, "cw",
            At<v1::AssignStageLeadRequest>(
                "c1", Ago(6),
                absl::StrCat(
                    R"pb(
                      stage_id: "s-livelihood"
                      lead { agency_id: "city-pa" key_person_staff_id: "cw" }
                      effective_from { seconds:)pb",
                    Seconds(Ago(7)), R"pb(}
                                          reason: "designated by the coordinating body"
                               decision {
                                 conference_id: "k1"
                                 decision_id: "d-lead-livelihood"
                               })pb")),
            &reply_));
  }

  // Step 10 through the plan, without the leads.
  void ConferenceAndPlan() {
    OpenCase();
    ScheduleConference();
    HoldConference();
    RecordDecisions();
    RevisePlan();
  }

  v1::GetStageLeadHistoryResponse History(
      const std::string& staff, const std::string& stage = "",
      std::optional<absl::Time> known_at = std::nullopt) {
    v1::GetStageLeadHistoryRequest req;
    req.set_case_id("c1");
    req.set_stage_id(stage);
    if (known_at) *req.mutable_known_at() = domain::ToTimestamp(*known_at);
    v1::GetStageLeadHistoryResponse resp;
    Ok(Call(plans_.get(), &Plan::GetStageLeadHistory, staff, req, &resp));
    return resp;
  }

  v1::GetLeadAtResponse LeadAt(
      const std::string& stage, absl::Time valid_at,
      std::optional<absl::Time> known_at = std::nullopt) {
    v1::GetLeadAtRequest req;
    req.set_case_id("c1");
    req.set_stage_id(stage);
    *req.mutable_valid_at() = domain::ToTimestamp(valid_at);
    if (known_at) *req.mutable_known_at() = domain::ToTimestamp(*known_at);
    v1::GetLeadAtResponse resp;
    Ok(Call(plans_.get(), &Plan::GetLeadAt, "cw", req, &resp));
    return resp;
  }

  v1::ListMyActionItemsResponse MyItems(const std::string& staff) {
    v1::ListMyActionItemsResponse resp;
    Ok(Call(conferences_.get(), &Conference::ListMyActionItems, staff,
            v1::ListMyActionItemsRequest(), &resp));
    return resp;
  }

  v1::ListUpcomingConferencesResponse Upcoming(const std::string& staff,
                                               absl::Time from) {
    v1::ListUpcomingConferencesRequest req;
    *req.mutable_from() = domain::ToTimestamp(from);
    v1::ListUpcomingConferencesResponse resp;
    Ok(Call(conferences_.get(), &Conference::ListUpcomingConferences, staff,
            req, &resp));
    return resp;
  }

  v1::ListOverdueReviewsResponse Overdue(const std::string& staff,
                                         absl::Time as_of) {
    v1::ListOverdueReviewsRequest req;
    *req.mutable_as_of() = domain::ToTimestamp(as_of);
    v1::ListOverdueReviewsResponse resp;
    Ok(Call(reviews_.get(), &Review::ListOverdueReviews, staff, req, &resp));
    return resp;
  }

  grpc::Status Depart(const std::string& staff) {
    v1::CommandReply reply;
    return Call(directory_.get(), &Directory::RecordStaffDeparture, "admin",
                Cmd<v1::RecordStaffDepartureRequest>(
                    "", absl::StrCat("staff_id: '", staff,
                                     "' reason: 'moves to the health centre'")),
                &reply);
  }

  std::unique_ptr<Conference> conferences_;
  std::unique_ptr<Plan> plans_;
  std::unique_ptr<Handover> handovers_;
  std::unique_ptr<Review> reviews_;
  // Whole seconds, so text-format timestamps compare equal.
  const absl::Time now_ =
      absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  v1::CommandReply reply_;
};

TEST_F(PlanFlowTest, ConferencePlanLeadsAndHandover) {
  OpenCase();
  ScheduleConference();
  ASSERT_FALSE(HasFatalFailure());

  // Before the meeting is held, the invitees see it coming: the nursery as
  // an invited agency, the doctor by name; the auditor is not invited.
  for (const char* invitee : {"teacher", "doctor", "counsellor"}) {
    const auto upcoming = Upcoming(invitee, Ago(8));
    ASSERT_EQ(upcoming.conferences_size(), 1) << invitee;
    const v1::UpcomingConference& k1 = upcoming.conferences(0);
    EXPECT_EQ(k1.conference_id(), "k1");
    EXPECT_EQ(k1.type(), v1::CONFERENCE_TYPE_INDIVIDUAL_CASE);
    EXPECT_EQ(k1.coordinating_agency_id(), "city-pa");
    EXPECT_EQ(k1.convener().staff_id(), "counsellor");
    EXPECT_EQ(k1.agenda_cases(), 1);
    EXPECT_EQ(domain::ToTime(k1.scheduled_for()), Ago(7));
  }
  EXPECT_EQ(Upcoming("auditor", Ago(8)).conferences_size(), 0);

  HoldConference();
  ASSERT_FALSE(HasFatalFailure());
  // Held: no longer upcoming.
  EXPECT_EQ(Upcoming("teacher", Ago(8)).conferences_size(), 0);
  // Convening made the counsellor no lead: there is no plan, no stage, no
  // lead.
  EXPECT_EQ(History("counsellor").periods_size(), 0);

  RecordDecisions();
  RevisePlan();
  ASSERT_FALSE(HasFatalFailure());
  {
    v1::GetSupportPlanRequest req;
    req.set_case_id("c1");
    v1::SupportPlan plan;
    Ok(Call(plans_.get(), &Plan::GetSupportPlan, "counsellor", req, &plan));
    ASSERT_EQ(plan.stages_size(), 3);
    EXPECT_EQ(plan.stages(0).stage_id(), "s-treatment");
    EXPECT_EQ(plan.goals_size(), 3);
  }
  // The plan is adopted and the decisions recorded, but nobody leads a stage
  // until the leads are assigned on the case: the convener least of all.
  EXPECT_EQ(History("counsellor").periods_size(), 0);
  EXPECT_FALSE(LeadAt("s-treatment", Ago(7)).has_lead());
  EXPECT_FALSE(LeadAt("s-treatment", now_).has_lead());

  AssignLeads();
  ASSERT_FALSE(HasFatalFailure());
  {
    // Each agency's caseload lists the stages it leads now.
    v1::ListCaseloadResponse caseload;
    Ok(Call(cases_.get(), &Case::ListCaseload, "counsellor",
            v1::ListCaseloadRequest(), &caseload));
    ASSERT_EQ(caseload.cases_size(), 1);
    EXPECT_THAT(caseload.cases(0).stages_led(),
                ::testing::ElementsAre("s-treatment"));
    caseload.Clear();
    Ok(Call(cases_.get(), &Case::ListCaseload, "teacher",
            v1::ListCaseloadRequest(), &caseload));
    for (const auto& item : caseload.cases()) {
      EXPECT_TRUE(item.stages_led().empty());
    }
  }
  {
    const auto history = History("cw");
    ASSERT_EQ(history.periods_size(), 2);
    const v1::LeadPeriod& treatment = history.periods(0);
    EXPECT_EQ(treatment.stage_id(), "s-treatment");
    EXPECT_EQ(treatment.lead().agency_id(), "city-mh");
    EXPECT_EQ(treatment.lead().key_person_staff_id(), "counsellor");
    EXPECT_EQ(domain::ToTime(treatment.valid_from()), Ago(7));
    EXPECT_FALSE(treatment.has_valid_to());
    EXPECT_EQ(treatment.fact().decision().conference_id(), "k1");
    EXPECT_EQ(treatment.fact().decision().decision_id(), "d-lead-treatment");
    EXPECT_EQ(domain::ToTime(treatment.fact().known_at()), Ago(6));
    EXPECT_FALSE(treatment.fact().designated_by_coordinating_body());
    const v1::LeadPeriod& livelihood = history.periods(1);
    EXPECT_EQ(livelihood.stage_id(), "s-livelihood");
    EXPECT_EQ(livelihood.lead().key_person_staff_id(), "cw");
    EXPECT_TRUE(livelihood.fact().designated_by_coordinating_body());
  }
  {
    const auto lead = LeadAt("s-treatment", Ago(5));
    ASSERT_TRUE(lead.has_lead());
    EXPECT_EQ(lead.period().lead().key_person_staff_id(), "counsellor");
    // On the day of the conference the lead was not yet recorded.
    EXPECT_FALSE(LeadAt("s-treatment", Ago(5), Ago(7)).has_lead());
    EXPECT_FALSE(LeadAt("s-treatment", Ago(8)).has_lead());
    EXPECT_FALSE(LeadAt("s-medical", Ago(5)).has_lead());
  }

  // A retroactive correction recorded 3 days ago: the designated lead took
  // effect only when the plan was adopted, a day after the conference.
  Ok(Call(plans_.get(), &Plan::CorrectStageLead, "cw",
          At<v1::CorrectStageLeadRequest>(
              "c1", Ago(3),
              absl::StrCat("stage_id: 's-livelihood' valid_from { seconds: ",
                           Seconds(Ago(7)),
                           " } valid_to { seconds: ", Seconds(Ago(6)),
                           " } reason: 'took effect when the plan was "
                           "adopted'")),
          &reply_));
  {
    const absl::Time between = Ago(7) + absl::Hours(12);
    // As known before the correction, the caseworker led it then.
    const auto before = LeadAt("s-livelihood", between, Ago(4));
    ASSERT_TRUE(before.has_lead());
    EXPECT_EQ(before.period().lead().key_person_staff_id(), "cw");
    EXPECT_EQ(domain::ToTime(before.period().valid_from()), Ago(7));
    // As known now, nobody did.
    EXPECT_FALSE(LeadAt("s-livelihood", between).has_lead());
    EXPECT_FALSE(LeadAt("s-livelihood", between, Ago(2)).has_lead());
    // From the adoption on, the caseworker leads either way.
    const auto after = LeadAt("s-livelihood", Ago(5));
    ASSERT_TRUE(after.has_lead());
    EXPECT_EQ(after.period().lead().key_person_staff_id(), "cw");
    // The history as known before and after.
    const auto known_before = History("cw", "s-livelihood", Ago(4));
    ASSERT_EQ(known_before.periods_size(), 1);
    EXPECT_EQ(domain::ToTime(known_before.periods(0).valid_from()), Ago(7));
    const auto known_now = History("cw", "s-livelihood");
    std::vector<v1::LeadPeriod> led;
    for (const auto& p : known_now.periods()) {
      if (p.has_lead()) led.push_back(p);
    }
    ASSERT_EQ(led.size(), 1u) << known_now.DebugString();
    EXPECT_EQ(led[0].lead().key_person_staff_id(), "cw");
    EXPECT_EQ(domain::ToTime(led[0].valid_from()), Ago(6));
    EXPECT_FALSE(led[0].has_valid_to());
  }

  // The counsellor's open action item.
  {
    const auto mine = MyItems("counsellor");
    ASSERT_EQ(mine.items_size(), 1);
    EXPECT_EQ(mine.items(0).conference_id(), "k1");
    EXPECT_EQ(mine.items(0).item().action_item_id(), "a-clinic-plan");
    EXPECT_FALSE(mine.items(0).overdue());
    EXPECT_EQ(MyItems("counsellor2").items_size(), 0);
  }

  // She moves post. She cannot be marked as left while she holds anything.
  {
    const uint64_t head = server_->log().Head();
    const grpc::Status refused = Depart("counsellor");
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_TRUE(Contains(refused.error_message(),
                         "Staff member 'counsellor' still holds 2 "
                         "responsibilities"))
        << refused.error_message();
    EXPECT_TRUE(Contains(refused.error_message(),
                         "key person of stage 's-treatment' of case 'c1' for "
                         "agency 'city-mh'"))
        << refused.error_message();
    EXPECT_TRUE(Contains(refused.error_message(),
                         "action item 'a-clinic-plan' of conference 'k1'"))
        << refused.error_message();
    EXPECT_EQ(server_->log().Head(), head);
  }

  Ok(Call(handovers_.get(), &Handover::StartHandover, "counsellor",
          Make<v1::StartHandoverRequest>("h1", R"pb(
            outgoing_staff_id: "counsellor"
            successor_staff_id: "counsellor2"
            reason: HANDOVER_REASON_MOVING_POST
            note: "moves to the health centre"
          )pb"),
          &reply_));

  // A handover under way covers nothing yet.
  EXPECT_EQ(Depart("counsellor").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // The briefing packet lists the lead and the action item.
  {
    v1::GetHandoverPacketRequest req;
    req.set_handover_id("h1");
    v1::HandoverPacket packet;
    Ok(Call(handovers_.get(), &Handover::GetHandoverPacket, "counsellor2", req,
            &packet));
    EXPECT_EQ(packet.outgoing_staff_id(), "counsellor");
    EXPECT_EQ(packet.successor_staff_id(), "counsellor2");
    EXPECT_EQ(packet.agency_id(), "city-mh");
    ASSERT_EQ(packet.cases_size(), 1);
    const v1::PacketCase& brief = packet.cases(0);
    EXPECT_EQ(brief.case_id(), "c1");
    EXPECT_EQ(brief.registration(), v1::REGISTRATION_SUPPORT_NEEDED);
    ASSERT_EQ(brief.stages_led_size(), 1);
    EXPECT_EQ(brief.stages_led(0).stage_id(), "s-treatment");
    EXPECT_EQ(brief.stages_led(0).title(),
              "the mother's treatment and recovery");
    EXPECT_EQ(brief.stages_led(0).lead().key_person_staff_id(), "counsellor");
    ASSERT_EQ(brief.action_items_size(), 1);
    EXPECT_EQ(brief.action_items(0).conference_id(), "k1");
    EXPECT_EQ(brief.action_items(0).item().action_item_id(), "a-clinic-plan");
    EXPECT_FALSE(brief.action_items(0).overdue());
    EXPECT_EQ(brief.plan_revision(), 1u);
    EXPECT_EQ(brief.mid_and_long_term_goals_size(), 2);
    EXPECT_EQ(packet.responsibilities_size(), 2);
    // Nobody outside the handover reads it, nor learns that it exists.
    const grpc::Status outsider =
        Call(handovers_.get(), &Handover::GetHandoverPacket, "teacher", req,
             &packet);
    EXPECT_EQ(outsider.error_code(), grpc::StatusCode::NOT_FOUND);
    v1::GetHandoverPacketRequest missing;
    missing.set_handover_id("h404");
    const std::string message = outsider.error_message();
    const grpc::Status none =
        Call(handovers_.get(), &Handover::GetHandoverPacket, "teacher", missing,
             &packet);
    EXPECT_EQ(none.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(absl::StrReplaceAll(none.error_message(), {{"h404", "h1"}}),
              message);
  }

  // The story reaches today: the handover is completed now.
  AdvanceServerTime(absl::Now());
  // Completion before acknowledgement is refused.
  v1::CommandReply refused;
  EXPECT_EQ(
      Call(handovers_.get(), &Handover::CompleteHandover, "counsellor2",
           Make<v1::CompleteHandoverRequest>("h1", "note: 'early'"), &refused)
          .error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);

  Ok(Call(handovers_.get(), &Handover::AcknowledgeHandoverPacket, "counsellor2",
          Make<v1::AcknowledgeHandoverPacketRequest>("h1", "note: 'read'"),
          &reply_));
  const auto complete = Make<v1::CompleteHandoverRequest>(
      "h1", "note: 'everything moved'", "complete-h1");
  v1::CommandReply completed;
  Ok(Call(handovers_.get(), &Handover::CompleteHandover, "counsellor2",
          complete, &completed));
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_FALSE(completed.duplicate());
  EXPECT_EQ(completed.stream_id(), "handover-h1");
  const absl::Time after_completion = absl::Now();

  // The successor is the key person of the treatment stage from now on.
  {
    const auto history = History("counsellor2", "s-treatment");
    ASSERT_EQ(history.periods_size(), 2) << history.DebugString();
    const v1::LeadPeriod& before = history.periods(0);
    EXPECT_EQ(before.lead().key_person_staff_id(), "counsellor");
    EXPECT_EQ(domain::ToTime(before.valid_from()), Ago(7));
    ASSERT_TRUE(before.has_valid_to());
    const v1::LeadPeriod& after = history.periods(1);
    EXPECT_EQ(after.lead().agency_id(), "city-mh");
    EXPECT_EQ(after.lead().key_person_staff_id(), "counsellor2");
    EXPECT_EQ(domain::ToTime(after.valid_from()),
              domain::ToTime(before.valid_to()));
    EXPECT_FALSE(after.has_valid_to());
    EXPECT_EQ(after.fact().handover_id(), "h1");
    EXPECT_EQ(after.fact().reason(), "handover h1");
    EXPECT_EQ(after.fact().change(), v1::LEAD_CHANGE_KIND_TRANSFERRED);
    // Who led when: before the handover, the counsellor; after, her
    // successor; as known before the completion, still the counsellor.
    EXPECT_EQ(
        LeadAt("s-treatment", Ago(5)).period().lead().key_person_staff_id(),
        "counsellor");
    EXPECT_EQ(LeadAt("s-treatment", after_completion)
                  .period()
                  .lead()
                  .key_person_staff_id(),
              "counsellor2");
    EXPECT_EQ(LeadAt("s-treatment", after_completion, Ago(1))
                  .period()
                  .lead()
                  .key_person_staff_id(),
              "counsellor");
  }
  // The action item moved with her.
  {
    const auto mine = MyItems("counsellor2");
    ASSERT_EQ(mine.items_size(), 1);
    EXPECT_EQ(mine.items(0).conference_id(), "k1");
    EXPECT_EQ(mine.items(0).item().action_item_id(), "a-clinic-plan");
    EXPECT_EQ(mine.items(0).item().assignee_staff_id(), "counsellor2");
    EXPECT_EQ(mine.items(0).item().assignee_agency_id(), "city-mh");
    EXPECT_EQ(MyItems("counsellor").items_size(), 0);
  }
  // The livelihood stage did not move.
  EXPECT_EQ(History("cw", "s-livelihood", after_completion).periods_size(),
            History("cw", "s-livelihood", Ago(2)).periods_size());

  // Now she can be marked as left.
  Ok(Depart("counsellor"));

  // A retried completion answers and changes nothing (reads of case content
  // are recorded, on access streams: they are not counted).
  const uint64_t head = CommandEvents();
  v1::CommandReply retry;
  Ok(Call(handovers_.get(), &Handover::CompleteHandover, "counsellor2",
          complete, &retry));
  EXPECT_TRUE(retry.duplicate());
  EXPECT_EQ(retry.stream_id(), completed.stream_id());
  EXPECT_EQ(retry.stream_version(), completed.stream_version());
  EXPECT_EQ(retry.first_position(), completed.first_position());
  EXPECT_EQ(CommandEvents(), head);
  EXPECT_EQ(History("cw", "s-treatment").periods_size(), 2);
  EXPECT_EQ(MyItems("counsellor2").items_size(), 1);

  // All of it survives a restart, and a rebuild of the read models.
  for (const bool rebuild : {false, true}) {
    RestartServer(rebuild);
    NewStubs();
    const auto history = History("counsellor2", "s-treatment");
    ASSERT_EQ(history.periods_size(), 2) << rebuild;
    EXPECT_EQ(history.periods(1).lead().key_person_staff_id(), "counsellor2");
    EXPECT_EQ(MyItems("counsellor2").items_size(), 1) << rebuild;
    // She has left: she reads nothing any more.
    v1::ListMyActionItemsResponse hers;
    EXPECT_EQ(Call(conferences_.get(), &Conference::ListMyActionItems,
                   "counsellor", v1::ListMyActionItemsRequest(), &hers)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << rebuild;
    EXPECT_EQ(CommandEvents(), head) << rebuild;
  }
}

TEST_F(PlanFlowTest, CompletionRefusedWhenThePacketChangedSinceAcknowledged) {
  ConferenceAndPlan();
  AssignLeads();
  ASSERT_FALSE(HasFatalFailure());
  Ok(Call(handovers_.get(), &Handover::StartHandover, "counsellor",
          Make<v1::StartHandoverRequest>("h1", R"pb(
            outgoing_staff_id: "counsellor"
            successor_staff_id: "counsellor2"
            reason: HANDOVER_REASON_LEAVING
          )pb"),
          &reply_));
  Ok(Call(handovers_.get(), &Handover::AcknowledgeHandoverPacket, "counsellor2",
          Make<v1::AcknowledgeHandoverPacketRequest>("h1", "note: 'read'"),
          &reply_));
  // A new item for her after the successor read the packet.
  Ok(Call(
      conferences_.get(), &Conference::AssignActionItem, "cw",
      Make<v1::AssignActionItemRequest>(
          "k1", absl::StrCat("item { action_item_id: 'a-extra' case_id: "
                             "'c1' description: 'call the clinic' "
                             "assignee_staff_id: 'counsellor' "
                             "assignee_agency_id: 'city-mh' due { seconds: ",
                             Seconds(now_ + absl::Hours(24 * 30)), " } }")),
      &reply_));
  const uint64_t head = server_->log().Head();
  v1::CommandReply r;
  const grpc::Status s =
      Call(handovers_.get(), &Handover::CompleteHandover, "counsellor2",
           Make<v1::CompleteHandoverRequest>("h1", "note: 'done'"), &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Contains(s.error_message(), "a-extra")) << s.error_message();
  EXPECT_EQ(server_->log().Head(), head);
  EXPECT_EQ(MyItems("counsellor").items_size(), 2);
  // Read again, it completes and moves all three.
  Ok(Call(handovers_.get(), &Handover::AcknowledgeHandoverPacket, "counsellor2",
          Make<v1::AcknowledgeHandoverPacketRequest>("h1", "note: 'again'"),
          &reply_));
  Ok(Call(handovers_.get(), &Handover::CompleteHandover, "counsellor2",
          Make<v1::CompleteHandoverRequest>("h1", "note: 'done'"), &r));
  EXPECT_EQ(MyItems("counsellor").items_size(), 0);
  EXPECT_EQ(MyItems("counsellor2").items_size(), 2);
  EXPECT_EQ(
      LeadAt("s-treatment", absl::Now()).period().lead().key_person_staff_id(),
      "counsellor2");
  Ok(Depart("counsellor"));
}

TEST_F(PlanFlowTest, RefusalsCarryPreciseStatusCodes) {
  ConferenceAndPlan();
  AssignLeads();
  ASSERT_FALSE(HasFatalFailure());
  const uint64_t head = server_->log().Head();
  v1::CommandReply r;

  // Two leads for one stage.
  grpc::Status s =
      Call(plans_.get(), &Plan::AssignStageLead, "cw",
           At<v1::AssignStageLeadRequest>("c1", Ago(5), R"pb(
             stage_id: "s-treatment"
             lead { agency_id: "city-pa" key_person_staff_id: "cw" }
             reason: "a second lead"
             decision { conference_id: "k1" decision_id: "d-lead-treatment" }
           )pb"),
           &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Contains(s.error_message(),
                       "Stage 's-treatment' is already led by agency "
                       "'city-mh' (key person 'counsellor')"))
      << s.error_message();

  // A lead agency not on the support team.
  s = Call(plans_.get(), &Plan::AssignStageLead, "cw",
           At<v1::AssignStageLeadRequest>("c1", Ago(5), R"pb(
             stage_id: "s-medical"
             lead { agency_id: "clinic" key_person_staff_id: "doctor" }
             reason: "the clinic leads medical care"
             decision { conference_id: "k1" decision_id: "d-lead-treatment" }
           )pb"),
           &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Contains(s.error_message(),
                       "Agency 'clinic' is not on this case's support team."))
      << s.error_message();

  // An unknown conference, cited or addressed.
  s = Call(plans_.get(), &Plan::AssignStageLead, "counsellor",
           At<v1::AssignStageLeadRequest>("c1", Ago(5), R"pb(
             stage_id: "s-medical"
             lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
             reason: "as decided"
             decision { conference_id: "k404" decision_id: "d-lead-medical" }
           )pb"),
           &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Contains(s.error_message(), "Conference 'k404' does not exist."))
      << s.error_message();
  s = Call(
      plans_.get(), &Plan::ReviseSupportPlan, "counsellor",
      At<v1::ReviseSupportPlanRequest>("c1", Ago(5), R"pb(
        plan {
          goals { goal_id: "g" horizon: GOAL_HORIZON_SHORT description: "x" }
          stages { stage_id: "s-treatment" title: "x" goal_ids: "g" }
          summary: "x"
        }
        decision { conference_id: "k404" decision_id: "d-plan" }
        reason: "x"
      )pb"),
      &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();
  s = Call(conferences_.get(), &Conference::HoldConference, "cw",
           At<v1::HoldConferenceRequest>("k404", Ago(5), R"pb(
             attendance {
               staff_id: "cw"
               agency_id: "city-pa"
               acknowledged_confidentiality: true
             }
           )pb"),
           &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Contains(s.error_message(), "Conference 'k404' does not exist."))
      << s.error_message();
  v1::GetAnonymisedConferenceRequest anonymised;
  anonymised.set_conference_id("k404");
  v1::AnonymisedConference view;
  EXPECT_EQ(Call(conferences_.get(), &Conference::GetAnonymisedConference, "cw",
                 anonymised, &view)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A decision the conference did not make.
  s = Call(plans_.get(), &Plan::AssignStageLead, "counsellor",
           At<v1::AssignStageLeadRequest>("c1", Ago(5), R"pb(
             stage_id: "s-medical"
             lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
             reason: "as decided"
             decision { conference_id: "k1" decision_id: "d-none" }
           )pb"),
           &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();
  // Only the coordinating body designates a lead.
  s = Call(conferences_.get(), &Conference::RecordConferenceDecision,
           "counsellor",
           At<v1::RecordConferenceDecisionRequest>("k1", Ago(5), R"pb(
             decision {
               decision_id: "d-designate"
               kind: DECISION_KIND_LEAD_DESIGNATION
               case_id: "c1"
               stage_id: "s-medical"
               text: "the counsellor names herself"
               lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
             }
           )pb"),
           &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << s.error_message();
  // Unknown stage and handover.
  v1::GetLeadAtRequest lead_at;
  lead_at.set_case_id("c1");
  lead_at.set_stage_id("s-none");
  *lead_at.mutable_valid_at() = domain::ToTimestamp(now_);
  v1::GetLeadAtResponse lead;
  EXPECT_EQ(
      Call(plans_.get(), &Plan::GetLeadAt, "cw", lead_at, &lead).error_code(),
      grpc::StatusCode::NOT_FOUND);
  v1::GetHandoverPacketRequest packet_req;
  packet_req.set_handover_id("h404");
  v1::HandoverPacket packet;
  EXPECT_EQ(Call(handovers_.get(), &Handover::GetHandoverPacket, "cw",
                 packet_req, &packet)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A handover across agencies.
  s = Call(handovers_.get(), &Handover::StartHandover, "counsellor",
           Make<v1::StartHandoverRequest>("h2", R"pb(
             outgoing_staff_id: "counsellor"
             successor_staff_id: "cw"
             reason: HANDOVER_REASON_MOVING_POST
           )pb"),
           &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << s.error_message();

  // Nothing refused above was written.
  EXPECT_EQ(server_->log().Head(), head);
  EXPECT_EQ(History("cw").periods_size(), 2);
}

TEST_F(PlanFlowTest, RegisteredCaseNeverReviewedIsOverdue) {
  OpenCase();
  ASSERT_FALSE(HasFatalFailure());
  // Registered 10 days ago, due for review within 90 days.
  EXPECT_EQ(Overdue("cw", now_).reviews_size(), 0);
  const absl::Time later = now_ + absl::Hours(24 * 85);
  {
    const auto overdue = Overdue("cw", later);
    ASSERT_EQ(overdue.reviews_size(), 1);
    const v1::OverdueReview& review = overdue.reviews(0);
    EXPECT_EQ(review.case_id(), "c1");
    EXPECT_EQ(review.registration(), v1::REGISTRATION_SUPPORT_NEEDED);
    EXPECT_FALSE(review.has_last_reviewed_at());
    EXPECT_EQ(domain::ToTime(review.due_at()), Ago(10) + absl::Hours(24 * 90));
    EXPECT_EQ(review.days_overdue(), 5);
  }
  // The auditor sees every case; an agency off the team sees none.
  EXPECT_EQ(Overdue("auditor", later).reviews_size(), 1);
  EXPECT_EQ(Overdue("teacher", later).reviews_size(), 0);

  // A practitioners' meeting reviews it 2 days ago: due again in 88 days.
  Ok(Call(conferences_.get(), &Conference::ScheduleConference, "cw",
          At<v1::ScheduleConferenceRequest>(
              "p1", Ago(4),
              absl::StrCat("type: CONFERENCE_TYPE_PRACTITIONERS basis: "
                           "CONFERENCE_BASIS_YOTAIKYO title: '実務者会議 "
                           "(進行管理)' coordinating_agency_id: 'city-pa' "
                           "scheduled_for { seconds: ",
                           Seconds(Ago(2)),
                           " } invitees { agency_id: 'city-mh' } "
                           "agenda_case_ids: 'c1'")),
          &reply_));
  Ok(Call(conferences_.get(), &Conference::HoldConference, "cw",
          At<v1::HoldConferenceRequest>("p1", Ago(2), R"pb(
            attendance {
              staff_id: "cw"
              agency_id: "city-pa"
              acknowledged_confidentiality: true
            }
            attendance {
              staff_id: "counsellor"
              agency_id: "city-mh"
              acknowledged_confidentiality: true
            }
          )pb"),
          &reply_));
  Ok(Call(conferences_.get(), &Conference::RecordCaseReview, "cw",
          At<v1::RecordCaseReviewRequest>("p1", Ago(2), R"pb(
            case_id: "c1"
            status: "the mother is in treatment; the children attend"
            lead_agency_id: "city-mh"
            support_policy: "continue the plan; next review in 90 days"
          )pb"),
          &reply_));
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(Overdue("cw", later).reviews_size(), 0);
  {
    const auto overdue = Overdue("cw", now_ + absl::Hours(24 * 100));
    ASSERT_EQ(overdue.reviews_size(), 1);
    const v1::OverdueReview& review = overdue.reviews(0);
    EXPECT_EQ(domain::ToTime(review.last_reviewed_at()), Ago(2));
    EXPECT_EQ(review.last_conference_id(), "p1");
    EXPECT_EQ(review.days_overdue(), 12);
  }
}

// ---- Read models: the queries they serve answer exactly as the aggregates
// folded from the log (the way the server answered them before), also after
// a rebuild from position 1; and every read of case content is recorded.

// Every case, conference and handover folded from the whole log with the
// domain's own Evolve.
struct Folded {
  std::map<std::string, domain::CaseState> cases;
  std::map<std::string, domain::ConferenceState> conferences;
  std::map<std::string, domain::HandoverState> handovers;

  domain::Caseload All() const {
    domain::Caseload load;
    for (const auto& [id, c] : cases) load.cases.push_back(&c);
    for (const auto& [id, c] : conferences) load.conferences.push_back(&c);
    return load;
  }
};

// What of a case state a comparison can print: its protos, orders and
// times (the lead ledger's known_at is the log's recorded_at).
std::string Describe(const domain::CaseState& c) {
  std::string out =
      absl::StrCat("v", c.version, " opened=", c.opened, " closed=", c.closed,
                   " ", c.case_id, "\n", c.opening.DebugString());
  for (const auto& [id, subject] : c.subjects) {
    absl::StrAppend(&out, "subject ", id, ": ", subject.DebugString());
  }
  absl::StrAppend(&out, "entries ", absl::StrJoin(c.entry_order, ","),
                  " consents ", absl::StrJoin(c.consent_order, ","),
                  " referrals ", absl::StrJoin(c.referral_order, ","),
                  " timeline ", c.timeline.size(), " disclosures ",
                  c.disclosures.size(), "\n");
  for (const auto& [id, consent] : c.consents) {
    absl::StrAppend(&out, "consent ", id, ": ", consent.terms.DebugString());
  }
  for (const auto& revision : c.plan_revisions) {
    absl::StrAppend(&out, "plan ", revision.revision, ": ",
                    revision.plan.DebugString());
  }
  for (const auto& record : c.lead_ledger) {
    absl::StrAppend(&out, "lead ", record.fact.DebugString());
  }
  for (const auto& side : c.lead_sides) {
    absl::StrAppend(&out, "side ", side.set.DebugString());
  }
  absl::StrAppend(&out, "review ", c.review_interval_days, " holds ",
                  c.legal_holds.size(), " erased ", c.erased_subjects.size());
  return out;
}

class ReadModelQueriesTest : public PlanFlowTest {
 protected:
  Folded Fold() {
    Folded f;
    const absl::Status s =
        server_->log().Replay(1, [&f](const v1::EventEnvelope& e) {
          const std::string& stream = e.stream_id();
          if (stream.rfind("case-", 0) == 0) {
            auto event = domain::CaseEventFromEnvelope(e);
            EXPECT_TRUE(event.ok()) << event.status();
            if (event.ok()) domain::Evolve(f.cases[stream.substr(5)], *event);
          } else if (stream.rfind("conference-", 0) == 0) {
            auto event = domain::ConferenceEventFromEnvelope(e);
            EXPECT_TRUE(event.ok()) << event.status();
            if (event.ok()) {
              domain::Evolve(f.conferences[stream.substr(11)], *event);
            }
          } else if (stream.rfind("handover-", 0) == 0) {
            auto event = domain::HandoverEventFromEnvelope(e);
            EXPECT_TRUE(event.ok()) << event.status();
            if (event.ok()) {
              domain::Evolve(f.handovers[stream.substr(9)], *event);
            }
          }
          return true;
        });
    EXPECT_TRUE(s.ok()) << s;
    return f;
  }

  // A second registered case, c2 (保護), opened 120 days ago by a veteran
  // caseworker of city-pa; city-mh on the team.
  void OpenOldCase() {
    v1::CommandReply reply;
    auto veteran = Cmd<v1::RegisterStaffMemberRequest>(
        "", R"pb(staff {
                   staff_id: "veteran"
                   display_name: "veteran"
                   profession: PROFESSION_PUBLIC_ASSISTANCE_CASEWORKER
                   agency_id: "city-pa"
                 })pb");
    *veteran.mutable_options()->mutable_occurred_at() =
        domain::ToTimestamp(Ago(200));
    Ok(Call(directory_.get(), &Directory::RegisterStaffMember, "admin", veteran,
            &reply));
    Ok(Call(cases_.get(), &Case::OpenCase, "veteran",
            At<v1::OpenCaseRequest>("c2", Ago(120), R"pb(
              kind: CASE_KIND_HOUSEHOLD
              title: "older household"
              intake {
                noticed_by_agency_id: "city-pa"
                observation: "arrears, a child often absent"
              }
              frameworks: FRAMEWORK_YOTAIKYO
              registration: REGISTRATION_NONE
            )pb"),
            &reply));
    Ok(Call(cases_.get(), &Case::AddTeamAgency, "veteran",
            At<v1::AddTeamAgencyRequest>(
                "c2", Ago(120), R"pb(agency_id: "city-mh"
                                     reason: "counsellor consulted")pb"),
            &reply));
    Ok(Call(cases_.get(), &Case::ChangeCaseRegistration, "veteran",
            At<v1::ChangeCaseRegistrationRequest>(
                "c2", Ago(120), R"pb(registration: REGISTRATION_PROTECTED
                                     reason: "受理会議")pb"),
            &reply));
  }

  // A practitioners' meeting p1 held 2 days ago reviews both cases.
  void ReviewBothCases() {
    Ok(Call(conferences_.get(), &Conference::ScheduleConference, "cw",
            At<v1::ScheduleConferenceRequest>(
                "p1", Ago(4),
                absl::StrCat("type: CONFERENCE_TYPE_PRACTITIONERS basis: "
                             "CONFERENCE_BASIS_YOTAIKYO title: '実務者会議' "
                             "coordinating_agency_id: 'city-pa' "
                             "scheduled_for { seconds: ",
                             Seconds(Ago(2)),
                             " } invitees { agency_id: 'city-mh' } "
                             "agenda_case_ids: 'c1' agenda_case_ids: 'c2'")),
            &reply_));
    Ok(Call(conferences_.get(), &Conference::HoldConference, "cw",
            At<v1::HoldConferenceRequest>("p1", Ago(2), R"pb(
              attendance {
                staff_id: "cw"
                agency_id: "city-pa"
                acknowledged_confidentiality: true
              }
              attendance {
                staff_id: "counsellor"
                agency_id: "city-mh"
                acknowledged_confidentiality: true
              }
            )pb"),
            &reply_));
    for (const char* id : {"c1", "c2"}) {
      Ok(Call(conferences_.get(), &Conference::RecordCaseReview, "cw",
              At<v1::RecordCaseReviewRequest>(
                  "p1", Ago(2),
                  absl::StrCat("case_id: '", id,
                               "' status: 'stable' lead_agency_id: 'city-mh' "
                               "support_policy: 'continue the plan'")),
              &reply_));
    }
  }

  // Consents on c1: a refusal, superseded by a consent; another consent,
  // withdrawn; one in force with an end date.
  void RecordConsents() {
    Ok(Call(consent_.get(), &Consent::RefuseConsent, "counsellor",
            At<v1::RefuseConsentRequest>(
                "c1", Ago(9), R"pb(terms {
                                     consent_id: "k-refused"
                                     subject_id: "mother"
                                     decided_by_subject_id: "mother"
                                     scope {
                                       agency_ids: "clinic"
                                       purposes: SHARING_PURPOSE_MEDICAL_CARE
                                       categories: INFORMATION_CATEGORY_HEALTH
                                     }
                                     form: CONSENT_FORM_VERBAL
                                     statement: "私は大丈夫です"
                                   })pb"),
            &reply_));
    Ok(Call(consent_.get(), &Consent::GiveConsent, "counsellor",
            At<v1::GiveConsentRequest>(
                "c1", Ago(8), R"pb(terms {
                                     consent_id: "k-clinic"
                                     subject_id: "mother"
                                     decided_by_subject_id: "mother"
                                     scope {
                                       agency_ids: "clinic"
                                       purposes: SHARING_PURPOSE_MEDICAL_CARE
                                       categories: INFORMATION_CATEGORY_HEALTH
                                     }
                                     form: CONSENT_FORM_WRITTEN
                                     supersedes_consent_id: "k-refused"
                                   })pb"),
            &reply_));
    Ok(Call(
        consent_.get(), &Consent::GiveConsent, "counsellor",
        At<v1::GiveConsentRequest>(
            "c1", Ago(8),
            absl::StrCat(R"pb(terms {
                                consent_id: "k-nursery"
                                subject_id: "mother"
                                decided_by_subject_id: "mother"
                                scope {
                                  agency_ids: "nursery"
                                  purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
                                  categories: INFORMATION_CATEGORY_HEALTH
                                }
                                form: CONSENT_FORM_WRITTEN
                                valid_until { seconds:)pb",
                         Seconds(now_ + absl::Hours(24 * 10)), "} }")),
        &reply_));
    Ok(Call(consent_.get(), &Consent::GiveConsent, "counsellor",
            At<v1::GiveConsentRequest>(
                "c1", Ago(8), R"pb(terms {
                                     consent_id: "k-school"
                                     subject_id: "daughter"
                                     decided_by_subject_id: "mother"
                                     scope {
                                       agency_ids: "city-mh"
                                       purposes:
                                           SHARING_PURPOSE_SUPPORT_COORDINATION
                                       categories: INFORMATION_CATEGORY_HEALTH
                                     }
                                     form: CONSENT_FORM_VERBAL
                                   })pb"),
            &reply_));
    Ok(Call(consent_.get(), &Consent::WithdrawConsent, "counsellor",
            At<v1::WithdrawConsentRequest>(
                "c1", Ago(5), R"pb(consent_id: "k-school"
                                   decided_by_subject_id: "mother"
                                   reason: "changed her mind")pb"),
            &reply_));
  }

  // Everything the read models hold rows for.
  void Story() {
    ConferenceAndPlan();
    AssignLeads();
    RecordConsents();
    // The retroactive correction of the livelihood lead, recorded 3 days ago.
    Ok(Call(plans_.get(), &Plan::CorrectStageLead, "cw",
            At<v1::CorrectStageLeadRequest>(
                "c1", Ago(3),
                absl::StrCat("stage_id: 's-livelihood' valid_from { seconds: ",
                             Seconds(Ago(7)), " } valid_to { seconds: ",
                             Seconds(Ago(6)), " } reason: 'late start'")),
            &reply_));
    OpenOldCase();
    ReviewBothCases();
    Ok(Call(handovers_.get(), &Handover::StartHandover, "counsellor",
            Make<v1::StartHandoverRequest>("h1", R"pb(
              outgoing_staff_id: "counsellor"
              successor_staff_id: "counsellor2"
              reason: HANDOVER_REASON_MOVING_POST
            )pb"),
            &reply_));
  }

  // Every new query, against the answer of the domain's functions over the
  // folded aggregates.
  void ExpectQueriesMatchFolded() {
    const Folded folded = Fold();
    ASSERT_EQ(folded.cases.count("c1"), 1u);
    const domain::CaseState& c1 = folded.cases.at("c1");

    // Case summary.
    for (const char* id : {"c1", "c2"}) {
      v1::GetCaseSummaryRequest req;
      req.set_case_id(id);
      v1::CaseSummary got, want;
      Ok(Call(cases_.get(), &Case::GetCaseSummary, "counsellor", req, &got));
      const domain::CaseState& state = folded.cases.at(id);
      app::SummarizeCase(state, state.version, absl::Now(), want);
      EXPECT_EQ(got.DebugString(), want.DebugString()) << id;
    }

    // Lead at D as known on K, and the lead history as known on K.
    const std::vector<absl::Time> valid_times = {
        Ago(8), Ago(7), Ago(7) + absl::Hours(12), Ago(6), Ago(5), now_};
    const std::vector<std::optional<absl::Time>> known_times = {
        std::nullopt, Ago(7), Ago(6), Ago(4), Ago(3), Ago(2)};
    int with_lead = 0;
    for (const char* stage : {"s-treatment", "s-livelihood", "s-medical"}) {
      for (const auto& known : known_times) {
        const absl::Time k = known.value_or(domain::kKnownNow);
        for (const absl::Time d : valid_times) {
          const auto got = LeadAt(stage, d, known);
          const auto want = domain::LeadAt(c1, stage, d, k);
          ASSERT_EQ(got.has_lead(), want.has_value()) << stage;
          if (want) {
            ++with_lead;
            EXPECT_EQ(got.period().DebugString(), want->DebugString());
          }
        }
        const auto history = History("cw", stage, known);
        const auto want = domain::LeadHistory(c1, stage, k);
        ASSERT_EQ(history.periods_size(), static_cast<int>(want.size()));
        for (size_t i = 0; i < want.size(); ++i) {
          EXPECT_EQ(history.periods(static_cast<int>(i)).DebugString(),
                    want[i].DebugString());
        }
      }
    }
    EXPECT_GT(with_lead, 10);  // the grid does cover leads

    // Consents in force (and refusals standing) now and in the past.
    for (const absl::Time at :
         {Ago(9), Ago(6), now_, now_ + absl::Hours(24 * 20)}) {
      v1::ListConsentsRequest req;
      req.set_case_id("c1");
      *req.mutable_at() = domain::ToTimestamp(at);
      v1::ListConsentsResponse got;
      Ok(Call(consent_.get(), &Consent::ListConsents, "cw", req, &got));
      std::vector<std::string> in_force, refusals;
      for (const auto& id : c1.consent_order) {
        const domain::ConsentState& c = c1.consents.at(id);
        if (c.InForceAt(at)) in_force.push_back(id);
        if (c.RefusalStandingAt(at)) refusals.push_back(id);
      }
      ASSERT_EQ(got.in_force_size(), static_cast<int>(in_force.size()));
      for (size_t i = 0; i < in_force.size(); ++i) {
        const auto& view = got.in_force(static_cast<int>(i));
        EXPECT_EQ(view.consent_id(), in_force[i]);
        EXPECT_EQ(view.terms().DebugString(),
                  c1.consents.at(in_force[i]).terms.DebugString());
      }
      ASSERT_EQ(got.refusals_size(), static_cast<int>(refusals.size()));
      for (size_t i = 0; i < refusals.size(); ++i) {
        EXPECT_EQ(got.refusals(static_cast<int>(i)).consent_id(), refusals[i]);
      }
    }

    // Cases overdue for review: before the review (c2 overdue then, though
    // reviewed since), now, and later.
    for (const absl::Time as_of :
         {Ago(5), Ago(3), now_, now_ + absl::Hours(24 * 85),
          now_ + absl::Hours(24 * 89), now_ + absl::Hours(24 * 100)}) {
      for (const char* staff : {"cw", "teacher", "auditor"}) {
        const auto got = Overdue(staff, as_of);
        domain::Caseload visible;
        const std::string agency = staff == std::string("cw")        ? "city-pa"
                                   : staff == std::string("teacher") ? "nursery"
                                                                     : "";
        for (const auto& [id, c] : folded.cases) {
          if (agency.empty() || c.OnTeam(agency)) visible.cases.push_back(&c);
        }
        visible.conferences = folded.All().conferences;
        const auto want =
            domain::OverdueReviews(visible, domain::ReviewPolicy{}, as_of);
        ASSERT_EQ(got.reviews_size(), static_cast<int>(want.size()))
            << staff << " as of " << absl::FormatTime(as_of);
        for (size_t i = 0; i < want.size(); ++i) {
          EXPECT_EQ(got.reviews(static_cast<int>(i)).DebugString(),
                    want[i].DebugString());
        }
      }
    }

    // The handover packet, from the involvement index.
    if (folded.handovers.count("h1") == 1) {
      v1::GetHandoverPacketRequest req;
      req.set_handover_id("h1");
      *req.mutable_as_of() = domain::ToTimestamp(now_);
      v1::HandoverPacket got;
      Ok(Call(handovers_.get(), &Handover::GetHandoverPacket, "counsellor2",
              req, &got));
      domain::PacketOptions as_successor;
      as_successor.reader = domain::ViewRequest{
          .agency_id = "city-mh",
          .purpose = v1::SHARING_PURPOSE_SUPPORT_COORDINATION,
          .at = absl::Now(),
          .forum_id = "",
          .auditor = false};
      const v1::HandoverPacket want = domain::BuildHandoverPacket(
          folded.handovers.at("h1"), folded.All(), now_, as_successor);
      EXPECT_EQ(got.DebugString(), want.DebugString());
      EXPECT_GT(got.cases_size(), 0);
    }
  }

  // Access-log events of case `case_id`, as the audit service shows them.
  std::vector<v1::CaseContentRead> Reads(const std::string& case_id) {
    v1::ReadStreamRequest req;
    req.set_stream_id(absl::StrCat("access-", case_id));
    req.set_limit(200);
    v1::ReadEventsResponse resp;
    Ok(Call(audit_.get(), &v1::AuditService::Stub::ReadStream, "auditor", req,
            &resp));
    std::vector<v1::CaseContentRead> out;
    for (const auto& e : resp.events()) {
      EXPECT_EQ(e.event_type(), "renkei.v1.CaseContentRead");
      v1::CaseContentRead read;
      EXPECT_TRUE(e.payload().UnpackTo(&read));
      EXPECT_EQ(e.actor().staff_id(), read.staff_id());
      out.push_back(std::move(read));
    }
    return out;
  }
};

TEST_F(ReadModelQueriesTest, QueriesAnswerAsTheFoldedAggregates) {
  Story();
  ASSERT_FALSE(HasFatalFailure());
  // The handover packet below is built from the cached aggregates, which
  // the commands moved on by their own events (not read back from the
  // sealed log): it must equal the one built from a fresh fold of the log.
  EXPECT_GT(server_->runtime().cases().advances(), 0u);
  EXPECT_GT(server_->runtime().conferences().advances(), 0u);
  EXPECT_GT(server_->runtime().handovers().advances(), 0u);
  const Folded folded = Fold();
  for (const auto& [id, fresh] : folded.cases) {
    auto cached = server_->runtime().cases().Load(domain::CaseStreamId(id));
    ASSERT_TRUE(cached.ok()) << cached.status();
    EXPECT_EQ(Describe(*cached->state), Describe(fresh)) << "case " << id;
  }
  ExpectQueriesMatchFolded();
  ASSERT_FALSE(HasFatalFailure());
  // The lead answer changes for "as known" after the correction, not before.
  const absl::Time between = Ago(7) + absl::Hours(12);
  EXPECT_TRUE(LeadAt("s-livelihood", between, Ago(4)).has_lead());
  EXPECT_FALSE(LeadAt("s-livelihood", between, Ago(3)).has_lead());
  EXPECT_FALSE(LeadAt("s-livelihood", between).has_lead());
  // c2, never reviewed 5 days ago, was overdue then; reviewed since, it is
  // not now.
  const auto then = Overdue("cw", Ago(5));
  ASSERT_EQ(then.reviews_size(), 1);
  EXPECT_EQ(then.reviews(0).case_id(), "c2");
  EXPECT_EQ(then.reviews(0).days_overdue(), 25);
  EXPECT_EQ(Overdue("cw", now_).reviews_size(), 0);
}

TEST_F(ReadModelQueriesTest, RebuiltRowsEqualIncrementalOnesForEveryModel) {
  Story();
  ASSERT_FALSE(HasFatalFailure());
  ExpectQueriesMatchFolded();  // reads, recorded: access-log rows too
  ASSERT_FALSE(HasFatalFailure());
  WaitForReadModels();
  auto incremental = server_->read_models().Dump();
  ASSERT_TRUE(incremental.ok());
  // Every kind of row is there.
  for (const char* prefix : {"c/", "l/", "t/", "cs/", "pl/", "ll/", "cr/",
                             "fh/", "rd/", "rl/", "v/", "x/", "a/", "h/"}) {
    const auto it = incremental->lower_bound(prefix);
    EXPECT_TRUE(it != incremental->end() && it->first.rfind(prefix, 0) == 0)
        << "no rows under " << prefix;
  }
  RestartServer(/*rebuild_read_models=*/true);
  NewStubs();
  auto rebuilt = server_->read_models().Dump();
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(rebuilt->size(), incremental->size());
  EXPECT_TRUE(*rebuilt == *incremental);
  ExpectQueriesMatchFolded();
}

TEST_F(ReadModelQueriesTest, ReadsOfCaseContentAreRecordedWithTheirBasis) {
  ConferenceAndPlan();
  AssignLeads();
  ASSERT_FALSE(HasFatalFailure());
  const uint64_t case_version =
      server_->log().GetStreamHead("case-c1")->version;
  {
    // Nothing read yet: no access stream.
    v1::ReadStreamRequest req;
    req.set_stream_id("access-c1");
    v1::ReadEventsResponse resp;
    EXPECT_EQ(Call(audit_.get(), &v1::AuditService::Stub::ReadStream, "auditor",
                   req, &resp)
                  .error_code(),
              grpc::StatusCode::NOT_FOUND);
  }

  v1::GetCaseSummaryRequest summary;
  summary.set_case_id("c1");
  v1::CaseSummary s;
  Ok(Call(cases_.get(), &Case::GetCaseSummary, "cw", summary, &s));
  v1::ListConsentsRequest consents;
  consents.set_case_id("c1");
  v1::ListConsentsResponse c;
  Ok(Call(consent_.get(), &Consent::ListConsents, "counsellor", consents, &c));
  LeadAt("s-treatment", Ago(5));
  // A refused read of the case by a related agency (a forum member not on
  // the team) is recorded as denied, with the rule.
  EXPECT_EQ(Call(cases_.get(), &Case::GetCaseSummary, "teacher", summary, &s)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The auditor reads as auditor.
  Ok(Call(cases_.get(), &Case::GetCaseSummary, "auditor", summary, &s));
  v1::GetCaseTimelineRequest timeline;
  timeline.set_case_id("c1");
  v1::GetCaseTimelineResponse t;
  Ok(Call(cases_.get(), &Case::GetCaseTimeline, "cw", timeline, &t));

  auto reads = Reads("c1");
  ASSERT_EQ(reads.size(), 6u);
  EXPECT_EQ(reads[3].staff_id(), "teacher");
  EXPECT_TRUE(reads[3].denied());
  EXPECT_NE(reads[3].rule().find("not on the support team"), std::string::npos)
      << reads[3].rule();
  reads.erase(reads.begin() + 3);
  for (const auto& read : reads) EXPECT_FALSE(read.denied());
  EXPECT_EQ(reads[0].staff_id(), "cw");
  EXPECT_EQ(reads[0].agency_id(), "city-pa");
  EXPECT_EQ(reads[0].case_id(), "c1");
  EXPECT_EQ(reads[0].query(), "GetCaseSummary");
  EXPECT_EQ(reads[0].basis(), "support team member 'city-pa'");
  EXPECT_EQ(reads[1].staff_id(), "counsellor");
  EXPECT_EQ(reads[1].query(), "ListConsents");
  EXPECT_EQ(reads[1].basis(), "support team member 'city-mh'");
  EXPECT_EQ(reads[2].query(), "GetLeadAt");
  EXPECT_EQ(reads[2].ref_id(), "s-treatment");
  EXPECT_EQ(reads[3].staff_id(), "auditor");
  EXPECT_EQ(reads[3].basis(), "auditor agency 'audit'");
  EXPECT_EQ(reads[4].query(), "GetCaseTimeline");
  EXPECT_EQ(reads[4].basis().rfind("support team member 'city-pa'", 0), 0u)
      << reads[4].basis();

  // Reads never touch the case stream, nor show up in its timeline.
  EXPECT_EQ(server_->log().GetStreamHead("case-c1")->version, case_version);
  Ok(Call(cases_.get(), &Case::GetCaseTimeline, "cw", timeline, &t));
  for (const auto& item : t.items()) {
    EXPECT_NE(item.event_type(), "renkei.v1.CaseContentRead");
  }
  EXPECT_EQ(t.items_size(), static_cast<int>(case_version));

  // The successor's packet read is recorded on each case it shows.
  Ok(Call(handovers_.get(), &Handover::StartHandover, "counsellor",
          Make<v1::StartHandoverRequest>("h1", R"pb(
            outgoing_staff_id: "counsellor"
            successor_staff_id: "counsellor2"
            reason: HANDOVER_REASON_MOVING_POST
          )pb"),
          &reply_));
  v1::GetHandoverPacketRequest packet_req;
  packet_req.set_handover_id("h1");
  v1::HandoverPacket packet;
  Ok(Call(handovers_.get(), &Handover::GetHandoverPacket, "counsellor2",
          packet_req, &packet));
  const auto after = Reads("c1");
  // The denied read, the second timeline read, then the packet.
  ASSERT_EQ(after.size(), 8u);
  EXPECT_EQ(after[7].staff_id(), "counsellor2");
  EXPECT_EQ(after[7].query(), "GetHandoverPacket");
  EXPECT_EQ(after[7].basis(), "successor of handover");
  EXPECT_EQ(after[7].ref_id(), "h1");

  // An auditor's replay of the case is a read too; a refused replay is not.
  v1::ReplayCaseRequest replay;
  replay.set_case_id("c1");
  *replay.mutable_as_of() = domain::ToTimestamp(absl::Now());
  replay.set_axis(v1::TIME_AXIS_RECORDED);
  v1::ReplayCaseResponse replayed;
  EXPECT_EQ(Call(audit_.get(), &v1::AuditService::Stub::ReplayCase, "cw",
                 replay, &replayed)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  Ok(Call(audit_.get(), &v1::AuditService::Stub::ReplayCase, "auditor", replay,
          &replayed));
  const auto replays = Reads("c1");
  ASSERT_EQ(replays.size(), 9u);
  EXPECT_EQ(replays[8].staff_id(), "auditor");
  EXPECT_EQ(replays[8].query(), "ReplayCase");
  EXPECT_EQ(replays[8].basis(), "auditor agency 'audit'");

  // The access log is a read model too.
  WaitForReadModels();
  int rows = 0;
  ASSERT_TRUE(server_->read_models()
                  .Scan(std::string("x/c1") + '\0', "",
                        [&rows](absl::string_view, absl::string_view) {
                          ++rows;
                          return true;
                        })
                  .ok());
  EXPECT_EQ(rows, 9);
}

}  // namespace
}  // namespace renkei::testing
