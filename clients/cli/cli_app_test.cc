// The renkei command line against a fake transport: flags and JSON to
// requests, identity metadata, output, exit codes, the audit shortcuts and
// the demo's sequence of calls.
#include "clients/cli/cli_app.h"

#include <google/protobuf/util/json_util.h>
#include <sys/stat.h>

#include <map>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/demo.h"
#include "clients/cli/demo_story.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "renkei/v1/audit_service.pb.h"
#include "renkei/v1/case_service.pb.h"
#include "renkei/v1/command.pb.h"
#include "renkei/v1/directory_service.pb.h"
#include "renkei/v1/referral_service.pb.h"
#include "renkei/v1/session_service.pb.h"
#include "storage/test_util.h"

namespace renkei::cli {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using ::testing::HasSubstr;

// What the fake server saw and what it answers.
struct FakeServer {
  struct Call {
    std::string method;  // "/renkei.v1.CaseService/OpenCase"
    CallOptions options;
    std::unique_ptr<Message> request;
  };
  std::vector<Call> calls;
  std::map<std::string, std::string> replies;  // method -> reply JSON
  std::map<std::string, absl::Status> errors;  // method -> failure
  std::vector<std::string> stream;             // streamed replies, JSON
  // Optional: decides each call's status (after `errors`).
  std::function<absl::Status(const Call&)> decide;

  template <typename T>
  const T& Request(size_t i) const {
    return dynamic_cast<const T&>(*calls.at(i).request);
  }
};

class FakeTransport final : public Transport {
 public:
  explicit FakeTransport(std::shared_ptr<FakeServer> server)
      : server_(std::move(server)) {}

  absl::Status Unary(const MethodDescriptor& method, const CallOptions& options,
                     const Message& request, Message* response) override {
    const FakeServer::Call& call = Record(method, options, request);
    if (auto it = server_->errors.find(call.method);
        it != server_->errors.end()) {
      return it->second;
    }
    if (server_->decide) {
      if (absl::Status s = server_->decide(call); !s.ok()) return s;
    }
    if (auto it = server_->replies.find(call.method);
        it != server_->replies.end()) {
      EXPECT_TRUE(
          google::protobuf::util::JsonStringToMessage(it->second, response)
              .ok());
    }
    return absl::OkStatus();
  }

  absl::Status ServerStream(
      const MethodDescriptor& method, const CallOptions& options,
      const Message& request, Message* scratch,
      const std::function<bool(const Message&)>& on_message) override {
    Record(method, options, request);
    for (const std::string& json : server_->stream) {
      scratch->Clear();
      EXPECT_TRUE(
          google::protobuf::util::JsonStringToMessage(json, scratch).ok());
      if (!on_message(*scratch)) break;
    }
    return absl::OkStatus();
  }

 private:
  const FakeServer::Call& Record(const MethodDescriptor& method,
                                 const CallOptions& options,
                                 const Message& request) {
    FakeServer::Call call;
    call.method = MethodPath(method);
    call.options = options;
    call.request.reset(request.New());
    call.request->CopyFrom(request);
    server_->calls.push_back(std::move(call));
    return server_->calls.back();
  }

  std::shared_ptr<FakeServer> server_;
};

class CliTest : public ::testing::Test {
 protected:
  int Run(std::vector<std::string> args) {
    args.insert(args.begin(), "renkei");
    out_.str("");
    err_.str("");
    CliEnvironment env;
    env.connect = [this](const std::string& target) {
      target_ = target;
      return std::make_unique<FakeTransport>(server_);
    };
    env.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_vars_.find(name);
      if (it == env_vars_.end()) return std::nullopt;
      return it->second;
    };
    env.new_id = [this] { return "id-" + std::to_string(++ids_); };
    env.now = [] { return absl::FromUnixSeconds(1763733600); };
    env.out = &out_;
    env.err = &err_;
    return RunCli(args, env);
  }

  std::shared_ptr<FakeServer> server_ = std::make_shared<FakeServer>();
  std::map<std::string, std::string> env_vars_;
  std::ostringstream out_;
  std::ostringstream err_;
  std::string target_;
  int ids_ = 0;
};

