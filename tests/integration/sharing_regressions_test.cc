// Regressions through the real server for sharing leaks once observed on
// paths other than the timeline: a referral of what the referrer may not
// see, a receiver referring on what it was never sent, a referral view that
// kept showing an entry withheld later, a forum cited by a non-member, and a
// provision under a 要対協 forum that its recipient could not read.
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

using Case = v1::CaseService::Stub;
using Consent = v1::ConsentService::Stub;
using Referrals = v1::ReferralService::Stub;

class SharingRegressionsTest : public ServerFixture {
 protected:
  void Ok(const grpc::Status& s) { ASSERT_TRUE(s.ok()) << s.error_message(); }

  // Case c1 (mother, daughter); team city-pa, city-mh, nursery; forum f1
  // (要対協: city-pa, city-mh, nursery, clinic) and f2 (city-pa, clinic).
  void SetUp() override {
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    OpenRegisteredHousehold("c1");
    if (HasFatalFailure()) return;
    Ok(Call(consent_.get(), &Consent::RegisterStatutoryForum, "cw",
            Cmd<v1::RegisterStatutoryForumRequest>(
                "c1", R"pb(forum {
                             forum_id: "f1"
                             kind: FORUM_KIND_YOTAIKYO
                             name: "要対協"
                             member_agency_ids: "city-pa"
                             member_agency_ids: "city-mh"
                             member_agency_ids: "nursery"
                             member_agency_ids: "clinic"
                           })pb"),
            &reply_));
    Ok(Call(consent_.get(), &Consent::RegisterStatutoryForum, "cw",
            Cmd<v1::RegisterStatutoryForumRequest>(
                "c1", R"pb(forum {
                             forum_id: "f2"
                             kind: FORUM_KIND_YOTAIKYO
                             name: "個別ケース検討会議"
                             member_agency_ids: "city-pa"
                             member_agency_ids: "clinic"
                           })pb"),
            &reply_));
    // The daughter's statement, withheld from the nursery and her mother.
    Ok(Call(cases_.get(), &Case::RecordEntry, "counsellor",
            Cmd<v1::RecordEntryRequest>(
                "c1", R"pb(entry {
                             entry_id: "e-statement"
                             subject_ids: "daughter"
                             categories: INFORMATION_CATEGORY_CHILD_REARING
                             confidentiality {
                               withheld_from_subject_ids: "mother"
                               withheld_from_agency_ids: "nursery"
                               reason: "she asked"
                             }
                             interview {
                               interviewers {
                                 staff_id: "counsellor"
                                 agency_id: "city-mh"
                               }
                               interviewee_subject_ids: "daughter"
                               summary: "MK-STATEMENT"
                             }
                           })pb"),
            &reply_));
    // The caseworker's own record.
    Ok(Call(cases_.get(), &Case::RecordEntry, "cw",
            Cmd<v1::RecordEntryRequest>("c1", Entry("MK-CW-NOTE")), &reply_));
  }

  static std::string Entry(const std::string& text,
                           const std::string& withheld_from = "") {
    return absl::StrCat(
        "entry { entry_id: 'e-cw' subject_ids: 'mother' "
        "categories: INFORMATION_CATEGORY_HEALTH ",
        withheld_from.empty()
            ? ""
            : absl::StrCat("confidentiality { withheld_from_agency_ids: '",
                           withheld_from, "' reason: 'not for them' } "),
        "contact { channel: CONTACT_CHANNEL_PHONE "
        "counterpart_subject_ids: 'mother' summary: '",
        text, "' } }");
  }

  static std::string Referral(const std::string& id, const std::string& to,
                              const std::string& entry,
                              const std::string& forum,
                              const std::string& category) {
    return absl::StrCat(
        "referral_id: '", id, "' to_agency_id: '", to,
        "' subject_ids: 'mother' subject_ids: 'daughter' reason: 'help' "
        "urgency: REFERRAL_URGENCY_ROUTINE response_deadline { seconds: ",
        absl::ToUnixSeconds(absl::Now() + absl::Hours(240)),
        " } purpose: SHARING_PURPOSE_SUPPORT_COORDINATION categories: ",
        category, " entry_ids: '", entry, "' forum_id: '", forum, "'");
  }

  v1::CommandReply reply_;
};

