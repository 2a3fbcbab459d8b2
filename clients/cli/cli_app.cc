// The renkei command line.
#include "clients/cli/cli_app.h"

#include <fcntl.h>
#include <google/protobuf/dynamic_message.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/cli/demo.h"
#include "clients/cli/errors.h"
#include "clients/cli/human_output.h"
#include "clients/cli/proto_values.h"
#include "clients/cli/request_flags.h"
#include "clients/cli/service_catalog.h"
#include "clients/cli/uuid.h"
#include "renkei/v1/audit_service.pb.h"
#include "renkei/v1/event.pb.h"
#include "renkei/v1/session_service.pb.h"

namespace renkei::cli {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

struct GlobalFlags {
  std::string server;
  std::string as;
  std::string agency;
  bool json = false;
  double timeout_seconds = 30;
  CLI::Option* timeout_option = nullptr;
};

// One subcommand per RPC, with the values its flags received.
struct MethodCommand {
  const MethodDescriptor* method = nullptr;
  CLI::App* app = nullptr;
  std::vector<FieldFlag> flags;
  std::vector<std::vector<std::string>> values;  // one per flag
  std::vector<CLI::Option*> options;             // one per flag
  std::string data;
};

struct ReplayCommand {
  CLI::App* app = nullptr;
  std::string case_id;
  std::string as_of;
  std::string axis = "recorded";
};

struct VerifyCommand {
  CLI::App* app = nullptr;
  uint64_t from = 0;
  uint64_t to = 0;
};

struct TailCommand {
  CLI::App* app = nullptr;
  CLI::Option* from_option = nullptr;
  uint64_t from = 0;
  int64_t count = 0;
  std::vector<std::string> event_types;
};

struct DemoCommand {
  CLI::App* app = nullptr;
  std::string run_id;
};

struct LoginCommand {
  CLI::App* login = nullptr;
  CLI::App* logout = nullptr;
  std::string password_file;
};

// A session `renkei login` saved: the server it is for, the staff member and
// the bearer token.
struct SavedSession {
  std::string server;
  std::string staff_id;
  std::string token;
  std::string expires_at;
};

const MethodDescriptor& AuditMethod(const char* name) {
  static const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "renkei.v1.AuditService");
  return *service->FindMethodByName(name);
}

// Reads --data: inline JSON, "@FILE" or "-" (stdin).
absl::StatusOr<std::string> ReadData(const std::string& data) {
  if (data == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return text.str();
  }
  if (!data.empty() && data[0] == '@') {
    std::ifstream file(data.substr(1));
    if (!file) {
      return errors::CannotReadDataFile(data.substr(1));
    }
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
  }
  return data;
}

class Runner {
 public:
  explicit Runner(const CliEnvironment& env) : env_(env) {}

  int Run(const std::vector<std::string>& args);

 private:
  void Define(CLI::App& app);
  void DefineMethod(CLI::App& service_app, const MethodDescriptor& method);

  // The identity and limits every call carries.
  absl::StatusOr<CallOptions> CallOptionsFor(bool streaming) const;
  Transport& transport();
  std::string ServerTarget() const;

  // Where `renkei login` keeps the session: RENKEI_SESSION_FILE, else
  // ~/.config/renkei/session.
  std::string SessionPath() const;
  std::optional<SavedSession> LoadSession() const;
  int RunLogin();
  int RunLogout();

  int Usage(absl::string_view message) const {
    *env_.err << "error: " << message << "\n";
    return kExitUsage;
  }
  int Failed(const absl::Status& status) const;
  int Print(const Message& message) const;

  int RunMethod(MethodCommand& command);
  int RunReplay();
  int RunVerify();
  int RunTail(const MethodDescriptor& method, const Message& request,
              int64_t count);
  int RunDemoCommand();

  const CliEnvironment& env_;
  GlobalFlags global_;
  std::deque<MethodCommand> methods_;
  ReplayCommand replay_;
  VerifyCommand verify_;
  TailCommand tail_;
  DemoCommand demo_;
  LoginCommand login_;
  std::unique_ptr<Transport> transport_;
};