TEST_F(CliTest, CommandFromFlags) {
  server_->replies["/renkei.v1.CaseService/OpenCase"] =
      R"({"streamId": "case-c1", "streamVersion": "2", "firstPosition": "5",
          "lastPosition": "6"})";
  const int code = Run({"--as",
                        "cw",
                        "--server",
                        "127.0.0.1:6000",
                        "case",
                        "open-case",
                        "--case-id",
                        "c1",
                        "--kind",
                        "household",
                        "--title",
                        "母子世帯",
                        "--frameworks",
                        "shien-kaigi,mental-health",
                        "--observation",
                        "alcohol on the breath",
                        "--occurred-at",
                        "2024-04-01T18:00:00+09:00",
                        "--expected-version",
                        "0"});
  ASSERT_EQ(code, kExitOk) << err_.str();
  EXPECT_EQ(target_, "127.0.0.1:6000");
  ASSERT_EQ(server_->calls.size(), 1u);
  const auto& call = server_->calls[0];
  EXPECT_EQ(call.method, "/renkei.v1.CaseService/OpenCase");
  EXPECT_EQ(call.options.staff_id, "cw");
  EXPECT_EQ(call.options.agency_id, "");
  EXPECT_EQ(call.options.timeout, absl::Seconds(30));
  const auto& request = server_->Request<v1::OpenCaseRequest>(0);
  EXPECT_EQ(request.case_id(), "c1");
  EXPECT_EQ(request.command().kind(), v1::CASE_KIND_HOUSEHOLD);
  EXPECT_EQ(request.command().title(), "母子世帯");
  EXPECT_EQ(request.command().frameworks_size(), 2);
  EXPECT_EQ(request.command().intake().observation(), "alcohol on the breath");
  EXPECT_EQ(request.options().occurred_at().seconds(), 1711962000);
  EXPECT_TRUE(request.options().has_expected_version());
  // A fresh idempotency key (the request id was drawn first).
  EXPECT_EQ(request.options().idempotency_key(), "id-1");
  EXPECT_EQ(call.options.request_id, "id-2");
  EXPECT_THAT(out_.str(), HasSubstr("stream_id:      case-c1\n"));
  EXPECT_THAT(out_.str(), HasSubstr("last_position:  6\n"));
}

TEST_F(CliTest, GlobalFlagsAfterTheSubcommandAndFromTheEnvironment) {
  env_vars_["RENKEI_STAFF"] = "counsellor";
  env_vars_["RENKEI_SERVER"] = "127.0.0.1:7000";
  env_vars_["RENKEI_AGENCY"] = "city-mh";
  ASSERT_EQ(Run({"referral", "list-referrals", "--direction", "incoming",
                 "--include-closed", "--timeout", "5"}),
            kExitOk)
      << err_.str();
  EXPECT_EQ(target_, "127.0.0.1:7000");
  const auto& call = server_->calls.at(0);
  EXPECT_EQ(call.options.staff_id, "counsellor");
  EXPECT_EQ(call.options.agency_id, "city-mh");
  EXPECT_EQ(call.options.timeout, absl::Seconds(5));
  const auto& request = server_->Request<v1::ListReferralsRequest>(0);
  EXPECT_EQ(request.direction(), v1::REFERRAL_DIRECTION_INCOMING);
  EXPECT_TRUE(request.include_closed());
  EXPECT_EQ(out_.str(), "referrals: (none)\n");

  ASSERT_EQ(Run({"case", "get-case-summary", "--case-id", "c1", "--as", "cw",
                 "--agency", "city-pa"}),
            kExitOk);
  EXPECT_EQ(server_->calls.at(1).options.staff_id, "cw");
  EXPECT_EQ(server_->calls.at(1).options.agency_id, "city-pa");
}

TEST_F(CliTest, DataJsonWithFlagsOnTop) {
  ASSERT_EQ(Run({"--as", "counsellor", "case", "record-entry", "--data",
                 R"({"caseId": "c1", "command": {"entry": {"entryId": "e6",
                     "subjectIds": ["daughter"], "interview": {
                     "interviewers": [{"staffId": "counsellor"}],
                     "summary": "s"}}}})",
                 "--idempotency-key", "k-1", "--withheld-from-subject-ids",
                 "mother"}),
            kExitOk)
      << err_.str();
  const auto& request = server_->Request<v1::RecordEntryRequest>(0);
  EXPECT_EQ(request.options().idempotency_key(), "k-1");
  EXPECT_EQ(request.command().entry().interview().interviewers(0).staff_id(),
            "counsellor");
  EXPECT_EQ(
      request.command().entry().confidentiality().withheld_from_subject_ids(0),
      "mother");
}

