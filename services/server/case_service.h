// CaseServiceImpl: cases, subjects, support team and entries, and the caller's
// views of them.
#pragma once

#include "renkei/v1/case_service.grpc.pb.h"
#include "services/app/runtime/domain_runtime.h"

namespace renkei::server {

// Thread-safety: safe for concurrent calls; `rt` must outlive the service.
class CaseServiceImpl final : public v1::CaseService::CallbackService {
 public:
  explicit CaseServiceImpl(app::DomainRuntime* rt) : rt_(*rt) {}

  grpc::ServerUnaryReactor* OpenCase(grpc::CallbackServerContext* ctx,
                                     const v1::OpenCaseRequest* req,
                                     v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* AddSubject(grpc::CallbackServerContext* ctx,
                                       const v1::AddSubjectRequest* req,
                                       v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* UpdateSubject(grpc::CallbackServerContext* ctx,
                                          const v1::UpdateSubjectRequest* req,
                                          v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* SetCaseLeadSide(
      grpc::CallbackServerContext* ctx, const v1::SetCaseLeadSideRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* SetCaseReviewInterval(
      grpc::CallbackServerContext* ctx,
      const v1::SetCaseReviewIntervalRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* AddTeamAgency(grpc::CallbackServerContext* ctx,
                                          const v1::AddTeamAgencyRequest* req,
                                          v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* RemoveTeamAgency(
      grpc::CallbackServerContext* ctx, const v1::RemoveTeamAgencyRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ChangeCaseFrameworks(
      grpc::CallbackServerContext* ctx,
      const v1::ChangeCaseFrameworksRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ChangeCaseRegistration(
      grpc::CallbackServerContext* ctx,
      const v1::ChangeCaseRegistrationRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* CloseCase(grpc::CallbackServerContext* ctx,
                                      const v1::CloseCaseRequest* req,
                                      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ReopenCase(grpc::CallbackServerContext* ctx,
                                       const v1::ReopenCaseRequest* req,
                                       v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* RecordEntry(grpc::CallbackServerContext* ctx,
                                        const v1::RecordEntryRequest* req,
                                        v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* AmendEntry(grpc::CallbackServerContext* ctx,
                                       const v1::AmendEntryRequest* req,
                                       v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* RetractEntry(grpc::CallbackServerContext* ctx,
                                         const v1::RetractEntryRequest* req,
                                         v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* GetCaseSummary(grpc::CallbackServerContext* ctx,
                                           const v1::GetCaseSummaryRequest* req,
                                           v1::CaseSummary* resp) override;
  grpc::ServerUnaryReactor* GetCaseTimeline(
      grpc::CallbackServerContext* ctx, const v1::GetCaseTimelineRequest* req,
      v1::GetCaseTimelineResponse* resp) override;
  grpc::ServerUnaryReactor* ListCaseload(
      grpc::CallbackServerContext* ctx, const v1::ListCaseloadRequest* req,
      v1::ListCaseloadResponse* resp) override;

 private:
  app::DomainRuntime& rt_;
};

}  // namespace renkei::server
