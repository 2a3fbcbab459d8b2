// Adapts RPCs to the domain. A command RPC becomes a domain command run
// through the CommandPipeline (identify the caller, stamp time and actor,
// decide on the current state, append, reply); a query RPC runs a handler as
// an identified reader. Each RPC method is then one line.
#pragma once

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include "renkei/v1/case.pb.h"
#include "renkei/v1/command.pb.h"
#include "renkei/v1/directory.pb.h"
#include "services/domain/case/decider.h"
#include "services/domain/conference/decider.h"
#include "services/domain/event_codec.h"
#include "services/domain/handover/decider.h"
#include "services/domain/handover/responsibilities.h"
#include "services/domain/lookup.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"
#include "services/server/domain_runtime.h"
#include "services/server/grpc_status.h"

namespace renkei::server {

// Finishes `reactor` with the pipeline's outcome, logging the request.
CommandDone FinishCommand(grpc::ServerUnaryReactor* reactor,
                          v1::CommandReply* reply, std::string method,
                          const Caller& caller);

// Stamps a wrapper command with the business time and the acting caller.
template <typename Command>
void StampCommand(DomainRuntime& rt, const Caller& caller,
                  const v1::CommandOptions& options, Command& command) {
  *command.mutable_occurred_at() = options.has_occurred_at()
                                       ? options.occurred_at()
                                       : domain::ToTimestamp(rt.Now());
  command.mutable_actor()->set_staff_id(caller.staff_id);
  command.mutable_actor()->set_agency_id(caller.agency_id);
}

// A CaseCommand RPC: `Mutable` is e.g. &v1::CaseCommand::mutable_open_case.
template <auto Mutable, typename Request>
grpc::ServerUnaryReactor* RunCaseCommand(DomainRuntime& rt,
                                         grpc::CallbackServerContext* ctx,
                                         const Request& req,
                                         v1::CommandReply* reply,
                                         const char* method) {
  auto* reactor = ctx->DefaultReactor();
  auto caller = rt.IdentifyForCommand(*ctx);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  if (absl::Status s = domain::ValidateId("case_id", req.case_id()); !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  auto command = std::make_shared<v1::CaseCommand>();
  command->set_case_id(req.case_id());
  StampCommand(rt, *caller, req.options(), *command);
  *((*command).*Mutable)() = req.command();

  CommandRequest run;
  run.stream_id = domain::CaseStreamId(req.case_id());
  run.caller = *caller;
  run.options = req.options();
  run.decide = [&rt, command,
                stream = run.stream_id]() -> absl::StatusOr<Decision> {
    auto directory =
        rt.directory().Load(std::string(domain::kDirectoryStreamId));
    if (!directory.ok()) return directory.status();
    auto snapshot = rt.cases().Load(stream);
    if (!snapshot.ok()) return snapshot.status();
    auto loaded = rt.LoadLookup(domain::ReferencedStreams(*command));
    if (!loaded.ok()) return loaded.status();
    auto events = domain::Decide(*snapshot->state, *command, *directory->state,
                                 loaded->lookup());
    if (!events.ok()) return events.status();
    Decision decision;
    decision.base_version = snapshot->version;
    for (const auto& e : *events) {
      decision.events.push_back(domain::ToProposedEvent(e));
    }
    return decision;
  };
  rt.pipeline().Run(std::move(run),
                    FinishCommand(reactor, reply, method, *caller));
  return reactor;
}

// A DirectoryCommand RPC: `Mutable` is e.g.
// &v1::DirectoryCommand::mutable_register_agency.
template <auto Mutable, typename Request>
grpc::ServerUnaryReactor* RunDirectoryCommand(DomainRuntime& rt,
                                              grpc::CallbackServerContext* ctx,
                                              const Request& req,
                                              v1::CommandReply* reply,
                                              const char* method) {
  auto* reactor = ctx->DefaultReactor();
  auto caller = rt.IdentifyForCommand(*ctx);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  auto command = std::make_shared<v1::DirectoryCommand>();
  StampCommand(rt, *caller, req.options(), *command);
  *((*command).*Mutable)() = req.command();

  CommandRequest run;
  run.stream_id = std::string(domain::kDirectoryStreamId);
  run.caller = *caller;
  run.options = req.options();
  run.decide = [&rt, command]() -> absl::StatusOr<Decision> {
    auto snapshot =
        rt.directory().Load(std::string(domain::kDirectoryStreamId));
    if (!snapshot.ok()) return snapshot.status();
    absl::StatusOr<std::vector<v1::DirectoryEvent>> events;
    if (command->has_record_staff_departure()) {
      // A departure is checked against everything the person still holds.
      const std::string& staff = command->record_staff_departure().staff_id();
      auto universe = rt.LoadUniverse();
      if (!universe.ok()) return universe.status();
      events = domain::Decide(
          *snapshot->state, *command,
          domain::ResponsibilitiesForDeparture(
              staff, universe->Involving(staff), universe->Handovers(),
              domain::ToTime(command->occurred_at())));
    } else {
      events = domain::Decide(*snapshot->state, *command);
    }
    if (!events.ok()) return events.status();
    Decision decision;
    decision.base_version = snapshot->version;
    for (const auto& e : *events) {
      decision.events.push_back(domain::ToProposedEvent(e));
    }
    return decision;
  };
  rt.pipeline().Run(std::move(run),
                    FinishCommand(reactor, reply, method, *caller));
  return reactor;
}

// A ConferenceCommand RPC: `Mutable` is e.g.
// &v1::ConferenceCommand::mutable_schedule_conference.
template <auto Mutable, typename Request>
grpc::ServerUnaryReactor* RunConferenceCommand(DomainRuntime& rt,
                                               grpc::CallbackServerContext* ctx,
                                               const Request& req,
                                               v1::CommandReply* reply,
                                               const char* method) {
  auto* reactor = ctx->DefaultReactor();
  auto caller = rt.IdentifyForCommand(*ctx);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  if (absl::Status s = domain::ValidateId("conference_id", req.conference_id());
      !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  auto command = std::make_shared<v1::ConferenceCommand>();
  command->set_conference_id(req.conference_id());
  StampCommand(rt, *caller, req.options(), *command);
  *((*command).*Mutable)() = req.command();

  CommandRequest run;
  run.stream_id = domain::ConferenceStreamId(req.conference_id());
  run.caller = *caller;
  run.options = req.options();
  run.decide = [&rt, command,
                stream = run.stream_id]() -> absl::StatusOr<Decision> {
    auto directory =
        rt.directory().Load(std::string(domain::kDirectoryStreamId));
    if (!directory.ok()) return directory.status();
    auto snapshot = rt.conferences().Load(stream);
    if (!snapshot.ok()) return snapshot.status();
    auto loaded =
        rt.LoadLookup(domain::ReferencedStreams(*snapshot->state, *command));
    if (!loaded.ok()) return loaded.status();
    auto events = domain::Decide(*snapshot->state, *command, *directory->state,
                                 loaded->lookup());
    if (!events.ok()) return events.status();
    Decision decision;
    decision.base_version = snapshot->version;
    for (const auto& e : *events) {
      decision.events.push_back(domain::ToProposedEvent(e));
    }
    return decision;
  };
  rt.pipeline().Run(std::move(run),
                    FinishCommand(reactor, reply, method, *caller));
  return reactor;
}

// A HandoverCommand RPC other than completion (see HandoverServiceImpl).
template <auto Mutable, typename Request>
grpc::ServerUnaryReactor* RunHandoverCommand(DomainRuntime& rt,
                                             grpc::CallbackServerContext* ctx,
                                             const Request& req,
                                             v1::CommandReply* reply,
                                             const char* method) {
  auto* reactor = ctx->DefaultReactor();
  auto caller = rt.IdentifyForCommand(*ctx);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  if (absl::Status s = domain::ValidateId("handover_id", req.handover_id());
      !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  auto command = std::make_shared<v1::HandoverCommand>();
  command->set_handover_id(req.handover_id());
  StampCommand(rt, *caller, req.options(), *command);
  *((*command).*Mutable)() = req.command();

  CommandRequest run;
  run.stream_id = domain::HandoverStreamId(req.handover_id());
  run.caller = *caller;
  run.options = req.options();
  run.decide = [&rt, command,
                stream = run.stream_id]() -> absl::StatusOr<Decision> {
    auto directory =
        rt.directory().Load(std::string(domain::kDirectoryStreamId));
    if (!directory.ok()) return directory.status();
    auto snapshot = rt.handovers().Load(stream);
    if (!snapshot.ok()) return snapshot.status();
    auto universe = rt.LoadUniverse();
    if (!universe.ok()) return universe.status();
    auto events = domain::Decide(*snapshot->state, *command, *directory->state,
                                 universe->All());
    if (!events.ok()) return events.status();
    Decision decision;
    decision.base_version = snapshot->version;
    for (const auto& e : *events) {
      decision.events.push_back(domain::ToProposedEvent(e));
    }
    return decision;
  };
  rt.pipeline().Run(std::move(run),
                    FinishCommand(reactor, reply, method, *caller));
  return reactor;
}

// A query RPC: `handler(const Caller&) -> absl::Status` fills the response.
template <typename Handler>
grpc::ServerUnaryReactor* RunQuery(DomainRuntime& rt,
                                   grpc::CallbackServerContext* ctx,
                                   Handler&& handler) {
  auto* reactor = ctx->DefaultReactor();
  auto caller = rt.IdentifyForQuery(*ctx);
  absl::Status status = caller.ok() ? handler(*caller) : caller.status();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace renkei::server