TEST_F(CliTest, JsonOutput) {
  server_->replies["/renkei.v1.CaseService/GetCaseSummary"] =
      R"({"caseId": "c1", "kind": "CASE_KIND_HOUSEHOLD", "entries": 3})";
  ASSERT_EQ(Run({"--as", "cw", "--json", "case", "get-case-summary",
                 "--case-id", "c1"}),
            kExitOk);
  EXPECT_EQ(out_.str(),
            "{\n \"caseId\": \"c1\",\n \"kind\": \"CASE_KIND_HOUSEHOLD\",\n "
            "\"entries\": 3\n}\n");
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run({"case", "get-case-summary", "--case-id", "c1"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--as STAFF_ID"));
  EXPECT_EQ(Run({"--as", "cw", "case", "open-case", "--kind", "family"}),
            kExitUsage);
  EXPECT_THAT(err_.str(),
              HasSubstr("error: --kind: 'family' is not a CaseKind; choose one "
                        "of: household, person"));
  EXPECT_EQ(Run({"--as", "cw", "case", "open-case", "--data", "{nope"}),
            kExitUsage);
  EXPECT_EQ(Run({"--as", "cw", "case", "no-such-thing"}), kExitUsage);
  EXPECT_EQ(Run({"--as", "cw", "case", "open-case", "--bogus", "1"}),
            kExitUsage);
  EXPECT_EQ(Run({}), kExitUsage);
  EXPECT_THAT(out_.str(), HasSubstr("Subcommands:"));
  EXPECT_TRUE(server_->calls.empty());
  EXPECT_EQ(Run({"--help"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("--server"));
}

TEST_F(CliTest, ServerErrorsExitOneWithTheCodeName) {
  server_->errors["/renkei.v1.CaseService/GetCaseSummary"] =
      absl::NotFoundError("case 'c9' does not exist");
  EXPECT_EQ(Run({"--as", "cw", "case", "get-case-summary", "--case-id", "c9"}),
            kExitServerError);
  EXPECT_EQ(err_.str(), "error: NOT_FOUND: case 'c9' does not exist\n");
  server_->errors["/renkei.v1.CaseService/ListCaseload"] =
      absl::UnavailableError("failed to connect");
  EXPECT_EQ(Run({"--as", "cw", "case", "list-caseload"}), kExitServerError);
  EXPECT_THAT(err_.str(), HasSubstr("error: UNAVAILABLE: failed to connect\n"
                                    "hint: is renkei-server running"));
}

TEST_F(CliTest, AuditReplay) {
  server_->replies["/renkei.v1.AuditService/ReplayCase"] =
      R"({"summary": {"caseId": "c1", "consentsInForce": 1},
          "eventsApplied": "17", "lastPosition": "40"})";
  ASSERT_EQ(Run({"--as", "auditor", "audit", "replay", "c1", "--as-of",
                 "2024-04-13", "--axis", "occurred"}),
            kExitOk)
      << err_.str();
  const auto& request = server_->Request<v1::ReplayCaseRequest>(0);
  EXPECT_EQ(request.case_id(), "c1");
  EXPECT_EQ(request.as_of().seconds(), 1712966400);
  EXPECT_EQ(request.axis(), v1::TIME_AXIS_OCCURRED);
  EXPECT_THAT(out_.str(),
              HasSubstr("case c1 as of 2024-04-13T00:00:00Z (occurred time): "
                        "17 events applied, last position 40\n"));
  EXPECT_THAT(out_.str(), HasSubstr("  consents_in_force: 1\n"));
  EXPECT_EQ(Run({"--as", "auditor", "audit", "replay", "c1", "--as-of", "x"}),
            kExitUsage);
  EXPECT_EQ(Run({"--as", "auditor", "audit", "replay", "c1"}), kExitUsage);
}

TEST_F(CliTest, AuditVerify) {
  server_->replies["/renkei.v1.AuditService/VerifyChain"] =
      R"({"ok": true, "checkedFrom": "1", "checkedTo": "42"})";
  ASSERT_EQ(Run({"--as", "auditor", "audit", "verify", "--to", "42"}), kExitOk);
  EXPECT_EQ(server_->Request<v1::VerifyChainRequest>(0).to_position(), 42u);
  EXPECT_EQ(out_.str(), "chain ok: positions 1..42 verified\n");
  server_->replies["/renkei.v1.AuditService/VerifyChain"] =
      R"({"ok": false, "checkedFrom": "1", "checkedTo": "42",
          "firstBadPosition": "7", "reason": "hash mismatch"})";
  EXPECT_EQ(Run({"--as", "auditor", "audit", "verify"}), kExitChainBroken);
  EXPECT_EQ(out_.str(),
            "chain BROKEN at position 7: hash mismatch (checked 1..42)\n");
}

