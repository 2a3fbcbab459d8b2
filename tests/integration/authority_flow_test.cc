// Who may change a case, through the real server: each case observed through
// the public API (a one-agency meeting closing a case and removing an
// agency, an agency off the team putting a case on an agenda and reviewing
// it, a self-serving consent, a consent-based meeting without consent), and
// the lead side, review interval, caseload and replies that follow.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "renkei/v1/referral_service.grpc.pb.h"
#include "renkei/v1/review_service.grpc.pb.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

using Case = v1::CaseService::Stub;
using Conference = v1::ConferenceService::Stub;
using Consent = v1::ConsentService::Stub;
using Directory = v1::DirectoryService::Stub;
using Code = grpc::StatusCode;

class AuthorityFlowTest : public ServerFixture {
 protected:
  void Ok(const grpc::Status& s) { ASSERT_TRUE(s.ok()) << s.error_message(); }

  // Registered (要支援) case c1 of the mother and her daughter; team city-pa,
  // city-mh, nursery; entry e-money (city-pa, finances).
  void SetUp() override {
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    conferences_ = v1::ConferenceService::NewStub(channel_);
    reviews_ = v1::ReviewService::NewStub(channel_);
    OpenRegisteredHousehold("c1");
    if (HasFatalFailure()) return;
    Ok(Call(cases_.get(), &Case::RecordEntry, "cw",
            Cmd<v1::RecordEntryRequest>(
                "c1", R"pb(entry {
                             entry_id: "e-money"
                             subject_ids: "mother"
                             categories: INFORMATION_CATEGORY_FINANCES
                             contact {
                               channel: CONTACT_CHANNEL_IN_PERSON
                               counterpart_subject_ids: "mother"
                               summary: "arrears"
                             }
                           })pb"),
            &reply_));
  }

  // Conference `id` of `type` convened by `convener`, held with `attendance`
  // (text), with one decision (text).
  void HoldWithDecision(const std::string& id, const std::string& type,
                        const std::string& convener,
                        const std::string& attendance,
                        const std::string& decision) {
    auto schedule = Cmd<v1::ScheduleConferenceRequest>(
        "", absl::StrCat("type: ", type,
                         " basis: CONFERENCE_BASIS_YOTAIKYO title: 't' "
                         "coordinating_agency_id: 'city-pa' scheduled_for { "
                         "seconds: 1700000000 } invitees { agency_id: "
                         "'city-mh' } agenda_case_ids: 'c1'"));
    schedule.set_conference_id(id);
    Ok(Call(conferences_.get(), &Conference::ScheduleConference, convener,
            schedule, &reply_));
    auto hold = Cmd<v1::HoldConferenceRequest>("", attendance);
    hold.set_conference_id(id);
    Ok(Call(conferences_.get(), &Conference::HoldConference, convener, hold,
            &reply_));
    auto decide = Cmd<v1::RecordConferenceDecisionRequest>(
        "", absl::StrCat("decision { ", decision, " }"));
    decide.set_conference_id(id);
    Ok(Call(conferences_.get(), &Conference::RecordConferenceDecision, convener,
            decide, &reply_));
  }

  v1::CaseSummary Summary() {
    v1::GetCaseSummaryRequest req;
    req.set_case_id("c1");
    v1::CaseSummary summary;
    EXPECT_TRUE(
        Call(cases_.get(), &Case::GetCaseSummary, "cw", req, &summary).ok());
    return summary;
  }

  static constexpr char kCwAlone[] = R"pb(attendance {
                                            staff_id: "cw"
                                            agency_id: "city-pa"
                                            acknowledged_confidentiality: true
                                          })pb";
  static constexpr char kCwAndCounsellor[] = R"pb(
    attendance {
      staff_id: "cw"
      agency_id: "city-pa"
      acknowledged_confidentiality: true
    }
    attendance {
      staff_id: "counsellor"
      agency_id: "city-mh"
      acknowledged_confidentiality: true
    })pb";

  std::unique_ptr<Conference> conferences_;
  std::unique_ptr<v1::ReviewService::Stub> reviews_;
  v1::CommandReply reply_;
};

