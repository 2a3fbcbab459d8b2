// The privacy lifecycle through the real server: personal data sealed at
// rest (no planted marker in any file of the data directory), a legal hold
// refusing erasure, erasure of one household member leaving everyone
// else's content readable and the chain whole, the art. 29 disclosure
// record and the subject-access export, and the retention schedule's
// sweep.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "renkei/v1/privacy_service.grpc.pb.h"
#include "services/domain/time_util.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

namespace fs = std::filesystem;
using Case = v1::CaseService::Stub;
using Consent = v1::ConsentService::Stub;
using Privacy = v1::PrivacyService::Stub;
using Code = grpc::StatusCode;

constexpr char kSonName[] = "MK-SON-NAME";
constexpr char kSonNote[] = "MK-SON-DESCRIPTION";
constexpr char kSonEntry[] = "MK-SON-ENTRY";
constexpr char kMotherEntry[] = "MK-MOTHER-ENTRY";
constexpr char kDaughterWords[] = "MK-DAUGHTER-WORDS";
constexpr char kAssessment[] = "MK-ASSESSMENT";

void Ok(const grpc::Status& s) { ASSERT_TRUE(s.ok()) << s.error_message(); }

// Every file under `dir` that holds `marker`.
std::vector<std::string> FilesHolding(const std::string& dir,
                                      const std::string& marker) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
    if (absl::StrContains(bytes, marker)) out.push_back(e.path().string());
  }
  return out;
}

class PrivacyLifecycleTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    ASSERT_FALSE(HasFatalFailure());
    privacy_ = v1::PrivacyService::NewStub(channel_);
  }

  void Entry(const std::string& text) {
    Ok(Call(cases_.get(), &Case::RecordEntry, "cw",
            Cmd<v1::RecordEntryRequest>("c1", text), &reply_));
  }

  // c1: the registered household (mother, daughter) plus a son named by a
  // marker; entries about each, one about mother and daughter withheld from
  // the mother, a staff assessment of the mother; the mother's consent for
  // the nursery and a provision of her entry to it.
  void BuildCase() {
    OpenRegisteredHousehold("c1");
    ASSERT_FALSE(HasFatalFailure());
    Ok(Call(cases_.get(), &Case::AddSubject, "cw",
            Cmd<v1::AddSubjectRequest>(
                "c1", absl::StrCat(R"pb(subject {
                                          subject_id: "son"
                                          relationship: RELATIONSHIP_CHILD
                                          guardian_subject_ids: "mother"
                                          display_name: ")pb",
                                   kSonName, R"pb(" description: ")pb",
                                   kSonNote, R"pb(" })pb")),
            &reply_));
    Entry(absl::StrCat(R"pb(entry { entry_id: "e-son" subject_ids: "son"
                                    categories: INFORMATION_CATEGORY_HEALTH
                                    contact { channel: CONTACT_CHANNEL_PHONE
                                              counterpart_subject_ids: "mother"
                                              summary: ")pb",
                       kSonEntry, R"pb(" } })pb"));
    Entry(absl::StrCat(R"pb(entry { entry_id: "e-mother" subject_ids: "mother"
                                    categories: INFORMATION_CATEGORY_HEALTH
                                    contact { channel: CONTACT_CHANNEL_PHONE
                                              counterpart_subject_ids: "mother"
                                              summary: ")pb",
                       kMotherEntry, R"pb(" } })pb"));
    Entry(absl::StrCat(R"pb(entry { entry_id: "e-words" subject_ids: "daughter"
                                    subject_ids: "mother"
                                    categories: INFORMATION_CATEGORY_HEALTH
                                    confidentiality {
                                      withheld_from_subject_ids: "mother"
                                      reason: "the child's own words"
                                    }
                                    information_received {
                                      source_agency_id: "nursery"
                                      content: ")pb",
                       kDaughterWords, R"pb(" } })pb"));
    Entry(absl::StrCat(R"pb(entry { entry_id: "e-assess" subject_ids: "mother"
                                    categories: INFORMATION_CATEGORY_HEALTH
                                    assessment {
                                      illness: ASSESSMENT_RATING_HIGH
                                      urgency: ASSESSMENT_RATING_LOW
                                      case_ness: ASSESSMENT_RATING_LOW
                                      quick_response: ASSESSMENT_RATING_LOW
                                      suicidal_ideation: SUICIDAL_IDEATION_NO
                                      bio_notes: ")pb",
                       kAssessment, R"pb(" } })pb"));
    Ok(Call(consent_.get(), &Consent::GiveConsent, "cw",
            Cmd<v1::GiveConsentRequest>(
                "c1", R"pb(terms {
                             consent_id: "k-nursery"
                             subject_id: "mother"
                             decided_by_subject_id: "mother"
                             scope {
                               agency_ids: "nursery"
                               purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
                               categories: INFORMATION_CATEGORY_HEALTH
                             }
                             form: CONSENT_FORM_WRITTEN
                             statement: "yes, for the nursery"
                           })pb"),
            &reply_));
    Ok(Call(consent_.get(), &Consent::ShareInformation, "cw",
            Cmd<v1::ShareInformationRequest>(
                "c1", R"pb(recipient_agency_id: "nursery"
                           purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
                           entry_ids: "e-mother")pb"),
            &reply_));
  }

  v1::GetCaseTimelineResponse Timeline(const std::string& staff) {
    v1::GetCaseTimelineRequest req;
    req.set_case_id("c1");
    v1::GetCaseTimelineResponse resp;
    EXPECT_TRUE(
        Call(cases_.get(), &Case::GetCaseTimeline, staff, req, &resp).ok());
    return resp;
  }

  const v1::TimelineItemView* Item(const v1::GetCaseTimelineResponse& t,
                                   const std::string& ref_id) {
    for (const auto& item : t.items()) {
      if (item.ref_id() == ref_id &&
          item.event_type() == "renkei.v1.EntryRecorded") {
        return &item;
      }
    }
    return nullptr;
  }

  std::unique_ptr<Privacy> privacy_;
  v1::CommandReply reply_;
};

