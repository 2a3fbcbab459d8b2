// End-to-end over gRPC: directory, cases, entries, consent, referrals and
// their read models, with every refusal's status code, idempotent retries,
// restart, read-model rebuild and as-of replay.
#include <gtest/gtest.h>

#include <vector>

#include "renkei/v1/access.pb.h"
#include "services/domain/time_util.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

using Case = v1::CaseService::Stub;
using Consent = v1::ConsentService::Stub;
using Referrals = v1::ReferralService::Stub;

class CaseFlowTest : public ServerFixture {
 protected:
  // Opens case c1 (mother, daughter) with city-mh on the team and a 要対協
  // forum whose members are every agency of the fixture but "audit".
  void OpenCase() {
    Ok(Call(cases_.get(), &Case::OpenCase, "cw",
            Opening<v1::OpenCaseRequest>(R"pb(
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
            Opening<v1::AddSubjectRequest>(
                R"pb(subject {
                       subject_id: "mother"
                       display_name: "mother"
                       relationship: RELATIONSHIP_HEAD_OF_HOUSEHOLD
                     })pb"),
            &reply_));
    Ok(Call(cases_.get(), &Case::AddSubject, "cw",
            Opening<v1::AddSubjectRequest>(R"pb(subject {
                                                  subject_id: "daughter"
                                                  display_name: "daughter"
                                                  relationship:
                                                      RELATIONSHIP_CHILD
                                                  guardian_subject_ids: "mother"
                                                })pb"),
            &reply_));
    Ok(Call(consent_.get(), &Consent::RegisterStatutoryForum, "cw",
            Opening<v1::RegisterStatutoryForumRequest>(
                R"pb(forum {
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
            Opening<v1::AddTeamAgencyRequest>(
                R"pb(agency_id: "city-mh" reason: "counsellor consulted")pb"),
            &reply_));
    // Registered once its team is formed: later team changes are
    // conference decisions.
    Ok(Call(cases_.get(), &Case::ChangeCaseRegistration, "cw",
            Opening<v1::ChangeCaseRegistrationRequest>(
                R"pb(registration: REGISTRATION_SUPPORT_NEEDED
                     reason: "受理会議")pb"),
            &reply_));
  }

  void Ok(const grpc::Status& s) { ASSERT_TRUE(s.ok()) << s.error_message(); }

  // Entry e1 on c1: the nursery's report, recorded by the caseworker.
  void RecordNurseryEntry() {
    Ok(Call(cases_.get(), &Case::RecordEntry, "cw",
            Cmd<v1::RecordEntryRequest>(
                "c1", R"pb(entry {
                             entry_id: "e1"
                             subject_ids: "mother"
                             categories: INFORMATION_CATEGORY_HEALTH
                             information_received {
                               source_agency_id: "nursery"
                               content: "alcohol"
                             }
                           })pb"),
            &reply_));
  }

  // A command stamped as having happened when the case was opened.
  template <typename Request>
  Request Opening(const std::string& text) {
    Request r = Cmd<Request>("c1", text);
    *r.mutable_options()->mutable_occurred_at() =
        domain::ToTimestamp(opened_at_);
    return r;
  }

  const absl::Time opened_at_ = absl::Now() - absl::Hours(24 * 5);

  v1::CommandReply reply_;
};

TEST_F(CaseFlowTest, CommandsReplyWithVersionsAndRetriesAreIdempotent) {
  OpenCase();
  EXPECT_EQ(reply_.stream_id(), "case-c1");
  const uint64_t version = reply_.stream_version();
  const uint64_t head = server_->log().Head();

  auto record = Cmd<v1::RecordEntryRequest>(
      "c1", R"pb(entry {
                   entry_id: "e1"
                   subject_ids: "mother"
                   categories: INFORMATION_CATEGORY_HEALTH
                   information_received {
                     source_agency_id: "nursery"
                     content: "smelled alcohol"
                   }
                 })pb",
      "record-e1");
  v1::CommandReply first, retry;
  Ok(Call(cases_.get(), &Case::RecordEntry, "cw", record, &first));
  EXPECT_EQ(first.stream_version(), version + 1);
  EXPECT_EQ(first.first_position(), head + 1);
  EXPECT_FALSE(first.duplicate());
  Ok(Call(cases_.get(), &Case::RecordEntry, "cw", record, &retry));
  EXPECT_TRUE(retry.duplicate());
  EXPECT_EQ(retry.stream_version(), first.stream_version());
  EXPECT_EQ(retry.first_position(), first.first_position());
  EXPECT_EQ(server_->log().Head(), first.last_position());  // nothing written
}

