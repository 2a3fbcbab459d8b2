// Crash under load for the real server: renkei-server runs as a child
// process; concurrent clients send realistic commands, each with its own
// idempotency key, and log every acknowledged reply; the server is SIGKILLed
// at a random moment and restarted on the same data directory (every other
// round SIGKILLed once more while restarting). After each restart the test
// checks that
//   - every acknowledged command's events are in the log, at the positions,
//     stream and versions of its reply;
//   - retrying every acknowledged idempotency key returns the original reply
//     and writes nothing (the head does not move);
//   - positions 1..head are gapless and the hash chain verifies;
//   - the read models (caseloads, timelines, referral listings, upcoming
//     conferences, action items) equal those of a rebuild from the log
//     (a further restart with --rebuild-read-models).
// Commands in flight at the kill may or may not be in the log; retried after
// the restart, each is answered either as a retry of a committed command
// (checked like the acknowledged ones) or by writing it now.
//
// RENKEI_CRASH_SEED=<n> replays a run's kill delays; RENKEI_CRASH_ROUNDS=<n>
// changes the number of rounds (default 10).
#include <fcntl.h>
#include <google/protobuf/text_format.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "renkei/v1/audit_service.grpc.pb.h"
#include "renkei/v1/case_service.grpc.pb.h"
#include "renkei/v1/conference_service.grpc.pb.h"
#include "renkei/v1/consent_service.grpc.pb.h"
#include "renkei/v1/directory_service.grpc.pb.h"
#include "renkei/v1/referral_service.grpc.pb.h"

#ifndef RENKEI_SERVER_BINARY
#error "RENKEI_SERVER_BINARY must name the renkei-server binary"
#endif

namespace renkei::crash {
namespace {

using google::protobuf::Timestamp;
using Dir = v1::DirectoryService::Stub;
using Case = v1::CaseService::Stub;
using Consent = v1::ConsentService::Stub;
using Referrals = v1::ReferralService::Stub;
using Conference = v1::ConferenceService::Stub;
using Audit = v1::AuditService::Stub;

constexpr int kDrivers = 8;
constexpr int kDefaultRounds = 10;
constexpr int kMinKillMs = 100;
constexpr int kMaxKillMs = 800;
// A restarting server is killed 0..this many ms after it was started.
constexpr int kMaxRecoveryKillMs = 400;

unsigned long EnvNumber(const char* name, unsigned long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoul(v, nullptr, 10) : fallback;
}

Timestamp ToTimestamp(absl::Time t) {
  Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

std::string Seconds(absl::Time t) {
  return absl::StrCat(absl::ToUnixSeconds(t));
}

template <typename Message>
Message Text(const std::string& text) {
  Message m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m)) << text;
  return m;
}

// A command request with idempotency key `key`, the case or conference id
// (when the request has one) and the command parsed from `text`.
template <typename Request>
Request Cmd(const std::string& key, const std::string& id,
            const std::string& text) {
  Request r;
  r.mutable_options()->set_idempotency_key(key);
  if constexpr (requires { r.set_case_id(""); }) r.set_case_id(id);
  if constexpr (requires { r.set_conference_id(""); }) r.set_conference_id(id);
  *r.mutable_command() = Text<std::decay_t<decltype(r.command())>>(text);
  return r;
}

std::string ReadFileFrom(const std::string& path, size_t offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(static_cast<std::streamoff>(offset));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t FileSize(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<size_t>(n);
}

std::string Tail(const std::string& text, size_t n = 3000) {
  return text.size() <= n ? text : text.substr(text.size() - n);
}

// Where two multi-line texts first differ, with a few lines of each.
std::string FirstDifference(const std::string& a, const std::string& b) {
  size_t at = 0;
  while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
  const size_t line = a.rfind('\n', at == 0 ? 0 : at - 1);
  const size_t from = line == std::string::npos ? 0 : line + 1;
  const int line_number =
      static_cast<int>(std::count(a.begin(), a.begin() + from, '\n')) + 1;
  return absl::StrCat("  sizes ", a.size(), " and ", b.size(),
                      " bytes; from line ", line_number,
                      ":\n  first:  ", a.substr(from, 300),
                      "\n  second: ", b.substr(from, 300));
}

// The renkei-server child process: stdout and stderr go to a log file.
class ServerProcess {
 public:
  ServerProcess(std::string data_dir, std::string log_path)
      : data_dir_(std::move(data_dir)), log_path_(std::move(log_path)) {}
  ~ServerProcess() {
    if (pid_ > 0) Kill();
  }

  // Starts the server and waits until it logs the port it serves on (which
  // it does after the read models caught up, once the gRPC server runs) and
  // a channel connects. Returns an empty string or what went wrong.
  std::string Start(bool rebuild_read_models) {
    if (std::string error = Spawn(rebuild_read_models); !error.empty())
      return error;
    return AwaitServing();
  }

  // Starts the server process and returns at once.
  std::string Spawn(bool rebuild_read_models) {
    log_offset_ = FileSize(log_path_);
    std::vector<std::string> args = {RENKEI_SERVER_BINARY,
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--data-dir",
                                     data_dir_,
                                     "--dev-header-identity",
                                     "--shutdown-grace-seconds",
                                     "2",
                                     "--log-level",
                                     "info"};
    if (rebuild_read_models) args.push_back("--rebuild-read-models");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The first administrator (once; later starts find it), offline.
    const std::string init = absl::StrCat(
        "'", RENKEI_SERVER_BINARY, "' init-admin --data-dir '", data_dir_,
        "' --agency-id city-pa --agency-name city-pa >>'", log_path_, "' 2>&1");
    if (std::system(init.c_str()) != 0) {
      return absl::StrCat("renkei-server init-admin failed; see ", log_path_);
    }
    const int fd = ::open(log_path_.c_str(),
                          O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return absl::StrCat("cannot open ", log_path_);
    // The server seals personal fields; a key for this run unless one is set.
    ::setenv("RENKEI_KEY_ENCRYPTION_KEY", std::string(64, '7').c_str(), 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fd);
    if (pid < 0) return "fork failed";
    pid_ = pid;
    return "";
  }

  // Waits for the spawned server to serve.
  std::string AwaitServing() {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const std::string marker = "serving on port ";
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string out = ReadFileFrom(log_path_, log_offset_);
      if (auto at = out.find(marker); at != std::string::npos) {
        port_ = std::atoi(out.c_str() + at + marker.size());
        break;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return absl::StrCat("renkei-server exited during start (status ",
                            status, "); its output:\n", Tail(out));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (port_ <= 0) {
      return absl::StrCat("renkei-server did not report its port in 60 s:\n",
                          Tail(ReadFileFrom(log_path_, log_offset_)));
    }
    auto channel = Channel();
    if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                   std::chrono::seconds(30))) {
      return absl::StrCat("cannot connect to renkei-server on port ", port_);
    }
    return "";
  }

  // SIGKILL: no shutdown code runs.
  void Kill() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    port_ = 0;
  }

  // SIGTERM and a clean exit within 30 s; returns the exit status, or -1
  // when the server had to be killed.
  int Stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (::waitpid(pid_, &status, WNOHANG) != pid_) {
      if (std::chrono::steady_clock::now() > deadline) {
        Kill();
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    port_ = 0;
    return status;
  }

  std::shared_ptr<grpc::Channel> Channel() const {
    grpc::ChannelArguments args;
    // A channel of its own per caller: a fresh TCP connection each.
    args.SetInt("grpc.use_local_subchannel_pool", 1);
    return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port_),
                                     grpc::InsecureChannelCredentials(), args);
  }

