// SessionServiceImpl: password sign-in and the sessions it gives (see
// identity/identity_store.h), each outcome written to the security log.
#pragma once

#include "renkei/v1/directory_service.pb.h"
#include "renkei/v1/session_service.grpc.pb.h"
#include "services/app/runtime/domain_runtime.h"

namespace renkei::server {

// Thread-safety: safe for concurrent calls; `rt` must outlive the service.
// Password hashing runs on the query workers (RESOURCE_EXHAUSTED when their
// queue is full, never on gRPC's thread).
class SessionServiceImpl final : public v1::SessionService::CallbackService {
 public:
  explicit SessionServiceImpl(app::DomainRuntime* rt) : rt_(*rt) {}

  grpc::ServerUnaryReactor* SignIn(grpc::CallbackServerContext* ctx,
                                   const v1::SignInRequest* req,
                                   v1::SignInResponse* resp) override;
  grpc::ServerUnaryReactor* SignOut(grpc::CallbackServerContext* ctx,
                                    const v1::SignOutRequest* req,
                                    v1::SignOutResponse* resp) override;
  grpc::ServerUnaryReactor* ChangePassword(grpc::CallbackServerContext* ctx,
                                           const v1::ChangePasswordRequest* req,
                                           v1::SignInResponse* resp) override;
  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* ctx,
                                   const v1::WhoAmIRequest* req,
                                   v1::WhoAmIResponse* resp) override;

 private:
  app::DomainRuntime& rt_;
};

// Sets a staff member's password as an administrator (DirectoryService's
// SetStaffPassword): the caller must be an active administrator of their
// agency, the staff member active in the directory.
[[nodiscard]] absl::StatusOr<uint32_t> SetStaffPassword(
    app::DomainRuntime& rt, const app::Caller& caller,
    const v1::SetStaffPasswordRequest& req);

}  // namespace renkei::server
