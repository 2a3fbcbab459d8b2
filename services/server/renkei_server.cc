#include "services/server/renkei_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace renkei::server {

absl::StatusOr<std::unique_ptr<RenkeiServer>> RenkeiServer::Start(
    const ServerOptions& options) {
  if (!IsLoopback(options.listen)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to listen on '", options.listen,
        "': only loopback addresses (127.0.0.1, ::1, localhost) are allowed "
        "until transport security is configured"));
  }
  std::unique_ptr<RenkeiServer> server(new RenkeiServer());
  server->options_ = options;

  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create data directory '", options.data_dir,
                     "': ", ec.message()));
  }
  storage::EventLogOptions log_options;
  log_options.path = (std::filesystem::path(options.data_dir) / "log").string();
  log_options.max_payload_bytes = options.max_payload_bytes;
  log_options.max_read_limit = static_cast<size_t>(options.max_page_size);
  auto log = storage::EventLog::Open(log_options);
  if (!log.ok()) return log.status();
  server->log_ = std::move(*log);

  server->audit_service_ = std::make_unique<AuditServiceImpl>(
      server->log_.get(),
      ReadLimits{options.default_page_size, options.max_page_size});

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                           &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.RegisterService(server->audit_service_.get());
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on '", options.listen,
                     "' (address in use or not valid?)"));
  }
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  spdlog::info("serving on port {} with data in '{}' (log head {})",
               server->port_, options.data_dir, server->log_->Head());
  return server;
}

void RenkeiServer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (server_) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(options_.shutdown_grace_seconds));
    server_->Wait();
  }
  log_.reset();  // drains the writer queue and closes RocksDB
  spdlog::info("stopped");
}

RenkeiServer::~RenkeiServer() { Shutdown(); }

}  // namespace renkei::server