TEST_F(PrivacyLifecycleTest, NoMarkerIsStoredInPlaintextAnywhere) {
  BuildCase();
  ASSERT_FALSE(HasFatalFailure());
  const std::string summary = Timeline("cw").SerializeAsString();
  EXPECT_TRUE(absl::StrContains(summary, kSonEntry));
  EXPECT_TRUE(absl::StrContains(summary, kMotherEntry));
  const std::string data = dir_.Sub("data");
  server_->Shutdown();  // every store flushed and closed
  for (const char* marker : {kSonName, kSonNote, kSonEntry, kMotherEntry,
                             kDaughterWords, kAssessment}) {
    EXPECT_EQ(FilesHolding(data, marker), std::vector<std::string>{})
        << marker << " is stored in plaintext";
  }
}

TEST_F(PrivacyLifecycleTest, AHeldSubjectIsNotErasedAnErasedOneIsGoneForGood) {
  BuildCase();
  ASSERT_FALSE(HasFatalFailure());
  // Only administrators erase.
  auto erase = Cmd<v1::EraseSubjectRequest>(
      "c1", R"pb(subject_id: "son" reason: "retention ran out")pb");
  EXPECT_EQ(Call(privacy_.get(), &Privacy::EraseSubject, "cw", erase, &reply_)
                .error_code(),
            Code::PERMISSION_DENIED);
  Ok(Call(privacy_.get(), &Privacy::PlaceLegalHold, "admin",
          Cmd<v1::PlaceLegalHoldRequest>(
              "c1", R"pb(hold_id: "h1" reason: "court inquiry")pb"),
          &reply_));
  const grpc::Status held = Call(
      privacy_.get(), &Privacy::EraseSubject, "admin",
      Cmd<v1::EraseSubjectRequest>("c1", R"pb(subject_id: "son"
                                              reason: "retention ran out")pb"),
      &reply_);
  EXPECT_EQ(held.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(held.error_message(), "legal hold 'h1'"))
      << held.error_message();
  EXPECT_TRUE(absl::StrContains(Timeline("cw").SerializeAsString(), kSonEntry));
  Ok(Call(privacy_.get(), &Privacy::ReleaseLegalHold, "admin",
          Cmd<v1::ReleaseLegalHoldRequest>(
              "c1", R"pb(hold_id: "h1" reason: "inquiry closed")pb"),
          &reply_));
  Ok(Call(privacy_.get(), &Privacy::EraseSubject, "admin",
          Cmd<v1::EraseSubjectRequest>(
              "c1", R"pb(subject_id: "son" reason: "retention ran out")pb"),
          &reply_));

  auto check = [&] {
    const v1::GetCaseTimelineResponse t = Timeline("cw");
    const std::string bytes = t.SerializeAsString();
    EXPECT_FALSE(absl::StrContains(bytes, kSonEntry));
    EXPECT_FALSE(absl::StrContains(bytes, kSonName));
    const v1::TimelineItemView* son = Item(t, "e-son");
    ASSERT_NE(son, nullptr);
    EXPECT_TRUE(son->redacted());
    EXPECT_EQ(son->redaction(), v1::SHARING_DENIAL_REASON_ERASED);
    EXPECT_TRUE(absl::StrContains(son->redaction_reason(), "erased"));
    const v1::TimelineItemView* mother = Item(t, "e-mother");
    ASSERT_NE(mother, nullptr);
    EXPECT_EQ(mother->entry().contact().summary(), kMotherEntry);
    v1::GetCaseSummaryRequest req;
    req.set_case_id("c1");
    v1::CaseSummary summary;
    Ok(Call(cases_.get(), &Case::GetCaseSummary, "cw", req, &summary));
    EXPECT_FALSE(absl::StrContains(summary.SerializeAsString(), kSonName));
    EXPECT_EQ(summary.subjects_size(), 3);  // the son is counted, unnamed
    EXPECT_EQ(std::vector<std::string>(summary.erased_subject_ids().begin(),
                                       summary.erased_subject_ids().end()),
              std::vector<std::string>{"son"});
    EXPECT_FALSE(summary.erased());
    // Nothing more may be recorded about the son.
    const grpc::Status more =
        Call(cases_.get(), &Case::RecordEntry, "cw",
             Cmd<v1::RecordEntryRequest>(
                 "c1", R"pb(entry {
                              entry_id: "e-son-2"
                              subject_ids: "son"
                              categories: INFORMATION_CATEGORY_HEALTH
                              contact {
                                channel: CONTACT_CHANNEL_PHONE
                                counterpart_subject_ids: "mother"
                                summary: "x"
                              }
                            })pb"),
             &reply_);
    EXPECT_EQ(more.error_code(), Code::FAILED_PRECONDITION)
        << more.error_message();
    auto chain = server_->log().VerifyChain(0, 0);
    ASSERT_TRUE(chain.ok());
    EXPECT_TRUE(chain->ok) << chain->reason;
  };
  check();
  // With the same key-encryption key after a restart (the read models
  // rebuilt from the log too), the son's data stays unreadable.
  RestartServer(/*rebuild_read_models=*/true);
  privacy_ = v1::PrivacyService::NewStub(channel_);
  check();
}