TEST_F(CaseFlowTest, AnIdempotencyKeyReusedForAnotherCommandIsRefused) {
  OpenCase();
  auto entry = [](const std::string& id, const std::string& content) {
    return absl::StrCat(
        "entry { entry_id: '", id,
        "' subject_ids: 'mother' categories: INFORMATION_CATEGORY_HEALTH "
        "information_received { source_agency_id: 'nursery' content: '",
        content, "' } }");
  };
  v1::CommandReply first, reply;
  Ok(Call(cases_.get(), &Case::RecordEntry, "cw",
          Cmd<v1::RecordEntryRequest>("c1", entry("e1", "first"), "shared-key"),
          &first));
  const uint64_t head = server_->log().Head();

  // Another RecordEntry under the same key: refused, not "duplicate".
  grpc::Status other_entry = Call(
      cases_.get(), &Case::RecordEntry, "cw",
      Cmd<v1::RecordEntryRequest>("c1", entry("e2", "second"), "shared-key"),
      &reply);
  EXPECT_EQ(other_entry.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_NE(other_entry.error_message().find("'shared-key'"),
            std::string::npos);
  // Another command on another case under the same key: refused too.
  Ok(Call(
      cases_.get(), &Case::OpenCase, "cw",
      Cmd<v1::OpenCaseRequest>(
          "c2", R"pb(kind: CASE_KIND_HOUSEHOLD
                     title: "second household"
                     intake { noticed_by_agency_id: "nursery" observation: "x" }
                     frameworks: FRAMEWORK_OTHER
                     registration: REGISTRATION_NONE)pb"),
      &reply));
  const uint64_t head_with_c2 = server_->log().Head();
  grpc::Status other_case =
      Call(cases_.get(), &Case::AddSubject, "cw",
           Cmd<v1::AddSubjectRequest>("c2",
                                      R"pb(subject {
                                             subject_id: "son"
                                             display_name: "son"
                                             relationship: RELATIONSHIP_CHILD
                                           })pb",
                                      "shared-key"),
           &reply);
  EXPECT_EQ(other_case.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(server_->log().Head(), head_with_c2);  // nothing written
  EXPECT_GT(head_with_c2, head);

  // The same request again is the retry it is.
  v1::CommandReply retry;
  Ok(Call(cases_.get(), &Case::RecordEntry, "cw",
          Cmd<v1::RecordEntryRequest>("c1", entry("e1", "first"), "shared-key"),
          &retry));
  EXPECT_TRUE(retry.duplicate());
  EXPECT_EQ(retry.first_position(), first.first_position());
  // And it survives a restart.
  RestartServer();
  grpc::Status after_restart = Call(
      cases_.get(), &Case::RecordEntry, "cw",
      Cmd<v1::RecordEntryRequest>("c1", entry("e3", "third"), "shared-key"),
      &reply);
  EXPECT_EQ(after_restart.error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(CaseFlowTest,
       EmergencyAccessIsInvokedByAnAuthorityTimeLimitedAndReviewed) {
  OpenCase();
  RecordNurseryEntry();
  const uint64_t head = server_->log().Head();
  v1::CommandReply reply;
  // A bare emergency reason from a team member no longer shares anything.
  grpc::Status bare =
      Call(consent_.get(), &Consent::ShareInformation, "cw",
           Cmd<v1::ShareInformationRequest>(
               "c1", R"pb(recipient_agency_id: "clinic"
                          purpose: SHARING_PURPOSE_OTHER
                          entry_ids: "e1"
                          emergency_reason: "she collapsed")pb"),
           &reply);
  EXPECT_EQ(bare.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bare.error_message().find("InvokeEmergencyAccess"),
            std::string::npos);
  // Nor may any team member break the glass.
  auto invoke = Cmd<v1::InvokeEmergencyAccessRequest>(
      "c1", R"pb(emergency_id: "em-1"
                 reason: "she collapsed; consent cannot be obtained"
                 subject_ids: "mother"
                 duration_hours: 4)pb");
  EXPECT_EQ(Call(consent_.get(), &Consent::InvokeEmergencyAccess, "cw", invoke,
                 &reply)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(server_->log().Head(), head);

  // The coordinating agency of a forum on the case may.
  Ok(Call(consent_.get(), &Consent::RegisterStatutoryForum, "cw",
          Cmd<v1::RegisterStatutoryForumRequest>(
              "c1", R"pb(forum {
                           forum_id: "f-coord"
                           kind: FORUM_KIND_YOTAIKYO
                           name: "要対協"
                           member_agency_ids: "city-pa"
                           member_agency_ids: "clinic"
                           coordinating_agency_id: "city-pa"
                         })pb"),
          &reply));
  invoke.mutable_options()->set_idempotency_key(FreshKey());
  Ok(Call(consent_.get(), &Consent::InvokeEmergencyAccess, "cw", invoke,
          &reply));
  Ok(Call(
      consent_.get(), &Consent::ShareInformation, "cw",
      Cmd<v1::ShareInformationRequest>("c1", R"pb(recipient_agency_id: "clinic"
                                                  purpose: SHARING_PURPOSE_OTHER
                                                  entry_ids: "e1"
                                                  emergency_id: "em-1")pb"),
      &reply));

  // Listed for review, unreviewed first; reviewed by another person.
  v1::ListEmergencyAccessRequest list;
  list.set_case_id("c1");
  list.set_unreviewed_only(true);
  v1::ListEmergencyAccessResponse listed;
  Ok(Call(consent_.get(), &Consent::ListEmergencyAccess, "counsellor", list,
          &listed));
  ASSERT_EQ(listed.emergencies_size(), 1);
  EXPECT_EQ(listed.emergencies(0).agency_id(), "city-pa");
  EXPECT_TRUE(listed.emergencies(0).in_force());
  EXPECT_FALSE(listed.emergencies(0).reviewed());
  // The reason is case content: a team reader sees it, a forum member off
  // the team is refused without it, and the listing is a recorded read.
  EXPECT_NE(listed.SerializeAsString().find("she collapsed"),
            std::string::npos);
  v1::ListEmergencyAccessResponse refused_list;
  const grpc::Status off_team =
      Call(consent_.get(), &Consent::ListEmergencyAccess, "teacher", list,
           &refused_list);
  EXPECT_EQ(off_team.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(off_team.error_message().find("she collapsed"), std::string::npos);
  EXPECT_EQ(refused_list.SerializeAsString().find("she collapsed"),
            std::string::npos);
  {
    v1::ReadStreamRequest req;
    req.set_stream_id("access-c1");
    v1::ReadEventsResponse resp;
    Ok(Call(audit_.get(), &v1::AuditService::Stub::ReadStream, "auditor", req,
            &resp));
    int listings = 0, denied = 0;
    for (const auto& e : resp.events()) {
      v1::CaseContentRead read;
      ASSERT_TRUE(e.payload().UnpackTo(&read));
      if (read.query() != "ListEmergencyAccess") continue;
      (read.denied() ? denied : listings)++;
      EXPECT_EQ(read.rule().find("she collapsed"), std::string::npos);
    }
    EXPECT_EQ(listings, 1);
    EXPECT_EQ(denied, 1);
  }
  Ok(Call(directory_.get(), &v1::DirectoryService::Stub::RegisterStaffMember,
          "admin",
          Setup<v1::RegisterStaffMemberRequest>(
              R"pb(staff {
                     staff_id: "sv"
                     display_name: "sv"
                     profession: PROFESSION_CASEWORKER_SUPERVISOR
                     agency_id: "city-pa"
                   })pb"),
          &reply));
  auto review = Cmd<v1::ReviewEmergencyAccessRequest>(
      "c1", R"pb(emergency_id: "em-1"
                 finding: "ambulance called; justified"
                 justified: true)pb");
  EXPECT_EQ(Call(consent_.get(), &Consent::ReviewEmergencyAccess, "cw", review,
                 &reply)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  review.mutable_options()->set_idempotency_key(FreshKey());
  Ok(Call(consent_.get(), &Consent::ReviewEmergencyAccess, "sv", review,
          &reply));
  listed.Clear();
  Ok(Call(consent_.get(), &Consent::ListEmergencyAccess, "counsellor", list,
          &listed));
  EXPECT_EQ(listed.emergencies_size(), 0);
  list.set_unreviewed_only(false);
  Ok(Call(consent_.get(), &Consent::ListEmergencyAccess, "counsellor", list,
          &listed));
  ASSERT_EQ(listed.emergencies_size(), 1);
  EXPECT_EQ(listed.emergencies(0).reviewed_by_staff_id(), "sv");
  EXPECT_TRUE(listed.emergencies(0).justified());
}

TEST_F(CaseFlowTest, BusinessTimeIsBoundedAndNeverTheSharingTime) {
  OpenCase();
  const uint64_t head = server_->log().Head();
  auto entry = [](const std::string& id) {
    return absl::StrCat(
        "entry { entry_id: '", id,
        "' subject_ids: 'mother' categories: INFORMATION_CATEGORY_HEALTH "
        "information_received { source_agency_id: 'nursery' content: 'x' } }");
  };
  v1::CommandReply reply;
  for (const int64_t seconds : {int64_t{253402214400} /* 9999-12-31 */,
                                int64_t{-2208988800} /* 1900-01-01 */}) {
    auto record = Cmd<v1::RecordEntryRequest>("c1", entry("e-when"));
    record.mutable_options()->mutable_occurred_at()->set_seconds(seconds);
    const grpc::Status status =
        Call(cases_.get(), &Case::RecordEntry, "cw", record, &reply);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << seconds;
    EXPECT_NE(status.error_message().find("occurred_at"), std::string::npos);
  }
  // A few minutes of clock skew ahead are accepted.
  auto skewed = Cmd<v1::RecordEntryRequest>("c1", entry("e-skew"));
  *skewed.mutable_options()->mutable_occurred_at() =
      domain::ToTimestamp(absl::Now() + absl::Minutes(2));
  Ok(Call(cases_.get(), &Case::RecordEntry, "cw", skewed, &reply));
  EXPECT_EQ(server_->log().Head(), head + 1);

  // A referral back-dated to before a consent's withdrawal does not share.
  RecordNurseryEntry();
  ChangeTeamByConference("c1", "clinic");
  if (HasFatalFailure()) return;
  Ok(Call(consent_.get(), &Consent::GiveConsent, "cw",
          Opening<v1::GiveConsentRequest>(
              R"pb(terms {
                     consent_id: "k-clinic"
                     subject_id: "mother"
                     decided_by_subject_id: "mother"
                     scope {
                       agency_ids: "clinic"
                       purposes: SHARING_PURPOSE_MEDICAL_CARE
                       categories: INFORMATION_CATEGORY_HEALTH
                     }
                     form: CONSENT_FORM_WRITTEN
                   })pb"),
          &reply));
  const absl::Time withdrawn_at = absl::Now() - absl::Hours(1);
  auto withdraw = Cmd<v1::WithdrawConsentRequest>(
      "c1", R"pb(consent_id: "k-clinic"
                 decided_by_subject_id: "mother"
                 reason: "changed her mind")pb");
  *withdraw.mutable_options()->mutable_occurred_at() =
      domain::ToTimestamp(withdrawn_at);
  Ok(Call(consent_.get(), &Consent::WithdrawConsent, "cw", withdraw, &reply));
  auto refer = Cmd<v1::MakeReferralRequest>(
      "c1", absl::StrCat(R"pb(referral_id: "r-late"
                              to_agency_id: "clinic"
                              subject_ids: "mother"
                              reason: "treatment"
                              urgency: REFERRAL_URGENCY_ROUTINE
                              response_deadline { seconds:)pb",
                         absl::ToUnixSeconds(absl::Now() + absl::Hours(240)),
                         R"pb(}
                              purpose: SHARING_PURPOSE_MEDICAL_CARE
                              categories: INFORMATION_CATEGORY_HEALTH
                              entry_ids: "e1")pb"));
  *refer.mutable_options()->mutable_occurred_at() =
      domain::ToTimestamp(withdrawn_at - absl::Seconds(1));
  const uint64_t before = server_->log().Head();
  const grpc::Status late =
      Call(referrals_.get(), &Referrals::MakeReferral, "cw", refer, &reply);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(late.error_message().find("Not covered by consent"),
            std::string::npos)
      << late.error_message();
  EXPECT_EQ(server_->log().Head(), before);
}

TEST_F(CaseFlowTest, RefusalsCarryPreciseStatusCodes) {
  OpenCase();
  v1::CommandReply r;
  // Duplicate case id.
  auto again = Cmd<v1::OpenCaseRequest>(
      "c1", R"pb(kind: CASE_KIND_HOUSEHOLD
                 title: "x"
                 intake { noticed_by_agency_id: "nursery" observation: "x" }
                 frameworks: FRAMEWORK_OTHER
                 registration: REGISTRATION_NONE)pb");
  EXPECT_EQ(Call(cases_.get(), &Case::OpenCase, "cw", again, &r).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  // Unknown case.
  v1::CaseSummary summary;
  v1::GetCaseSummaryRequest missing;
  missing.set_case_id("c404");
  EXPECT_EQ(Call(cases_.get(), &Case::GetCaseSummary, "cw", missing, &summary)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  auto close_missing = Cmd<v1::CloseCaseRequest>("c404", R"pb(reason: "x")pb");
  EXPECT_EQ(Call(cases_.get(), &Case::CloseCase, "cw", close_missing, &r)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Malformed: bad case id, missing idempotency key, unspecified enum.
  v1::GetCaseSummaryRequest bad_id;
  bad_id.set_case_id("bad\nid");
  EXPECT_EQ(Call(cases_.get(), &Case::GetCaseSummary, "cw", bad_id, &summary)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  auto no_key = Cmd<v1::CloseCaseRequest>("c1", R"pb(reason: "x")pb");
  no_key.mutable_options()->clear_idempotency_key();
  grpc::Status s = Call(cases_.get(), &Case::CloseCase, "cw", no_key, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("idempotency_key"), std::string::npos);
  // Not on the team: the nursery may not add entries or read the case.
  auto by_nursery = Cmd<v1::RecordEntryRequest>(
      "c1", R"pb(entry {
                   entry_id: "e9"
                   subject_ids: "mother"
                   categories: INFORMATION_CATEGORY_HEALTH
                   contact {
                     channel: CONTACT_CHANNEL_PHONE
                     counterpart_subject_ids: "mother"
                     summary: "phone call"
                   }
                 })pb");
  // Not on the team: the same rule and code as a read by such an agency.
  EXPECT_EQ(Call(cases_.get(), &Case::RecordEntry, "teacher", by_nursery, &r)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::GetCaseSummaryRequest c1;
  c1.set_case_id("c1");
  s = Call(cases_.get(), &Case::GetCaseSummary, "teacher", c1, &summary);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("support team"), std::string::npos);
  // Identity.
  EXPECT_EQ(
      Call(cases_.get(), &Case::GetCaseSummary, "", c1, &summary).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Call(cases_.get(), &Case::GetCaseSummary, "ghost", c1, &summary)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A stale expected version.
  auto stale = Cmd<v1::ChangeCaseRegistrationRequest>(
      "c1", R"pb(registration: REGISTRATION_PROTECTED reason: "x")pb");
  stale.mutable_options()->set_expected_version(1);
  s = Call(cases_.get(), &Case::ChangeCaseRegistration, "cw", stale, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_NE(s.error_message().find("not the expected 1"), std::string::npos);
  // A staff member who has left can do nothing new.
  Ok(Call(
      directory_.get(), &v1::DirectoryService::Stub::RecordStaffDeparture,
      "admin",
      Cmd<v1::RecordStaffDepartureRequest>(
          "", R"pb(staff_id: "counsellor" reason: "moved to another city")pb"),
      &r));
  auto by_leaver = Cmd<v1::RecordEntryRequest>(
      "c1", R"pb(entry {
                   entry_id: "e8"
                   subject_ids: "mother"
                   categories: INFORMATION_CATEGORY_HEALTH
                   contact {
                     channel: CONTACT_CHANNEL_PHONE
                     counterpart_subject_ids: "mother"
                     summary: "phone call"
                   }
                 })pb");
  EXPECT_EQ(Call(cases_.get(), &Case::RecordEntry, "counsellor", by_leaver, &r)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // Nothing refused above changed the case.
  Ok(Call(cases_.get(), &Case::GetCaseSummary, "cw", c1, &summary));
  EXPECT_EQ(summary.registration(), v1::REGISTRATION_SUPPORT_NEEDED);
  EXPECT_EQ(summary.entries(), 0);
  EXPECT_FALSE(summary.closed());
}

TEST_F(CaseFlowTest, TimelineRedactsWhatTheCallerMayNotSeeAndSaysWhy) {
  OpenCase();
  // The counsellor's interview with the daughter, withheld from the mother
  // and from the nursery.
  Ok(Call(
      cases_.get(), &Case::RecordEntry, "counsellor",
      Cmd<v1::RecordEntryRequest>(
          "c1",
          R"pb(entry {
                 entry_id: "e-daughter"
                 subject_ids: "daughter"
                 categories: INFORMATION_CATEGORY_FAMILY_RELATIONS
                 confidentiality {
                   withheld_from_subject_ids: "mother"
                   withheld_from_agency_ids: "nursery"
                   reason: "the daughter asked"
                 }
                 interview {
                   interviewers { staff_id: "counsellor" agency_id: "city-mh" }
                   interviewee_subject_ids: "daughter"
                   location: "school"
                   summary: "mother drinks from the morning"
                 }
               })pb"),
      &reply_));
  // The nursery's own information.
  Ok(Call(cases_.get(), &Case::RecordEntry, "cw",
          Cmd<v1::RecordEntryRequest>(
              "c1", R"pb(entry {
                           entry_id: "e-nursery"
                           subject_ids: "mother"
                           categories: INFORMATION_CATEGORY_HEALTH
                           information_received {
                             source_agency_id: "nursery"
                             source_staff_id: "teacher"
                             content: "alcohol on the mother's breath"
                           }
                         })pb"),
          &reply_));
  ChangeTeamByConference("c1", "nursery");
  if (HasFatalFailure()) return;

  v1::GetCaseTimelineRequest req;
  req.set_case_id("c1");
  v1::GetCaseTimelineResponse counsellor_view, nursery_view;
  Ok(Call(cases_.get(), &Case::GetCaseTimeline, "counsellor", req,
          &counsellor_view));
  Ok(Call(cases_.get(), &Case::GetCaseTimeline, "teacher", req, &nursery_view));
  // Same lines for both: redaction never drops an item.
  ASSERT_EQ(counsellor_view.items_size(), nursery_view.items_size());
  auto find = [](const v1::GetCaseTimelineResponse& r, const std::string& ref) {
    for (const auto& item : r.items()) {
      if (item.ref_id() == ref &&
          item.event_type() == "renkei.v1.EntryRecorded") {
        return item;
      }
    }
    ADD_FAILURE() << "no line for " << ref;
    return v1::TimelineItemView();
  };
  v1::TimelineItemView mine = find(counsellor_view, "e-daughter");
  EXPECT_FALSE(mine.redacted());
  EXPECT_EQ(mine.entry().interview().summary(),
            "mother drinks from the morning");
  v1::TimelineItemView theirs = find(nursery_view, "e-daughter");
  EXPECT_TRUE(theirs.redacted());
  EXPECT_FALSE(theirs.has_entry());
  EXPECT_FALSE(theirs.redaction_reason().empty());
  EXPECT_EQ(theirs.summary().find("drinks"), std::string::npos);
  EXPECT_GE(nursery_view.redacted_count(), 1);
  // The nursery sees what it reported itself (own record).
  v1::TimelineItemView own = find(nursery_view, "e-nursery");
  EXPECT_FALSE(own.redacted());
  EXPECT_EQ(own.entry().information_received().content(),
            "alcohol on the mother's breath");
  EXPECT_TRUE(own.basis().has_own_record());

  // Filters: by type and by subject.
  req.add_event_types("renkei.v1.SubjectAdded");
  v1::GetCaseTimelineResponse subjects;
  Ok(Call(cases_.get(), &Case::GetCaseTimeline, "cw", req, &subjects));
  EXPECT_EQ(subjects.items_size(), 2);
  req.clear_event_types();
  req.set_subject_id("daughter");
  v1::GetCaseTimelineResponse daughter;
  Ok(Call(cases_.get(), &Case::GetCaseTimeline, "cw", req, &daughter));
  for (const auto& item : daughter.items()) {
    EXPECT_NE(std::find(item.subject_ids().begin(), item.subject_ids().end(),
                        "daughter"),
              item.subject_ids().end());
  }
  EXPECT_GE(daughter.items_size(), 2);  // added, interviewed
  // Paging.
  v1::GetCaseTimelineRequest page;
  page.set_case_id("c1");
  page.set_limit(3);
  v1::GetCaseTimelineResponse p1, p2;
  Ok(Call(cases_.get(), &Case::GetCaseTimeline, "cw", page, &p1));
  ASSERT_EQ(p1.items_size(), 3);
  ASSERT_NE(p1.next_after_position(), 0u);
  page.set_after_position(p1.next_after_position());
  Ok(Call(cases_.get(), &Case::GetCaseTimeline, "cw", page, &p2));
  ASSERT_GT(p2.items_size(), 0);
  EXPECT_GT(p2.items(0).position(), p1.items(2).position());
  page.set_limit(-1);
  EXPECT_EQ(
      Call(cases_.get(), &Case::GetCaseTimeline, "cw", page, &p2).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  page.set_limit(100000);
  EXPECT_EQ(
      Call(cases_.get(), &Case::GetCaseTimeline, "cw", page, &p2).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CaseFlowTest, ConsentsAndSharingChecks) {
  OpenCase();
  Ok(Call(consent_.get(), &Consent::RefuseConsent, "counsellor",
          Cmd<v1::RefuseConsentRequest>(
              "c1", R"pb(terms {
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
  Ok(Call(cases_.get(), &Case::RecordEntry, "counsellor",
          Cmd<v1::RecordEntryRequest>(
              "c1", R"pb(entry {
                           entry_id: "e-assess"
                           subject_ids: "mother"
                           categories: INFORMATION_CATEGORY_HEALTH
                           contact {
                             channel: CONTACT_CHANNEL_PHONE
                             counterpart_subject_ids: "mother"
                             summary: "phone call"
                           }
                         })pb"),
          &reply_));
  v1::CheckSharingRequest check;
  check.set_case_id("c1");
  check.set_entry_id("e-assess");
  check.set_recipient_agency_id("clinic");
  check.set_purpose(v1::SHARING_PURPOSE_MEDICAL_CARE);
  v1::SharingDecision before, in_forum, after;
  // The counsellor recorded it; a check by someone who may not see it
  // would say so (tested below).
  Ok(Call(consent_.get(), &Consent::CheckSharing, "counsellor", check,
          &before));
  EXPECT_FALSE(before.allowed());
  check.set_forum_id("f1");
  Ok(Call(consent_.get(), &Consent::CheckSharing, "counsellor", check,
          &in_forum));
  EXPECT_TRUE(in_forum.allowed());
  EXPECT_TRUE(in_forum.basis().has_statutory_forum());
  check.clear_forum_id();

  ChangeTeamByConference("c1", "clinic");
  if (HasFatalFailure()) return;
  Ok(Call(consent_.get(), &Consent::GiveConsent, "counsellor",
          Cmd<v1::GiveConsentRequest>(
              "c1", R"pb(terms {
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
  Ok(Call(consent_.get(), &Consent::CheckSharing, "counsellor", check, &after));
  EXPECT_TRUE(after.allowed()) << after.explanation();
  ASSERT_TRUE(after.basis().has_consent());
  // The caseworker may not see the counsellor's entry, so a check by the
  // caseworker says only that (it cannot learn through a check).
  v1::SharingDecision by_cw;
  Ok(Call(consent_.get(), &Consent::CheckSharing, "cw", check, &by_cw));
  EXPECT_EQ(by_cw.denial_reason(),
            v1::SHARING_DENIAL_REASON_SENDER_MAY_NOT_SEE);

  v1::ListConsentsRequest list;
  list.set_case_id("c1");
  v1::ListConsentsResponse consents;
  Ok(Call(consent_.get(), &Consent::ListConsents, "cw", list, &consents));
  ASSERT_EQ(consents.in_force_size(), 1);
  EXPECT_EQ(consents.in_force(0).consent_id(), "k-clinic");
  EXPECT_EQ(consents.refusals_size(), 0);  // superseded
  // As of before the consent, the refusal stood.
  *list.mutable_at() = domain::ToTimestamp(absl::Now() - absl::Hours(1));
  v1::ListConsentsResponse earlier;
  Ok(Call(consent_.get(), &Consent::ListConsents, "cw", list, &earlier));
  EXPECT_EQ(earlier.in_force_size(), 0);
}

TEST_F(CaseFlowTest, DisclosuresToHouseholdMembersAreDecidedAndRecorded) {
  OpenCase();
  Ok(Call(cases_.get(), &Case::RecordEntry, "cw",
          Cmd<v1::RecordEntryRequest>(
              "c1", R"pb(entry {
                           entry_id: "e-nursery"
                           subject_ids: "daughter"
                           categories: INFORMATION_CATEGORY_CHILD_REARING
                           information_received {
                             source_agency_id: "nursery"
                             content: "late most mornings"
                           }
                         })pb"),
          &reply_));
  Ok(Call(cases_.get(), &Case::RecordEntry, "cw",
          Cmd<v1::RecordEntryRequest>(
              "c1", R"pb(entry {
                           entry_id: "e-secret"
                           subject_ids: "daughter"
                           subject_ids: "mother"
                           categories: INFORMATION_CATEGORY_CHILD_REARING
                           confidentiality {
                             withheld_from_subject_ids: "mother"
                             reason: "the daughter asked"
                           }
                           information_received {
                             source_agency_id: "nursery"
                             content: "the mother drinks from the morning"
                           }
                         })pb"),
          &reply_));

  // The checks: the guardian may be told about her child; not what is
  // withheld from her.
  v1::CheckSubjectDisclosureRequest check;
  check.set_case_id("c1");
  check.set_entry_id("e-nursery");
  check.set_subject_id("mother");
  v1::SharingDecision allowed, withheld, unseen;
  Ok(Call(consent_.get(), &Consent::CheckSubjectDisclosure, "cw", check,
          &allowed));
  EXPECT_TRUE(allowed.allowed()) << allowed.explanation();
  EXPECT_EQ(allowed.basis().household_disclosure().guardian_of_subject_ids(0),
            "daughter");
  check.set_entry_id("e-secret");
  Ok(Call(consent_.get(), &Consent::CheckSubjectDisclosure, "cw", check,
          &withheld));
  EXPECT_FALSE(withheld.allowed());
  EXPECT_EQ(withheld.denial_reason(), v1::SHARING_DENIAL_REASON_WITHHELD);
  EXPECT_EQ(withheld.explanation().find("drinks"), std::string::npos);
  // The counsellor may not see the caseworker's entry: the check says only
  // that, as reading it would.
  Ok(Call(consent_.get(), &Consent::CheckSubjectDisclosure, "counsellor", check,
          &unseen));
  EXPECT_FALSE(unseen.allowed());
  EXPECT_EQ(unseen.denial_reason(), v1::SHARING_DENIAL_REASON_NO_CONSENT);
  // Unknown names.
  v1::SharingDecision ignored;
  check.set_subject_id("neighbour");
  EXPECT_EQ(Call(consent_.get(), &Consent::CheckSubjectDisclosure, "cw", check,
                 &ignored)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  check.set_subject_id("the mother");
  EXPECT_EQ(Call(consent_.get(), &Consent::CheckSubjectDisclosure, "cw", check,
                 &ignored)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Each check is a recorded read of the case.
  storage::ReadStreamQuery q;
  q.stream_id = "access-c1";
  auto reads = server_->log().ReadStream(q);
  ASSERT_TRUE(reads.ok()) << reads.status();
  int checks = 0;
  for (const v1::EventEnvelope& e : *reads) {
    v1::CaseContentRead read;
    ASSERT_TRUE(e.payload().UnpackTo(&read));
    if (read.query() != "CheckSubjectDisclosure") continue;
    ++checks;
    EXPECT_FALSE(read.ref_id().empty());
  }
  EXPECT_EQ(checks, 3);

  // Recording: what may be told is written; a withheld entry is refused and
  // nothing is written.
  Ok(Call(consent_.get(), &Consent::RecordSubjectDisclosure, "cw",
          Cmd<v1::RecordSubjectDisclosureRequest>(
              "c1", R"pb(disclosure_id: "d1"
                         subject_id: "mother"
                         entry_ids: "e-nursery"
                         summary: "the nursery was worried about the mornings"
                         channel: DISCLOSURE_CHANNEL_HOME_VISIT)pb"),
          &reply_));
  const uint64_t head = server_->log().Head();
  const grpc::Status refused =
      Call(consent_.get(), &Consent::RecordSubjectDisclosure, "cw",
           Cmd<v1::RecordSubjectDisclosureRequest>(
               "c1", R"pb(disclosure_id: "d2"
                          subject_id: "mother"
                          entry_ids: "e-secret"
                          summary: "what the daughter said")pb"),
           &reply_);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(refused.error_message().find("e-secret"), std::string::npos);
  EXPECT_EQ(refused.error_message().find("drinks"), std::string::npos);
  EXPECT_EQ(server_->log().Head(), head);  // nothing written

  // The timeline has a line for it, without what was said.
  v1::GetCaseTimelineRequest tl;
  tl.set_case_id("c1");
  v1::GetCaseTimelineResponse timeline;
  Ok(Call(cases_.get(), &Case::GetCaseTimeline, "cw", tl, &timeline));
  bool found = false;
  for (const auto& item : timeline.items()) {
    if (item.event_type() != "renkei.v1.SubjectDisclosureRecorded") continue;
    found = true;
    EXPECT_EQ(item.ref_id(), "mother");
    EXPECT_EQ(item.summary(), "household member mother told (1 items)");
  }
  EXPECT_TRUE(found);
}

TEST_F(CaseFlowTest, ReferralsCloseTheLoopAndOverdueOnesAreListed) {
  OpenCase();
  RecordNurseryEntry();
  const absl::Time now = absl::Now();
  auto to_clinic = Cmd<v1::MakeReferralRequest>(
      "c1", absl::StrCat(R"pb(referral_id: "r-clinic"
                              to_agency_id: "clinic"
                              subject_ids: "mother"
                              reason: "assessment for alcohol"
                              urgency: REFERRAL_URGENCY_ROUTINE
                              purpose: SHARING_PURPOSE_MEDICAL_CARE
                              categories: INFORMATION_CATEGORY_HEALTH
                              entry_ids: "e1"
                              forum_id: "f1"
                              response_deadline { seconds:)pb",
                         absl::ToUnixSeconds(now + absl::Hours(72)), "}"));
  Ok(Call(referrals_.get(), &Referrals::MakeReferral, "cw", to_clinic,
          &reply_));
  // Made three days ago, due yesterday, never answered: overdue.
  auto to_nursery = Cmd<v1::MakeReferralRequest>(
      "c1", absl::StrCat(R"pb(referral_id: "r-late"
                              to_agency_id: "nursery"
                              subject_ids: "mother"
                              reason: "attendance"
                              urgency: REFERRAL_URGENCY_PROMPT
                              purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
                              categories: INFORMATION_CATEGORY_HEALTH
                              forum_id: "f1"
                              response_deadline { seconds:)pb",
                         absl::ToUnixSeconds(now - absl::Hours(24)), "}"));
  *to_nursery.mutable_options()->mutable_occurred_at() =
      domain::ToTimestamp(now - absl::Hours(72));
  Ok(Call(referrals_.get(), &Referrals::MakeReferral, "cw", to_nursery,
          &reply_));

  Ok(Call(referrals_.get(), &Referrals::AcceptReferral, "doctor",
          Cmd<v1::AcceptReferralRequest>("c1",
                                         R"pb(referral_id: "r-clinic"
                                              assigned_staff_id: "doctor")pb"),
          &reply_));
  Ok(Call(
      referrals_.get(), &Referrals::GiveReferralFeedback, "doctor",
      Cmd<v1::GiveReferralFeedbackRequest>(
          "c1", R"pb(referral_id: "r-clinic" feedback: "first visit done")pb"),
      &reply_));
  // Accepting twice is an invalid transition.
  EXPECT_EQ(Call(referrals_.get(), &Referrals::AcceptReferral, "doctor",
                 Cmd<v1::AcceptReferralRequest>(
                     "c1", R"pb(referral_id: "r-clinic")pb"),
                 &reply_)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // The referrer sees status and feedback.
  v1::GetReferralRequest get;
  get.set_case_id("c1");
  get.set_referral_id("r-clinic");
  v1::ReferralView view;
  Ok(Call(referrals_.get(), &Referrals::GetReferral, "cw", get, &view));
  EXPECT_EQ(view.status(), v1::REFERRAL_STATUS_ACCEPTED);
  ASSERT_EQ(view.feedback_size(), 1);
  EXPECT_EQ(view.feedback(0).feedback(), "first visit done");
  // An uninvolved agency sees nothing, not even that the referral exists.
  EXPECT_EQ(
      Call(referrals_.get(), &Referrals::GetReferral, "counsellor", get, &view)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
  // The receiver reads it too. Both reads are recorded on the case's access
  // stream, each on its side of the referral; the team member's refused one
  // is recorded as denied.
  Ok(Call(referrals_.get(), &Referrals::GetReferral, "doctor", get, &view));
  {
    v1::ReadStreamRequest req;
    req.set_stream_id("access-c1");
    v1::ReadEventsResponse resp;
    Ok(Call(audit_.get(), &v1::AuditService::Stub::ReadStream, "auditor", req,
            &resp));
    std::vector<v1::CaseContentRead> reads;
    for (const auto& e : resp.events()) {
      v1::CaseContentRead read;
      ASSERT_TRUE(e.payload().UnpackTo(&read));
      if (read.query() == "GetReferral") reads.push_back(read);
    }
    ASSERT_EQ(reads.size(), 3u);
    EXPECT_EQ(reads[0].staff_id(), "cw");
    EXPECT_EQ(reads[0].basis(), "referrer 'city-pa'");
    EXPECT_EQ(reads[0].ref_id(), "r-clinic");
    EXPECT_EQ(reads[1].staff_id(), "counsellor");
    EXPECT_TRUE(reads[1].denied());
    EXPECT_EQ(reads[1].ref_id(), "r-clinic");
    EXPECT_EQ(reads[2].staff_id(), "doctor");
    EXPECT_EQ(reads[2].basis(), "receiver 'clinic'");
    EXPECT_FALSE(reads[2].denied());
  }

  v1::ListReferralsRequest outgoing;
  outgoing.set_direction(v1::REFERRAL_DIRECTION_OUTGOING);
  v1::ListReferralsResponse out;
  Ok(Call(referrals_.get(), &Referrals::ListReferrals, "cw", outgoing, &out));
  ASSERT_EQ(out.referrals_size(), 2);
  v1::ListReferralsRequest incoming;
  incoming.set_direction(v1::REFERRAL_DIRECTION_INCOMING);
  v1::ListReferralsResponse in;
  Ok(Call(referrals_.get(), &Referrals::ListReferrals, "doctor", incoming,
          &in));
  ASSERT_EQ(in.referrals_size(), 1);
  EXPECT_EQ(in.referrals(0).referral_id(), "r-clinic");
  EXPECT_EQ(in.referrals(0).status(), v1::REFERRAL_STATUS_ACCEPTED);
  EXPECT_EQ(Call(referrals_.get(), &Referrals::ListReferrals, "doctor",
                 v1::ListReferralsRequest(), &in)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::ListOverdueReferralsResponse overdue;
  Ok(Call(referrals_.get(), &Referrals::ListOverdueReferrals, "cw",
          v1::ListOverdueReferralsRequest(), &overdue));
  ASSERT_EQ(overdue.referrals_size(), 1);
  EXPECT_EQ(overdue.referrals(0).referral().referral_id(), "r-late");
  EXPECT_GE(overdue.referrals(0).referral().hours_overdue(), 23);
  // As of two days ago nothing was overdue yet.
  v1::ListOverdueReferralsRequest earlier;
  *earlier.mutable_as_of() = domain::ToTimestamp(now - absl::Hours(48));
  Ok(Call(referrals_.get(), &Referrals::ListOverdueReferrals, "cw", earlier,
          &overdue));
  EXPECT_EQ(overdue.referrals_size(), 0);

  // Caseload: the clinic is not on the team, city-mh is.
  v1::ListCaseloadResponse load;
  Ok(Call(cases_.get(), &Case::ListCaseload, "counsellor",
          v1::ListCaseloadRequest(), &load));
  ASSERT_EQ(load.cases_size(), 1);
  EXPECT_EQ(load.cases(0).case_id(), "c1");
  Ok(Call(cases_.get(), &Case::ListCaseload, "doctor",
          v1::ListCaseloadRequest(), &load));
  EXPECT_EQ(load.cases_size(), 0);
}

TEST_F(CaseFlowTest, RestartAndRebuildKeepEverything) {
  OpenCase();
  RecordNurseryEntry();
  v1::GetCaseSummaryRequest c1;
  c1.set_case_id("c1");
  v1::CaseSummary before, after;
  Ok(Call(cases_.get(), &Case::GetCaseSummary, "cw", c1, &before));
  v1::GetCaseTimelineRequest tl;
  tl.set_case_id("c1");
  v1::GetCaseTimelineResponse timeline_before, timeline_after;
  Ok(Call(cases_.get(), &Case::GetCaseTimeline, "cw", tl, &timeline_before));
  WaitForReadModels();
  auto incremental = server_->read_models().Dump();
  ASSERT_TRUE(incremental.ok());

  RestartServer(/*rebuild_read_models=*/true);
  auto rebuilt = server_->read_models().Dump();
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(*rebuilt, *incremental);  // rebuilt == incrementally built
  Ok(Call(cases_.get(), &Case::GetCaseSummary, "cw", c1, &after));
  EXPECT_EQ(after.SerializeAsString(), before.SerializeAsString());
  Ok(Call(cases_.get(), &Case::GetCaseTimeline, "cw", tl, &timeline_after));
  EXPECT_EQ(timeline_after.SerializeAsString(),
            timeline_before.SerializeAsString());

  // A retry after the restart still returns the original reply.
  auto record = Cmd<v1::RecordEntryRequest>(
      "c1", R"pb(entry {
                   entry_id: "e2"
                   subject_ids: "mother"
                   categories: INFORMATION_CATEGORY_HEALTH
                   contact {
                     channel: CONTACT_CHANNEL_PHONE
                     counterpart_subject_ids: "mother"
                     summary: "phone call"
                   }
                 })pb",
      "after-restart");
  v1::CommandReply first, retry;
  Ok(Call(cases_.get(), &Case::RecordEntry, "cw", record, &first));
  RestartServer();
  Ok(Call(cases_.get(), &Case::RecordEntry, "cw", record, &retry));
  EXPECT_TRUE(retry.duplicate());
  EXPECT_EQ(retry.first_position(), first.first_position());
}

TEST_F(CaseFlowTest, ReadModelsOfAnotherLayoutAreRebuiltNotServed) {
  OpenCase();
  RecordNurseryEntry();
  WaitForReadModels();
  auto built = server_->read_models().Dump();
  ASSERT_TRUE(built.ok());
  ASSERT_EQ(built->at(read_models::keys::kLayout),
            read_models::keys::kLayoutVersion);
  server_->Shutdown();
  server_.reset();

  const std::string path = dir_.Sub("data") + "/read_models";
  for (const char* layout : {"", "1"}) {
    SCOPED_TRACE(absl::StrCat("stored layout '", layout, "'"));
    {
      // A store as an older server left it: rows, a checkpoint, and no or
      // another layout; its case row also lacks what this layout keeps.
      auto store = read_models::ReadModelStore::Open(path);
      ASSERT_TRUE(store.ok()) << store.status();
      rocksdb::WriteBatchWithIndex batch;
      ASSERT_TRUE(batch.Delete(read_models::keys::Case("c1")).ok());
      ASSERT_TRUE((std::string(layout).empty()
                       ? batch.Delete(read_models::keys::kLayout)
                       : batch.Put(read_models::keys::kLayout, layout))
                      .ok());
      ASSERT_TRUE((*store)->Write(batch).ok());
    }
    EXPECT_TRUE(
        absl::IsDataLoss(read_models::ReadModelStore::Open(path).status()));

    StartServer();
    auto rebuilt = server_->read_models().Dump();
    ASSERT_TRUE(rebuilt.ok());
    EXPECT_EQ(*rebuilt, *built);
    v1::GetCaseSummaryRequest c1;
    c1.set_case_id("c1");
    v1::CaseSummary summary;
    Ok(Call(cases_.get(), &Case::GetCaseSummary, "cw", c1, &summary));
    EXPECT_EQ(summary.entries(), 1);
    // The read just recorded changes the rows; compare from here on.
    WaitForReadModels();
    built = server_->read_models().Dump();
    ASSERT_TRUE(built.ok());
    server_->Shutdown();
    server_.reset();
  }
  StartServer();
}

TEST_F(CaseFlowTest, ReplayAsOfRecordedAndOccurredTime) {
  OpenCase();
  const absl::Time opened = clock_.Now();
  // The server's clock moves on: the visit below is recorded after `opened`.
  AdvanceServerTime(opened + absl::Seconds(2));
  // A visit on the day the case opened, recorded later.
  auto late = Cmd<v1::RecordEntryRequest>(
      "c1", R"pb(entry {
                   entry_id: "e-visit"
                   subject_ids: "mother"
                   categories: INFORMATION_CATEGORY_HEALTH
                   contact {
                     channel: CONTACT_CHANNEL_PHONE
                     counterpart_subject_ids: "mother"
                     summary: "phone call"
                   }
                 })pb");
  *late.mutable_options()->mutable_occurred_at() =
      domain::ToTimestamp(opened - absl::Minutes(1));
  Ok(Call(cases_.get(), &Case::RecordEntry, "cw", late, &reply_));

  v1::ReplayCaseRequest req;
  req.set_case_id("c1");
  *req.mutable_as_of() = domain::ToTimestamp(opened);
  req.set_axis(v1::TIME_AXIS_RECORDED);
  v1::ReplayCaseResponse known, happened, now_state;
  Ok(Call(audit_.get(), &v1::AuditService::Stub::ReplayCase, "auditor", req,
          &known));
  EXPECT_EQ(known.summary().entries(), 0);  // not yet known at `opened`
  req.set_axis(v1::TIME_AXIS_OCCURRED);
  Ok(Call(audit_.get(), &v1::AuditService::Stub::ReplayCase, "auditor", req,
          &happened));
  EXPECT_EQ(happened.summary().entries(), 1);  // but it had happened
  EXPECT_EQ(happened.events_applied(), known.events_applied() + 1);

  // Replaying as of now equals the live state.
  *req.mutable_as_of() = domain::ToTimestamp(clock_.Now() + absl::Seconds(1));
  req.set_axis(v1::TIME_AXIS_RECORDED);
  Ok(Call(audit_.get(), &v1::AuditService::Stub::ReplayCase, "auditor", req,
          &now_state));
  v1::GetCaseSummaryRequest c1;
  c1.set_case_id("c1");
  v1::CaseSummary live;
  Ok(Call(cases_.get(), &Case::GetCaseSummary, "cw", c1, &live));
  EXPECT_EQ(now_state.summary().version(), live.version());
  EXPECT_EQ(now_state.summary().entries(), live.entries());
  EXPECT_EQ(now_state.events_applied(), live.version());

  // Only auditors replay.
  EXPECT_EQ(Call(audit_.get(), &v1::AuditService::Stub::ReplayCase, "cw", req,
                 &now_state)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  req.set_axis(v1::TIME_AXIS_UNSPECIFIED);
  EXPECT_EQ(Call(audit_.get(), &v1::AuditService::Stub::ReplayCase, "auditor",
                 req, &now_state)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace renkei::testing
