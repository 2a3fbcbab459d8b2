// ReferralServiceImpl: closed-loop referrals between agencies.
#pragma once

#include "renkei/v1/referral_service.grpc.pb.h"
#include "services/app/runtime/domain_runtime.h"

namespace renkei::server {

// Thread-safety: safe for concurrent calls; `rt` must outlive the service.
class ReferralServiceImpl final : public v1::ReferralService::CallbackService {
 public:
  explicit ReferralServiceImpl(app::DomainRuntime* rt) : rt_(*rt) {}

  grpc::ServerUnaryReactor* MakeReferral(grpc::CallbackServerContext* ctx,
                                         const v1::MakeReferralRequest* req,
                                         v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* AcceptReferral(grpc::CallbackServerContext* ctx,
                                           const v1::AcceptReferralRequest* req,
                                           v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* DeclineReferral(
      grpc::CallbackServerContext* ctx, const v1::DeclineReferralRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ReturnReferral(grpc::CallbackServerContext* ctx,
                                           const v1::ReturnReferralRequest* req,
                                           v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ReferReferralOn(
      grpc::CallbackServerContext* ctx, const v1::ReferReferralOnRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* GiveReferralFeedback(
      grpc::CallbackServerContext* ctx,
      const v1::GiveReferralFeedbackRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* CloseReferral(grpc::CallbackServerContext* ctx,
                                          const v1::CloseReferralRequest* req,
                                          v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ReassignReferralHandler(
      grpc::CallbackServerContext* ctx,
      const v1::ReassignReferralHandlerRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* GetReferral(grpc::CallbackServerContext* ctx,
                                        const v1::GetReferralRequest* req,
                                        v1::ReferralView* resp) override;
  grpc::ServerUnaryReactor* ListReferrals(
      grpc::CallbackServerContext* ctx, const v1::ListReferralsRequest* req,
      v1::ListReferralsResponse* resp) override;
  grpc::ServerUnaryReactor* ListOverdueReferrals(
      grpc::CallbackServerContext* ctx,
      const v1::ListOverdueReferralsRequest* req,
      v1::ListOverdueReferralsResponse* resp) override;

 private:
  app::DomainRuntime& rt_;
};

}  // namespace renkei::server