void Runner::DefineMethod(CLI::App& service_app,
                          const MethodDescriptor& method) {
  MethodCommand& command = methods_.emplace_back();
  command.method = &method;
  std::string description = absl::StrCat(
      method.name(), ": ", method.input_type()->name(), " -> ",
      method.server_streaming() ? "stream " : "", method.output_type()->name());
  command.app = service_app.add_subcommand(MethodCliName(method), description);
  command.flags = FlagsFor(*method.input_type());
  command.values.resize(command.flags.size());
  command.app->add_option(
      "--data", command.data,
      absl::StrCat("the ", method.input_type()->name(),
                   " as protobuf JSON, @FILE or - (stdin); flags override it"));
  for (size_t i = 0; i < command.flags.size(); ++i) {
    const FieldFlag& flag = command.flags[i];
    const std::string name = "--" + flag.name;
    CLI::Option* option = nullptr;
    if (flag.is_bool() && !flag.repeated()) {
      option = command.app->add_flag(name, command.values[i], flag.Help());
    } else {
      option = command.app->add_option(name, command.values[i], flag.Help());
      if (flag.repeated()) {
        option->delimiter(',');
      } else {
        option->expected(1);
      }
    }
    command.options.push_back(option);
  }
}

void Runner::Define(CLI::App& app) {
  app.fallthrough();
  app.add_option("--server", global_.server,
                 absl::StrCat("HOST:PORT of renkei-server (env RENKEI_SERVER; "
                              "default ",
                              kDefaultServer, ")"));
  app.add_option("--as", global_.as,
                 "staff id the calls are made as (env RENKEI_STAFF)");
  app.add_option("--agency", global_.agency,
                 "agency acted for (env RENKEI_AGENCY; default: the staff "
                 "member's agency)");
  app.add_flag("--json", global_.json, "print replies as protobuf JSON");
  global_.timeout_option = app.add_option(
      "--timeout", global_.timeout_seconds,
      "seconds to wait for a reply (default 30; streams: no limit)");

  for (const auto* service : RenkeiServices()) {
    CLI::App* service_app =
        app.add_subcommand(ServiceCliName(*service),
                           absl::StrCat(service->full_name(), " (",
                                        service->method_count(), " RPCs)"));
    service_app->require_subcommand(1);
    for (int i = 0; i < service->method_count(); ++i) {
      DefineMethod(*service_app, *service->method(i));
    }
    if (service->full_name() != "renkei.v1.AuditService") continue;

    replay_.app = service_app->add_subcommand(
        "replay", "the state of a case as of a time (ReplayCase)");
    replay_.app->add_option("case", replay_.case_id, "case id")->required();
    replay_.app
        ->add_option("--as-of", replay_.as_of,
                     "RFC 3339 time, a date (00:00 UTC) or 'now'")
        ->required();
    replay_.app
        ->add_option("--axis", replay_.axis,
                     "recorded: what was known then; occurred: what had "
                     "happened by then")
        ->check(CLI::IsMember({"recorded", "occurred"}));

    verify_.app = service_app->add_subcommand(
        "verify", "recompute the hash chain (VerifyChain)");
    verify_.app->add_option("--from", verify_.from,
                            "first position (default: the beginning)");
    verify_.app->add_option("--to", verify_.to,
                            "last position (default: the head)");

    tail_.app = service_app->add_subcommand(
        "tail", "print events as they are appended (Subscribe), until Ctrl-C");
    tail_.from_option = tail_.app->add_option(
        "--from", tail_.from,
        "first position (default: the next event appended; "
        "1: the whole log)");
    tail_.app->add_option("--count", tail_.count,
                          "stop after this many events");
    tail_.app
        ->add_option("--event-types", tail_.event_types,
                     "only these event types (e.g. renkei.v1.ConsentGiven)")
        ->delimiter(',');
  }

  login_.login = app.add_subcommand(
      "login",
      "Sign in as --as STAFF_ID with a password (RENKEI_PASSWORD, "
      "--password-file, or typed) and keep the session for later calls");
  login_.login->add_option("--password-file", login_.password_file,
                           "A file whose first line is the password");
  login_.logout =
      app.add_subcommand("logout", "End the saved session and forget it");
  demo_.app = app.add_subcommand("demo",
                                 "play the acceptance story (a mother-child "
                                 "household) against the server");
  demo_.app->add_option("--run-id", demo_.run_id,
                        "suffix making this run's case and staff ids unique "
                        "(default: from the clock); the same id resumes a run");
  app.require_subcommand(1);
}

