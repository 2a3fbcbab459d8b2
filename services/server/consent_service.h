// ConsentServiceImpl: consent records, statutory forums, disclosures and
// sharing checks.
#pragma once

#include "renkei/v1/consent_service.grpc.pb.h"
#include "services/app/runtime/domain_runtime.h"

namespace renkei::server {

// Thread-safety: safe for concurrent calls; `rt` must outlive the service.
class ConsentServiceImpl final : public v1::ConsentService::CallbackService {
 public:
  explicit ConsentServiceImpl(app::DomainRuntime* rt) : rt_(*rt) {}

  grpc::ServerUnaryReactor* GiveConsent(grpc::CallbackServerContext* ctx,
                                        const v1::GiveConsentRequest* req,
                                        v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* RefuseConsent(grpc::CallbackServerContext* ctx,
                                          const v1::RefuseConsentRequest* req,
                                          v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* WithdrawConsent(
      grpc::CallbackServerContext* ctx, const v1::WithdrawConsentRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ConfirmConsent(grpc::CallbackServerContext* ctx,
                                           const v1::ConfirmConsentRequest* req,
                                           v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* RegisterStatutoryForum(
      grpc::CallbackServerContext* ctx,
      const v1::RegisterStatutoryForumRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ShareInformation(
      grpc::CallbackServerContext* ctx, const v1::ShareInformationRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ListConsents(
      grpc::CallbackServerContext* ctx, const v1::ListConsentsRequest* req,
      v1::ListConsentsResponse* resp) override;
  grpc::ServerUnaryReactor* CheckSharing(grpc::CallbackServerContext* ctx,
                                         const v1::CheckSharingRequest* req,
                                         v1::SharingDecision* resp) override;
  grpc::ServerUnaryReactor* InvokeEmergencyAccess(
      grpc::CallbackServerContext* ctx,
      const v1::InvokeEmergencyAccessRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ReviewEmergencyAccess(
      grpc::CallbackServerContext* ctx,
      const v1::ReviewEmergencyAccessRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ListEmergencyAccess(
      grpc::CallbackServerContext* ctx,
      const v1::ListEmergencyAccessRequest* req,
      v1::ListEmergencyAccessResponse* resp) override;
  grpc::ServerUnaryReactor* RecordSubjectDisclosure(
      grpc::CallbackServerContext* ctx,
      const v1::RecordSubjectDisclosureRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* CheckSubjectDisclosure(
      grpc::CallbackServerContext* ctx,
      const v1::CheckSubjectDisclosureRequest* req,
      v1::SharingDecision* resp) override;

 private:
  app::DomainRuntime& rt_;
};

}  // namespace renkei::server
