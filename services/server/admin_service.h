// AdminServiceImpl: operating the server (online backup), for
// administrators.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "renkei/v1/admin_service.grpc.pb.h"
#include "services/app/runtime/domain_runtime.h"

namespace renkei::server {

// Thread-safety: safe for concurrent calls; `rt` must outlive the service.
// A backup runs on a query worker, one at a time.
class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  AdminServiceImpl(app::DomainRuntime* rt, std::string data_dir)
      : rt_(*rt), data_dir_(std::move(data_dir)) {}

  grpc::ServerUnaryReactor* Backup(grpc::CallbackServerContext* ctx,
                                   const v1::BackupRequest* req,
                                   v1::BackupResponse* resp) override;

  // When this server last completed a backup (InfinitePast: never).
  absl::Time last_backup() const;

 private:
  app::DomainRuntime& rt_;
  const std::string data_dir_;
  absl::Mutex backup_mu_;  // one backup at a time
  std::atomic<int64_t> last_backup_unix_nanos_{INT64_MIN};
};

}  // namespace renkei::server