TEST_F(PrivacyLifecycleTest, DisclosureRecordAndExportListWhatWasProvided) {
  BuildCase();
  ASSERT_FALSE(HasFatalFailure());
  Timeline("cw");  // a read of the case, recorded
  v1::GetDisclosureRecordRequest req;
  req.set_case_id("c1");
  req.set_subject_id("mother");
  v1::GetDisclosureRecordResponse record;
  EXPECT_EQ(
      Call(privacy_.get(), &Privacy::GetDisclosureRecord, "cw", req, &record)
          .error_code(),
      Code::PERMISSION_DENIED);
  Ok(Call(privacy_.get(), &Privacy::GetDisclosureRecord, "auditor", req,
          &record));
  std::vector<std::string> provisions;
  bool read_by_cw = false;
  for (const v1::Disclosure& d : record.disclosures()) {
    if (d.kind() == v1::DISCLOSURE_KIND_PROVISION) {
      provisions.push_back(absl::StrCat(d.recipient_agency_id(), ":",
                                        absl::StrJoin(d.entry_ids(), ","), ":",
                                        d.basis()));
    }
    if (d.kind() == v1::DISCLOSURE_KIND_READ &&
        d.recipient_staff_id() == "cw") {
      read_by_cw = true;
    }
  }
  EXPECT_EQ(provisions,
            std::vector<std::string>{
                R"(nursery:e-mother:consent consent_ids: "k-nursery")"});
  EXPECT_TRUE(read_by_cw);
  // The son's record lists no provision (nothing of his was provided).
  req.set_subject_id("son");
  Ok(Call(privacy_.get(), &Privacy::GetDisclosureRecord, "auditor", req,
          &record));
  for (const v1::Disclosure& d : record.disclosures()) {
    EXPECT_NE(d.kind(), v1::DISCLOSURE_KIND_PROVISION) << d.DebugString();
  }

  v1::ExportSubjectRecordRequest ex;
  ex.set_case_id("c1");
  ex.set_subject_id("mother");
  v1::ExportSubjectRecordResponse exported;
  Ok(Call(privacy_.get(), &Privacy::ExportSubjectRecord, "auditor", ex,
          &exported));
  std::map<std::string, v1::WithholdingReason> withheld;
  for (const v1::ExportedEntry& e : exported.entries()) {
    withheld[e.entry_id()] = e.withheld();
  }
  EXPECT_EQ(withheld,
            (std::map<std::string, v1::WithholdingReason>{
                {"e-mother", v1::WITHHOLDING_REASON_UNSPECIFIED},
                {"e-words", v1::WITHHOLDING_REASON_WITHHELD_FROM_SUBJECT},
                {"e-assess", v1::WITHHOLDING_REASON_STAFF_ASSESSMENT}}));
  EXPECT_EQ(exported.withheld_count(), 2);
  const std::string bytes = exported.SerializeAsString();
  EXPECT_TRUE(absl::StrContains(bytes, kMotherEntry));
  EXPECT_FALSE(absl::StrContains(bytes, kDaughterWords));
  EXPECT_FALSE(absl::StrContains(bytes, kAssessment));
  EXPECT_FALSE(absl::StrContains(bytes, kSonEntry));
  ASSERT_EQ(exported.consents_size(), 1);
  EXPECT_EQ(exported.consents(0).consent_id(), "k-nursery");
  ASSERT_EQ(exported.provided_size(), 1);
  EXPECT_EQ(exported.provided(0).recipient_agency_id(), "nursery");
}

