// renkei_growth_bench: how Renkei grows. Fills a fresh log with N events
// across M cases (directory, cases, subjects, team, consent and entries, all
// decided by the domain deciders exactly as the server would), then runs
// renkei-server on it and prints `figure <name> <value>` lines: disk bytes
// per event, time to rebuild every read model, cold-start time to serving
// (which must not replay the log), server RSS, and the case-timeline query
// p99 on the largest case.
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/time_util.h"
#include "renkei/v1/case.pb.h"
#include "renkei/v1/case_service.grpc.pb.h"
#include "renkei/v1/directory.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/case/decider.h"
#include "services/domain/directory/directory.h"
#include "services/domain/event_codec.h"
#include "storage/event_log.h"

extern char** environ;

namespace renkei::bench {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void Figure(const std::string& name, double value) {
  std::printf("figure %s %.6g\n", name.c_str(), value);
  std::fflush(stdout);
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "renkei_growth_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename Message>
Message ParseText(const std::string& text) {
  Message message;
  if (!google::protobuf::TextFormat::ParseFromString(text, &message)) {
    Fail(absl::StrCat("cannot parse command text: ", text));
  }
  return message;
}

google::protobuf::Timestamp At(absl::Time t) {
  return google::protobuf::util::TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(t));
}

// Writer-chosen event ids are UUID-shaped; a counter keeps them unique.
std::string EventId(uint64_t n) {
  return absl::StrFormat("%08x-0000-4000-8000-%012x",
                         static_cast<uint32_t>(n >> 48), n & 0xffffffffffffULL);
}

// Fills the log: the directory first, then every case from several threads.
class Filler {
 public:
  Filler(storage::EventLog* log, absl::Time base) : log_(log), base_(base) {}