absl::StatusOr<CallOptions> Runner::CallOptionsFor(bool streaming) const {
  CallOptions options;
  options.staff_id = global_.as;
  if (options.staff_id.empty()) {
    options.staff_id = env_.getenv("RENKEI_STAFF").value_or("");
  }
  // A session: RENKEI_TOKEN, or the one `renkei login` saved for this
  // server (unless --as names someone else: a development server's header).
  options.bearer_token = env_.getenv("RENKEI_TOKEN").value_or("");
  if (options.bearer_token.empty()) {
    if (std::optional<SavedSession> saved = LoadSession();
        saved.has_value() && saved->server == ServerTarget() &&
        (options.staff_id.empty() || options.staff_id == saved->staff_id)) {
      options.bearer_token = saved->token;
    }
  }
  const bool certificate = !env_.getenv("RENKEI_TLS_CERT").value_or("").empty();
  if (options.staff_id.empty() && options.bearer_token.empty() &&
      !certificate) {
    return errors::NotSignedIn();
  }
  options.agency_id = global_.agency;
  if (options.agency_id.empty()) {
    options.agency_id = env_.getenv("RENKEI_AGENCY").value_or("");
  }
  options.request_id = env_.new_id();
  if (global_.timeout_seconds <= 0) {
    return errors::NonPositiveTimeout();
  }
  if (!streaming || global_.timeout_option->count() > 0) {
    options.timeout = absl::Seconds(global_.timeout_seconds);
  }
  options.stop = env_.stop;
  return options;
}

std::string Runner::ServerTarget() const {
  std::string server = global_.server;
  if (server.empty()) server = env_.getenv("RENKEI_SERVER").value_or("");
  if (server.empty()) server = kDefaultServer;
  return server;
}

Transport& Runner::transport() {
  if (transport_ == nullptr) transport_ = env_.connect(ServerTarget());
  return *transport_;
}

std::string Runner::SessionPath() const {
  std::string path = env_.getenv("RENKEI_SESSION_FILE").value_or("");
  if (!path.empty()) return path;
  const std::string home = env_.getenv("HOME").value_or("");
  return home.empty() ? "" : absl::StrCat(home, "/.config/renkei/session");
}

std::optional<SavedSession> Runner::LoadSession() const {
  const std::string path = SessionPath();
  if (path.empty()) return std::nullopt;
  std::ifstream in(path);
  if (!in) return std::nullopt;
  SavedSession saved;
  std::string line;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "server") saved.server = value;
    if (key == "staff_id") saved.staff_id = value;
    if (key == "token") saved.token = value;
    if (key == "expires_at") saved.expires_at = value;
  }
  if (saved.token.empty()) return std::nullopt;
  return saved;
}

int Runner::RunLogin() {
  std::string staff = global_.as;
  if (staff.empty()) staff = env_.getenv("RENKEI_STAFF").value_or("");
  if (staff.empty()) return Usage("renkei login needs --as STAFF_ID");
  std::string password = env_.getenv("RENKEI_PASSWORD").value_or("");
  if (password.empty() && !login_.password_file.empty()) {
    std::ifstream in(login_.password_file);
    if (!in || !std::getline(in, password)) {
      return Usage(absl::StrCat("--password-file: cannot read '",
                                login_.password_file, "'"));
    }
  }
  if (password.empty()) {
    if (!env_.read_secret) return Usage("no password given");
    std::optional<std::string> typed =
        env_.read_secret(absl::StrCat("password for ", staff, ": "));
    if (!typed.has_value() || typed->empty()) {
      return Usage("no password given");
    }
    password = *typed;
  }
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "renkei.v1.SessionService");
  v1::SignInRequest request;
  request.set_staff_id(staff);
  request.set_password(password);
  v1::SignInResponse response;
  CallOptions options;
  options.timeout = absl::Seconds(global_.timeout_seconds);
  absl::Status status = transport().Unary(*service->FindMethodByName("SignIn"),
                                          options, request, &response);
  if (!status.ok()) return Failed(status);
  const std::string path = SessionPath();
  if (path.empty()) {
    return Usage(
        "no place to keep the session: set HOME or RENKEI_SESSION_FILE");
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(),
                                      ec);
  const std::string expires = FormatTimestamp(response.expires_at());
  const std::string text = absl::StrCat(
      "server=", ServerTarget(), "\nstaff_id=", response.staff_id(),
      "\ntoken=", response.token(), "\nexpires_at=", expires, "\n");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ::fchmod(fd, 0600) != 0 ||
      ::write(fd, text.data(), text.size()) !=
          static_cast<ssize_t>(text.size())) {
    if (fd >= 0) ::close(fd);
    return Failed(errors::CannotSaveSession(path));
  }
  ::close(fd);
  *env_.out << "signed in as " << response.staff_id() << " of "
            << response.agency_id() << " until " << expires << " (session in "
            << path << ")\n";
  return kExitOk;
}

