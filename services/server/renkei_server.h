// RenkeiServer: the running server — the event log plus the gRPC services,
// health checking and reflection — with graceful shutdown.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "services/app/runtime/domain_runtime.h"
#include "services/connect/connect_gateway.h"
#include "services/privacy/data_key_store.h"
#include "services/privacy/sealing_event_log.h"
#include "services/read_models/projector.h"
#include "services/read_models/read_model_store.h"
#include "services/server/audit_service.h"
#include "services/server/case_service.h"
#include "services/server/conference_service.h"
#include "services/server/consent_service.h"
#include "services/server/directory_service.h"
#include "services/server/handover_service.h"
#include "services/server/metrics.h"
#include "services/server/plan_service.h"
#include "services/server/privacy_service.h"
#include "services/server/referral_service.h"
#include "services/server/review_service.h"
#include "services/server/server_options.h"
#include "services/server/session_service.h"
#include "storage/event_log.h"

namespace renkei::server {

// What can be checked of `options` before anything is opened: the listen
// addresses, TLS and its files, the development header's loopback rule.
// FAILED_PRECONDITION or INVALID_ARGUMENT naming the problem.
[[nodiscard]] absl::Status CheckServerOptions(const ServerOptions& options);

// The gRPC health service answers two names: "" (liveness: the process
// serves) and kReadinessService (the read models are running and within
// kReadyLag events of the log's head), checked every kReadinessPeriod.
inline constexpr char kReadinessService[] = "renkei.ready";
inline constexpr uint64_t kReadyLag = 10000;
inline constexpr absl::Duration kReadinessPeriod = absl::Milliseconds(500);

// Thread-safety: Shutdown() may be called from any thread, once or more.
class RenkeiServer {
 public:
  // Opens the stores, brings the read models up to the log's head, and
  // starts serving. Fails (nothing started) when the data
  // directory is locked by another process, cannot be opened, or the listen
  // address is not loopback (there is no transport security yet).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RenkeiServer>> Start(
      const ServerOptions& options);
  ~RenkeiServer();

  int port() const { return port_; }
  // The metrics endpoint's port (0: not served).
  int metrics_port() const {
    return metrics_endpoint_ ? metrics_endpoint_->port() : 0;
  }
  // The console's port (0: not served).
  int web_port() const { return web_ ? web_->port() : 0; }
  // The log as the domain reads it (personal fields unsealed).
  storage::EventLog& log() { return *log_; }
  // The log as stored (personal fields sealed).
  storage::EventLog& raw_log() { return *raw_log_; }
  privacy::DataKeyStore& keys() { return *keys_; }
  read_models::ReadModelStore& read_models() { return *read_models_; }
  read_models::Projector& projector() { return *projector_; }
  identity::IdentityStore& identity() { return *identity_; }
  // What the services share (the aggregate caches, the pipeline).
  app::DomainRuntime& runtime() { return *runtime_; }

  // Stops accepting calls, lets in-flight calls finish within the grace
  // period, then flushes and closes the store.
  void Shutdown();

 private:
  RenkeiServer() = default;

  ServerOptions options_;
  std::unique_ptr<storage::EventLog> raw_log_;  // as stored: sealed
  std::unique_ptr<privacy::DataKeyStore> keys_;
  std::unique_ptr<privacy::SealingEventLog> log_;  // as the domain reads it
  std::unique_ptr<read_models::ReadModelStore> read_models_;
  std::unique_ptr<read_models::Projector> projector_;
  std::unique_ptr<identity::IdentityStore> identity_;
  std::unique_ptr<app::DomainRuntime> runtime_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<MetricsEndpoint> metrics_endpoint_;
  std::unique_ptr<connect::ConnectGateway> web_;
  std::unique_ptr<RetentionSweep> retention_sweep_;
  int port_ = 0;
  bool shut_down_ = false;
  absl::Notification stop_readiness_;
  std::thread readiness_;
};

}  // namespace renkei::server
