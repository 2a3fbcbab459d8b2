// HandoverServiceImpl: staff rotation: packet, acknowledgement, completion.
#pragma once

#include <atomic>

#include "renkei/v1/handover_service.grpc.pb.h"
#include "services/app/runtime/domain_runtime.h"

namespace renkei::server {

// Thread-safety: safe for concurrent calls; `rt` must outlive the service.
class HandoverServiceImpl final : public v1::HandoverService::CallbackService {
 public:
  explicit HandoverServiceImpl(app::DomainRuntime* rt) : rt_(*rt) {}

  grpc::ServerUnaryReactor* StartHandover(grpc::CallbackServerContext* ctx,
                                          const v1::StartHandoverRequest* req,
                                          v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* AcknowledgeHandoverPacket(
      grpc::CallbackServerContext* ctx,
      const v1::AcknowledgeHandoverPacketRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* CompleteHandover(
      grpc::CallbackServerContext* ctx, const v1::CompleteHandoverRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* CancelHandover(grpc::CallbackServerContext* ctx,
                                           const v1::CancelHandoverRequest* req,
                                           v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* GetHandoverPacket(
      grpc::CallbackServerContext* ctx, const v1::GetHandoverPacketRequest* req,
      v1::HandoverPacket* resp) override;

 private:
  app::DomainRuntime& rt_;
  // Completions running now: each holds a query worker for its chain of
  // commands, so at most kMaxCompletions at once leave the rest to queries.
  static constexpr int kMaxCompletions = 4;
  std::atomic<int> completing_{0};
};

}  // namespace renkei::server