TEST_F(AuthorityFlowTest, OneAgencyCannotRemoveATeamAgencyOrCloseTheCase) {
  // city-pa alone holds a mini case conference and decides both.
  HoldWithDecision("m1", "CONFERENCE_TYPE_MINI_CASE", "cw", kCwAlone,
                   "decision_id: 'd-team' kind: DECISION_KIND_TEAM_CHANGE "
                   "case_id: 'c1' team_agency_id: 'city-mh' text: 'leaves'");
  auto close_decision = Cmd<v1::RecordConferenceDecisionRequest>(
      "",
      "decision { decision_id: 'd-close' kind: DECISION_KIND_CASE_CLOSURE "
      "case_id: 'c1' text: 'all fine' }");
  close_decision.set_conference_id("m1");
  Ok(Call(conferences_.get(), &Conference::RecordConferenceDecision, "cw",
          close_decision, &reply_));
  const uint64_t head = server_->log().Head();

  v1::CommandReply r;
  grpc::Status s =
      Call(cases_.get(), &Case::RemoveTeamAgency, "cw",
           Cmd<v1::RemoveTeamAgencyRequest>("c1", R"pb(agency_id: "city-mh"
                                                       reason: "x"
                                                       decision {
                                                         conference_id: "m1"
                                                         decision_id: "d-team"
                                                       })pb"),
           &r);
  EXPECT_EQ(s.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("does not decide cases"), std::string::npos)
      << s.error_message();
  s = Call(cases_.get(), &Case::RemoveTeamAgency, "cw",
           Cmd<v1::RemoveTeamAgencyRequest>("c1", R"pb(agency_id: "city-mh"
                                                       reason: "x")pb"),
           &r);
  EXPECT_EQ(s.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("needs a decision recorded at a conference"),
            std::string::npos);
  s = Call(cases_.get(), &Case::CloseCase, "cw",
           Cmd<v1::CloseCaseRequest>("c1", R"pb(reason: "all fine"
                                                decision {
                                                  conference_id: "m1"
                                                  decision_id: "d-close"
                                                })pb"),
           &r);
  EXPECT_EQ(s.error_code(), Code::FAILED_PRECONDITION);

  // An individual case conference attended by one agency is no better.
  HoldWithDecision("k-alone", "CONFERENCE_TYPE_INDIVIDUAL_CASE", "cw", kCwAlone,
                   "decision_id: 'd-team' kind: DECISION_KIND_TEAM_CHANGE "
                   "case_id: 'c1' team_agency_id: 'city-mh' text: 'leaves'");
  s = Call(cases_.get(), &Case::RemoveTeamAgency, "cw",
           Cmd<v1::RemoveTeamAgencyRequest>("c1",
                                            R"pb(agency_id: "city-mh"
                                                 reason: "x"
                                                 decision {
                                                   conference_id: "k-alone"
                                                   decision_id: "d-team"
                                                 })pb"),
           &r);
  EXPECT_EQ(s.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("only one agency attended"),
            std::string::npos);
  const v1::CaseSummary summary = Summary();
  EXPECT_FALSE(summary.closed());
  EXPECT_EQ(summary.team_size(), 3);
  // Only the conferences' own events were written: no case event.
  EXPECT_EQ(summary.version(), 8u);
  EXPECT_GT(server_->log().Head(), head);

  // With both agencies present, the team change is decided and recorded.
  ChangeTeamByConference("c1", "clinic");
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(Summary().team_size(), 4);
}