  void FillDirectory() {
    const char* agencies[][3] = {
        {"city-pa", "生活福祉課", "AGENCY_KIND_MUNICIPAL_DIVISION"},
        {"city-mh", "障害福祉課 精神保健係", "AGENCY_KIND_MUNICIPAL_DIVISION"},
        {"city-cfs", "子ども家庭支援課", "AGENCY_KIND_MUNICIPAL_DIVISION"},
        {"nursery", "ひまわり保育園", "AGENCY_KIND_NURSERY"},
    };
    std::vector<v1::DirectoryCommand> commands;
    for (const auto& a : agencies) {
      commands.push_back(ParseText<v1::DirectoryCommand>(absl::StrFormat(
          R"pb(register_agency {
                 agency {
                   agency_id: "%s"
                   name: "%s"
                   kind: %s
                   scope: %s
                   formality: AGENCY_FORMALITY_FORMAL
                 }
               })pb",
          a[0], a[1], a[2],
          std::string(a[0]) == "nursery" ? "AGENCY_SCOPE_EXTERNAL"
                                         : "AGENCY_SCOPE_INTERNAL")));
    }
    commands.push_back(ParseText<v1::DirectoryCommand>(R"pb(
      register_staff_member {
        staff {
          staff_id: "cw"
          display_name: "ケースワーカー"
          profession: PROFESSION_PUBLIC_ASSISTANCE_CASEWORKER
          agency_id: "city-pa"
        }
      })pb"));
    commands.push_back(ParseText<v1::DirectoryCommand>(R"pb(
      register_staff_member {
        staff {
          staff_id: "counsellor"
          display_name: "精神保健福祉相談員"
          profession: PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR
          agency_id: "city-mh"
        }
      })pb"));
    std::vector<v1::ProposedEvent> proposed;
    // The first administrator, as `renkei-server init-admin` writes it.
    {
      v1::Agency it;
      it.set_agency_id("city-it");
      it.set_name("情報政策課");
      it.set_kind(v1::AGENCY_KIND_MUNICIPAL_DIVISION);
      it.set_scope(v1::AGENCY_SCOPE_INTERNAL);
      it.set_formality(v1::AGENCY_FORMALITY_FORMAL);
      v1::StaffMember admin;
      admin.set_staff_id("admin");
      admin.set_display_name("administrator");
      admin.set_profession(v1::PROFESSION_OTHER);
      admin.set_agency_id("city-it");
      auto events = domain::BootstrapAdministrator(
          directory_, it, admin, base_ - absl::Hours(24 * 11));
      if (!events.ok()) Fail(events.status().ToString());
      for (const v1::DirectoryEvent& event : *events) {
        domain::Evolve(directory_, event);
        proposed.push_back(domain::ToProposedEvent(event));
      }
    }
    for (v1::DirectoryCommand& command : commands) {
      *command.mutable_occurred_at() = At(base_ - absl::Hours(24 * 10));
      command.mutable_actor()->set_staff_id("admin");
      command.mutable_actor()->set_agency_id("city-it");
      auto events = domain::Decide(directory_, command);
      if (!events.ok()) Fail(events.status().ToString());
      for (const v1::DirectoryEvent& event : *events) {
        domain::Evolve(directory_, event);
        proposed.push_back(domain::ToProposedEvent(event));
      }
    }
    Append(std::string(domain::kDirectoryStreamId), 0, std::move(proposed));
  }

  // Case `index` with about `target_events` events.
  void FillCase(int index, uint64_t target_events) {
    const std::string case_id = absl::StrFormat("g%05d", index);
    domain::CaseState state;
    uint64_t version = 0;
    uint64_t produced = 0;
    std::vector<v1::ProposedEvent> pending;
    absl::Time at = base_ + absl::Minutes(index);
    auto run = [&](const std::string& text, const std::string& staff,
                   const std::string& agency) {
      auto command = ParseText<v1::CaseCommand>(text);
      command.set_case_id(case_id);
      *command.mutable_occurred_at() = At(at);
      command.mutable_actor()->set_staff_id(staff);
      command.mutable_actor()->set_agency_id(agency);
      auto events = domain::Decide(state, command, directory_);
      if (!events.ok()) {
        Fail(absl::StrCat(case_id, ": ", events.status().ToString()));
      }
      for (const v1::CaseEvent& event : *events) {
        domain::Evolve(state, event);
        pending.push_back(domain::ToProposedEvent(event));
        ++produced;
      }
      at += absl::Hours(6);
      // One append per few commands keeps the fill fast; the stored shape
      // is the same as one append per command.
      if (pending.size() >= 32) {
        version =
            Append(domain::CaseStreamId(case_id), version, std::move(pending));
        pending.clear();
      }
    };
    run(R"pb(open_case {
               kind: CASE_KIND_HOUSEHOLD
               title: "母子世帯"
               intake {
                 noticed_by_agency_id: "nursery"
                 observation: "lateness, dirty clothes"
               }
               frameworks: FRAMEWORK_YOTAIKYO
               registration: REGISTRATION_NONE
             })pb",
        "cw", "city-pa");
    run(R"pb(add_subject {
               subject {
                 subject_id: "mother"
                 display_name: "母"
                 relationship: RELATIONSHIP_HEAD_OF_HOUSEHOLD
               }
             })pb",
        "cw", "city-pa");
    run(R"pb(add_subject {
               subject {
                 subject_id: "son"
                 display_name: "長男"
                 relationship: RELATIONSHIP_CHILD
                 guardian_subject_ids: "mother"
               }
             })pb",
        "cw", "city-pa");
    run(R"pb(add_team_agency { agency_id: "city-mh" reason: "mental health" })pb",
        "cw", "city-pa");
    run(R"pb(give_consent {
               terms {
                 consent_id: "k-mh"
                 subject_id: "mother"
                 decided_by_subject_id: "mother"
                 scope {
                   agency_ids: "city-mh"
                   purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
                   categories: INFORMATION_CATEGORY_MENTAL_HEALTH
                 }
                 form: CONSENT_FORM_WRITTEN
               }
             })pb",
        "cw", "city-pa");
    // `run` adds the events it produces to `produced`.
    int n = 0;
    while (produced < target_events) {
      const bool counsellor = n % 3 == 2;
      run(absl::StrFormat(
              R"pb(record_entry {
                     entry {
                       entry_id: "e-%d"
                       subject_ids: "mother"
                       categories: %s
                       information_received {
                         source_agency_id: "nursery"
                         content: "visit %d: the son arrived late again; the "
                                  "mother said she had been unwell and asked "
                                  "about help with mornings"
                       }
                     }
                   })pb",
              n,
              counsellor ? "INFORMATION_CATEGORY_MENTAL_HEALTH"
                         : "INFORMATION_CATEGORY_CHILD_REARING",
              n),
          counsellor ? "counsellor" : "cw", counsellor ? "city-mh" : "city-pa");
      ++n;
    }
    if (!pending.empty()) {
      Append(domain::CaseStreamId(case_id), version, std::move(pending));
    }
  }

  uint64_t events() const { return events_.load(); }

 private:
  // Appends at `version` (0: a new stream); returns the new version.
  uint64_t Append(const std::string& stream, uint64_t version,
                  std::vector<v1::ProposedEvent> events) {
    storage::AppendRequest request;
    request.stream_id = stream;
    request.expected_version = version == 0
                                   ? storage::ExpectedVersion::NoStream()
                                   : storage::ExpectedVersion::Exact(version);
    for (v1::ProposedEvent& event : events) {
      event.set_event_id(EventId(next_id_.fetch_add(1) + 1));
    }
    request.events = std::move(events);
    auto result = log_->Append(std::move(request));
    if (!result.ok())
      Fail(absl::StrCat(stream, ": ", result.status().ToString()));
    events_ += result->last_position - result->first_position + 1;
    return result->stream_version;
  }

  storage::EventLog* log_;
  absl::Time base_;
  domain::DirectoryState directory_;
  std::atomic<uint64_t> next_id_{0};
  std::atomic<uint64_t> events_{0};
};

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    Fail("cannot find a free port");
  }
  const int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

