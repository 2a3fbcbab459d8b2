// Adapts RPCs to the domain. A command RPC becomes a domain command run
// through the CommandPipeline (identify the caller, stamp time and actor,
// decide on the current state, append, reply); a query RPC runs a handler as
// an identified reader. Each RPC method is then one line.
#pragma once

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <string>

#include "renkei/v1/case.pb.h"
#include "renkei/v1/command.pb.h"
#include "renkei/v1/directory.pb.h"
#include "services/app/access/authorization.h"
#include "services/app/runtime/domain_runtime.h"
#include "services/domain/case/decider.h"
#include "services/domain/conference/decider.h"
#include "services/domain/errors.h"
#include "services/domain/event_codec.h"
#include "services/domain/handover/decider.h"
#include "services/domain/handover/responsibilities.h"
#include "services/domain/lookup.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"
#include "services/server/grpc_status.h"
#include "services/server/identity.h"

namespace renkei::server {

// Finishes `reactor` with the pipeline's outcome, logging the request. With
// `rt`, a reply to ShareInformation, MakeReferral or ReferReferralOn lists
// the entries the written events sent and the basis found for each (read
// back from the log, so a retry answers the same).
app::CommandDone FinishCommand(grpc::ServerUnaryReactor* reactor,
                               v1::CommandReply* reply, std::string method,
                               const app::Caller& caller,
                               app::DomainRuntime* rt = nullptr);

// How far a caller's clock may run ahead of the server's, and the earliest
// business time accepted: an occurred_at outside is INVALID_ARGUMENT.
inline constexpr absl::Duration kMaxClockSkew = absl::Minutes(5);
inline const absl::Time kEarliestOccurredAt = absl::FromCivil(
    absl::CivilSecond(2000, 1, 1, 0, 0, 0), absl::UTCTimeZone());

// occurred_at is business time only, bounded: not after the server's time
// plus kMaxClockSkew, not before kEarliestOccurredAt.
[[nodiscard]] absl::Status ValidateOccurredAt(const v1::CommandOptions& options,
                                              absl::Time now);

// Stamps a wrapper command with the business time and the acting caller,
// and a case command with the server's time of decision (decided_at), at
// which sharing and authority are decided.
template <typename Command>
[[nodiscard]] absl::Status StampCommand(app::DomainRuntime& rt,
                                        const app::Caller& caller,
                                        const v1::CommandOptions& options,
                                        Command& command) {
  const absl::Time now = rt.Now();
  if (absl::Status s = ValidateOccurredAt(options, now); !s.ok()) return s;
  *command.mutable_occurred_at() = options.has_occurred_at()
                                       ? options.occurred_at()
                                       : domain::ToTimestamp(now);
  command.mutable_actor()->set_staff_id(caller.staff_id);
  command.mutable_actor()->set_agency_id(caller.agency_id);
  if constexpr (requires { command.mutable_decided_at(); }) {
    *command.mutable_decided_at() = domain::ToTimestamp(now);
  }
  return absl::OkStatus();
}

// Decides one wrapper command against the current state of its stream (and
// whatever else the decider consults), as pipeline events with `causation`.
[[nodiscard]] absl::StatusOr<app::Decision> DecideDirectory(
    app::DomainRuntime& rt, const v1::DirectoryCommand& command);
[[nodiscard]] absl::StatusOr<app::Decision> DecideCase(
    app::DomainRuntime& rt, const v1::CaseCommand& command,
    const std::string& causation = "");
[[nodiscard]] absl::StatusOr<app::Decision> DecideConference(
    app::DomainRuntime& rt, const v1::ConferenceCommand& command,
    const std::string& causation = "");
// Handover commands other than completion (see HandoverServiceImpl).
[[nodiscard]] absl::StatusOr<app::Decision> DecideHandover(
    app::DomainRuntime& rt, const v1::HandoverCommand& command);

// The wrapper command type of a `mutable_<field>` member pointer.
template <typename T>
struct WrapperOf;
template <typename Wrapper, typename Field>
struct WrapperOf<Field* (Wrapper::*)()> {
  using type = Wrapper;
};

// The aggregate behind each wrapper command: its stream and its decider.
template <typename Command>
struct Aggregate;
template <>
struct Aggregate<v1::DirectoryCommand> {
  static constexpr app::RpcAccess kAccess = app::RpcAccess::kDirectoryAdmin;
  static std::string Stream(const v1::DirectoryCommand&) {
    return std::string(domain::kDirectoryStreamId);
  }
  static absl::Status SetId(v1::DirectoryCommand&, const std::string&) {
    return absl::OkStatus();
  }
  static absl::StatusOr<app::Decision> Decide(app::DomainRuntime& rt,
                                              const v1::DirectoryCommand& c) {
    return DecideDirectory(rt, c);
  }
};
template <>
struct Aggregate<v1::CaseCommand> {
  static constexpr app::RpcAccess kAccess = app::RpcAccess::kCaseWrite;
  static std::string Stream(const v1::CaseCommand& c) {
    return domain::CaseStreamId(c.case_id());
  }
  static absl::Status SetId(v1::CaseCommand& c, const std::string& id) {
    c.set_case_id(id);
    return domain::ValidateId("case_id", id);
  }
  static absl::StatusOr<app::Decision> Decide(app::DomainRuntime& rt,
                                              const v1::CaseCommand& c) {
    return DecideCase(rt, c);
  }
};
template <>
struct Aggregate<v1::ConferenceCommand> {
  static constexpr app::RpcAccess kAccess = app::RpcAccess::kCaseWrite;
  static std::string Stream(const v1::ConferenceCommand& c) {
    return domain::ConferenceStreamId(c.conference_id());
  }
  static absl::Status SetId(v1::ConferenceCommand& c, const std::string& id) {
    c.set_conference_id(id);
    return domain::ValidateId("conference_id", id);
  }
  static absl::StatusOr<app::Decision> Decide(app::DomainRuntime& rt,
                                              const v1::ConferenceCommand& c) {
    return DecideConference(rt, c);
  }
};
template <>
struct Aggregate<v1::HandoverCommand> {
  static constexpr app::RpcAccess kAccess = app::RpcAccess::kCaseWrite;
  static std::string Stream(const v1::HandoverCommand& c) {
    return domain::HandoverStreamId(c.handover_id());
  }
  static absl::Status SetId(v1::HandoverCommand& c, const std::string& id) {
    c.set_handover_id(id);
    return domain::ValidateId("handover_id", id);
  }
  static absl::StatusOr<app::Decision> Decide(app::DomainRuntime& rt,
                                              const v1::HandoverCommand& c) {
    return DecideHandover(rt, c);
  }
};

// A command RPC. `Mutable` names the wrapper's oneof field, e.g.
// &v1::CaseCommand::mutable_open_case; `id` is the aggregate's id from the
// request (unused for the directory). `committed`, when given, runs once the
// command's events are in the log, before the reply.
template <auto Mutable, typename Request>
grpc::ServerUnaryReactor* RunCommand(
    app::DomainRuntime& rt, grpc::CallbackServerContext* ctx,
    const Request& req, const std::string& id, v1::CommandReply* reply,
    const char* method,
    std::type_identity_t<
        std::function<void(const app::Caller&, const Request&)>>
        committed = nullptr,
    std::optional<app::RpcAccess> access = std::nullopt) {
  using Command = typename WrapperOf<decltype(Mutable)>::type;
  auto* reactor = ctx->DefaultReactor();
  auto caller = IdentifyForCommand(rt, *ctx);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  // The role gate first, before anything of the request is looked at.
  if (absl::Status s = app::AuthorizeRpc(
          *caller, access.value_or(Aggregate<Command>::kAccess));
      !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  auto command = std::make_shared<Command>();
  if (absl::Status s = Aggregate<Command>::SetId(*command, id); !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  if (absl::Status s = StampCommand(rt, *caller, req.options(), *command);
      !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  *((*command).*Mutable)() = req.command();

  app::CommandRequest run;
  run.stream_id = Aggregate<Command>::Stream(*command);
  run.caller = *caller;
  run.options = req.options();
  run.fingerprint = app::CommandPipeline::RequestFingerprint(method, req);
  run.decide = [&rt, command] {
    return Aggregate<Command>::Decide(rt, *command);
  };
  app::CommandDone done = FinishCommand(reactor, reply, method, *caller, &rt);
  if (committed) {
    done = [done = std::move(done), committed = std::move(committed),
            caller = *caller, &req](absl::StatusOr<v1::CommandReply> result) {
      if (result.ok()) committed(caller, req);
      done(std::move(result));
    };
  }
  rt.pipeline().Run(std::move(run), std::move(done));
  return reactor;
}

// A query RPC: `handler(const Caller&) -> absl::Status` fills the response.
// It runs on a query worker (see QueryWorkers), possibly after this returns,
// so it is taken by value and must capture by value what it uses (the
// request and response pointers stay valid until the reactor is finished).
// What a query reads: case content (every service but the directory's) is
// never read by an administrator, who manages the directory only.
enum class QueryScope { kCases, kDirectory, kAdmin, kAudit };

inline app::RpcAccess AccessOf(QueryScope scope) {
  switch (scope) {
    case QueryScope::kCases:
      return app::RpcAccess::kCaseRead;
    case QueryScope::kDirectory:
      return app::RpcAccess::kSignedIn;
    case QueryScope::kAdmin:
      return app::RpcAccess::kDirectoryAdmin;
    case QueryScope::kAudit:
      return app::RpcAccess::kAudit;
  }
  return app::RpcAccess::kDirectoryAdmin;
}

template <typename Handler>
grpc::ServerUnaryReactor* RunQuery(app::DomainRuntime& rt,
                                   grpc::CallbackServerContext* ctx,
                                   Handler handler,
                                   QueryScope scope = QueryScope::kCases) {
  auto* reactor = ctx->DefaultReactor();
  absl::Status queued =
      rt.RunQueryTask([&rt, ctx, reactor, scope, handler = std::move(handler)] {
        auto caller = IdentifyForQuery(rt, *ctx);
        if (caller.ok()) {
          absl::Status allowed = app::AuthorizeRpc(*caller, AccessOf(scope));
          if (!allowed.ok()) caller = allowed;
        }
        absl::Status status = caller.ok() ? handler(*caller) : caller.status();
        reactor->Finish(ToGrpcStatus(status));
      });
  if (!queued.ok()) reactor->Finish(ToGrpcStatus(queued));
  return reactor;
}

}  // namespace renkei::server