TEST_F(AuthorityFlowTest, AnAgencyOffTheTeamCannotListOrReviewTheCase) {
  const uint64_t head = server_->log().Head();
  v1::CommandReply r;
  auto schedule = Cmd<v1::ScheduleConferenceRequest>(
      "",
      "type: CONFERENCE_TYPE_PRACTITIONERS basis: "
      "CONFERENCE_BASIS_YOTAIKYO title: '実務者会議' "
      "coordinating_agency_id: 'clinic' scheduled_for { seconds: "
      "1700000000 } invitees { agency_id: 'city-pa' } agenda_case_ids: "
      "'c1'");
  schedule.set_conference_id("p-outsider");
  const grpc::Status s =
      Call(conferences_.get(), &Conference::ScheduleConference, "doctor",
           schedule, &r);
  EXPECT_EQ(s.error_code(), Code::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("not on the support team of case 'c1'"),
            std::string::npos);
  EXPECT_EQ(server_->log().Head(), head);

  // Designated as 要対協's coordinating body, the clinic's practitioners'
  // meeting lists every registered case.
  Ok(Call(directory_.get(), &Directory::DesignateCoordinatingBody, "admin",
          Cmd<v1::DesignateCoordinatingBodyRequest>(
              "",
              "framework: FRAMEWORK_YOTAIKYO agency_id: 'clinic' "
              "review_interval_days: 30"),
          &r));
  v1::ListAgenciesResponse agencies;
  Ok(Call(directory_.get(), &Directory::ListAgencies, "cw",
          v1::ListAgenciesRequest(), &agencies));
  ASSERT_EQ(agencies.coordinating_bodies_size(), 1);
  EXPECT_EQ(agencies.coordinating_bodies(0).agency_id(), "clinic");
  Ok(Call(conferences_.get(), &Conference::ScheduleConference, "doctor",
          schedule, &r));
  // The convener's staff did not attend: a review is theirs only if they
  // did; the attending caseworker records it.
  auto hold = Cmd<v1::HoldConferenceRequest>("", kCwAlone);
  hold.set_conference_id("p-outsider");
  Ok(Call(conferences_.get(), &Conference::HoldConference, "doctor", hold, &r));
  auto review = Cmd<v1::RecordCaseReviewRequest>(
      "",
      "case_id: 'c1' status: 'all fine' lead_agency_id: 'city-pa' "
      "support_policy: 'continue'");
  review.set_conference_id("p-outsider");
  EXPECT_EQ(Call(conferences_.get(), &Conference::RecordCaseReview, "doctor",
                 review, &r)
                .error_code(),
            Code::PERMISSION_DENIED);
  Ok(Call(conferences_.get(), &Conference::RecordCaseReview, "cw", review, &r));
}

TEST_F(AuthorityFlowTest, ASelfServingConsentIsInForceOnlyOnceConfirmed) {
  constexpr char kConsent[] =
      R"pb(terms {
             consent_id: "k-finances"
             subject_id: "mother"
             decided_by_subject_id: "mother"
             scope {
               agency_ids: "city-mh"
               purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
               categories: INFORMATION_CATEGORY_FINANCES
             }
             form: CONSENT_FORM_VERBAL
           })pb";
  Ok(Call(consent_.get(), &Consent::GiveConsent, "counsellor",
          Cmd<v1::GiveConsentRequest>("c1", kConsent), &reply_));
  v1::CheckSharingRequest check;
  check.set_case_id("c1");
  check.set_entry_id("e-money");
  check.set_recipient_agency_id("clinic");
  check.set_purpose(v1::SHARING_PURPOSE_SUPPORT_COORDINATION);
  v1::ListConsentsRequest list;
  list.set_case_id("c1");
  v1::ListConsentsResponse consents;
  Ok(Call(consent_.get(), &Consent::ListConsents, "cw", list, &consents));
  EXPECT_EQ(consents.in_force_size(), 0);
  ASSERT_EQ(consents.awaiting_confirmation_size(), 1);
  EXPECT_TRUE(consents.awaiting_confirmation(0).awaiting_confirmation());

  constexpr char kConfirm[] = R"pb(consent_id: "k-finances" note: "checked")pb";
  v1::CommandReply r;
  EXPECT_EQ(Call(consent_.get(), &Consent::ConfirmConsent, "counsellor",
                 Cmd<v1::ConfirmConsentRequest>("c1", kConfirm), &r)
                .error_code(),
            Code::PERMISSION_DENIED);
  EXPECT_EQ(Call(consent_.get(), &Consent::ConfirmConsent, "cw",
                 Cmd<v1::ConfirmConsentRequest>("c1", kConfirm), &r)
                .error_code(),
            Code::PERMISSION_DENIED);
  Ok(Call(consent_.get(), &Consent::ConfirmConsent, "supervisor",
          Cmd<v1::ConfirmConsentRequest>("c1", kConfirm), &r));
  consents.Clear();
  Ok(Call(consent_.get(), &Consent::ListConsents, "cw", list, &consents));
  ASSERT_EQ(consents.in_force_size(), 1);
  EXPECT_EQ(consents.in_force(0).confirmed_by().staff_id(), "supervisor");
  EXPECT_EQ(consents.awaiting_confirmation_size(), 0);
}