  int port() const { return port_; }
  std::string Output() const { return ReadFileFrom(log_path_, log_offset_); }

 private:
  std::string data_dir_;
  std::string log_path_;
  size_t log_offset_ = 0;
  pid_t pid_ = -1;
  int port_ = 0;
};

// Stubs of every service used, on one channel.
struct Client {
  explicit Client(const std::shared_ptr<grpc::Channel>& channel)
      : directory(v1::DirectoryService::NewStub(channel)),
        cases(v1::CaseService::NewStub(channel)),
        consent(v1::ConsentService::NewStub(channel)),
        referrals(v1::ReferralService::NewStub(channel)),
        conferences(v1::ConferenceService::NewStub(channel)),
        audit(v1::AuditService::NewStub(channel)) {}
  std::unique_ptr<Dir> directory;
  std::unique_ptr<Case> cases;
  std::unique_ptr<Consent> consent;
  std::unique_ptr<Referrals> referrals;
  std::unique_ptr<Conference> conferences;
  std::unique_ptr<Audit> audit;
};

// Calls a unary RPC as `staff` ("admin": the directory's first administrator,
// of city-pa, created with `renkei-server init-admin`).
template <typename Stub, typename Req, typename Resp>
grpc::Status Call(Stub* stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                               Resp*),
                  const std::string& staff, const Req& req, Resp* resp,
                  int deadline_seconds = 30) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("renkei-staff-id", staff);
  ctx.set_deadline(std::chrono::system_clock::now() +
                   std::chrono::seconds(deadline_seconds));
  return (stub->*method)(&ctx, req, resp);
}

// One acknowledged command: what was sent, by whom, and the reply.
struct Acked {
  int round = 0;
  std::string key;
  std::string staff;
  std::string method;
  std::string request;  // serialized request
  v1::CommandReply reply;
  // Sends the same request again, as the same staff member.
  std::function<grpc::Status(Client&, v1::CommandReply*)> resend;

  std::string Name() const {
    return absl::StrCat("key '", key, "' (", method, " by ", staff, ", round ",
                        round, ")");
  }
};

// Sends commands and logs every acknowledged one. Errors are expected once
// the server is being killed; before that, any error fails the test.
class Sender {
 public:
  Sender(Client* client, int round, const std::atomic<bool>* killing)
      : client_(client), round_(round), killing_(killing) {}

  template <typename Stub, typename Req>
  bool Send(std::unique_ptr<Stub> Client::*stub,
            grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                         v1::CommandReply*),
            const std::string& method_name, const std::string& staff,
            const Req& req) {
    v1::CommandReply reply;
    grpc::Status s = Call((client_->*stub).get(), method, staff, req, &reply,
                          /*deadline_seconds=*/20);
    Acked a;
    a.round = round_;
    a.key = req.options().idempotency_key();
    a.staff = staff;
    a.method = method_name;
    a.request = req.SerializeAsString();
    a.resend = [stub, method, staff, req](Client& c, v1::CommandReply* r) {
      return Call((c.*stub).get(), method, staff, req, r);
    };
    if (!s.ok()) {
      if (!killing_ || !killing_->load()) {
        ADD_FAILURE() << method_name << " with key '" << a.key << "' by "
                      << staff
                      << " failed while the server was up: " << s.error_code()
                      << " " << s.error_message();
      } else {
        in_flight_.push_back(std::move(a));  // may or may not be committed
      }
      return false;
    }
    a.reply = reply;
    acked_.push_back(std::move(a));
    return true;
  }

  std::vector<Acked>& acked() { return acked_; }
  // Commands whose call failed once the kill had begun.
  std::vector<Acked>& in_flight() { return in_flight_; }

 private:
  Client* client_;
  int round_;
  const std::atomic<bool>* killing_;
  std::vector<Acked> acked_;
  std::vector<Acked> in_flight_;
};

