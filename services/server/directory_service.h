// DirectoryServiceImpl: agencies and staff members: registration, departure,
// listings.
#pragma once

#include "renkei/v1/directory_service.grpc.pb.h"
#include "services/app/runtime/domain_runtime.h"

namespace renkei::server {

// Thread-safety: safe for concurrent calls; `rt` must outlive the service.
class DirectoryServiceImpl final
    : public v1::DirectoryService::CallbackService {
 public:
  explicit DirectoryServiceImpl(app::DomainRuntime* rt) : rt_(*rt) {}

  grpc::ServerUnaryReactor* RegisterAgency(grpc::CallbackServerContext* ctx,
                                           const v1::RegisterAgencyRequest* req,
                                           v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* RegisterStaffMember(
      grpc::CallbackServerContext* ctx,
      const v1::RegisterStaffMemberRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* GrantStaffRole(grpc::CallbackServerContext* ctx,
                                           const v1::GrantStaffRoleRequest* req,
                                           v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* RevokeStaffRole(
      grpc::CallbackServerContext* ctx, const v1::RevokeStaffRoleRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* DesignateCoordinatingBody(
      grpc::CallbackServerContext* ctx,
      const v1::DesignateCoordinatingBodyRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* RecordStaffDeparture(
      grpc::CallbackServerContext* ctx,
      const v1::RecordStaffDepartureRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* SetStaffPassword(
      grpc::CallbackServerContext* ctx, const v1::SetStaffPasswordRequest* req,
      v1::SetStaffPasswordResponse* resp) override;
  grpc::ServerUnaryReactor* ListAgencies(
      grpc::CallbackServerContext* ctx, const v1::ListAgenciesRequest* req,
      v1::ListAgenciesResponse* resp) override;
  grpc::ServerUnaryReactor* ListStaff(grpc::CallbackServerContext* ctx,
                                      const v1::ListStaffRequest* req,
                                      v1::ListStaffResponse* resp) override;

 private:
  app::DomainRuntime& rt_;
};

}  // namespace renkei::server