TEST_F(AuthorityFlowTest, AConsentBasedMeetingNeedsEachPersonsConsent) {
  auto schedule = Cmd<v1::ScheduleConferenceRequest>(
      "",
      "type: CONFERENCE_TYPE_LAYERED_SUPPORT basis: "
      "CONFERENCE_BASIS_CONSENT title: '重層的支援会議' "
      "coordinating_agency_id: 'city-pa' scheduled_for { seconds: "
      "1700000000 } invitees { agency_id: 'clinic' } agenda_case_ids: "
      "'c1'");
  schedule.set_conference_id("j1");
  v1::CommandReply r;
  const grpc::Status s = Call(
      conferences_.get(), &Conference::ScheduleConference, "cw", schedule, &r);
  EXPECT_EQ(s.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("daughter, mother"), std::string::npos)
      << s.error_message();
  for (const char* subject : {"mother", "daughter"}) {
    Ok(Call(consent_.get(), &Consent::GiveConsent, "cw",
            Cmd<v1::GiveConsentRequest>(
                "c1",
                absl::StrCat("terms { consent_id: 'k-", subject,
                             "' subject_id: '", subject,
                             "' decided_by_subject_id: 'mother' scope { "
                             "agency_ids: 'clinic' purposes: "
                             "SHARING_PURPOSE_SUPPORT_COORDINATION categories: "
                             "INFORMATION_CATEGORY_HEALTH } form: "
                             "CONSENT_FORM_WRITTEN }")),
            &r));
  }
  Ok(Call(conferences_.get(), &Conference::ScheduleConference, "cw", schedule,
          &r));
}

TEST_F(AuthorityFlowTest, TheLeadSideAndReviewIntervalShowInTheLists) {
  HoldWithDecision("k1", "CONFERENCE_TYPE_INDIVIDUAL_CASE", "cw",
                   kCwAndCounsellor,
                   "decision_id: 'd-side' kind: DECISION_KIND_LEAD_SIDE "
                   "case_id: 'c1' lead_side: LEAD_SIDE_CITY text: '市主体'");
  Ok(Call(cases_.get(), &Case::SetCaseLeadSide, "cw",
          Cmd<v1::SetCaseLeadSideRequest>("c1", R"pb(lead_side: LEAD_SIDE_CITY
                                                     decision {
                                                       conference_id: "k1"
                                                       decision_id: "d-side"
                                                     })pb"),
          &reply_));
  v1::CaseSummary summary = Summary();
  EXPECT_EQ(summary.lead_side(), v1::LEAD_SIDE_CITY);
  EXPECT_EQ(summary.lead_side_decision().decision_id(), "d-side");
  v1::ListCaseloadRequest caseload_req;
  v1::ListCaseloadResponse caseload;
  Ok(Call(cases_.get(), &Case::ListCaseload, "cw", caseload_req, &caseload));
  ASSERT_EQ(caseload.cases_size(), 1);
  EXPECT_EQ(caseload.cases(0).lead_side(), v1::LEAD_SIDE_CITY);

  // Only the coordinating body sets the case's own interval.
  constexpr char kInterval[] = "interval_days: 7 reason: 'high risk'";
  v1::CommandReply r;
  EXPECT_EQ(Call(cases_.get(), &Case::SetCaseReviewInterval, "cw",
                 Cmd<v1::SetCaseReviewIntervalRequest>("c1", kInterval), &r)
                .error_code(),
            Code::PERMISSION_DENIED);
  Ok(Call(directory_.get(), &Directory::DesignateCoordinatingBody, "admin",
          Cmd<v1::DesignateCoordinatingBodyRequest>(
              "", "framework: FRAMEWORK_YOTAIKYO agency_id: 'city-pa'"),
          &r));
  Ok(Call(cases_.get(), &Case::SetCaseReviewInterval, "cw",
          Cmd<v1::SetCaseReviewIntervalRequest>("c1", kInterval), &r));
  EXPECT_EQ(Summary().review_interval_days(), 7);
  // Never reviewed, the case is overdue 8 days on; the list says which
  // interval applied and the lead side.
  v1::ListOverdueReviewsRequest overdue_req;
  *overdue_req.mutable_as_of() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(
          absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 8)));
  v1::ListOverdueReviewsResponse overdue;
  Ok(Call(reviews_.get(), &v1::ReviewService::Stub::ListOverdueReviews, "cw",
          overdue_req, &overdue));
  ASSERT_EQ(overdue.reviews_size(), 1);
  EXPECT_EQ(overdue.reviews(0).interval_days(), 7);
  EXPECT_EQ(overdue.reviews(0).interval_source(), "case");
  EXPECT_EQ(overdue.reviews(0).lead_side(), v1::LEAD_SIDE_CITY);
  // Not yet on day 6.
  *overdue_req.mutable_as_of() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(
          absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 6)));
  overdue.Clear();
  Ok(Call(reviews_.get(), &v1::ReviewService::Stub::ListOverdueReviews, "cw",
          overdue_req, &overdue));
  EXPECT_EQ(overdue.reviews_size(), 0);
}