#define RENKEI_SEND(sender, stub, Service, Method, staff, req) \
  (sender).Send(&Client::stub, &Service::Method, #Method, staff, req)

class ServerCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        std::filesystem::temp_directory_path() /
        absl::StrCat("renkei-crash-", ::getpid(), "-", std::random_device{}());
    std::filesystem::create_directories(root_);
    server_ = std::make_unique<ServerProcess>((root_ / "data").string(),
                                              (root_ / "server.log").string());
  }

  void TearDown() override {
    server_.reset();
    std::error_code ec;
    if (HasFailure()) {
      std::cerr << "renkei-server output and data kept in " << root_.string()
                << "\n";
    } else {
      std::filesystem::remove_all(root_, ec);
    }
  }

  void StartServer(bool rebuild = false) {
    const std::string error = server_->Start(rebuild);
    ASSERT_EQ(error, "") << "starting renkei-server"
                         << (rebuild ? " --rebuild-read-models" : "");
    client_ = std::make_unique<Client>(server_->Channel());
  }

  // Closes the client's channel, then stops the server with SIGTERM.
  int StopServer() {
    client_.reset();
    return server_->Stop();
  }

  // Agencies city-pa, city-mh, nursery, clinic, audit (the auditor agency);
  // staff cw, counsellor, teacher, doctor, auditor (registered as of 30 days
  // ago); and the case "shared" that every driver also writes to.
  void RegisterDirectory() {
    Sender s(client_.get(), 0, nullptr);
    // city-pa is the administrator's (init-admin).
    const std::pair<const char*, const char*> agencies[] = {
        {"city-mh", "AGENCY_KIND_MUNICIPAL_DIVISION"},
        {"nursery", "AGENCY_KIND_NURSERY"},
        {"clinic", "AGENCY_KIND_MEDICAL"},
        {"audit", "AGENCY_KIND_OTHER"}};
    const Timestamp month_ago = ToTimestamp(start_ - absl::Hours(24 * 30));
    for (const auto& [id, kind] : agencies) {
      auto r = Cmd<v1::RegisterAgencyRequest>(
          absl::StrCat("setup-agency-", id), "",
          absl::StrCat("agency { agency_id: '", id, "' name: '", id,
                       "' kind: ", kind,
                       " scope: AGENCY_SCOPE_INTERNAL "
                       "formality: AGENCY_FORMALITY_FORMAL }"));
      *r.mutable_options()->mutable_occurred_at() = month_ago;
      ASSERT_TRUE(RENKEI_SEND(s, directory, Dir, RegisterAgency, "admin", r));
    }
    const std::tuple<const char*, const char*, const char*> staff[] = {
        {"cw", "city-pa", "PROFESSION_PUBLIC_ASSISTANCE_CASEWORKER"},
        {"counsellor", "city-mh",
         "PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR"},
        {"teacher", "nursery", "PROFESSION_NURSERY_TEACHER"},
        {"doctor", "clinic", "PROFESSION_PHYSICIAN"},
        {"auditor", "audit", "PROFESSION_AUDITOR"}};
    for (const auto& [id, agency, profession] : staff) {
      auto r = Cmd<v1::RegisterStaffMemberRequest>(
          absl::StrCat("setup-staff-", id), "",
          absl::StrCat("staff { staff_id: '", id, "' display_name: '", id,
                       "' profession: ", profession, " agency_id: '", agency,
                       "' }"));
      *r.mutable_options()->mutable_occurred_at() = month_ago;
      ASSERT_TRUE(
          RENKEI_SEND(s, directory, Dir, RegisterStaffMember, "admin", r));
    }
    ASSERT_TRUE(RENKEI_SEND(
        s, directory, Dir, GrantStaffRole, "admin",
        Cmd<v1::GrantStaffRoleRequest>(
            "setup-role-auditor", "",
            "staff_id: 'auditor' role: STAFF_ROLE_AUDITOR reason: 'audit'")));
    ASSERT_TRUE(RENKEI_SEND(s, cases, Case, OpenCase, "cw",
                            OpenCaseCmd("setup-open-shared", "shared")));
    ASSERT_TRUE(RENKEI_SEND(
        s, cases, Case, AddSubject, "cw",
        Cmd<v1::AddSubjectRequest>("setup-subject-shared", "shared", R"pb(
          subject {
            subject_id: "mother"
            display_name: "mother"
            relationship: RELATIONSHIP_HEAD_OF_HOUSEHOLD
          })pb")));
    case_ids_.insert("shared");
    for (auto& a : s.acked()) acked_.push_back(std::move(a));
  }

  static v1::OpenCaseRequest OpenCaseCmd(const std::string& key,
                                         const std::string& case_id) {
    return Cmd<v1::OpenCaseRequest>(key, case_id, R"pb(
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
    )pb");
  }

  // An entry with id `entry_id` about the mother: information received (n
  // even) or a phone contact (n odd).
  static std::string EntryText(const std::string& entry_id, int n) {
    const char* body = n % 2 == 0 ? R"pb(
                             information_received {
                               source_agency_id: "nursery"
                               content: "late again, smelled alcohol"
                             })pb"
                                  : R"pb(
      contact {
        channel: CONTACT_CHANNEL_PHONE
        counterpart_subject_ids: "mother"
        summary: "phone call"
      })pb";
    return absl::StrCat("entry { entry_id: '", entry_id,
                        "' subject_ids: 'mother' categories: "
                        "INFORMATION_CATEGORY_HEALTH ",
                        body, " }");
  }

  // One driver's commands for one round, until the server goes away: a case
  // of its own (subjects, team, forum, entries, consent, a referral made,
  // accepted and answered, a conference), then entries alternating between
  // its case and the shared one, and further referrals.
  void Drive(Sender& s, int round, int driver, const std::atomic<bool>& stop) {
    const std::string c = absl::StrCat("r", round, "d", driver);
    int n = 0;
    auto key = [&] { return absl::StrCat(c, "-", n++); };
    auto deadline = [&](absl::Duration d) {
      return absl::StrCat(" response_deadline { seconds: ", Seconds(start_ + d),
                          " }");
    };
    if (!RENKEI_SEND(s, cases, Case, OpenCase, "cw", OpenCaseCmd(key(), c)))
      return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      case_ids_.insert(c);
    }
    const bool
        ok =
            RENKEI_SEND(s, cases, Case, AddSubject, "cw",
                        Cmd<v1::AddSubjectRequest>(
                            key(), c, R"pb(subject {
                                             subject_id: "mother"
                                             display_name: "mother"
                                             relationship:
                                                 RELATIONSHIP_HEAD_OF_HOUSEHOLD
                                           })pb")) &&
            RENKEI_SEND(s, cases, Case, AddSubject, "cw",
                        Cmd<v1::AddSubjectRequest>(
                            key(), c, R"pb(subject {
                                             subject_id: "daughter"
                                             display_name: "daughter"
                                             relationship: RELATIONSHIP_CHILD
                                             guardian_subject_ids: "mother"
                                           })pb")) &&
            RENKEI_SEND(s, cases, Case, AddTeamAgency, "cw",
                        Cmd<v1::AddTeamAgencyRequest>(
                            key(), c,
                            R"pb(agency_id: "city-mh"
                                 reason: "counsellor consulted")pb")) &&
            RENKEI_SEND(s, consent, Consent, RegisterStatutoryForum, "cw",
                        Cmd<v1::RegisterStatutoryForumRequest>(key(), c, R"pb(
                          forum {
                            forum_id: "f1"
                            kind: FORUM_KIND_YOTAIKYO
                            name: "要対協"
                            member_agency_ids: "city-pa"
                            member_agency_ids: "city-mh"
                            member_agency_ids: "nursery"
                            member_agency_ids: "clinic"
                          })pb")) &&
            RENKEI_SEND(
                s, cases, Case, RecordEntry, "cw",
                Cmd<v1::RecordEntryRequest>(key(), c, EntryText("e1", 0))) &&
            RENKEI_SEND(
                s, consent, Consent, GiveConsent, "counsellor",
                Cmd<v1::GiveConsentRequest>(
                    key(), c, R"pb(terms {
                                     consent_id: "k-clinic"
                                     subject_id: "mother"
                                     decided_by_subject_id: "mother"
                                     scope {
                                       agency_ids: "clinic"
                                       purposes: SHARING_PURPOSE_MEDICAL_CARE
                                       categories: INFORMATION_CATEGORY_HEALTH
                                     }
                                     form: CONSENT_FORM_WRITTEN
                                   })pb")) &&
            RENKEI_SEND(
                s, referrals, Referrals, MakeReferral, "cw",
                Cmd<v1::MakeReferralRequest>(
                    key(), c,
                    absl::StrCat(R"pb(referral_id: "r-clinic"
                                      to_agency_id: "clinic"
                                      subject_ids: "mother"
                                      reason: "assessment for alcohol"
                                      urgency: REFERRAL_URGENCY_ROUTINE
                                      purpose: SHARING_PURPOSE_MEDICAL_CARE
                                      categories: INFORMATION_CATEGORY_HEALTH
                                      entry_ids: "e1"
                                      forum_id: "f1")pb",
                                 deadline(absl::Hours(72))))) &&
            RENKEI_SEND(s, referrals, Referrals, AcceptReferral, "doctor",
                        Cmd<v1::AcceptReferralRequest>(
                            key(), c,
                            R"pb(referral_id: "r-clinic"
                                 assigned_staff_id: "doctor")pb")) &&
            RENKEI_SEND(s, referrals, Referrals, GiveReferralFeedback, "doctor",
                        Cmd<v1::GiveReferralFeedbackRequest>(
                            key(), c,
                            R"pb(referral_id: "r-clinic"
                                 feedback: "first visit done")pb")) &&
            RENKEI_SEND(s, conferences, Conference, ScheduleConference,
                        "counsellor",
                        Cmd<v1::ScheduleConferenceRequest>(
                            key(), absl::StrCat("k-", c),
                            absl::StrCat(
                                R"pb(type: CONFERENCE_TYPE_INDIVIDUAL_CASE
                                     basis: CONFERENCE_BASIS_YOTAIKYO
                                     title: "個別ケース検討会議"
                                     coordinating_agency_id: "city-pa"
                                     invitees { agency_id: "city-pa" }
                                     invitees {
                                       agency_id: "clinic"
                                       staff_id: "doctor"
                                     })pb",
                                " agenda_case_ids: '", c,
                                "' scheduled_for { seconds: ",
                                Seconds(start_ + absl::Hours(24 * 7)), " }")));
    if (!ok) return;
    for (int i = 2; !stop.load(); ++i) {
      bool sent = false;
      if (i % 3 == 0) {
        // The shared case: every driver appends to the same stream.
        sent = RENKEI_SEND(
            s, cases, Case, RecordEntry, "cw",
            Cmd<v1::RecordEntryRequest>(
                key(), "shared", EntryText(absl::StrCat(c, "-e", i), i)));
      } else if (i % 10 == 1) {
        const std::string r = absl::StrCat("r", i);
        sent =
            RENKEI_SEND(
                s, referrals, Referrals, MakeReferral, "cw",
                Cmd<v1::MakeReferralRequest>(
                    key(), c,
                    absl::StrCat("referral_id: '", r, "' ",
                                 R"pb(to_agency_id: "nursery"
                                      subject_ids: "mother"
                                      reason: "attendance"
                                      urgency: REFERRAL_URGENCY_PROMPT
                                      purpose:
                                          SHARING_PURPOSE_SUPPORT_COORDINATION
                                      categories: INFORMATION_CATEGORY_HEALTH
                                      forum_id: "f1")pb",
                                 deadline(absl::Hours(24 * (i % 5 + 1)))))) &&
            (i % 20 != 1 ||
             RENKEI_SEND(
                 s, referrals, Referrals, AcceptReferral, "teacher",
                 Cmd<v1::AcceptReferralRequest>(
                     key(), c, absl::StrCat("referral_id: '", r, "'"))));
      } else {
        sent = RENKEI_SEND(s, cases, Case, RecordEntry,
                           i % 2 == 0 ? "cw" : "counsellor",
                           Cmd<v1::RecordEntryRequest>(
                               key(), c, EntryText(absl::StrCat("e", i), i)));
      }
      if (!sent) return;
    }
  }

  // Every event of the log, by pages, checked to be exactly 1..head.
  std::vector<v1::EventEnvelope> ReadWholeLog(uint64_t head) {
    std::vector<v1::EventEnvelope> events;
    uint64_t from = 1;
    while (from != 0 && from <= head) {
      v1::ReadAllRequest req;
      req.set_from_position(from);
      req.set_limit(1000);
      v1::ReadEventsResponse resp;
      grpc::Status s =
          Call(client_->audit.get(), &Audit::ReadAll, "auditor", req, &resp);
      EXPECT_TRUE(s.ok()) << "ReadAll from " << from << ": "
                          << s.error_message();
      if (!s.ok() || resp.events_size() == 0) break;
      // Each page read is itself recorded, after `head`.
      for (auto& e : *resp.mutable_events()) {
        if (e.position() <= head) events.push_back(std::move(e));
      }
      from = resp.next();
    }
    return events;
  }

  v1::GetHeadResponse Head() {
    v1::GetHeadResponse head;
    grpc::Status s = Call(client_->audit.get(), &Audit::GetHead, "auditor",
                          v1::GetHeadRequest(), &head);
    EXPECT_TRUE(s.ok()) << "GetHead: " << s.error_message();
    return head;
  }

  // The log after a restart: gapless, chained, and holding every
  // acknowledged command where its reply says.
  void CheckLog(int round) {
    const v1::GetHeadResponse head = Head();
    const std::vector<v1::EventEnvelope> events = ReadWholeLog(head.position());
    ASSERT_EQ(events.size(), head.position())
        << "round " << round << ": ReadAll returned " << events.size()
        << " events for head " << head.position();
    for (size_t i = 0; i < events.size(); ++i) {
      ASSERT_EQ(events[i].position(), i + 1)
          << "round " << round << ": the log has a gap or is out of order at "
          << "index " << i;
    }
    for (size_t i = 1; i < events.size(); ++i) {
      const auto& a = events[i - 1].recorded_at();
      const auto& b = events[i].recorded_at();
      EXPECT_TRUE(a.seconds() < b.seconds() ||
                  (a.seconds() == b.seconds() && a.nanos() <= b.nanos()))
          << "round " << round << ": recorded_at decreases at position "
          << events[i].position();
    }
    if (!events.empty()) {
      EXPECT_EQ(events.back().hash(), head.hash())
          << "round " << round << ": GetHead's hash is not that of position "
          << head.position();
    }

    v1::VerifyChainRequest verify;
    verify.set_from_position(1);
    // The log's pages read above were recorded after `head`.
    verify.set_to_position(head.position());
    v1::VerifyChainResponse verified;
    grpc::Status s = Call(client_->audit.get(), &Audit::VerifyChain, "auditor",
                          verify, &verified);
    ASSERT_TRUE(s.ok()) << "VerifyChain: " << s.error_message();
    EXPECT_TRUE(verified.ok())
        << "round " << round << ": the hash chain breaks at position "
        << verified.first_bad_position() << ": " << verified.reason();
    EXPECT_EQ(verified.checked_to(), head.position());

    std::map<uint64_t, const Acked*> owner;
    for (const Acked& a : acked_) {
      const v1::CommandReply& r = a.reply;
      EXPECT_FALSE(r.duplicate()) << a.Name() << " was answered as a retry";
      if (r.first_position() == 0) continue;  // decided nothing to write
      if (r.last_position() > head.position() ||
          r.first_position() > r.last_position()) {
        ADD_FAILURE() << "round " << round << ": acknowledged " << a.Name()
                      << " at positions " << r.first_position() << ".."
                      << r.last_position() << " is lost: the head is "
                      << head.position();
        continue;
      }
      for (uint64_t p = r.first_position(); p <= r.last_position(); ++p) {
        const v1::EventEnvelope& e = events[p - 1];
        const uint64_t version = r.stream_version() - (r.last_position() - p);
        EXPECT_TRUE(
            e.stream_id() == r.stream_id() && e.stream_version() == version &&
            (r.request_id().empty() || e.correlation_id() == r.request_id()))
            << "round " << round << ": acknowledged " << a.Name() << " replied "
            << r.stream_id() << " v" << r.stream_version() << " at "
            << r.first_position() << ".." << r.last_position()
            << ", but position " << p << " holds " << e.stream_id() << " v"
            << e.stream_version() << " of request " << e.correlation_id();
        auto [it, fresh] = owner.emplace(p, &a);
        EXPECT_TRUE(fresh) << "position " << p << " is claimed by " << a.Name()
                           << " and " << it->second->Name();
      }
    }
  }

  // Retries every acknowledged command of `round` (every round when 0): the
  // original reply comes back, marked as a retry, and the head does not move.
  void CheckRetries(int round) {
    const v1::GetHeadResponse before = Head();
    int retried = 0;
    for (const Acked& a : acked_) {
      if (round != 0 && a.round != round) continue;
      v1::CommandReply again;
      grpc::Status s = a.resend(*client_, &again);
      ++retried;
      if (!s.ok()) {
        ADD_FAILURE() << "retrying " << a.Name()
                      << " failed: " << s.error_code() << " "
                      << s.error_message();
        continue;
      }
      EXPECT_TRUE(again.stream_id() == a.reply.stream_id() &&
                  again.stream_version() == a.reply.stream_version() &&
                  again.first_position() == a.reply.first_position() &&
                  again.last_position() == a.reply.last_position())
          << "retrying " << a.Name() << " replied " << again.ShortDebugString()
          << " instead of the original " << a.reply.ShortDebugString();
      if (a.reply.first_position() != 0) {
        EXPECT_TRUE(again.duplicate())
            << "retrying " << a.Name() << " was not answered as a retry";
      }
    }
    const v1::GetHeadResponse after = Head();
    EXPECT_EQ(after.position(), before.position())
        << "retrying " << retried << " acknowledged commands wrote events";
    EXPECT_EQ(after.hash(), before.hash());
  }

  // Retries the commands that were in flight at the kill. Each is answered:
  // as a retry when it was committed (its events and idempotency record are
  // written in one batch, so both or neither survive), else by deciding and
  // writing it now. Either way it joins the acknowledged commands that later
  // rounds check. Returns how many had been committed.
  int RetryInFlight(std::vector<Acked>& in_flight) {
    int committed = 0;
    const uint64_t head = Head().position();
    for (Acked& a : in_flight) {
      grpc::Status s = a.resend(*client_, &a.reply);
      if (!s.ok()) {
        ADD_FAILURE() << "retrying " << a.Name()
                      << ", in flight at the kill, failed: " << s.error_code()
                      << " " << s.error_message()
                      << " (committed events without their idempotency "
                         "record would be refused as duplicate event ids)";
        continue;
      }
      if (a.reply.duplicate()) {
        ++committed;
        EXPECT_TRUE(a.reply.last_position() <= head)
            << a.Name() << " was answered as committed at "
            << a.reply.first_position() << ".." << a.reply.last_position()
            << " beyond the head " << head << " found after the restart";
        // The original reply was never received: check it like the rest,
        // with the retry's positions.
        a.reply.set_duplicate(false);
        a.reply.clear_request_id();  // the original request id is unknown
      }
      if (a.method == "OpenCase") {
        v1::OpenCaseRequest open;
        EXPECT_TRUE(open.ParseFromString(a.request));
        std::lock_guard<std::mutex> lock(mu_);
        case_ids_.insert(open.case_id());
      }
      acked_.push_back(std::move(a));
    }
    return committed;
  }

  // Everything served from the read models, by a name for the report.
  // Timelines are read as the caseworker for every case, and as the
  // counsellor for the cases of `round` and the shared one.
  std::map<std::string, std::string> ReadModelViews(int round) {
    std::map<std::string, std::string> views;
    // A refusal (e.g. an agency not on the team) is part of the view; a
    // transport or internal error fails the test.
    auto keep = [&](const std::string& name, const grpc::Status& s,
                    const google::protobuf::Message& m) {
      std::string text;
      if (s.ok()) {
        google::protobuf::TextFormat::PrintToString(m, &text);
      } else {
        const auto code = s.error_code();
        EXPECT_TRUE(code == grpc::StatusCode::NOT_FOUND ||
                    code == grpc::StatusCode::PERMISSION_DENIED ||
                    code == grpc::StatusCode::FAILED_PRECONDITION)
            << name << ": " << code << " " << s.error_message();
        text = absl::StrCat("status ", code, ": ", s.error_message());
      }
      views[name] = text;
    };
    const Timestamp far = ToTimestamp(start_ + absl::Hours(24 * 100));
    const Timestamp before = ToTimestamp(start_ - absl::Hours(24));
    for (const char* staff : {"cw", "counsellor", "teacher", "doctor"}) {
      v1::ListCaseloadRequest caseload;
      caseload.set_include_closed(true);
      v1::ListCaseloadResponse cases;
      keep(absl::StrCat("ListCaseload as ", staff),
           Call(client_->cases.get(), &Case::ListCaseload, staff, caseload,
                &cases),
           cases);
      for (auto dir :
           {v1::REFERRAL_DIRECTION_INCOMING, v1::REFERRAL_DIRECTION_OUTGOING}) {
        v1::ListReferralsRequest req;
        req.set_direction(dir);
        req.set_include_closed(true);
        v1::ListReferralsResponse resp;
        keep(absl::StrCat("ListReferrals ", v1::ReferralDirection_Name(dir),
                          " as ", staff),
             Call(client_->referrals.get(), &Referrals::ListReferrals, staff,
                  req, &resp),
             resp);
      }
      v1::ListOverdueReferralsRequest overdue;
      *overdue.mutable_as_of() = far;
      v1::ListOverdueReferralsResponse overdue_resp;
      keep(absl::StrCat("ListOverdueReferrals as ", staff),
           Call(client_->referrals.get(), &Referrals::ListOverdueReferrals,
                staff, overdue, &overdue_resp),
           overdue_resp);
      v1::ListUpcomingConferencesRequest upcoming;
      *upcoming.mutable_from() = before;
      v1::ListUpcomingConferencesResponse upcoming_resp;
      keep(
          absl::StrCat("ListUpcomingConferences as ", staff),
          Call(client_->conferences.get(), &Conference::ListUpcomingConferences,
               staff, upcoming, &upcoming_resp),
          upcoming_resp);
      v1::ListMyActionItemsRequest items;
      *items.mutable_as_of() = far;
      v1::ListMyActionItemsResponse items_resp;
      keep(absl::StrCat("ListMyActionItems as ", staff),
           Call(client_->conferences.get(), &Conference::ListMyActionItems,
                staff, items, &items_resp),
           items_resp);
    }
    std::set<std::string> case_ids;
    {
      std::lock_guard<std::mutex> lock(mu_);
      case_ids = case_ids_;
    }
    const std::string this_round = absl::StrCat("r", round, "d");
    for (const std::string& c : case_ids) {
      for (const char* staff : {"cw", "counsellor"}) {
        if (staff == std::string("counsellor") && c != "shared" &&
            !c.starts_with(this_round)) {
          continue;
        }
        uint64_t after = 0;
        for (int page = 0;; ++page) {
          v1::GetCaseTimelineRequest req;
          req.set_case_id(c);
          req.set_after_position(after);
          v1::GetCaseTimelineResponse resp;
          grpc::Status s = Call(client_->cases.get(), &Case::GetCaseTimeline,
                                staff, req, &resp);
          keep(absl::StrCat("GetCaseTimeline ", c, " as ", staff, " page ",
                            page),
               s, resp);
          if (!s.ok() || resp.next_after_position() == 0) break;
          after = resp.next_after_position();
        }
      }
    }
    return views;
  }

  // Compares the views read from two servers, named `a_name` and `b_name`.
  void CompareViews(int round, const std::map<std::string, std::string>& a,
                    const std::string& a_name,
                    const std::map<std::string, std::string>& b,
                    const std::string& b_name) {
    for (const auto& [name, view] : a) {
      auto it = b.find(name);
      if (it == b.end()) {
        ADD_FAILURE() << "round " << round << ": " << name << " exists after "
                      << a_name << " but not after " << b_name;
        continue;
      }
      if (view != it->second) {
        ADD_FAILURE() << "round " << round << ": " << name << " after "
                      << a_name << " differs from " << b_name << ":\n"
                      << FirstDifference(view, it->second);
      }
    }
    for (const auto& [name, view] : b) {
      EXPECT_TRUE(a.contains(name))
          << "round " << round << ": " << name << " exists after " << b_name
          << " but not after " << a_name;
    }
  }

  std::filesystem::path root_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Client> client_;
  const absl::Time start_ = absl::Now();
  std::mutex mu_;
  std::set<std::string> case_ids_;  // guarded by mu_
  std::vector<Acked> acked_;
};

