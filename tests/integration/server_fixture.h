// Test fixture: a real RenkeiServer on 127.0.0.1:0 with a temporary data
// directory, stubs for every service, a small directory of agencies and
// staff, and helpers to build commands from text-format protos.
#pragma once

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "renkei/v1/audit_service.grpc.pb.h"
#include "renkei/v1/case_service.grpc.pb.h"
#include "renkei/v1/conference_service.grpc.pb.h"
#include "renkei/v1/consent_service.grpc.pb.h"
#include "renkei/v1/directory_service.grpc.pb.h"
#include "renkei/v1/referral_service.grpc.pb.h"
#include "renkei/v1/session_service.grpc.pb.h"
#include "services/server/bootstrap.h"
#include "services/server/renkei_server.h"
#include "storage/test_util.h"

namespace renkei::testing {

// Parses text format; fails the test when it does not parse.
template <typename Message>
Message Text(const std::string& text) {
  Message m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m)) << text;
  return m;
}

// A fresh idempotency key, unique in the test process.
// The key-encryption key test servers run with (32 bytes).
inline std::string TestKeyEncryptionKey() { return std::string(32, 'K'); }

inline std::string FreshKey() {
  static std::atomic<int> counter{0};
  return absl::StrCat("k", counter++);
}

// A command request: options with a fresh idempotency key, the case id (when
// the request has one) and the command parsed from `command_text`.
template <typename Request>
Request Cmd(const std::string& case_id, const std::string& command_text,
            const std::string& key = "") {
  Request r;
  r.mutable_options()->set_idempotency_key(key.empty() ? FreshKey() : key);
  if constexpr (requires { r.set_case_id(""); }) r.set_case_id(case_id);
  *r.mutable_command() =
      Text<std::decay_t<decltype(r.command())>>(command_text);
  return r;
}

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    StartServer();
    RegisterDirectory();
  }

  void StartServer(bool rebuild_read_models = false) {
    server::ServerOptions options;
    options.key_encryption_key = TestKeyEncryptionKey();
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.Sub("data");
    // The first administrator, as `renkei-server init-admin` creates it:
    // "admin" of city-pa (once; later starts find it).
    server::BootstrapRequest bootstrap;
    bootstrap.data_dir = options.data_dir;
    bootstrap.agency.set_agency_id("city-pa");
    bootstrap.agency.set_name("city-pa");
    bootstrap.agency.set_kind(v1::AGENCY_KIND_MUNICIPAL_DIVISION);
    bootstrap.agency.set_scope(v1::AGENCY_SCOPE_INTERNAL);
    bootstrap.agency.set_formality(v1::AGENCY_FORMALITY_FORMAL);
    bootstrap.admin.set_staff_id("admin");
    bootstrap.admin.set_display_name("admin");
    bootstrap.admin.set_profession(v1::PROFESSION_OTHER);
    bootstrap.admin.set_agency_id("city-pa");
    bootstrap.clock = [this] { return clock_.Now(); };
    bootstrap.password = Password("admin");
    bootstrap.cost = identity::HashCost::Minimum();
    auto bootstrapped = server::BootstrapAdministrator(bootstrap);
    ASSERT_TRUE(bootstrapped.ok()) << bootstrapped.status();
    options.max_page_size = 200;
    options.rebuild_read_models = rebuild_read_models;
    options.shutdown_grace_seconds = 1;
    options.dev_header_identity = dev_header_identity_;
    options.metrics_listen = metrics_listen_;
    options.web_listen = web_listen_;
    options.password_hash = "minimum";
    options.clock = [this] { return clock_.Now(); };
    auto server = server::RenkeiServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    directory_ = v1::DirectoryService::NewStub(channel_);
    cases_ = v1::CaseService::NewStub(channel_);
    consent_ = v1::ConsentService::NewStub(channel_);
    referrals_ = v1::ReferralService::NewStub(channel_);
    audit_ = v1::AuditService::NewStub(channel_);
    sessions_ = v1::SessionService::NewStub(channel_);
  }

  // Each staff member's password in these tests.
  static std::string Password(const std::string& staff) {
    return absl::StrCat("password of ", staff);
  }

  // A session token for `staff`: the administrator signs in with the
  // password init-admin set; anyone else gets a password from the
  // administrator first. Cached (sessions outlive a restart).
  std::string Token(const std::string& staff) {
    if (auto it = tokens_.find(staff); it != tokens_.end()) return it->second;
    if (staff != "admin") {
      v1::SetStaffPasswordRequest set;
      set.set_staff_id(staff);
      set.set_password(Password(staff));
      v1::SetStaffPasswordResponse set_resp;
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", absl::StrCat("Bearer ", Token("admin")));
      grpc::Status s = directory_->SetStaffPassword(&ctx, set, &set_resp);
      EXPECT_TRUE(s.ok()) << staff << ": " << s.error_message();
    }
    v1::SignInRequest in;
    in.set_staff_id(staff);
    in.set_password(Password(staff));
    v1::SignInResponse resp;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->SignIn(&ctx, in, &resp);
    EXPECT_TRUE(s.ok()) << staff << ": " << s.error_message();
    if (!s.ok()) return "";
    tokens_[staff] = resp.token();
    return resp.token();
  }

  void RestartServer(bool rebuild_read_models = false) {
    server_->Shutdown();
    server_.reset();
    StartServer(rebuild_read_models);
  }

  // Events in the log other than recorded reads ("access-<case>" streams):
  // what commands wrote.
  uint64_t CommandEvents() {
    uint64_t n = 0;
    EXPECT_TRUE(server_->log()
                    .Replay(1,
                            [&n](const v1::EventEnvelope& e) {
                              n += e.stream_id().rfind("access-", 0) != 0;
                              return true;
                            })
                    .ok());
    return n;
  }

  // Blocks until the read models include every event in the log (a read
  // records an event after answering, so the projector may still be on it).
  void WaitForReadModels() {
    ASSERT_TRUE(
        server_->projector().WaitFor(server_->log().Head(), absl::Seconds(10)))
        << "read models did not catch up with the log: "
        << server_->projector().status();
  }

  // A client context acting as `staff` (no header when empty). "admin" is
  // the directory's first administrator (of city-pa).
  std::unique_ptr<grpc::ClientContext> As(const std::string& staff) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!staff.empty() && dev_header_identity_) {
      ctx->AddMetadata("renkei-staff-id", staff);
    } else if (!staff.empty()) {
      ctx->AddMetadata("authorization", absl::StrCat("Bearer ", Token(staff)));
    }
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(30));
    return ctx;
  }

  // Calls a unary RPC as `staff`; returns the status, fills `resp`.
  template <typename Stub, typename Req, typename Resp>
  grpc::Status Call(Stub* stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Req&, Resp*),
                    const std::string& staff, const Req& req, Resp* resp) {
    auto ctx = As(staff);
    return (stub->*method)(ctx.get(), req, resp);
  }

  // Case `case_id` opened by cw: a household (mother, daughter) under 要対協,
  // city-mh and the nursery on its team beside city-pa, then registered
  // 要支援 (later team changes are conference decisions).
  void OpenRegisteredHousehold(const std::string& case_id) {
    v1::CommandReply reply;
    auto ok = [](const grpc::Status& s) {
      ASSERT_TRUE(s.ok()) << s.error_message();
    };
    ok(Call(cases_.get(), &v1::CaseService::Stub::OpenCase, "cw",
            Cmd<v1::OpenCaseRequest>(case_id,
                                     R"pb(kind: CASE_KIND_HOUSEHOLD
                                          title: "household"
                                          intake {
                                            noticed_by_agency_id: "nursery"
                                            observation: "late"
                                          }
                                          frameworks: FRAMEWORK_YOTAIKYO
                                          registration: REGISTRATION_NONE)pb"),
            &reply));
    for (const char* subject :
         {R"pb(subject {
                 subject_id: "mother"
                 display_name: "mother"
                 relationship: RELATIONSHIP_HEAD_OF_HOUSEHOLD
               })pb",
          R"pb(subject {
                 subject_id: "daughter"
                 display_name: "daughter"
                 relationship: RELATIONSHIP_CHILD
                 guardian_subject_ids: "mother"
               })pb"}) {
      ok(Call(cases_.get(), &v1::CaseService::Stub::AddSubject, "cw",
              Cmd<v1::AddSubjectRequest>(case_id, subject), &reply));
    }
    for (const char* agency : {"city-mh", "nursery"}) {
      ok(Call(
          cases_.get(), &v1::CaseService::Stub::AddTeamAgency, "cw",
          Cmd<v1::AddTeamAgencyRequest>(
              case_id, absl::StrCat("agency_id: '", agency, "' reason: 'x'")),
          &reply));
    }
    ok(Call(cases_.get(), &v1::CaseService::Stub::ChangeCaseRegistration, "cw",
            Cmd<v1::ChangeCaseRegistrationRequest>(
                case_id, R"pb(registration: REGISTRATION_SUPPORT_NEEDED
                              reason: "受理会議")pb"),
            &reply));
  }

  // Adds `agency` to (or removes it from) the team of registered case
  // `case_id` as such a case allows: an individual 要対協 case conference
  // convened by cw (city-pa) and attended by cw and the counsellor (city-mh)
  // decides it. Every step happens at `at` (the server's time when unset).
  void ChangeTeamByConference(const std::string& case_id,
                              const std::string& agency, bool add = true,
                              std::optional<absl::Time> at = std::nullopt) {
    auto conferences = v1::ConferenceService::NewStub(channel_);
    using Conference = v1::ConferenceService::Stub;
    const std::string id =
        absl::StrCat("team-", case_id, "-", agency, add ? "-joins" : "-leaves");
    auto dated = [&](auto request) {
      if (at.has_value()) {
        *request.mutable_options()->mutable_occurred_at() =
            google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
                absl::ToUnixNanos(*at));
      }
      return request;
    };
    v1::CommandReply reply;
    auto schedule = dated(Cmd<v1::ScheduleConferenceRequest>(
        "", absl::StrCat("type: CONFERENCE_TYPE_INDIVIDUAL_CASE basis: "
                         "CONFERENCE_BASIS_YOTAIKYO title: 'team' "
                         "coordinating_agency_id: 'city-pa' scheduled_for { "
                         "seconds: 1700000000 } invitees { agency_id: "
                         "'city-mh' } agenda_case_ids: '",
                         case_id, "'")));
    schedule.set_conference_id(id);
    auto s = Call(conferences.get(), &Conference::ScheduleConference, "cw",
                  schedule, &reply);
    ASSERT_TRUE(s.ok()) << s.error_message();
    auto hold = dated(Cmd<v1::HoldConferenceRequest>(
        "", R"pb(attendance {
                   staff_id: "cw"
                   agency_id: "city-pa"
                   acknowledged_confidentiality: true
                 }
                 attendance {
                   staff_id: "counsellor"
                   agency_id: "city-mh"
                   acknowledged_confidentiality: true
                 })pb"));
    hold.set_conference_id(id);
    s = Call(conferences.get(), &Conference::HoldConference, "cw", hold,
             &reply);
    ASSERT_TRUE(s.ok()) << s.error_message();
    auto decide = dated(Cmd<v1::RecordConferenceDecisionRequest>(
        "", absl::StrCat("decision { decision_id: 'd-team' kind: "
                         "DECISION_KIND_TEAM_CHANGE case_id: '",
                         case_id, "' team_agency_id: '", agency,
                         "' text: 'team change' }")));
    decide.set_conference_id(id);
    s = Call(conferences.get(), &Conference::RecordConferenceDecision, "cw",
             decide, &reply);
    ASSERT_TRUE(s.ok()) << s.error_message();
    const std::string change = absl::StrCat(
        "agency_id: '", agency,
        "' reason: 'decided at the conference' decision { conference_id: '", id,
        "' decision_id: 'd-team' }");
    if (add) {
      s = Call(cases_.get(), &v1::CaseService::Stub::AddTeamAgency, "cw",
               dated(Cmd<v1::AddTeamAgencyRequest>(case_id, change)), &reply);
    } else {
      s = Call(cases_.get(), &v1::CaseService::Stub::RemoveTeamAgency, "cw",
               dated(Cmd<v1::RemoveTeamAgencyRequest>(case_id, change)),
               &reply);
    }
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // A directory command dated 30 days ago, so the staff are active for any
  // back-dated case command of a test.
  template <typename Request>
  Request Setup(const std::string& text) {
    Request r = Cmd<Request>("", text);
    *r.mutable_options()->mutable_occurred_at() =
        google::protobuf::util::TimeUtil::SecondsToTimestamp(
            absl::ToUnixSeconds(clock_.Now() - absl::Hours(24 * 30)));
    return r;
  }

  // Agencies: city-pa, city-mh, nursery, clinic, audit (an auditor agency).
  // Staff: cw@city-pa, supervisor@city-pa (査察指導員), counsellor@city-mh,
  // teacher@nursery, doctor@clinic, auditor@audit.
  void RegisterDirectory() {
    // city-pa exists: the administrator's agency.
    const std::pair<const char*, const char*> agencies[] = {
        {"city-mh", "AGENCY_KIND_MUNICIPAL_DIVISION"},
        {"nursery", "AGENCY_KIND_NURSERY"},
        {"clinic", "AGENCY_KIND_MEDICAL"},
        {"audit", "AGENCY_KIND_OTHER"}};
    for (const auto& [id, kind] : agencies) {
      v1::CommandReply reply;
      auto status =
          Call(directory_.get(), &v1::DirectoryService::Stub::RegisterAgency,
               "admin",
               Cmd<v1::RegisterAgencyRequest>(
                   "", absl::StrCat("agency { agency_id: '", id, "' name: '",
                                    id, "' kind: ", kind,
                                    " scope: AGENCY_SCOPE_INTERNAL "
                                    "formality: AGENCY_FORMALITY_FORMAL }")),
               &reply);
      ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
    }
    const std::tuple<const char*, const char*, const char*> staff[] = {
        {"cw", "city-pa", "PROFESSION_PUBLIC_ASSISTANCE_CASEWORKER"},
        {"supervisor", "city-pa", "PROFESSION_CASEWORKER_SUPERVISOR"},
        {"counsellor", "city-mh",
         "PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR"},
        {"teacher", "nursery", "PROFESSION_NURSERY_TEACHER"},
        {"doctor", "clinic", "PROFESSION_PHYSICIAN"},
        {"auditor", "audit", "PROFESSION_AUDITOR"}};
    for (const auto& [id, agency, profession] : staff) {
      v1::CommandReply reply;
      auto status = Call(
          directory_.get(), &v1::DirectoryService::Stub::RegisterStaffMember,
          "admin",
          Setup<v1::RegisterStaffMemberRequest>(absl::StrCat(
              "staff { staff_id: '", id, "' display_name: '", id,
              "' profession: ", profession, " agency_id: '", agency, "' }")),
          &reply);
      ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
    }
    // Roles are directory facts: the auditor audits, the supervisor
    // confirms.
    const std::pair<const char*, const char*> roles[] = {
        {"auditor", "STAFF_ROLE_AUDITOR"},
        {"supervisor", "STAFF_ROLE_SUPERVISOR"}};
    for (const auto& [id, role] : roles) {
      v1::CommandReply reply;
      auto status =
          Call(directory_.get(), &v1::DirectoryService::Stub::GrantStaffRole,
               "admin",
               Setup<v1::GrantStaffRoleRequest>(absl::StrCat(
                   "staff_id: '", id, "' role: ", role, " reason: 'set-up'")),
               &reply);
      ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
    }
  }

  // The server's clock: the system clock until a test moves it
  // (AdvanceServerTime); it never goes back.
  class ServerClock {
   public:
    absl::Time Now() const {
      const int64_t pinned = pinned_.load();
      return pinned == kUnset ? absl::Now() : absl::FromUnixNanos(pinned);
    }
    void AdvanceTo(absl::Time t) {
      const int64_t nanos = absl::ToUnixNanos(t);
      int64_t seen = pinned_.load();
      while ((seen == kUnset || seen < nanos) &&
             !pinned_.compare_exchange_weak(seen, nanos)) {
      }
    }

   private:
    static constexpr int64_t kUnset = INT64_MIN;
    std::atomic<int64_t> pinned_{kUnset};
  };
  // Runs the server's clock at `t` from now on (never backwards): a test
  // playing a story over days records each step at its day, so "as known
  // on" answers follow the story.
  void AdvanceServerTime(absl::Time t) { clock_.AdvanceTo(t); }

  ServerClock clock_;
  storage::testing::TempDir dir_;
  std::unique_ptr<server::RenkeiServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::DirectoryService::Stub> directory_;
  std::unique_ptr<v1::CaseService::Stub> cases_;
  std::unique_ptr<v1::ConsentService::Stub> consent_;
  std::unique_ptr<v1::ReferralService::Stub> referrals_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  // Whether callers name themselves in the renkei-staff-id header (the
  // development mode); off, As() signs each staff member in. Set before
  // SetUp.
  bool dev_header_identity_ = true;
  std::string metrics_listen_;  // set before SetUp to serve metrics
  std::string web_listen_;      // set before SetUp to serve the console
  std::map<std::string, std::string> tokens_;
};

}  // namespace renkei::testing