int Runner::RunLogout() {
  std::optional<SavedSession> saved = LoadSession();
  if (!saved.has_value()) {
    *env_.out << "not signed in\n";
    return kExitOk;
  }
  if (saved->server != ServerTarget()) {
    // The token goes to the server it is for, never elsewhere.
    return Usage(absl::StrCat("the saved session is for ", saved->server,
                              "; run logout with --server ", saved->server));
  }
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "renkei.v1.SessionService");
  CallOptions options;
  options.bearer_token = saved->token;
  options.timeout = absl::Seconds(global_.timeout_seconds);
  v1::SignOutResponse response;
  absl::Status status =
      transport().Unary(*service->FindMethodByName("SignOut"), options,
                        v1::SignOutRequest(), &response);
  std::error_code ec;
  std::filesystem::remove(SessionPath(), ec);
  // An already ended session is signed out all the same.
  if (!status.ok() && status.code() != absl::StatusCode::kUnauthenticated) {
    return Failed(status);
  }
  *env_.out << "signed out " << saved->staff_id << "\n";
  return kExitOk;
}

int Runner::Failed(const absl::Status& status) const {
  *env_.err << "error: " << absl::StatusCodeToString(status.code()) << ": "
            << status.message() << "\n";
  if (status.code() == absl::StatusCode::kUnavailable) {
    *env_.err << "hint: is renkei-server running there? Start it with `bash "
                 "deploy/run.sh`, or point --server / RENKEI_SERVER at it.\n";
  }
  return kExitServerError;
}

int Runner::Print(const Message& message) const {
  if (!global_.json) {
    *env_.out << RenderHuman(message);
    return kExitOk;
  }
  absl::StatusOr<std::string> json = RenderJson(message, /*pretty=*/true);
  if (!json.ok()) return Failed(json.status());
  *env_.out << *json;
  return kExitOk;
}

int Runner::RunMethod(MethodCommand& command) {
  const MethodDescriptor& method = *command.method;
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(
      factory->GetPrototype(method.input_type())->New());
  if (!command.data.empty()) {
    absl::StatusOr<std::string> json = ReadData(command.data);
    if (!json.ok()) return Usage(json.status().message());
    if (absl::Status s = MergeJson(*json, request.get()); !s.ok()) {
      return Usage(s.message());
    }
  }
  const absl::Time now = env_.now();
  for (size_t i = 0; i < command.flags.size(); ++i) {
    if (command.options[i]->count() == 0) continue;
    std::vector<std::string> values = command.values[i];
    if (values.empty()) values.push_back("true");
    if (absl::Status s =
            ApplyFlag(command.flags[i], values, now, request.get());
        !s.ok()) {
      return Usage(s.message());
    }
  }
  FillCommandDefaults(env_.new_id, request.get());

  if (method.server_streaming()) {
    return RunTail(method, *request, 0);
  }
  absl::StatusOr<CallOptions> options = CallOptionsFor(false);
  if (!options.ok()) return Usage(options.status().message());
  std::unique_ptr<Message> response(
      factory->GetPrototype(method.output_type())->New());
  absl::Status status =
      transport().Unary(method, *options, *request, response.get());
  if (!status.ok()) return Failed(status);
  return Print(*response);
}