TEST_F(SharingRegressionsTest, AReferrerCannotSendWhatItMayNotSee) {
  const uint64_t before = CommandEvents();
  const grpc::Status refused =
      Call(referrals_.get(), &Referrals::MakeReferral, "teacher",
           Cmd<v1::MakeReferralRequest>(
               "c1", Referral("r-leak", "clinic", "e-statement", "f1",
                              "INFORMATION_CATEGORY_CHILD_REARING")),
           &reply_);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(refused.error_message().find("'nursery' may not see entry"),
            std::string::npos)
      << refused.error_message();
  EXPECT_EQ(refused.error_message().find("MK-STATEMENT"), std::string::npos);
  EXPECT_EQ(CommandEvents(), before);
}

TEST_F(SharingRegressionsTest, AForumIsCitedOnlyByItsMembers) {
  const uint64_t before = CommandEvents();
  // city-mh recorded the statement but is no member of f2.
  const grpc::Status share =
      Call(consent_.get(), &Consent::ShareInformation, "counsellor",
           Cmd<v1::ShareInformationRequest>(
               "c1", R"pb(recipient_agency_id: "clinic"
                          purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
                          entry_ids: "e-statement"
                          forum_id: "f2")pb"),
           &reply_);
  EXPECT_EQ(share.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(share.error_message().find("not a member of forum 'f2'"),
            std::string::npos)
      << share.error_message();
  const grpc::Status refer =
      Call(referrals_.get(), &Referrals::MakeReferral, "counsellor",
           Cmd<v1::MakeReferralRequest>(
               "c1", Referral("r-f2", "clinic", "e-statement", "f2",
                              "INFORMATION_CATEGORY_CHILD_REARING")),
           &reply_);
  EXPECT_EQ(refer.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CommandEvents(), before);
}

TEST_F(SharingRegressionsTest,
       AReferralIsDecidedAgainForEachViewAndReferringOn) {
  Ok(Call(referrals_.get(), &Referrals::MakeReferral, "cw",
          Cmd<v1::MakeReferralRequest>("c1",
                                       Referral("r-1", "clinic", "e-cw", "f1",
                                                "INFORMATION_CATEGORY_HEALTH")),
          &reply_));
  v1::GetReferralRequest get;
  get.set_case_id("c1");
  get.set_referral_id("r-1");
  v1::ReferralView view;
  Ok(Call(referrals_.get(), &Referrals::GetReferral, "doctor", get, &view));
  EXPECT_NE(view.SerializeAsString().find("MK-CW-NOTE"), std::string::npos);

  // The clinic, not on the team, refers on what it was never sent.
  const uint64_t before = CommandEvents();
  v1::ReferReferralOnRequest on;
  on.set_case_id("c1");
  on.mutable_options()->set_idempotency_key(FreshKey());
  on.mutable_command()->set_referral_id("r-1");
  *on.mutable_command()->mutable_onward() =
      Text<v1::MakeReferral>(Referral("r-2", "nursery", "e-statement", "f1",
                                      "INFORMATION_CATEGORY_CHILD_REARING"));
  const grpc::Status onward = Call(
      referrals_.get(), &Referrals::ReferReferralOn, "doctor", on, &reply_);
  EXPECT_EQ(onward.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << onward.error_message();
  EXPECT_NE(onward.error_message().find("'clinic' may not see entry"),
            std::string::npos)
      << onward.error_message();
  EXPECT_EQ(onward.error_message().find("MK-STATEMENT"), std::string::npos);
  EXPECT_EQ(CommandEvents(), before);

  // Withheld from the clinic later: its view no longer shows it, and says so.
  Ok(Call(cases_.get(), &Case::AmendEntry, "cw",
          Cmd<v1::AmendEntryRequest>(
              "c1", absl::StrCat(Entry("MK-CW-NOTE", "clinic"),
                                 " reason: 'withheld from the clinic'")),
          &reply_));
  view.Clear();
  Ok(Call(referrals_.get(), &Referrals::GetReferral, "doctor", get, &view));
  EXPECT_EQ(view.SerializeAsString().find("MK-CW-NOTE"), std::string::npos);
  ASSERT_EQ(view.withheld_entries_size(), 1);
  EXPECT_EQ(view.withheld_entries(0).entry_id(), "e-cw");
  EXPECT_EQ(view.withheld_entries(0).reason(),
            v1::SHARING_DENIAL_REASON_WITHHELD);
  // The referrer still sees what it sent.
  view.Clear();
  Ok(Call(referrals_.get(), &Referrals::GetReferral, "cw", get, &view));
  EXPECT_NE(view.SerializeAsString().find("MK-CW-NOTE"), std::string::npos);
}

TEST_F(SharingRegressionsTest,
       WhatWasProvidedInAForumIsReadByItsRecipientAndMembers) {
  // Provided under the 要対協 forum to the nursery (no consent anywhere).
  Ok(Call(consent_.get(), &Consent::ShareInformation, "cw",
          Cmd<v1::ShareInformationRequest>(
              "c1", R"pb(recipient_agency_id: "nursery"
                         purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
                         entry_ids: "e-cw"
                         forum_id: "f1")pb"),
          &reply_));
  auto timeline = [&](const std::string& staff, const std::string& forum,
                      v1::GetCaseTimelineResponse* out) {
    v1::GetCaseTimelineRequest req;
    req.set_case_id("c1");
    req.set_forum_id(forum);
    return Call(cases_.get(), &Case::GetCaseTimeline, staff, req, out);
  };
  v1::GetCaseTimelineResponse recipient;
  Ok(timeline("teacher", "", &recipient));
  bool provided = false;
  for (const auto& item : recipient.items()) {
    if (item.ref_id() == "e-cw" && !item.redacted()) {
      provided = item.basis().has_provision();
      EXPECT_EQ(item.entry().contact().summary(), "MK-CW-NOTE");
    }
  }
  EXPECT_TRUE(provided);
  EXPECT_EQ(recipient.SerializeAsString().find("MK-STATEMENT"),
            std::string::npos);

  // The clinic is a member, not on the team: it reads as the forum's member.
  v1::GetCaseTimelineResponse member;
  Ok(timeline("doctor", "f1", &member));
  EXPECT_NE(member.SerializeAsString().find("MK-CW-NOTE"), std::string::npos);
  EXPECT_EQ(member.SerializeAsString().find("MK-STATEMENT"), std::string::npos);
  v1::GetCaseTimelineResponse none;
  EXPECT_EQ(timeline("doctor", "", &none).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A non-member naming the forum gets nothing more than it is.
  EXPECT_EQ(timeline("doctor", "f-none", &none).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SharingRegressionsTest, AnUnrelatedAgencyCannotTellWhichCasesExist) {
  v1::GetCaseSummaryRequest existing, missing;
  existing.set_case_id("c1");
  missing.set_case_id("c-none");
  v1::CaseSummary summary;
  // Every agency of the fixture is related to c1 (team, forum or auditor):
  // a stranger of an agency with no relation at all.
  Ok(Call(directory_.get(), &v1::DirectoryService::Stub::RegisterAgency,
          "admin",
          Cmd<v1::RegisterAgencyRequest>("", R"pb(agency {
                                                    agency_id: "outsider"
                                                    name: "outsider"
                                                    kind: AGENCY_KIND_OTHER
                                                    scope: AGENCY_SCOPE_EXTERNAL
                                                    formality:
                                                        AGENCY_FORMALITY_FORMAL
                                                  })pb"),
          &reply_));
  Ok(Call(directory_.get(), &v1::DirectoryService::Stub::RegisterStaffMember,
          "admin",
          Setup<v1::RegisterStaffMemberRequest>(
              R"pb(staff {
                     staff_id: "stranger"
                     display_name: "stranger"
                     profession: PROFESSION_OTHER
                     agency_id: "outsider"
                   })pb"),
          &reply_));
  const grpc::Status a =
      Call(cases_.get(), &Case::GetCaseSummary, "stranger", existing, &summary);
  const grpc::Status b =
      Call(cases_.get(), &Case::GetCaseSummary, "stranger", missing, &summary);
  EXPECT_EQ(a.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(b.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(a.error_message(),
            "case 'c1' does not exist or is not visible to you");
  EXPECT_EQ(b.error_message(),
            "case 'c-none' does not exist or is not visible to you");
}

}  // namespace
}  // namespace renkei::testing
