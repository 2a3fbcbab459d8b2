// RenkeiServer: the running server — the event log plus the gRPC services,
// health checking and reflection — with graceful shutdown.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/status/statusor.h"
#include "services/server/audit_service.h"
#include "services/server/server_options.h"
#include "storage/event_log.h"

namespace renkei::server {

// Thread-safety: Shutdown() may be called from any thread, once or more.
class RenkeiServer {
 public:
  // Opens the store and starts serving. Fails (nothing started) when the data
  // directory is locked by another process, cannot be opened, or the listen
  // address is not loopback (there is no transport security yet).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RenkeiServer>> Start(
      const ServerOptions& options);
  ~RenkeiServer();

  int port() const { return port_; }
  storage::EventLog& log() { return *log_; }

  // Stops accepting calls, lets in-flight calls finish within the grace
  // period, then flushes and closes the store.
  void Shutdown();

 private:
  RenkeiServer() = default;

  ServerOptions options_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<AuditServiceImpl> audit_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace renkei::server