int Runner::RunReplay() {
  v1::ReplayCaseRequest request;
  request.set_case_id(replay_.case_id);
  absl::StatusOr<absl::Time> as_of = ParseTime(replay_.as_of, env_.now());
  if (!as_of.ok()) {
    return Usage(absl::StrCat("--as-of: ", as_of.status().message()));
  }
  *request.mutable_as_of() = ToTimestamp(*as_of);
  request.set_axis(replay_.axis == "occurred" ? v1::TIME_AXIS_OCCURRED
                                              : v1::TIME_AXIS_RECORDED);
  absl::StatusOr<CallOptions> options = CallOptionsFor(false);
  if (!options.ok()) return Usage(options.status().message());
  v1::ReplayCaseResponse response;
  absl::Status status = transport().Unary(AuditMethod("ReplayCase"), *options,
                                          request, &response);
  if (!status.ok()) return Failed(status);
  if (!global_.json) {
    *env_.out << "case " << replay_.case_id << " as of "
              << FormatTimestamp(request.as_of()) << " (" << replay_.axis
              << " time): " << response.events_applied()
              << " events applied, last position " << response.last_position()
              << "\n";
  }
  return Print(response);
}

int Runner::RunVerify() {
  v1::VerifyChainRequest request;
  request.set_from_position(verify_.from);
  request.set_to_position(verify_.to);
  absl::StatusOr<CallOptions> options = CallOptionsFor(false);
  if (!options.ok()) return Usage(options.status().message());
  v1::VerifyChainResponse response;
  absl::Status status = transport().Unary(AuditMethod("VerifyChain"), *options,
                                          request, &response);
  if (!status.ok()) return Failed(status);
  if (global_.json) {
    const int printed = Print(response);
    if (printed != kExitOk) return printed;
  } else if (response.ok()) {
    *env_.out << "chain ok: positions " << response.checked_from() << ".."
              << response.checked_to() << " verified\n";
  } else {
    *env_.out << "chain BROKEN at position " << response.first_bad_position()
              << ": " << response.reason() << " (checked "
              << response.checked_from() << ".." << response.checked_to()
              << ")\n";
  }
  return response.ok() ? kExitOk : kExitChainBroken;
}

// One line per event: position, stream@version, type, times, actor, payload.
std::string EventLine(const v1::EventEnvelope& e) {
  std::string type = e.event_type();
  if (absl::StartsWith(type, "renkei.v1.")) type = type.substr(10);
  std::string line = absl::StrFormat("%6d  %s@%d  %s", e.position(),
                                     e.stream_id(), e.stream_version(), type);
  if (e.has_occurred_at()) {
    absl::StrAppend(&line, "  occurred ", FormatTimestamp(e.occurred_at()));
  }
  if (e.has_recorded_at()) {
    absl::StrAppend(&line, "  recorded ", FormatTimestamp(e.recorded_at()));
  }
  if (!e.actor().staff_id().empty()) {
    absl::StrAppend(&line, "  by ", e.actor().staff_id());
    if (!e.actor().agency_id().empty()) {
      absl::StrAppend(&line, "@", e.actor().agency_id());
    }
  }
  const std::string payload = AnyText(e.payload());
  if (!payload.empty()) {
    absl::StrAppend(&line, "  ", TruncateToWidth(payload, 160));
  }
  return line;
}

int Runner::RunTail(const MethodDescriptor& method, const Message& request,
                    int64_t count) {
  absl::StatusOr<CallOptions> options = CallOptionsFor(true);
  if (!options.ok()) return Usage(options.status().message());
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> scratch(
      factory->GetPrototype(method.output_type())->New());
  int64_t seen = 0;
  absl::Status print_status;
  absl::Status status = transport().ServerStream(
      method, *options, request, scratch.get(), [&](const Message& message) {
        if (global_.json) {
          absl::StatusOr<std::string> json = RenderJson(message, false);
          if (!json.ok()) {
            print_status = json.status();
            return false;
          }
          *env_.out << *json << "\n";
        } else if (message.GetDescriptor() == v1::EventEnvelope::descriptor()) {
          v1::EventEnvelope envelope;
          envelope.CopyFrom(message);
          *env_.out << EventLine(envelope) << "\n";
        } else {
          *env_.out << RenderHuman(message) << "---\n";
        }
        env_.out->flush();
        ++seen;
        return count <= 0 || seen < count;
      });
  if (!print_status.ok()) return Failed(print_status);
  if (!status.ok()) return Failed(status);
  return kExitOk;
}

int Runner::RunDemoCommand() {
  absl::StatusOr<CallOptions> options = CallOptionsFor(false);
  if (!options.ok() && global_.as.empty()) {
    // The demo names its own staff; --as is not needed.
    options = CallOptions{};
    options->timeout = absl::Seconds(global_.timeout_seconds);
  }
  if (!options.ok()) return Usage(options.status().message());
  DemoOptions demo;
  // Signed in (as the administrator): the demo signs its staff in too.
  demo.admin_token = options->bearer_token;
  demo.run_id = demo_.run_id;
  demo.timeout = options->timeout;
  demo.now = env_.now();
  return RunDemo(transport(), demo, *env_.out, *env_.err);
}