TEST_F(AuthorityFlowTest, ASharingReplySaysWhichBasisTheServerFound) {
  v1::CommandReply r;
  Ok(Call(consent_.get(), &Consent::GiveConsent, "cw",
          Cmd<v1::GiveConsentRequest>(
              "c1", R"pb(terms {
                           consent_id: "k-nursery"
                           subject_id: "mother"
                           decided_by_subject_id: "mother"
                           scope {
                             agency_ids: "nursery"
                             purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
                             categories: INFORMATION_CATEGORY_FINANCES
                           }
                           form: CONSENT_FORM_WRITTEN
                         })pb"),
          &r));
  EXPECT_EQ(r.shared_items_size(), 0);
  auto share = Cmd<v1::ShareInformationRequest>(
      "c1", R"pb(recipient_agency_id: "nursery"
                 purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
                 entry_ids: "e-money")pb");
  Ok(Call(consent_.get(), &Consent::ShareInformation, "cw", share, &r));
  ASSERT_EQ(r.shared_items_size(), 1) << r.DebugString();
  EXPECT_EQ(r.shared_items(0).entry_id(), "e-money");
  EXPECT_EQ(r.shared_items(0).entry_version(), 1u);
  ASSERT_TRUE(r.shared_items(0).basis().has_consent()) << r.DebugString();
  EXPECT_EQ(r.shared_items(0).basis().consent().consent_ids(0), "k-nursery");
  // A retry answers the same, from the log.
  v1::CommandReply again;
  Ok(Call(consent_.get(), &Consent::ShareInformation, "cw", share, &again));
  EXPECT_TRUE(again.duplicate());
  ASSERT_EQ(again.shared_items_size(), 1);
  EXPECT_EQ(again.shared_items(0).basis().consent().consent_ids(0),
            "k-nursery");
}

TEST_F(AuthorityFlowTest, AnAmendmentIsALaterItemPointingAtTheOriginal) {
  Ok(Call(cases_.get(), &Case::AmendEntry, "cw",
          Cmd<v1::AmendEntryRequest>(
              "c1", R"pb(entry {
                           entry_id: "e-money"
                           subject_ids: "mother"
                           categories: INFORMATION_CATEGORY_FINANCES
                           contact {
                             channel: CONTACT_CHANNEL_IN_PERSON
                             counterpart_subject_ids: "mother"
                             summary: "arrears of three months"
                           }
                         }
                         reason: "the amount was wrong")pb"),
          &reply_));
  v1::GetCaseTimelineRequest req;
  req.set_case_id("c1");
  v1::GetCaseTimelineResponse timeline;
  Ok(Call(cases_.get(), &Case::GetCaseTimeline, "cw", req, &timeline));
  const v1::TimelineItemView* recorded = nullptr;
  const v1::TimelineItemView* amended = nullptr;
  for (const auto& item : timeline.items()) {
    if (item.event_type() == "renkei.v1.EntryRecorded") recorded = &item;
    if (item.event_type() == "renkei.v1.EntryAmended") amended = &item;
  }
  ASSERT_NE(recorded, nullptr);
  ASSERT_NE(amended, nullptr);
  // The original shows what was first recorded; the amendment is its own
  // later item with the new text, pointing at the original.
  EXPECT_EQ(recorded->entry_version(), 1u);
  EXPECT_EQ(recorded->entry().contact().summary(), "arrears");
  EXPECT_EQ(recorded->amends_stream_version(), 0u);
  EXPECT_EQ(amended->entry_version(), 2u);
  EXPECT_EQ(amended->entry().contact().summary(), "arrears of three months");
  EXPECT_EQ(amended->amends_stream_version(), recorded->stream_version());
  EXPECT_GT(amended->position(), recorded->position());
}