TEST_F(CliTest, AuditTailFromTheHeadUntilCount) {
  server_->replies["/renkei.v1.AuditService/GetHead"] = R"({"position": "41"})";
  server_->stream = {
      R"({"position": "42", "streamId": "case-c1", "streamVersion": "5",
          "eventType": "renkei.v1.CaseClosed",
          "occurredAt": "2024-05-01T00:00:00Z",
          "recordedAt": "2024-05-02T00:00:00Z",
          "actor": {"staffId": "cw", "agencyId": "city-pa"},
          "payload": {"@type": "type.googleapis.com/renkei.v1.CaseClosed",
                      "reason": "moved away"}})",
      R"({"position": "43", "streamId": "directory", "streamVersion": "9",
          "eventType": "renkei.v1.StaffMemberLeft"})",
      R"({"position": "44"})"};
  ASSERT_EQ(Run({"--as", "auditor", "audit", "tail", "--count", "2"}), kExitOk)
      << err_.str();
  ASSERT_EQ(server_->calls.size(), 2u);
  EXPECT_EQ(server_->calls[1].method, "/renkei.v1.AuditService/Subscribe");
  EXPECT_EQ(server_->Request<v1::SubscribeRequest>(1).from_position(), 42u);
  EXPECT_EQ(server_->calls[1].options.timeout, absl::InfiniteDuration());
  EXPECT_EQ(out_.str(),
            "    42  case-c1@5  CaseClosed  occurred 2024-05-01T00:00:00Z  "
            "recorded 2024-05-02T00:00:00Z  by cw@city-pa  reason=moved away\n"
            "    43  directory@9  StaffMemberLeft\n");

  ASSERT_EQ(Run({"--as", "auditor", "--json", "audit", "tail", "--from", "1",
                 "--count", "1"}),
            kExitOk);
  EXPECT_EQ(server_->Request<v1::SubscribeRequest>(2).from_position(), 1u);
  const std::string json = out_.str();
  EXPECT_THAT(json, HasSubstr(R"("position":"42")"));
  EXPECT_EQ(std::count(json.begin(), json.end(), '\n'), 1);
}

TEST_F(CliTest, DemoPlaysTheStoryAndResumes) {
  // The directory exists already on the second run.
  ASSERT_EQ(Run({"demo", "--run-id", "t1"}), kExitOk) << err_.str();
  std::vector<std::string> methods;
  for (const auto& call : server_->calls) methods.push_back(call.method);
  // Agencies, staff, then the supervisor's and the auditor's roles.
  const size_t directory =
      DemoAgencies().size() + DemoStaffMembers().size() + 2;
  ASSERT_GT(methods.size(), directory + DemoCaseSteps().size());
  EXPECT_EQ(methods[0], "/renkei.v1.DirectoryService/RegisterAgency");
  EXPECT_EQ(methods[directory - 1],
            "/renkei.v1.DirectoryService/GrantStaffRole");
  EXPECT_EQ(methods[directory], "/renkei.v1.CaseService/OpenCase");
  const auto& open = server_->Request<v1::OpenCaseRequest>(directory);
  EXPECT_EQ(open.case_id(), "demo-t1");
  EXPECT_EQ(open.options().idempotency_key(), "demo-t1-step-1");
  EXPECT_EQ(open.options().occurred_at().seconds(), 1711962000);
  EXPECT_EQ(open.command().intake().relays(2).staff_id(), "counsellor-t1");
  EXPECT_EQ(server_->calls[directory].options.staff_id, "cw");
  EXPECT_EQ(server_->calls[directory].options.agency_id, "city-pa");
  // The daughter's statement is withheld from her mother.
  bool statement = false;
  for (size_t i = directory; i < directory + DemoCaseSteps().size(); ++i) {
    if (server_->calls[i].method != "/renkei.v1.CaseService/RecordEntry") {
      continue;
    }
    const auto& entry = server_->Request<v1::RecordEntryRequest>(i);
    if (entry.command().entry().entry_id() == "e6-statement") {
      statement = true;
      EXPECT_EQ(
          entry.command().entry().confidentiality().withheld_from_subject_ids(
              0),
          "mother");
    }
  }
  EXPECT_TRUE(statement);
  EXPECT_THAT(out_.str(), HasSubstr("Step 5. "));
  EXPECT_THAT(out_.str(), HasSubstr("== Timeline"));

  server_->calls.clear();
  server_->decide = [](const FakeServer::Call& call) {
    // The shared directory; not the successor the rotation registers.
    const auto* staff =
        dynamic_cast<const v1::RegisterStaffMemberRequest*>(call.request.get());
    const auto* agency =
        dynamic_cast<const v1::RegisterAgencyRequest*>(call.request.get());
    if ((staff != nullptr &&
         absl::StartsWith(staff->options().idempotency_key(), "demo-staff-")) ||
        agency != nullptr) {
      return absl::AlreadyExistsError("already registered");
    }
    return absl::OkStatus();
  };
  ASSERT_EQ(Run({"demo", "--run-id", "t2"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(),
              HasSubstr(absl::StrCat("0 registered now, ", directory - 2,
                                     " already there")));
}

TEST_F(CliTest, DemoStopsAtTheFirstFailedStep) {
  server_->errors["/renkei.v1.ConsentService/RefuseConsent"] =
      absl::FailedPreconditionError("no");
  EXPECT_EQ(Run({"demo", "--run-id", "t3"}), kExitServerError);
  EXPECT_THAT(err_.str(),
              HasSubstr("demo: the story failed: FAILED_PRECONDITION: "
                        "ConsentService.RefuseConsent by counsellor-t3: no"));
}

}  // namespace
}  // namespace renkei::cli

