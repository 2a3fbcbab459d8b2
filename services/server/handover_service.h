// HandoverServiceImpl: staff rotation: packet, acknowledgement, completion.
#pragma once

#include "renkei/v1/handover_service.grpc.pb.h"
#include "services/server/domain_runtime.h"

namespace renkei::server {

// Thread-safety: safe for concurrent calls; `rt` must outlive the service.
class HandoverServiceImpl final : public v1::HandoverService::CallbackService {
 public:
  explicit HandoverServiceImpl(DomainRuntime* rt) : rt_(*rt) {}

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
  DomainRuntime& rt_;
};

}  // namespace renkei::server