TEST_F(AuthorityFlowTest, OverdueReferralsAsOfAPastTimeUseTheStateThen) {
  auto referrals = v1::ReferralService::NewStub(channel_);
  const absl::Time now = absl::Now();
  Ok(Call(consent_.get(), &Consent::GiveConsent, "cw",
          Cmd<v1::GiveConsentRequest>(
              "c1", R"pb(terms {
                           consent_id: "k-mh"
                           subject_id: "mother"
                           decided_by_subject_id: "mother"
                           scope {
                             agency_ids: "city-mh"
                             purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
                             categories: INFORMATION_CATEGORY_HEALTH
                           }
                           form: CONSENT_FORM_WRITTEN
                         })pb"),
          &reply_));
  auto make = Cmd<v1::MakeReferralRequest>(
      "c1", absl::StrCat("referral_id: 'r1' to_agency_id: 'city-mh' "
                         "subject_ids: 'mother' reason: 'please visit' "
                         "urgency: REFERRAL_URGENCY_ROUTINE "
                         "purpose: SHARING_PURPOSE_SUPPORT_COORDINATION "
                         "categories: INFORMATION_CATEGORY_HEALTH "
                         "response_deadline { seconds: ",
                         absl::ToUnixSeconds(now - absl::Hours(48)), " }"));
  *make.mutable_options()->mutable_occurred_at() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(
          absl::ToUnixSeconds(now - absl::Hours(72)));
  Ok(Call(referrals.get(), &v1::ReferralService::Stub::MakeReferral, "cw", make,
          &reply_));
  Ok(Call(referrals.get(), &v1::ReferralService::Stub::AcceptReferral,
          "counsellor",
          Cmd<v1::AcceptReferralRequest>(
              "c1", "referral_id: 'r1' assigned_staff_id: 'counsellor'"),
          &reply_));
  v1::ListOverdueReferralsResponse overdue;
  Ok(Call(referrals.get(), &v1::ReferralService::Stub::ListOverdueReferrals,
          "cw", v1::ListOverdueReferralsRequest(), &overdue));
  EXPECT_EQ(overdue.referrals_size(), 0);
  // A day ago it was awaiting an answer past its deadline.
  v1::ListOverdueReferralsRequest then;
  *then.mutable_as_of() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(now - absl::Hours(24)));
  Ok(Call(referrals.get(), &v1::ReferralService::Stub::ListOverdueReferrals,
          "cw", then, &overdue));
  ASSERT_EQ(overdue.referrals_size(), 1);
  EXPECT_EQ(overdue.referrals(0).referral().referral_id(), "r1");
  EXPECT_EQ(overdue.referrals(0).referral().hours_overdue(), 24);
}

TEST_F(AuthorityFlowTest, AnUnbornChildIsBornAndNamedAsTheSameSubject) {
  Ok(Call(cases_.get(), &Case::AddSubject, "cw",
          Cmd<v1::AddSubjectRequest>(
              "c1", R"pb(subject {
                           subject_id: "baby"
                           display_name: "unborn"
                           relationship: RELATIONSHIP_CHILD
                           guardian_subject_ids: "mother"
                           unborn { expected_birth { seconds: 1800000000 } }
                         })pb"),
          &reply_));
  Ok(Call(cases_.get(), &Case::UpdateSubject, "cw",
          Cmd<v1::UpdateSubjectRequest>("c1",
                                        R"pb(subject {
                                               subject_id: "baby"
                                               display_name: "Sora"
                                               relationship: RELATIONSHIP_CHILD
                                               guardian_subject_ids: "mother"
                                             }
                                             reason: "born")pb"),
          &reply_));
  const v1::CaseSummary summary = Summary();
  ASSERT_EQ(summary.subjects_size(), 3);
  bool found = false;
  for (const v1::Subject& s : summary.subjects()) {
    if (s.subject_id() != "baby") continue;
    found = true;
    EXPECT_EQ(s.display_name(), "Sora");
    EXPECT_FALSE(s.has_unborn());
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace renkei::testing