namespace renkei::cli {
namespace {

class CliSessionTest : public CliTest {
 protected:
  void SetUp() override {
    env_vars_["RENKEI_SESSION_FILE"] = dir_.Sub("renkei/session");
    server_->replies["/renkei.v1.SessionService/SignIn"] =
        R"({"token": "rks_abc", "staffId": "cw", "agencyId": "city-pa",
            "expiresAt": "2026-12-01T20:00:00Z"})";
  }
  storage::testing::TempDir dir_;
};

TEST_F(CliSessionTest, LoginKeepsTheSessionAndLaterCallsCarryIt) {
  env_vars_["RENKEI_PASSWORD"] = "a long password";
  ASSERT_EQ(Run({"--as", "cw", "login"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("signed in as cw of city-pa"));
  const auto& in = server_->Request<v1::SignInRequest>(0);
  EXPECT_EQ(in.staff_id(), "cw");
  EXPECT_EQ(in.password(), "a long password");
  EXPECT_TRUE(server_->calls[0].options.bearer_token.empty());
  // The session file is the user's alone.
  struct stat st {};
  ASSERT_EQ(::stat(env_vars_["RENKEI_SESSION_FILE"].c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // Without --as, the next call is the session's.
  ASSERT_EQ(Run({"directory", "list-agencies"}), kExitOk) << err_.str();
  EXPECT_EQ(server_->calls.back().options.bearer_token, "rks_abc");
  // With --as someone else it is not sent (a development server's header).
  ASSERT_EQ(Run({"--as", "counsellor", "directory", "list-agencies"}), kExitOk);
  EXPECT_TRUE(server_->calls.back().options.bearer_token.empty());
  EXPECT_EQ(server_->calls.back().options.staff_id, "counsellor");
  // Another server does not get this server's token.
  ASSERT_EQ(Run({"--server", "10.0.0.9:50051", "--as", "cw", "directory",
                 "list-agencies"}),
            kExitOk);
  EXPECT_TRUE(server_->calls.back().options.bearer_token.empty());

  ASSERT_EQ(Run({"logout"}), kExitOk) << err_.str();
  EXPECT_EQ(server_->calls.back().method, "/renkei.v1.SessionService/SignOut");
  EXPECT_EQ(server_->calls.back().options.bearer_token, "rks_abc");
  EXPECT_NE(::stat(env_vars_["RENKEI_SESSION_FILE"].c_str(), &st), 0);
  // Signed out and no --as: the CLI says how to sign in.
  EXPECT_EQ(Run({"directory", "list-agencies"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("renkei login"));
}

TEST_F(CliSessionTest, AFailedLoginSavesNothing) {
  env_vars_["RENKEI_PASSWORD"] = "wrong password";
  server_->errors["/renkei.v1.SessionService/SignIn"] =
      absl::UnauthenticatedError("the staff id or the password is wrong");
  EXPECT_EQ(Run({"--as", "cw", "login"}), kExitServerError);
  EXPECT_THAT(err_.str(), HasSubstr("password is wrong"));
  struct stat st {};
  EXPECT_NE(::stat(env_vars_["RENKEI_SESSION_FILE"].c_str(), &st), 0);
  EXPECT_EQ(Run({"login"}), kExitUsage);
}

}  // namespace
}  // namespace renkei::cli