// A renkei-server child process.
class ServerProcess {
 public:
  ServerProcess(const std::string& binary, const std::string& data_dir,
                bool rebuild) {
    port_ = FreePort();
    const std::string address = absl::StrCat("127.0.0.1:", port_);
    std::vector<std::string> args = {
        binary,   "--listen",    address, "--data-dir",
        data_dir, "--log-level", "warn",  "--dev-header-identity"};
    if (rebuild) args.push_back("--rebuild-read-models");
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    // The server seals personal fields; a key for this run unless one is set.
    ::setenv("RENKEI_KEY_ENCRYPTION_KEY", std::string(64, '7').c_str(), 0);
    started_ = Clock::now();
    if (posix_spawn(&pid_, binary.c_str(), nullptr, nullptr, argv.data(),
                    environ) != 0) {
      Fail(absl::StrCat("cannot start ", binary));
    }
    channel_ = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    stub_ = v1::CaseService::NewStub(channel_);
  }
  ~ServerProcess() { Stop(); }

  // Waits until a query is answered; returns seconds since the spawn. The
  // port is polled directly (a gRPC channel would back off for a second
  // after each refused connection and blur the figure).
  double WaitServing(const std::string& case_id) {
    while (!Accepting()) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        Fail("renkei-server exited before serving");
      }
      if (SecondsSince(started_) > 1800) Fail("server did not come up");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    v1::GetCaseSummaryRequest request;
    request.set_case_id(case_id);
    v1::CaseSummary summary;
    grpc::ClientContext context;
    Identify(context);
    context.set_wait_for_ready(true);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    grpc::Status status = stub_->GetCaseSummary(&context, request, &summary);
    if (!status.ok()) Fail("first query: " + status.error_message());
    return SecondsSince(started_);
  }

  static void Identify(grpc::ClientContext& context) {
    context.AddMetadata("renkei-staff-id", "cw");
    context.AddMetadata("renkei-agency-id", "city-pa");
  }

  v1::CaseService::Stub& stub() { return *stub_; }

  // Resident set size and its peak, in MiB.
  std::pair<double, double> Rss() const {
    std::ifstream status(absl::StrCat("/proc/", pid_, "/status"));
    std::string line;
    double rss = 0, hwm = 0;
    while (std::getline(status, line)) {
      if (line.rfind("VmRSS:", 0) == 0) rss = std::stod(line.substr(6)) / 1024;
      if (line.rfind("VmHWM:", 0) == 0) hwm = std::stod(line.substr(6)) / 1024;
    }
    return {rss, hwm};
  }

  void Stop() {
    if (pid_ == 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = 0;
  }

 private:
  bool Accepting() const {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port_);
    const bool ok =
        connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    close(fd);
    return ok;
  }

  int port_ = 0;
  pid_t pid_ = 0;
  Clock::time_point started_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CaseService::Stub> stub_;
};

uint64_t DirectorySize(const std::filesystem::path& dir) {
  uint64_t total = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = std::min(
      values.size() - 1, static_cast<size_t>(p * (values.size() - 1) + 0.5));
  return values[index];
}