TEST_F(PrivacyLifecycleTest, TheScheduleErasesWhatIsDueAndKeepsWhatIsHeld) {
  for (const char* id : {"c2", "c3"}) {
    Ok(Call(
        cases_.get(), &Case::OpenCase, "cw",
        Cmd<v1::OpenCaseRequest>(id, R"pb(kind: CASE_KIND_HOUSEHOLD
                                          title: "closed household"
                                          intake {
                                            noticed_by_agency_id: "nursery"
                                            observation: "late"
                                          }
                                          frameworks: FRAMEWORK_YOTAIKYO
                                          registration: REGISTRATION_NONE)pb"),
        &reply_));
    Ok(Call(cases_.get(), &Case::CloseCase, "cw",
            Cmd<v1::CloseCaseRequest>(id, R"pb(reason: "support ended")pb"),
            &reply_));
  }
  Ok(Call(privacy_.get(), &Privacy::PlaceLegalHold, "admin",
          Cmd<v1::PlaceLegalHoldRequest>(
              "c3", R"pb(hold_id: "h3" reason: "request under review")pb"),
          &reply_));
  v1::ListRetentionDueRequest list;
  v1::ListRetentionDueResponse due;
  Ok(Call(privacy_.get(), &Privacy::ListRetentionDue, "admin", list, &due));
  EXPECT_EQ(due.due_size(), 0);
  EXPECT_EQ(due.without_rule_case_ids_size(), 2);  // no rule: kept

  Ok(Call(
      privacy_.get(), &Privacy::SetRetentionRule, "admin",
      Cmd<v1::SetRetentionRuleRequest>("", R"pb(rule {
                                                  rule_id: "yotaikyo-5"
                                                  framework: FRAMEWORK_YOTAIKYO
                                                  years_after_closure: 5
                                                  legal_basis: "文書管理規程"
                                                }
                                                reason: "schedule")pb"),
      &reply_));
  Ok(Call(privacy_.get(), &Privacy::ListRetentionDue, "admin", list, &due));
  EXPECT_EQ(due.due_size(), 0);  // five years have not passed
  *list.mutable_as_of() =
      domain::ToTimestamp(clock_.Now() + absl::Hours(24 * 366 * 5));
  Ok(Call(privacy_.get(), &Privacy::ListRetentionDue, "admin", list, &due));
  ASSERT_EQ(due.due_size(), 2);
  v1::EraseDueRecordsRequest sweep;
  sweep.mutable_options()->set_idempotency_key("sweep");
  *sweep.mutable_as_of() = list.as_of();
  v1::EraseDueRecordsResponse swept;
  EXPECT_EQ(
      Call(privacy_.get(), &Privacy::EraseDueRecords, "admin", sweep, &swept)
          .error_code(),
      Code::INVALID_ARGUMENT);  // not before its time

  AdvanceServerTime(clock_.Now() + absl::Hours(24 * 366 * 5));
  sweep.clear_as_of();
  Ok(Call(privacy_.get(), &Privacy::EraseDueRecords, "admin", sweep, &swept));
  EXPECT_EQ(std::vector<std::string>(swept.erased_case_ids().begin(),
                                     swept.erased_case_ids().end()),
            std::vector<std::string>{"c2"});
  EXPECT_EQ(std::vector<std::string>(swept.held_case_ids().begin(),
                                     swept.held_case_ids().end()),
            std::vector<std::string>{"c3"});
  // c2 takes nothing more and lists no more; a second sweep erases nothing.
  const grpc::Status reopen =
      Call(cases_.get(), &Case::ReopenCase, "cw",
           Cmd<v1::ReopenCaseRequest>("c2", R"pb(reason: "back")pb"), &reply_);
  EXPECT_EQ(reopen.error_code(), Code::FAILED_PRECONDITION);
  Ok(Call(privacy_.get(), &Privacy::EraseDueRecords, "admin", sweep, &swept));
  EXPECT_EQ(swept.erased_case_ids_size(), 0);
}

}  // namespace
}  // namespace renkei::testing