TEST_F(ServerCrashTest, AcknowledgedCommandsSurviveSigkillUnderLoad) {
  const int rounds =
      static_cast<int>(EnvNumber("RENKEI_CRASH_ROUNDS", kDefaultRounds));
  const auto seed = static_cast<std::mt19937::result_type>(
      EnvNumber("RENKEI_CRASH_SEED", std::random_device{}()));
  std::cout << "RENKEI_CRASH_SEED=" << seed << "\n";
  std::mt19937 rng(seed);

  ASSERT_NO_FATAL_FAILURE(StartServer());
  ASSERT_NO_FATAL_FAILURE(RegisterDirectory());

  for (int round = 1; round <= rounds; ++round) {
    const auto round_start = std::chrono::steady_clock::now();
    // Where the round's time went, for slow machines.
    std::string laps;
    auto lap_start = round_start;
    auto lap = [&](const char* name) {
      const auto now = std::chrono::steady_clock::now();
      absl::StrAppend(
          &laps, " ", name, " ",
          std::chrono::duration_cast<std::chrono::milliseconds>(now - lap_start)
              .count());
      lap_start = now;
    };
    // Load: drivers on channels of their own until the kill.
    std::atomic<bool> killing{false};
    std::vector<std::unique_ptr<Client>> clients;
    std::vector<std::unique_ptr<Sender>> senders;
    for (int d = 0; d < kDrivers; ++d) {
      clients.push_back(std::make_unique<Client>(server_->Channel()));
      senders.push_back(
          std::make_unique<Sender>(clients.back().get(), round, &killing));
    }
    std::vector<std::thread> drivers;
    for (int d = 0; d < kDrivers; ++d) {
      drivers.emplace_back([this, &senders, &killing, round, d] {
        Drive(*senders[d], round, d, killing);
      });
    }
    const int kill_ms =
        std::uniform_int_distribution<int>(kMinKillMs, kMaxKillMs)(rng);
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_ms));
    killing.store(true);
    server_->Kill();
    for (auto& t : drivers) t.join();
    lap("load");
    size_t acked_this_round = 0;
    std::vector<Acked> in_flight;
    for (auto& s : senders) {
      acked_this_round += s->acked().size();
      for (auto& a : s->acked()) acked_.push_back(std::move(a));
      for (auto& a : s->in_flight()) in_flight.push_back(std::move(a));
    }
    client_.reset();
    clients.clear();

    // Every other round, a second SIGKILL during the restart (opening the
    // log, catching the read models up, or just serving).
    std::string recovery_kill;
    if (round % 2 == 0) {
      const int ms =
          std::uniform_int_distribution<int>(0, kMaxRecoveryKillMs)(rng);
      ASSERT_EQ(server_->Spawn(/*rebuild_read_models=*/false), "");
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      server_->Kill();
      const bool served =
          server_->Output().find("serving on port") != std::string::npos;
      recovery_kill = absl::StrCat(", restart killed after ", ms, " ms (",
                                   served ? "serving" : "starting", ")");
    }

    // Restart on the same directory and check the log, the retries and
    // the read models.
    ASSERT_NO_FATAL_FAILURE(StartServer());
    lap("restart");
    ASSERT_NO_FATAL_FAILURE(CheckLog(round));
    lap("log");
    ASSERT_NO_FATAL_FAILURE(CheckRetries(round == rounds ? 0 : round));
    const int committed_in_flight = RetryInFlight(in_flight);
    lap("retries");
    const auto incremental = ReadModelViews(round);
    lap("views");
    // Reads of case content are recorded as events too: the head is taken
    // after the views were read.
    const uint64_t head = Head().position();
    const int status = StopServer();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "renkei-server did not stop cleanly on SIGTERM within 30 s (status "
        << status << ")";

    // A complete rebuild from the log.
    ASSERT_NO_FATAL_FAILURE(StartServer(/*rebuild=*/true));
    EXPECT_EQ(Head().position(), head) << "a clean restart moved the head";
    CompareViews(round, incremental, "the restart after the SIGKILL",
                 ReadModelViews(round), "a rebuild from the log");
    lap("stop+rebuild+views");

    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - round_start)
                        .count();
    std::cout << "round " << round << ": killed after " << kill_ms << " ms"
              << recovery_kill << ", " << acked_this_round
              << " commands acknowledged, " << committed_in_flight << " of "
              << in_flight.size() << " in flight committed, log head " << head
              << ", " << incremental.size() << " read-model views equal, " << ms
              << " ms (ms:" << laps << ")\n";
    if (HasFailure()) {
      std::cout << "renkei-server output (tail):\n"
                << Tail(server_->Output()) << "\n";
      break;
    }
  }
}