int Run(int argc, char** argv) {
  CLI::App app{
      "Fills a fresh Renkei log, then measures renkei-server on it: disk per "
      "event, read-model rebuild, cold start, RSS, timeline p99"};
  uint64_t total_events = 1000000;
  int cases = 10000;
  uint64_t largest_case_events = 5000;
  int threads = 8;
  int queries = 500;
  int page = 100;
  std::string server = RENKEI_SERVER_PATH;
  std::string data_dir;
  bool keep = false;
  app.add_option("--events", total_events, "events to fill the log with");
  app.add_option("--cases", cases, "cases they are spread across")
      ->check(CLI::PositiveNumber);
  app.add_option("--largest-case-events", largest_case_events,
                 "events of the largest case (case g00000)");
  app.add_option("--threads", threads, "filling threads")
      ->check(CLI::PositiveNumber);
  app.add_option("--queries", queries, "timeline queries to time")
      ->check(CLI::PositiveNumber);
  app.add_option("--page", page, "timeline page size")
      ->check(CLI::PositiveNumber);
  app.add_option("--server", server, "renkei-server binary");
  app.add_option("--data-dir", data_dir,
                 "where to build the data (default: a fresh temporary dir)");
  app.add_flag("--keep", keep, "keep the data directory afterwards");
  CLI11_PARSE(app, argc, argv);

  std::filesystem::path dir;
  if (data_dir.empty()) {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "renkei-growth-XXXXXX")
            .string();
    if (mkdtemp(tmpl.data()) == nullptr) Fail("cannot create a temp dir");
    dir = tmpl;
  } else {
    dir = data_dir;
    if (std::filesystem::exists(dir / "log")) {
      Fail(absl::StrCat("'", data_dir,
                        "' already holds a log; use a fresh dir"));
    }
  }

  // 1. Fill.
  uint64_t filled = 0;
  const uint64_t per_case =
      cases > 1
          ? std::max<uint64_t>(
                6,
                (total_events - std::min(total_events, largest_case_events)) /
                    (cases - 1))
          : 0;
  {
    storage::EventLogOptions options;
    options.path = (dir / "log").string();
    auto log = storage::EventLog::Open(options);
    if (!log.ok()) Fail(log.status().ToString());
    Filler filler(log->get(), absl::FromUnixSeconds(1711962000));
    filler.FillDirectory();
    const auto start = Clock::now();
    std::atomic<int> next{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        for (int i = next++; i < cases; i = next++) {
          filler.FillCase(i, i == 0 ? largest_case_events : per_case);
        }
      });
    }
    for (auto& worker : workers) worker.join();
    const double seconds = SecondsSince(start);
    std::printf("filled %llu events across %d cases in %.1f s\n",
                static_cast<unsigned long long>(filler.events()), cases,
                seconds);
    filled = filler.events();
    Figure("growth_events", static_cast<double>(filled));
    Figure("fill_eps", filler.events() / seconds);
  }
  const std::string largest = "g00000";

  // 2. First start: every read model built from position 1.
  {
    ServerProcess process(server, dir.string(), /*rebuild=*/true);
    Figure("rebuild_read_models_s", process.WaitServing(largest));
    process.Stop();
  }
  const uint64_t disk = DirectorySize(dir);
  const uint64_t log_disk = DirectorySize(dir / "log");

  // 3. Cold start on the built data: must not replay the log.
  ServerProcess process(server, dir.string(), /*rebuild=*/false);
  const double cold_start = process.WaitServing(largest);
  const auto [rss_cold, hwm_cold] = process.Rss();

  // 4. Timeline of the largest case: first pages, then the whole of it.
  std::vector<double> latencies_ms;
  for (int q = 0; q < queries; ++q) {
    v1::GetCaseTimelineRequest request;
    request.set_case_id(largest);
    request.set_limit(page);
    v1::GetCaseTimelineResponse response;
    grpc::ClientContext context;
    ServerProcess::Identify(context);
    const auto start = Clock::now();
    grpc::Status status =
        process.stub().GetCaseTimeline(&context, request, &response);
    latencies_ms.push_back(SecondsSince(start) * 1000);
    if (!status.ok()) Fail("timeline query: " + status.error_message());
  }
  uint64_t items = 0;
  const auto whole_start = Clock::now();
  for (uint64_t after = 0;;) {
    v1::GetCaseTimelineRequest request;
    request.set_case_id(largest);
    request.set_limit(page);
    request.set_after_position(after);
    v1::GetCaseTimelineResponse response;
    grpc::ClientContext context;
    ServerProcess::Identify(context);
    grpc::Status status =
        process.stub().GetCaseTimeline(&context, request, &response);
    if (!status.ok()) Fail("timeline query: " + status.error_message());
    items += response.items_size();
    if (response.next_after_position() == 0) break;
    after = response.next_after_position();
  }
  const double whole_ms = SecondsSince(whole_start) * 1000;
  const auto [rss, hwm] = process.Rss();
  process.Stop();

  std::printf("largest case: %llu timeline items read in %.1f ms\n",
              static_cast<unsigned long long>(items), whole_ms);
  Figure("disk_bytes_per_event", static_cast<double>(disk) / filled);
  Figure("log_disk_bytes_per_event", static_cast<double>(log_disk) / filled);
  Figure("cold_start_ms", cold_start * 1000);
  Figure("server_rss_mb_cold", rss_cold);
  Figure("server_rss_mb", rss);
  Figure("server_peak_rss_mb", std::max(hwm, hwm_cold));
  Figure("timeline_p50_ms_largest_case", Percentile(latencies_ms, 0.50));
  Figure("timeline_p99_ms_largest_case", Percentile(latencies_ms, 0.99));
  Figure("timeline_whole_ms_largest_case", whole_ms);

  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace renkei::bench

int main(int argc, char** argv) { return renkei::bench::Run(argc, argv); }
