// PlanServiceImpl: the shared support plan, stage leads and their bitemporal
// history.
#pragma once

#include "renkei/v1/plan_service.grpc.pb.h"
#include "services/app/runtime/domain_runtime.h"

namespace renkei::server {

// Thread-safety: safe for concurrent calls; `rt` must outlive the service.
class PlanServiceImpl final : public v1::PlanService::CallbackService {
 public:
  explicit PlanServiceImpl(app::DomainRuntime* rt) : rt_(*rt) {}

  grpc::ServerUnaryReactor* ReviseSupportPlan(
      grpc::CallbackServerContext* ctx, const v1::ReviseSupportPlanRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* AssignStageLead(
      grpc::CallbackServerContext* ctx, const v1::AssignStageLeadRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* TransferStageLead(
      grpc::CallbackServerContext* ctx, const v1::TransferStageLeadRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* CorrectStageLead(
      grpc::CallbackServerContext* ctx, const v1::CorrectStageLeadRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* EndStageLead(grpc::CallbackServerContext* ctx,
                                         const v1::EndStageLeadRequest* req,
                                         v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* TransferCase(grpc::CallbackServerContext* ctx,
                                         const v1::TransferCaseRequest* req,
                                         v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* GetSupportPlan(grpc::CallbackServerContext* ctx,
                                           const v1::GetSupportPlanRequest* req,
                                           v1::SupportPlan* resp) override;
  grpc::ServerUnaryReactor* GetStageLeadHistory(
      grpc::CallbackServerContext* ctx,
      const v1::GetStageLeadHistoryRequest* req,
      v1::GetStageLeadHistoryResponse* resp) override;
  grpc::ServerUnaryReactor* GetLeadAt(grpc::CallbackServerContext* ctx,
                                      const v1::GetLeadAtRequest* req,
                                      v1::GetLeadAtResponse* resp) override;

 private:
  app::DomainRuntime& rt_;
};

}  // namespace renkei::server