int Runner::Run(const std::vector<std::string>& args) {
  CLI::App app{
      "renkei: the command line of Renkei, the multi-agency case-conference "
      "server.\nEvery call is made as a staff member (--as). Command flags "
      "follow the request's fields; --data takes the whole request as JSON."};
  app.name("renkei");
  Define(app);

  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp& e) {
    app.exit(e, *env_.out, *env_.err);
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    app.exit(e, *env_.out, *env_.err);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    if (args.size() == 1) {
      *env_.out << app.help();
      return kExitUsage;
    }
    app.exit(e, *env_.out, *env_.err);
    return kExitUsage;
  }

  for (MethodCommand& command : methods_) {
    if (command.app->parsed()) return RunMethod(command);
  }
  if (replay_.app != nullptr && replay_.app->parsed()) return RunReplay();
  if (verify_.app != nullptr && verify_.app->parsed()) return RunVerify();
  if (tail_.app != nullptr && tail_.app->parsed()) {
    v1::SubscribeRequest request;
    request.set_from_position(tail_.from);
    if (tail_.from_option->count() == 0) {
      // Live: from the event after the current head.
      absl::StatusOr<CallOptions> options = CallOptionsFor(false);
      if (!options.ok()) return Usage(options.status().message());
      v1::GetHeadResponse head;
      absl::Status status = transport().Unary(AuditMethod("GetHead"), *options,
                                              v1::GetHeadRequest(), &head);
      if (!status.ok()) return Failed(status);
      request.set_from_position(head.position() + 1);
    }
    for (const std::string& type : tail_.event_types) {
      request.add_event_types(type);
    }
    return RunTail(AuditMethod("Subscribe"), request, tail_.count);
  }
  if (demo_.app->parsed()) return RunDemoCommand();
  if (login_.login->parsed()) return RunLogin();
  if (login_.logout->parsed()) return RunLogout();
  *env_.out << app.help();
  return kExitUsage;
}

}  // namespace

CliEnvironment DefaultEnvironment(const std::atomic<bool>* stop) {
  CliEnvironment env;
  // TLS from the environment: RENKEI_TLS_CA (the server's CA bundle), and
  // for mutual TLS RENKEI_TLS_CERT and RENKEI_TLS_KEY.
  env.connect = [](const std::string& target) {
    auto from = [](const char* name) {
      const char* value = std::getenv(name);
      return value == nullptr ? std::string() : std::string(value);
    };
    std::string ca = from("RENKEI_TLS_CA");
    // The development server deploy/run.sh starts: its CA is in its data
    // directory.
    if (ca.empty() && target == kDefaultServer) {
      std::string data = from("RENKEI_DATA_DIR");
      if (data.empty()) data = "renkei-data";
      const std::string dev_ca = absl::StrCat(data, "/dev-tls/ca.pem");
      if (std::filesystem::exists(dev_ca)) ca = dev_ca;
    }
    return NewGrpcTransport(target,
                            TlsFiles{.ca_file = ca,
                                     .cert_file = from("RENKEI_TLS_CERT"),
                                     .key_file = from("RENKEI_TLS_KEY")});
  };
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  env.new_id = [] { return NewUuid(); };
  // A line from the terminal without echo, or from stdin when it is none.
  env.read_secret =
      [](const std::string& prompt) -> std::optional<std::string> {
    const bool tty = ::isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (tty) {
      std::cerr << prompt << std::flush;
      ::tcgetattr(STDIN_FILENO, &saved);
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    const bool got = static_cast<bool>(std::getline(std::cin, line));
    if (tty) {
      ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
      std::cerr << "\n";
    }
    if (!got) return std::nullopt;
    return line;
  };
  env.now = [] { return absl::Now(); };
  env.out = &std::cout;
  env.err = &std::cerr;
  env.stop = stop;
  return env;
}

int RunCli(const std::vector<std::string>& args, const CliEnvironment& env) {
  Runner runner(env);
  return runner.Run(args);
}

}  // namespace renkei::cli