// A rebuild of the read models (--rebuild-read-models) SIGKILLed while it
// deletes the old store. Deleting the store in place with rocksdb::DestroyDB,
// which removes its files one by one, once left CURRENT gone and the
// write-ahead log in place: the next start failed with "Corruption: While
// creating a new Db, wal_dir contains existing log file", and the start after
// that replayed only the write-ahead log and served read models without the
// rows of the deleted table files (an empty caseload instead of 193 cases)
// while their checkpoint claimed to be at the head. This recreates both
// states a rebuild can be cut short in, deterministically, and checks that
// every later start serves the read models of the whole log:
//   - a store partly deleted in place (CURRENT gone, write-ahead log kept);
//   - a store moved aside to read_models.discarded and partly deleted there.
TEST_F(ServerCrashTest, ReadModelsSurviveARebuildKilledWhileDeletingTheStore) {
  const int round = 1;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  ASSERT_NO_FATAL_FAILURE(RegisterDirectory());
  {
    // Some load, then a clean stop of the drivers.
    std::atomic<bool> stop{false};
    std::vector<std::unique_ptr<Client>> clients;
    std::vector<std::unique_ptr<Sender>> senders;
    std::vector<std::thread> drivers;
    for (int d = 0; d < kDrivers; ++d) {
      clients.push_back(std::make_unique<Client>(server_->Channel()));
      senders.push_back(
          std::make_unique<Sender>(clients.back().get(), round, &stop));
    }
    for (int d = 0; d < kDrivers; ++d) {
      drivers.emplace_back(
          [this, &senders, &stop, d] { Drive(*senders[d], round, d, stop); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop.store(true);
    for (auto& t : drivers) t.join();
  }
  // A restart moves what the store had into table files; the reads of the
  // views then project into its new write-ahead log, which the SIGKILLs
  // below leave in place.
  ASSERT_EQ(StopServer(), 0);
  ASSERT_NO_FATAL_FAILURE(StartServer());
  const auto before = ReadModelViews(round);
  ASSERT_GT(before.size(), 10u);

  const auto store = root_ / "data" / "read_models";
  const auto aside = root_ / "data" / "read_models.discarded";
  auto check_starts = [&](const std::string& damage) {
    for (int start = 1; start <= 2; ++start) {
      if (std::string error = server_->Start(/*rebuild_read_models=*/false);
          !error.empty()) {
        ADD_FAILURE() << "start " << start << " after " << damage << ": "
                      << error;
        continue;
      }
      client_ = std::make_unique<Client>(server_->Channel());
      CompareViews(round, before, "the restart before the rebuild",
                   ReadModelViews(round),
                   absl::StrCat("start ", start, " after ", damage));
      client_.reset();
      server_->Kill();
    }
  };

  client_.reset();
  server_->Kill();
  ASSERT_TRUE(std::filesystem::remove(store / "CURRENT"));
  check_starts("a rebuild killed while deleting the store in place");

  std::filesystem::rename(store, aside);
  ASSERT_TRUE(std::filesystem::remove(aside / "CURRENT"));
  check_starts("a rebuild killed while deleting the store moved aside");
}

}  // namespace
}  // namespace renkei::crash
