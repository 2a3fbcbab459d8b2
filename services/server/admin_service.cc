#include "services/server/admin_service.h"

#include <spdlog/spdlog.h>

#include "services/app/access/authorization.h"
#include "services/server/backup.h"
#include "services/server/errors.h"
#include "services/server/grpc_status.h"
#include "services/server/identity.h"

namespace renkei::server {

grpc::ServerUnaryReactor* AdminServiceImpl::Backup(
    grpc::CallbackServerContext* ctx, const v1::BackupRequest* req,
    v1::BackupResponse* resp) {
  auto* reactor = ctx->DefaultReactor();
  absl::Status queued = rt_.RunQueryTask([this, ctx, reactor, req, resp] {
    auto caller = IdentifyForQuery(rt_, *ctx);
    absl::Status status = caller.status();
    if (status.ok()) {
      status = app::AuthorizeRpc(*caller, app::RpcAccess::kDirectoryAdmin);
    }
    if (status.ok() && (rt_.identity() == nullptr || rt_.keys() == nullptr)) {
      status = errors::NoAccountStores();
    }
    if (status.ok()) {
      absl::MutexLock lock(&backup_mu_);
      auto made = BackupDataDir(rt_.log(), *rt_.identity(), *rt_.keys(),
                                data_dir_, req->directory(), rt_.Now());
      status = made.status();
      if (made.ok()) {
        *resp = *made;
        last_backup_unix_nanos_ = absl::ToUnixNanos(absl::Now());
        spdlog::info("backup {} by {}: position {} in {}", made->backup_id(),
                     caller->staff_id, made->position(), req->directory());
      }
    }
    reactor->Finish(ToGrpcStatus(status));
  });
  if (!queued.ok()) reactor->Finish(ToGrpcStatus(queued));
  return reactor;
}

absl::Time AdminServiceImpl::last_backup() const {
  const int64_t nanos = last_backup_unix_nanos_.load();
  return nanos == INT64_MIN ? absl::InfinitePast() : absl::FromUnixNanos(nanos);
}

}  // namespace renkei::server
