#include "services/server/session_service.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "services/app/access/authorization.h"
#include "services/domain/directory/directory.h"
#include "services/domain/errors.h"
#include "services/domain/event_codec.h"
#include "services/domain/time_util.h"
#include "services/server/errors.h"
#include "services/server/grpc_status.h"
#include "services/server/identity.h"
#include "storage/validation.h"

namespace renkei::server {

using app::Caller;
namespace {

absl::Status NoSessions() { return errors::NoIdentityStore(); }

void FillSignIn(const identity::IssuedSession& issued,
                const std::string& agency_id, v1::SignInResponse* resp) {
  resp->set_token(issued.token);
  *resp->mutable_expires_at() = domain::ToTimestamp(issued.session.expires_at);
  resp->set_staff_id(issued.session.staff_id);
  resp->set_agency_id(agency_id);
  resp->set_session_id(issued.session.session_id);
}

// What of a sign-in's records goes into the (permanent) log: everything but
// the refusals that cost a caller nothing and are not bounded by the
// lockout — unknown accounts, attempts during a delay or a lockout, a
// concurrent attempt. Those are logged as warnings and counted in the
// metrics (SessionService/SignIn by code), so that nobody can grow the log
// by calling SignIn in a loop. Wrong passwords of real accounts (at most
// lock_after per lockout) and lockouts are kept.
std::vector<identity::SecurityRecord> Lasting(
    const std::vector<identity::SecurityRecord>& records) {
  std::vector<identity::SecurityRecord> kept;
  for (const identity::SecurityRecord& r : records) {
    if (const auto* failed = std::get_if<v1::SignInFailed>(&r);
        failed != nullptr &&
        failed->failure() != v1::SIGN_IN_FAILURE_WRONG_PASSWORD &&
        failed->failure() != v1::SIGN_IN_FAILURE_DEPARTED) {
      spdlog::warn("sign-in refused ({})",
                   v1::SignInFailure_Name(failed->failure()));
      continue;
    }
    kept.push_back(r);
  }
  return kept;
}

}  // namespace

grpc::ServerUnaryReactor* SessionServiceImpl::SignIn(
    grpc::CallbackServerContext* ctx, const v1::SignInRequest* req,
    v1::SignInResponse* resp) {
  auto* reactor = ctx->DefaultReactor();
  absl::Status queued = rt_.RunQueryTask([this, reactor, req, resp] {
    identity::IdentityStore* store = rt_.identity();
    if (store == nullptr) {
      reactor->Finish(ToGrpcStatus(NoSessions()));
      return;
    }
    Caller anonymous;
    absl::StatusOr<std::string> request_id = NewRequestId();
    if (!request_id.ok()) {
      reactor->Finish(ToGrpcStatus(request_id.status()));
      return;
    }
    anonymous.request_id = std::move(*request_id);
    const std::string& staff_id = req->staff_id();
    if (!storage::IsValidId(staff_id)) {
      spdlog::warn("sign-in refused: not a valid staff id");
      reactor->Finish(ToGrpcStatus(errors::WrongCredentials()));
      return;
    }
    std::string agency_id;
    identity::Recorded<identity::IssuedSession> in = store->SignIn(
        staff_id, req->password(), rt_.Now(),
        [&](const std::string& id) -> absl::Status {
          auto dir =
              rt_.directory().Load(std::string(domain::kDirectoryStreamId));
          if (!dir.ok()) return dir.status();
          const auto* staff = dir->state->FindStaff(id);
          if (staff == nullptr) return domain::errors::StaffNotFound(id);
          if (staff->HasLeft()) {
            return errors::StaffLeftMayNotSignIn(id);
          }
          agency_id = staff->staff.agency_id();
          return absl::OkStatus();
        });
    Caller actor = anonymous;
    if (in.result.ok()) {
      actor.staff_id = staff_id;
      actor.agency_id = agency_id;
    }
    absl::Status recorded = rt_.RecordSecurity(actor, Lasting(in.records));
    if (in.result.ok() && !recorded.ok()) {
      // A sign-in nobody could audit does not happen.
      (void)store->SignOut(in.result->token);
      reactor->Finish(ToGrpcStatus(recorded));
      return;
    }
    if (in.result.ok()) FillSignIn(*in.result, agency_id, resp);
    reactor->Finish(ToGrpcStatus(in.result.status()));
  });
  if (!queued.ok()) reactor->Finish(ToGrpcStatus(queued));
  return reactor;
}

grpc::ServerUnaryReactor* SessionServiceImpl::SignOut(
    grpc::CallbackServerContext* ctx, const v1::SignOutRequest*,
    v1::SignOutResponse*) {
  auto* reactor = ctx->DefaultReactor();
  identity::IdentityStore* store = rt_.identity();
  if (store == nullptr) {
    reactor->Finish(ToGrpcStatus(NoSessions()));
    return reactor;
  }
  auto caller = CallerFromMetadata(*ctx, false, store, rt_.Now());
  if (caller.ok() && !caller->session.has_value()) {
    caller = errors::NoSessionToEnd();
  }
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  identity::Recorded<identity::Session> out = store->SignOut(BearerToken(*ctx));
  absl::Status recorded = rt_.RecordSecurity(*caller, out.records);
  reactor->Finish(
      ToGrpcStatus(out.result.ok() ? recorded : out.result.status()));
  return reactor;
}

grpc::ServerUnaryReactor* SessionServiceImpl::ChangePassword(
    grpc::CallbackServerContext* ctx, const v1::ChangePasswordRequest* req,
    v1::SignInResponse* resp) {
  auto* reactor = ctx->DefaultReactor();
  absl::Status queued = rt_.RunQueryTask([this, ctx, reactor, req, resp] {
    identity::IdentityStore* store = rt_.identity();
    if (store == nullptr) {
      reactor->Finish(ToGrpcStatus(NoSessions()));
      return;
    }
    auto caller = IdentifyForQuery(rt_, *ctx);
    if (!caller.ok()) {
      reactor->Finish(ToGrpcStatus(caller.status()));
      return;
    }
    identity::Recorded<identity::IssuedSession> changed =
        store->ChangePassword(caller->staff_id, req->current_password(),
                              req->new_password(), rt_.Now());
    absl::Status recorded =
        rt_.RecordSecurity(*caller, Lasting(changed.records));
    if (changed.result.ok()) {
      FillSignIn(*changed.result, caller->agency_id, resp);
    }
    reactor->Finish(
        ToGrpcStatus(changed.result.ok() ? recorded : changed.result.status()));
  });
  if (!queued.ok()) reactor->Finish(ToGrpcStatus(queued));
  return reactor;
}

grpc::ServerUnaryReactor* SessionServiceImpl::WhoAmI(
    grpc::CallbackServerContext* ctx, const v1::WhoAmIRequest*,
    v1::WhoAmIResponse* resp) {
  auto* reactor = ctx->DefaultReactor();
  auto caller = IdentifyForQuery(rt_, *ctx);
  if (caller.ok()) {
    resp->set_staff_id(caller->staff_id);
    resp->set_agency_id(caller->agency_id);
    for (v1::StaffRole role : caller->roles) resp->add_roles(role);
    resp->set_method(caller->method);
    if (caller->session.has_value()) {
      resp->set_session_id(caller->session->session_id);
      *resp->mutable_session_expires_at() =
          domain::ToTimestamp(caller->session->expires_at);
    }
  }
  reactor->Finish(ToGrpcStatus(caller.status()));
  return reactor;
}

absl::StatusOr<uint32_t> SetStaffPassword(
    app::DomainRuntime& rt, const Caller& caller,
    const v1::SetStaffPasswordRequest& req) {
  identity::IdentityStore* store = rt.identity();
  if (store == nullptr) return NoSessions();
  if (absl::Status s =
          app::AuthorizeRpc(caller, app::RpcAccess::kDirectoryAdmin);
      !s.ok()) {
    return s;
  }
  auto dir = rt.directory().Load(std::string(domain::kDirectoryStreamId));
  if (!dir.ok()) return dir.status();
  const auto* staff = dir->state->FindStaff(req.staff_id());
  if (staff == nullptr) return domain::errors::StaffNotFound(req.staff_id());
  if (staff->HasLeft()) return domain::errors::StaffHasLeft(req.staff_id());
  identity::Recorded<uint32_t> set = store->SetPassword(
      req.staff_id(), req.password(), caller.staff_id, true, rt.Now());
  absl::Status recorded = rt.RecordSecurity(caller, set.records);
  if (!set.result.ok()) return set.result.status();
  if (!recorded.ok()) return recorded;
  return *set.result;
}

}  // namespace renkei::server
