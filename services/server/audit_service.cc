#include "services/server/audit_service.h"

#include "absl/strings/str_cat.h"
#include "services/server/grpc_status.h"
#include "storage/status_macros.h"

namespace renkei::server {
namespace {

absl::StatusOr<size_t> PageSize(int32_t requested, const ReadLimits& limits) {
  if (requested < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit must not be negative; got ", requested));
  }
  if (requested > limits.max_page_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit ", requested, " is over the maximum page size of ",
                     limits.max_page_size, "; page through with `next`"));
  }
  return static_cast<size_t>(requested == 0 ? limits.default_page_size
                                            : requested);
}

}  // namespace

absl::Status HandleReadStream(const storage::EventLog& log,
                              const ReadLimits& limits,
                              const v1::ReadStreamRequest& req,
                              v1::ReadEventsResponse* resp) {
  RENKEI_ASSIGN_OR_RETURN(size_t limit, PageSize(req.limit(), limits));
  storage::ReadStreamQuery q;
  q.stream_id = req.stream_id();
  q.from_version = req.from_version();
  if (req.direction() == v1::READ_DIRECTION_BACKWARD) {
    q.direction = storage::Direction::kBackward;
  } else if (req.direction() != v1::READ_DIRECTION_FORWARD) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown read direction ", req.direction()));
  }
  q.limit = limit;
  q.event_types.assign(req.event_types().begin(), req.event_types().end());
  RENKEI_ASSIGN_OR_RETURN(auto head, log.GetStreamHead(q.stream_id));
  if (head.version == 0) {
    return absl::NotFoundError(
        absl::StrCat("stream '", q.stream_id, "' does not exist"));
  }
  RENKEI_ASSIGN_OR_RETURN(auto events, log.ReadStream(q));
  resp->set_head(head.version);
  if (!events.empty()) {
    const uint64_t last = events.back().stream_version();
    const bool forward = q.direction == storage::Direction::kForward;
    if (events.size() == limit) {
      resp->set_next(forward ? (last < head.version ? last + 1 : 0)
                             : (last > 1 ? last - 1 : 0));
    }
  }
  for (auto& e : events) *resp->add_events() = std::move(e);
  return absl::OkStatus();
}

absl::Status HandleReadAll(const storage::EventLog& log,
                           const ReadLimits& limits,
                           const v1::ReadAllRequest& req,
                           v1::ReadEventsResponse* resp) {
  RENKEI_ASSIGN_OR_RETURN(size_t limit, PageSize(req.limit(), limits));
  storage::ReadAllQuery q;
  q.from_position = std::max<uint64_t>(req.from_position(), 1);
  q.limit = limit;
  q.event_types.assign(req.event_types().begin(), req.event_types().end());
  const uint64_t head = log.Head();
  RENKEI_ASSIGN_OR_RETURN(auto events, log.ReadAll(q));
  resp->set_head(head);
  if (events.size() == limit && events.back().position() < head) {
    resp->set_next(events.back().position() + 1);
  }
  for (auto& e : events) *resp->add_events() = std::move(e);
  return absl::OkStatus();
}

absl::Status HandleVerifyChain(const storage::EventLog& log,
                               const v1::VerifyChainRequest& req,
                               v1::VerifyChainResponse* resp) {
  if (req.to_position() != 0 && req.from_position() > req.to_position()) {
    return absl::InvalidArgumentError(
        absl::StrCat("from_position ", req.from_position(),
                     " is after to_position ", req.to_position()));
  }
  RENKEI_ASSIGN_OR_RETURN(
      auto report, log.VerifyChain(req.from_position(), req.to_position()));
  resp->set_ok(report.ok);
  resp->set_checked_from(report.checked_from);
  resp->set_checked_to(report.checked_to);
  resp->set_first_bad_position(report.first_bad_position);
  resp->set_reason(report.reason);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AuditServiceImpl::ReadStream(
    grpc::CallbackServerContext* ctx, const v1::ReadStreamRequest* req,
    v1::ReadEventsResponse* resp) {
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleReadStream(*log_, limits_, *req, resp)));
  return reactor;
}

grpc::ServerUnaryReactor* AuditServiceImpl::ReadAll(
    grpc::CallbackServerContext* ctx, const v1::ReadAllRequest* req,
    v1::ReadEventsResponse* resp) {
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleReadAll(*log_, limits_, *req, resp)));
  return reactor;
}

grpc::ServerUnaryReactor* AuditServiceImpl::VerifyChain(
    grpc::CallbackServerContext* ctx, const v1::VerifyChainRequest* req,
    v1::VerifyChainResponse* resp) {
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleVerifyChain(*log_, *req, resp)));
  return reactor;
}

grpc::ServerUnaryReactor* AuditServiceImpl::GetHead(
    grpc::CallbackServerContext* ctx, const v1::GetHeadRequest*,
    v1::GetHeadResponse* resp) {
  storage::LogHead head = log_->GetHead();
  resp->set_position(head.position);
  resp->set_hash(head.hash);
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace renkei::server
