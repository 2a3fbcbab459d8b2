#include "services/server/handover_service.h"

#include <future>

#include "absl/strings/str_cat.h"
#include "services/app/access/case_access.h"
#include "services/domain/handover/decider.h"
#include "services/domain/handover/packet.h"
#include "services/server/errors.h"
#include "services/server/identity.h"
#include "services/server/rpc_adapter.h"
#include "storage/status_macros.h"

namespace renkei::server {

using app::Caller;
namespace {

// Runs one command through the pipeline and waits for its reply.
absl::StatusOr<v1::CommandReply> RunAndWait(app::DomainRuntime& rt,
                                            app::CommandRequest request) {
  std::promise<absl::StatusOr<v1::CommandReply>> done;
  auto reply = done.get_future();
  rt.pipeline().Run(std::move(request),
                    [&done](absl::StatusOr<v1::CommandReply> r) {
                      done.set_value(std::move(r));
                    });
  return reply.get();
}

// Completes a handover: records HandoverCompleted (once), then moves every
// lead and open item, each move a command of its own with a stable key. A
// retry after a partial failure records nothing twice and finishes the moves.
absl::StatusOr<v1::CommandReply> CompleteHandover(
    app::DomainRuntime& rt, const Caller& caller,
    const v1::CompleteHandoverRequest& req) {
  RENKEI_RETURN_IF_ERROR(domain::ValidateId("handover_id", req.handover_id()));
  const std::string stream = domain::HandoverStreamId(req.handover_id());
  v1::HandoverCommand command;
  command.set_handover_id(req.handover_id());
  RENKEI_RETURN_IF_ERROR(StampCommand(rt, caller, req.options(), command));
  *command.mutable_complete_handover() = req.command();

  app::CommandRequest record;
  record.stream_id = stream;
  record.caller = caller;
  record.options = req.options();
  record.fingerprint =
      app::CommandPipeline::RequestFingerprint("CompleteHandover", req);
  record.decide = [&rt, &command, &stream]() -> absl::StatusOr<app::Decision> {
    RENKEI_ASSIGN_OR_RETURN(
        auto directory,
        rt.directory().Load(std::string(domain::kDirectoryStreamId)));
    RENKEI_ASSIGN_OR_RETURN(auto snapshot, rt.handovers().Load(stream));
    RENKEI_ASSIGN_OR_RETURN(
        auto involvement, rt.LoadInvolved(snapshot.state->outgoing_staff_id()));
    RENKEI_ASSIGN_OR_RETURN(
        auto completion,
        domain::DecideHandoverCompletion(*snapshot.state, command,
                                         *directory.state, involvement.All()));
    app::Decision d;
    d.base_version = snapshot.version;
    for (const auto& e : completion.events)
      d.events.push_back(domain::ToProposedEvent(e));
    return d;
  };
  RENKEI_ASSIGN_OR_RETURN(v1::CommandReply reply,
                          RunAndWait(rt, std::move(record)));

  // The moves, planned from the completed handover.
  RENKEI_ASSIGN_OR_RETURN(auto handover, rt.handovers().Load(stream));
  const auto moves = domain::PlanHandoverCompletion(
      *handover.state, command.actor(), domain::ToTime(command.occurred_at()));
  for (const auto& move : moves) {
    app::CommandRequest run;
    run.stream_id = move.stream_id;
    run.caller = caller;
    run.options.set_idempotency_key(move.idempotency_key);
    run.options.set_correlation_id(reply.request_id());
    // A move is identified by its key, which names the handover and what
    // moves: a retry of the completion plans the same moves under the same
    // keys (their business time may differ, so it is not fingerprinted).
    v1::CommandOptions identity;
    identity.set_idempotency_key(move.idempotency_key);
    run.fingerprint = app::CommandPipeline::RequestFingerprint(
        absl::StrCat("CompleteHandover/move/", move.stream_id), identity);
    // Each move is decided at the server's time, like any command.
    run.decide = [&rt, &move]() -> absl::StatusOr<app::Decision> {
      const google::protobuf::Timestamp now = domain::ToTimestamp(rt.Now());
      if (const auto* c = std::get_if<v1::CaseCommand>(&move.command)) {
        v1::CaseCommand stamped = *c;
        *stamped.mutable_decided_at() = now;
        return DecideCase(rt, stamped, move.causation_id);
      }
      v1::ConferenceCommand stamped =
          std::get<v1::ConferenceCommand>(move.command);
      *stamped.mutable_decided_at() = now;
      return DecideConference(rt, stamped, move.causation_id);
    };
    auto moved = RunAndWait(rt, std::move(run));
    if (!moved.ok()) {
      return absl::Status(
          moved.status().code(),
          absl::StrCat("handover recorded as complete, but moving ",
                       move.stream_id, " failed: ", moved.status().message(),
                       "; retry CompleteHandover to finish"));
    }
  }
  return reply;
}

}  // namespace

grpc::ServerUnaryReactor* HandoverServiceImpl::CompleteHandover(
    grpc::CallbackServerContext* ctx, const v1::CompleteHandoverRequest* req,
    v1::CommandReply* reply) {
  auto* reactor = ctx->DefaultReactor();
  auto caller = IdentifyForCommand(rt_, *ctx);
  if (caller.ok()) {
    if (absl::Status s = app::AuthorizeRpc(*caller, app::RpcAccess::kCaseWrite);
        !s.ok()) {
      caller = s;
    }
  }
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  // Several commands run one after another, each waited for: on a query
  // worker (bounded, and waited for at shutdown), not on the gRPC thread.
  if (completing_.fetch_add(1) >= kMaxCompletions) {
    --completing_;
    FinishCommand(reactor, reply, "CompleteHandover",
                  *caller)(errors::TooManyCompletions(kMaxCompletions));
    return reactor;
  }
  absl::Status queued =
      rt_.RunQueryTask([this, reactor, req, reply, caller = *caller] {
        auto result = server::CompleteHandover(rt_, caller, *req);
        --completing_;
        FinishCommand(reactor, reply, "CompleteHandover",
                      caller)(std::move(result));
      });
  if (!queued.ok()) {
    --completing_;
    FinishCommand(reactor, reply, "CompleteHandover", *caller)(queued);
  }
  return reactor;
}

grpc::ServerUnaryReactor* HandoverServiceImpl::StartHandover(
    grpc::CallbackServerContext* ctx, const v1::StartHandoverRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::HandoverCommand::mutable_start_handover>(
      rt_, ctx, *req, req->handover_id(), reply, "StartHandover");
}

grpc::ServerUnaryReactor* HandoverServiceImpl::AcknowledgeHandoverPacket(
    grpc::CallbackServerContext* ctx,
    const v1::AcknowledgeHandoverPacketRequest* req, v1::CommandReply* reply) {
  return RunCommand<&v1::HandoverCommand::mutable_acknowledge_handover_packet>(
      rt_, ctx, *req, req->handover_id(), reply, "AcknowledgeHandoverPacket");
}

grpc::ServerUnaryReactor* HandoverServiceImpl::CancelHandover(
    grpc::CallbackServerContext* ctx, const v1::CancelHandoverRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::HandoverCommand::mutable_cancel_handover>(
      rt_, ctx, *req, req->handover_id(), reply, "CancelHandover");
}

grpc::ServerUnaryReactor* HandoverServiceImpl::GetHandoverPacket(
    grpc::CallbackServerContext* ctx, const v1::GetHandoverPacketRequest* req,
    v1::HandoverPacket* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_RETURN_IF_ERROR(
        domain::ValidateId("handover_id", req->handover_id()));
    RENKEI_ASSIGN_OR_RETURN(
        auto handover,
        rt_.handovers().Load(domain::HandoverStreamId(req->handover_id())));
    // The same answer whether or not the handover exists: its ids are not
    // to be probed.
    const absl::Status not_visible =
        errors::HandoverNotVisible(req->handover_id());
    if (handover.version == 0) return not_visible;
    const auto& h = *handover.state;
    if (caller.staff_id != h.outgoing_staff_id() &&
        caller.staff_id != h.successor_staff_id() &&
        caller.agency_id != h.agency_id()) {
      return not_visible;
    }
    const absl::Time as_of =
        req->has_as_of() ? domain::ToTime(req->as_of()) : rt_.Now();
    RENKEI_ASSIGN_OR_RETURN(auto involvement,
                            rt_.LoadInvolved(h.outgoing_staff_id()));
    // Built for the reader: the case content in it goes through the sharing
    // decision for the caller's agency at the server's time.
    domain::PacketOptions options;
    options.reader =
        domain::ViewRequest{.agency_id = caller.agency_id,
                            .purpose = v1::SHARING_PURPOSE_SUPPORT_COORDINATION,
                            .at = rt_.Now(),
                            .forum_id = "",
                            .auditor = rt_.IsAuditor(caller)};
    *resp = domain::BuildHandoverPacket(h, involvement.All(), as_of, options);
    // The packet shows case content: each case in it is a recorded read.
    const std::string basis = caller.staff_id == h.outgoing_staff_id()
                                  ? "outgoing staff member of handover"
                              : caller.staff_id == h.successor_staff_id()
                                  ? "successor of handover"
                                  : "agency of handover";
    std::vector<app::CaseReadRecord> reads;
    for (const auto& c : resp->cases()) {
      reads.push_back({c.case_id(), basis, req->handover_id()});
    }
    absl::Status recorded =
        app::RecordCaseReads(rt_, caller, "GetHandoverPacket", reads);
    if (!recorded.ok()) resp->Clear();
    return recorded;
  });
}

}  // namespace renkei::server
