// End-to-end over gRPC: ConferenceService.GetAnonymisedConference. Who may
// read it (participant and auditor agencies, the same NOT_FOUND for everyone
// else and for a conference that does not exist), facts derived only from
// entries the viewer may see, the case as the conference discussed it, keyed
// pseudonyms under the server's secret, each read recorded on the cases'
// access streams, and no identifying bytes in the answer.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "renkei/v1/access.pb.h"
#include "renkei/v1/conference_service.grpc.pb.h"
#include "services/domain/conference/anonymised_view.h"
#include "services/domain/time_util.h"
#include "services/server/pseudonym_key.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

using Case = v1::CaseService::Stub;
using Consent = v1::ConsentService::Stub;
using Conference = v1::ConferenceService::Stub;

constexpr char kCase[] = "hh-4821";
// Identifying text planted in the case and the conference; none of it may
// reach an anonymised view.
constexpr const char* kMarkers[] = {
    kCase,
    "TitleMarkerQz7",       // case title
    "IntakeMarkerQz7",      // intake observation
    "Hanako MarkerYamada",  // subject display names
    "Mei MarkerYamada",
    "Taro MarkerYamada",
    "FreeTextMarkerQz7",   // an entry's free text
    "VisibleReasonQz7",    // a visible risk ranking's reason
    "WithheldReasonQz7",   // a withheld risk ranking's reason
    "ConfidentialWhyQz7",  // why it is withheld
    "LaterReasonQz7",      // a risk ranking recorded after the conference
    "ConferenceTitleQz7",  // the identified conference's title
    "AgendaItemQz7",       // an agenda item's title
    "DecisionTextQz7",     // a decision of the identified conference
    "MinutesTextQz7",      // its minutes
};

// 64-bit FNV-1a over "<conference>\x1f<case>": the unkeyed key this server
// used to issue, which anyone could compute from the ids.
std::string UnkeyedKey(const std::string& conference, const std::string& c) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  const std::string bytes = conference + "\x1f" + c;
  for (unsigned char ch : bytes) {
    hash ^= ch;
    hash *= 0x100000001b3ULL;
  }
  return absl::StrCat("anon-", absl::Hex(hash, absl::kZeroPad16));
}

class AnonymisedConferenceTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    conferences_ = v1::ConferenceService::NewStub(channel_);
    now_ = absl::Now();
  }

  void Restart() {
    RestartServer();
    conferences_ = v1::ConferenceService::NewStub(channel_);
  }
  // Stops the server and closes its stores (the data directory is free).
  void Stop() { server_.reset(); }
  void StartAgain() {
    StartServer();
    conferences_ = v1::ConferenceService::NewStub(channel_);
  }

  void Ok(const grpc::Status& s) { ASSERT_TRUE(s.ok()) << s.error_message(); }

  absl::Time Ago(int days) const { return now_ - absl::Hours(24 * days); }

  // A command on the aggregate `id`, stamped as having happened at `at`.
  template <typename Request>
  static Request At(const std::string& id, absl::Time at,
                    const std::string& text) {
    Request r = Cmd<Request>(id, text);
    if constexpr (requires { r.set_conference_id(""); }) {
      r.set_conference_id(id);
    }
    *r.mutable_options()->mutable_occurred_at() = domain::ToTimestamp(at);
    return r;
  }

  void RecordEntry(const std::string& staff, absl::Time at,
                   const std::string& text) {
    Ok(Call(cases_.get(), &Case::RecordEntry, staff,
            At<v1::RecordEntryRequest>(kCase, at, text), &reply_));
  }

  // The case, opened 10 days ago by the caseworker (city-pa) with the
  // counsellor's division (city-mh) on the team, and its entries: the
  // counsellor's risk ranking (low, city-led), then the caseworker's (severe,
  // child-guidance-led), withheld from city-mh.
  void OpenCase() {
    const absl::Time at = Ago(10);
    Ok(Call(cases_.get(), &Case::OpenCase, "cw",
            At<v1::OpenCaseRequest>(kCase, at, R"txt(
              kind: CASE_KIND_HOUSEHOLD
              title: "TitleMarkerQz7"
              intake {
                noticed_by_agency_id: "nursery"
                observation: "IntakeMarkerQz7"
              }
              frameworks: FRAMEWORK_YOTAIKYO
              registration: REGISTRATION_NONE
            )txt"),
            &reply_));
    Ok(Call(cases_.get(), &Case::AddSubject, "cw",
            At<v1::AddSubjectRequest>(kCase, at, R"txt(subject {
                                  subject_id: "mother"
                                  display_name: "Hanako MarkerYamada"
                                  relationship: RELATIONSHIP_HEAD_OF_HOUSEHOLD
                                })txt"),
            &reply_));
    Ok(Call(cases_.get(), &Case::AddSubject, "cw",
            At<v1::AddSubjectRequest>(kCase, at,
                                      R"txt(subject {
                                             subject_id: "daughter"
                                             display_name: "Mei MarkerYamada"
                                             relationship: RELATIONSHIP_CHILD
                                             guardian_subject_ids: "mother"
                                           })txt"),
            &reply_));
    Ok(Call(consent_.get(), &Consent::RegisterStatutoryForum, "cw",
            At<v1::RegisterStatutoryForumRequest>(kCase, at, R"txt(forum {
                                  forum_id: "f1"
                                  kind: FORUM_KIND_YOTAIKYO
                                  name: "要対協"
                                  member_agency_ids: "city-pa"
                                  member_agency_ids: "city-mh"
                                  member_agency_ids: "nursery"
                                })txt"),
            &reply_));
    Ok(Call(cases_.get(), &Case::AddTeamAgency, "cw",
            At<v1::AddTeamAgencyRequest>(kCase, at, R"txt(agency_id: "city-mh"
                                reason: "counsellor consulted")txt"),
            &reply_));
    Ok(Call(cases_.get(), &Case::ChangeCaseRegistration, "cw",
            At<v1::ChangeCaseRegistrationRequest>(
                kCase, at,
                "registration: REGISTRATION_SUPPORT_NEEDED reason: '受理会議'"),
            &reply_));
    RecordEntry("cw", Ago(9), R"txt(entry {
                               entry_id: "e-contact"
                               subject_ids: "mother"
                               categories: INFORMATION_CATEGORY_HEALTH
                               contact {
                                 channel: CONTACT_CHANNEL_PHONE
                                 counterpart_subject_ids: "mother"
                                 summary: "FreeTextMarkerQz7"
                               }
                             })txt");
    RecordEntry("counsellor", Ago(9), R"txt(entry {
                                       entry_id: "e-risk-low"
                                       subject_ids: "daughter"
                                       categories: INFORMATION_CATEGORY_CHILD_REARING
                                       risk_ranking {
                                         rank: RISK_RANK_LOW
                                         lead_side: LEAD_SIDE_CITY
                                         reason: "VisibleReasonQz7"
                                       }
                                     })txt");
    RecordEntry("cw", Ago(8), R"txt(entry {
                               entry_id: "e-risk-severe"
                               subject_ids: "daughter"
                               categories: INFORMATION_CATEGORY_CHILD_REARING
                               confidentiality {
                                 withheld_from_agency_ids: "city-mh"
                                 reason: "ConfidentialWhyQz7"
                               }
                               risk_ranking {
                                 rank: RISK_RANK_SEVERE
                                 lead_side: LEAD_SIDE_CHILD_GUIDANCE_CENTRE
                                 reason: "WithheldReasonQz7"
                               }
                             })txt");
  }

  // Conference `id` on the case: convened by the counsellor (city-mh), the
  // caseworker's division (city-pa) coordinating, the nursery invited; held
  // by the caseworker with the counsellor and the nursery's teacher, with a
  // decision and minutes. Afterwards the case changes: a later risk ranking
  // and another household member, which the view must not show.
  void ConferenceHeldOnTheCase(const std::string& id) {
    Ok(Call(conferences_.get(), &Conference::ScheduleConference, "counsellor",
            At<v1::ScheduleConferenceRequest>(
                id, Ago(7),
                absl::StrCat(R"txt(
                               type: CONFERENCE_TYPE_INDIVIDUAL_CASE
                               basis: CONFERENCE_BASIS_YOTAIKYO
                               title: "ConferenceTitleQz7"
                               coordinating_agency_id: "city-pa"
                               scheduled_for { seconds: )txt",
                             absl::ToUnixSeconds(Ago(6)), R"txt( }
                               invitees { agency_id: "city-pa" }
                               invitees { agency_id: "nursery" }
                               agenda_case_ids: ")txt",
                             kCase, R"txt("
                               agenda_items {
                                 item_id: "i1"
                                 title: "AgendaItemQz7"
                               })txt")),
            &reply_));
    Ok(Call(conferences_.get(), &Conference::HoldConference, "cw",
            At<v1::HoldConferenceRequest>(id, Ago(6), R"txt(
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
            )txt"),
            &reply_));
    Ok(Call(
        conferences_.get(), &Conference::RecordConferenceDecision, "cw",
        At<v1::RecordConferenceDecisionRequest>(id, Ago(6),
                                                absl::StrCat(R"txt(decision {
                                    decision_id: "d1"
                                    kind: DECISION_KIND_GENERAL
                                    case_id: ")txt",
                                                             kCase, R"txt("
                                    text: "DecisionTextQz7"
                                  })txt")),
        &reply_));
    Ok(Call(conferences_.get(), &Conference::RecordMinutes, "cw",
            At<v1::RecordMinutesRequest>(id, Ago(6),
                                         R"txt(text: "MinutesTextQz7")txt"),
            &reply_));
  }

  void CaseChangesAfterTheConference() {
    RecordEntry("counsellor", Ago(2), R"txt(entry {
                                       entry_id: "e-risk-later"
                                       subject_ids: "daughter"
                                       categories: INFORMATION_CATEGORY_CHILD_REARING
                                       risk_ranking {
                                         rank: RISK_RANK_HIGH
                                         lead_side: LEAD_SIDE_NOT_CO_MANAGED
                                         reason: "LaterReasonQz7"
                                       }
                                     })txt");
    Ok(Call(cases_.get(), &Case::AddSubject, "cw",
            At<v1::AddSubjectRequest>(kCase, Ago(2),
                                      R"txt(subject {
                                             subject_id: "son"
                                             display_name: "Taro MarkerYamada"
                                             relationship: RELATIONSHIP_CHILD
                                             guardian_subject_ids: "mother"
                                           })txt"),
            &reply_));
  }

  grpc::Status View(const std::string& staff, const std::string& conference,
                    v1::AnonymisedConference* view) {
    v1::GetAnonymisedConferenceRequest req;
    req.set_conference_id(conference);
    return Call(conferences_.get(), &Conference::GetAnonymisedConference, staff,
                req, view);
  }

  v1::AnonymisedConference ViewOk(const std::string& staff,
                                  const std::string& conference) {
    v1::AnonymisedConference view;
    const grpc::Status s = View(staff, conference, &view);
    EXPECT_TRUE(s.ok()) << staff << ": " << s.error_message();
    return view;
  }

  // The reads recorded on the case's access stream, read back through the
  // audit service as the auditor.
  std::vector<v1::CaseContentRead> RecordedReads() {
    v1::ReadStreamRequest req;
    req.set_stream_id(absl::StrCat("access-", kCase));
    req.set_limit(200);
    v1::ReadEventsResponse resp;
    const grpc::Status s =
        Call(audit_.get(), &v1::AuditService::Stub::ReadStream, "auditor", req,
             &resp);
    std::vector<v1::CaseContentRead> reads;
    if (s.error_code() == grpc::StatusCode::NOT_FOUND) return reads;
    EXPECT_TRUE(s.ok()) << s.error_message();
    for (const v1::EventEnvelope& e : resp.events()) {
      EXPECT_EQ(e.event_type(), "renkei.v1.CaseContentRead");
      v1::CaseContentRead read;
      EXPECT_TRUE(e.payload().UnpackTo(&read));
      reads.push_back(read);
    }
    return reads;
  }

  std::string KeyFile() const {
    return (std::filesystem::path(dir_.Sub("data")) / server::kPseudonymKeyFile)
        .string();
  }

  std::string ReadKeyFile() const {
    std::ifstream in(KeyFile(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::unique_ptr<v1::ConferenceService::Stub> conferences_;
  v1::CommandReply reply_;
  absl::Time now_;
};

TEST_F(AnonymisedConferenceTest, OnlyParticipantAndAuditorAgenciesMayReadIt) {
  OpenCase();
  ConferenceHeldOnTheCase("k1");
  // Convener (city-mh), coordinating body and attendee (city-pa), invited
  // and attending agency (nursery), auditor agency.
  for (const char* staff : {"counsellor", "cw", "teacher", "auditor"}) {
    v1::AnonymisedConference view;
    const grpc::Status s = View(staff, "k1", &view);
    EXPECT_TRUE(s.ok()) << staff << ": " << s.error_message();
    EXPECT_EQ(view.conference_id(), "k1") << staff;
  }
  // The clinic has no part in it: the same answer as for a conference that
  // does not exist, so the answer tells nothing about which ids exist.
  const size_t reads_before = RecordedReads().size();
  v1::AnonymisedConference view;
  const grpc::Status hidden = View("doctor", "k1", &view);
  EXPECT_EQ(hidden.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(hidden.error_message(),
            "conference 'k1' does not exist or is not visible to you");
  EXPECT_EQ(view.cases_size(), 0);
  const grpc::Status missing = View("doctor", "k404", &view);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_message(),
            "conference 'k404' does not exist or is not visible to you");
  const grpc::Status missing_for_member = View("cw", "k404", &view);
  EXPECT_EQ(missing_for_member.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing_for_member.error_message(), missing.error_message());
  // A refused read is not recorded.
  EXPECT_EQ(RecordedReads().size(), reads_before);
}

TEST_F(AnonymisedConferenceTest, AnAnonymisedConferenceHasNoNamedView) {
  OpenCase();
  Ok(Call(conferences_.get(), &Conference::ScheduleConference, "counsellor",
          At<v1::ScheduleConferenceRequest>(
              "k-anon", Ago(7),
              absl::StrCat(R"txt(
                             type: CONFERENCE_TYPE_INDIVIDUAL_CASE
                             basis: CONFERENCE_BASIS_YOTAIKYO
                             title: "anonymised"
                             coordinating_agency_id: "city-pa"
                             anonymised: true
                             scheduled_for { seconds: )txt",
                           absl::ToUnixSeconds(Ago(6)), R"txt( }
                             invitees { agency_id: "nursery" }
                             agenda_case_ids: ")txt",
                           kCase, R"txt(")txt")),
          &reply_));
  v1::GetConferenceRequest req;
  req.set_conference_id("k-anon");
  v1::ConferenceView named;
  // Its participants are sent to the anonymised view; others learn nothing.
  const grpc::Status refused = Call(
      conferences_.get(), &Conference::GetConference, "teacher", req, &named);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("GetAnonymisedConference"),
            std::string::npos);
  EXPECT_FALSE(named.has_schedule());
  EXPECT_EQ(Call(conferences_.get(), &Conference::GetConference, "doctor", req,
                 &named)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::AnonymisedConference view;
  EXPECT_TRUE(View("teacher", "k-anon", &view).ok());
}

TEST_F(AnonymisedConferenceTest,
       FactsComeFromEntriesTheViewerMaySeeAsDiscussed) {
  OpenCase();
  ConferenceHeldOnTheCase("k1");
  CaseChangesAfterTheConference();
  // The counsellor's agency may not see the severe ranking (withheld from
  // it): its view derives the rank from its own, low one.
  const v1::AnonymisedConference counsellor = ViewOk("counsellor", "k1");
  ASSERT_EQ(counsellor.cases_size(), 1);
  EXPECT_EQ(counsellor.cases(0).latest_risk_rank(), v1::RISK_RANK_LOW);
  EXPECT_EQ(counsellor.cases(0).lead_side(), v1::LEAD_SIDE_CITY);
  // The caseworker's agency recorded the severe ranking.
  const v1::AnonymisedConference cw = ViewOk("cw", "k1");
  ASSERT_EQ(cw.cases_size(), 1);
  EXPECT_EQ(cw.cases(0).latest_risk_rank(), v1::RISK_RANK_SEVERE);
  EXPECT_EQ(cw.cases(0).lead_side(), v1::LEAD_SIDE_CHILD_GUIDANCE_CENTRE);
  // The nursery is not on the team and has no consent: no ranking at all.
  const v1::AnonymisedConference nursery = ViewOk("teacher", "k1");
  ASSERT_EQ(nursery.cases_size(), 1);
  EXPECT_EQ(nursery.cases(0).latest_risk_rank(), v1::RISK_RANK_UNSPECIFIED);
  EXPECT_EQ(nursery.cases(0).lead_side(), v1::LEAD_SIDE_UNSPECIFIED);
  // An auditor sees every entry not withheld from its agency.
  const v1::AnonymisedConference auditor = ViewOk("auditor", "k1");
  ASSERT_EQ(auditor.cases_size(), 1);
  EXPECT_EQ(auditor.cases(0).latest_risk_rank(), v1::RISK_RANK_SEVERE);
  // The case as discussed: neither the later ranking (high, not co-managed)
  // nor the son added afterwards.
  for (const auto* view : {&counsellor, &cw, &nursery, &auditor}) {
    EXPECT_NE(view->cases(0).latest_risk_rank(), v1::RISK_RANK_HIGH);
    EXPECT_EQ(view->cases(0).household_size(), 2);
    EXPECT_EQ(view->cases(0).registration(), v1::REGISTRATION_SUPPORT_NEEDED);
  }
  // An identified conference's decision keeps its kind and key, not its
  // text.
  ASSERT_EQ(cw.decisions_size(), 1);
  EXPECT_EQ(cw.decisions(0).kind(), v1::DECISION_KIND_GENERAL);
  EXPECT_EQ(cw.decisions(0).case_key(), cw.cases(0).case_key());
  EXPECT_EQ(cw.decisions(0).text(), "");
}

TEST_F(AnonymisedConferenceTest, TheAnswerBytesHoldNoIdentifyingText) {
  OpenCase();
  ConferenceHeldOnTheCase("k1");
  CaseChangesAfterTheConference();
  for (const char* staff : {"counsellor", "cw", "teacher", "auditor"}) {
    const std::string bytes = ViewOk(staff, "k1").SerializeAsString();
    ASSERT_FALSE(bytes.empty()) << staff;
    for (const char* marker : kMarkers) {
      EXPECT_EQ(bytes.find(marker), std::string::npos)
          << staff << "'s view holds '" << marker << "'";
    }
  }
}

TEST_F(AnonymisedConferenceTest, CaseKeysAreKeyedWithTheServersSecret) {
  OpenCase();
  ConferenceHeldOnTheCase("k1");
  ConferenceHeldOnTheCase("k2");
  const std::string key = ViewOk("cw", "k1").cases(0).case_key();
  ASSERT_EQ(key.size(), 21u);
  EXPECT_EQ(key.substr(0, 5), "anon-");
  // Stable for a conference, unrelated across conferences.
  EXPECT_EQ(ViewOk("counsellor", "k1").cases(0).case_key(), key);
  EXPECT_NE(ViewOk("cw", "k2").cases(0).case_key(), key);
  // Not the unkeyed hash anyone could compute from the ids.
  EXPECT_NE(key, UnkeyedKey("k1", kCase));

  // The secret: 32 bytes in the data directory, readable by the owner only;
  // the key is the HMAC of the ids under it.
  const std::string secret = ReadKeyFile();
  ASSERT_EQ(secret.size(), domain::kPseudonymKeyBytes);
  struct stat st;
  ASSERT_EQ(::stat(KeyFile().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(key, domain::PseudonymousCaseKey(secret, "k1", kCase));

  // Stable across a restart.
  Restart();
  EXPECT_EQ(ViewOk("cw", "k1").cases(0).case_key(), key);
  EXPECT_EQ(ReadKeyFile(), secret);

  // A server with another secret (a new data directory's, here the same log
  // without the key file) gives other keys for the same ids.
  Stop();
  ASSERT_TRUE(std::filesystem::remove(KeyFile()));
  StartAgain();
  const std::string other = ViewOk("cw", "k1").cases(0).case_key();
  EXPECT_NE(other, key);
  EXPECT_NE(ReadKeyFile(), secret);
  EXPECT_EQ(other, domain::PseudonymousCaseKey(ReadKeyFile(), "k1", kCase));
}

TEST_F(AnonymisedConferenceTest, AShortOrUnreadableKeyFileRefusesToStart) {
  Stop();
  const std::string secret = ReadKeyFile();
  ASSERT_EQ(secret.size(), domain::kPseudonymKeyBytes);
  server::ServerOptions options;
  options.key_encryption_key = TestKeyEncryptionKey();
  options.listen = "127.0.0.1:0";
  options.data_dir = dir_.Sub("data");
  options.dev_header_identity = true;
  {
    std::ofstream out(KeyFile(), std::ios::binary | std::ios::trunc);
    out << secret.substr(0, 7);
  }
  auto short_key = server::RenkeiServer::Start(options);
  ASSERT_FALSE(short_key.ok());
  EXPECT_EQ(short_key.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(short_key.status().message().find("pseudonym key"),
            std::string::npos)
      << short_key.status();
  EXPECT_NE(short_key.status().message().find("holds 7 bytes"),
            std::string::npos)
      << short_key.status();
  // Not silently replaced.
  EXPECT_EQ(ReadKeyFile(), secret.substr(0, 7));

  // A key path that cannot be read as a file.
  ASSERT_TRUE(std::filesystem::remove(KeyFile()));
  ASSERT_TRUE(std::filesystem::create_directory(KeyFile()));
  auto unreadable = server::RenkeiServer::Start(options);
  ASSERT_FALSE(unreadable.ok());
  EXPECT_EQ(unreadable.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(unreadable.status().message().find("cannot be read"),
            std::string::npos)
      << unreadable.status();

  // With the secret back, the server starts again.
  ASSERT_TRUE(std::filesystem::remove(KeyFile()));
  {
    std::ofstream out(KeyFile(), std::ios::binary);
    out << secret;
  }
  StartAgain();
  v1::GetHeadResponse head;
  Ok(Call(audit_.get(), &v1::AuditService::Stub::GetHead, "auditor",
          v1::GetHeadRequest(), &head));
}

TEST_F(AnonymisedConferenceTest, EachViewIsRecordedAsAReadOfEveryCase) {
  OpenCase();
  ConferenceHeldOnTheCase("k1");
  const size_t before = RecordedReads().size();
  ViewOk("counsellor", "k1");
  ViewOk("auditor", "k1");
  const std::vector<v1::CaseContentRead> reads = RecordedReads();
  ASSERT_EQ(reads.size(), before + 2);
  const v1::CaseContentRead& participant = reads[before];
  EXPECT_EQ(participant.case_id(), kCase);
  EXPECT_EQ(participant.query(), "GetAnonymisedConference");
  EXPECT_EQ(participant.staff_id(), "counsellor");
  EXPECT_EQ(participant.agency_id(), "city-mh");
  EXPECT_EQ(participant.basis(), "conference participant 'city-mh'");
  EXPECT_EQ(participant.ref_id(), "k1");
  const v1::CaseContentRead& audit = reads[before + 1];
  EXPECT_EQ(audit.query(), "GetAnonymisedConference");
  EXPECT_EQ(audit.staff_id(), "auditor");
  EXPECT_EQ(audit.basis(), "auditor agency 'audit'");
  EXPECT_EQ(audit.ref_id(), "k1");
  // The read models project the reads (and whatever else is on access
  // streams) without stopping.
  WaitForReadModels();
}

}  // namespace
}  // namespace renkei::testing
