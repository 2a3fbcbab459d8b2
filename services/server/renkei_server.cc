#include "services/server/renkei_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <grpcpp/support/server_interceptor.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "services/server/admin_service.h"
#include "services/server/data_dir.h"
#include "services/server/errors.h"
#include "services/server/key_setup.h"
#include "services/server/privacy_service.h"
#include "services/server/pseudonym_key.h"

namespace renkei::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Shapes what a refusal looks like on the wire, for every RPC:
//  - gRPC answers a request that does not parse as its message (invalid
//    UTF-8 in a string field, nesting past protobuf's depth limit, truncated
//    or garbled bytes) with UNIMPLEMENTED and no message, as if the method
//    did not exist. That answer becomes INVALID_ARGUMENT naming the expected
//    message.
//  - A refusal's message may quote the input (an id of 100 000 characters);
//    the message travels as a trailer, and one over the client's metadata
//    limit (8 KiB by default) would reach the client as RESOURCE_EXHAUSTED
//    instead of the refusal. Messages are cut to kMaxStatusMessageBytes.
// Every other status passes through unchanged.
constexpr size_t kMaxStatusMessageBytes = 1024;

// `text` cut to at most `max` bytes without splitting a UTF-8 sequence.
std::string CutMessage(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) {
    --end;
  }
  return absl::StrCat(text.substr(0, end), "... (", text.size() - end,
                      " more bytes)");
}

class RefusalInterceptor final : public grpc::experimental::Interceptor {
 public:
  RefusalInterceptor(grpc::experimental::ServerRpcInfo* info, Metrics* metrics)
      : method_(info->method() == nullptr ? "" : info->method()),
        metrics_(metrics),
        started_(absl::Now()) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparsable_ = true;
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status sent = methods->GetSendStatus();
      if (unparsable_ &&
          (sent.error_code() == grpc::StatusCode::UNIMPLEMENTED ||
           sent.error_code() == grpc::StatusCode::INTERNAL)) {
        methods->ModifySendStatus(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("the request is not a valid ", RequestType(),
                         " message: it does not parse as protobuf (string "
                         "fields must be valid UTF-8; nesting is limited)")));
      } else if (sent.error_message().size() > kMaxStatusMessageBytes) {
        methods->ModifySendStatus(grpc::Status(
            sent.error_code(),
            CutMessage(sent.error_message(), kMaxStatusMessageBytes),
            sent.error_details()));
      }
      if (metrics_ != nullptr) {
        const grpc::StatusCode code =
            unparsable_ &&
                    (sent.error_code() == grpc::StatusCode::UNIMPLEMENTED ||
                     sent.error_code() == grpc::StatusCode::INTERNAL)
                ? grpc::StatusCode::INVALID_ARGUMENT
                : sent.error_code();
        metrics_->RecordRpc(
            KnownMethod() ? method_ : std::string("(unknown method)"),
            absl::StatusCodeToString(static_cast<absl::StatusCode>(code)),
            absl::Now() - started_);
      }
    }
    methods->Proceed();
  }

 private:
  // Whether the path names a method of a compiled-in service (so metrics
  // keep one series per real method, whatever paths callers send).
  bool KnownMethod() const {
    const size_t slash = method_.rfind('/');
    if (slash == std::string::npos || slash == 0) return false;
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            method_.substr(1, slash - 1));
    return service != nullptr &&
           service->FindMethodByName(method_.substr(slash + 1)) != nullptr;
  }

  // "renkei.v1.OpenCaseRequest" for "/renkei.v1.CaseService/OpenCase".
  std::string RequestType() const {
    const size_t slash = method_.rfind('/');
    if (slash == std::string::npos || slash == 0) return "request";
    const std::string service = method_.substr(1, slash - 1);
    const auto* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            service);
    const auto* method =
        descriptor == nullptr
            ? nullptr
            : descriptor->FindMethodByName(method_.substr(slash + 1));
    return method == nullptr ? std::string("request")
                             : method->input_type()->full_name();
  }

  std::string method_;
  Metrics* metrics_;
  absl::Time started_;
  bool unparsable_ = false;
};

class RefusalInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RefusalInterceptorFactory(Metrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RefusalInterceptor(info, metrics_);
  }

 private:
  Metrics* metrics_;
};

// TLS from watched files (a renewed certificate is picked up without a
// restart), mutual when a client CA is given; plaintext otherwise (loopback
// only, checked by Start).
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(
    const ServerOptions& options) {
  if (options.tls_cert_file.empty()) {
    return grpc::InsecureServerCredentials();
  }
  auto provider =
      std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
          options.tls_key_file, options.tls_cert_file,
          options.tls_client_ca_file,
          static_cast<unsigned int>(options.tls_reload_seconds));
  grpc::experimental::TlsServerCredentialsOptions tls(provider);
  tls.watch_identity_key_cert_pairs();
  if (!options.tls_client_ca_file.empty()) {
    tls.watch_root_certs();
    // Without a certificate a caller signs in with a password instead.
    tls.set_cert_request_type(
        options.require_client_certificate
            ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
            : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
    if (!options.tls_crl_dir.empty())
      tls.set_crl_directory(options.tls_crl_dir);
  }
  return grpc::experimental::TlsServerCredentials(tls);
}

}  // namespace

absl::Status CheckServerOptions(const ServerOptions& options) {
  auto address = ParseListenAddress(options.listen);
  if (!address.ok()) return address.status();
  const bool tls = !options.tls_cert_file.empty();
  if (!address->loopback && !tls) {
    return errors::PlaintextListenRefused(options.listen);
  }
  if (options.dev_header_identity && !address->loopback) {
    return errors::DevHeaderIdentityRefused(options.listen);
  }
  if (!options.tls_crl_dir.empty() &&
      !std::filesystem::is_directory(options.tls_crl_dir)) {
    return errors::CrlDirNotDirectory(options.tls_crl_dir);
  }
  for (const std::string& file : {options.tls_cert_file, options.tls_key_file,
                                  options.tls_client_ca_file}) {
    if (file.empty()) continue;
    std::ifstream in(file);
    if (!in.good()) {
      return errors::CannotReadTlsFile(file);
    }
  }
  if (!options.metrics_listen.empty()) {
    if (auto metrics = ParseListenAddress(options.metrics_listen);
        !metrics.ok()) {
      return metrics.status();
    }
  }
  if (!options.web_listen.empty()) {
    auto web = ParseListenAddress(options.web_listen);
    if (!web.ok()) return web.status();
    if (!web->loopback && !tls) {
      return errors::PlaintextConsoleRefused(options.web_listen);
    }
    if (options.require_client_certificate) {
      return errors::PasswordsWithClientCertificates();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RenkeiServer>> RenkeiServer::Start(
    const ServerOptions& options) {
  if (absl::Status s = CheckServerOptions(options); !s.ok()) return s;
  if (options.password_hash == "minimum") {
    spdlog::warn(
        "--password-hash=minimum: passwords are hashed at the least cost "
        "Argon2id allows; for tests only");
  }
  if (options.dev_header_identity) {
    spdlog::warn(
        "--dev-header-identity: callers are whoever the renkei-staff-id "
        "header says (forgeable); for development on loopback only");
  }
  std::unique_ptr<RenkeiServer> server(new RenkeiServer());
  server->options_ = options;
  server->metrics_ = std::make_unique<Metrics>();

  if (absl::Status s = SecureDataDir(options.data_dir); !s.ok()) return s;
  storage::EventLogOptions log_options;
  log_options.path = (std::filesystem::path(options.data_dir) / "log").string();
  log_options.max_payload_bytes = options.max_payload_bytes;
  log_options.max_read_limit = static_cast<size_t>(options.max_page_size);
  if (options.clock) log_options.clock = options.clock;
  auto kek =
      LoadKeyEncryptionKey(options.key_encryption_key,
                           options.key_encryption_key_file, options.data_dir);
  if (!kek.ok()) return kek.status();
  auto log = storage::EventLog::Open(log_options);
  if (!log.ok()) return log.status();
  server->raw_log_ = std::move(*log);
  auto keys = privacy::DataKeyStore::Open(
      (std::filesystem::path(options.data_dir) / kDataKeysDir).string(),
      std::move(*kek), options.clock);
  if (!keys.ok()) return keys.status();
  server->keys_ = std::move(*keys);
  auto sealing = privacy::SealingEventLog::Open(server->raw_log_.get(),
                                                server->keys_.get());
  if (!sealing.ok()) return sealing.status();
  server->log_ = std::move(*sealing);
  const absl::Time now = options.clock ? options.clock() : absl::Now();
  auto identity = identity::IdentityStore::Open(
      (std::filesystem::path(options.data_dir) / "identity").string(),
      SignInPolicyOf(options), now);
  if (!identity.ok()) return identity.status();
  server->identity_ = std::move(*identity);
  // Read (or created) while this server holds the data directory.
  auto pseudonym_key = LoadOrCreatePseudonymKey(
      (std::filesystem::path(options.data_dir) / kPseudonymKeyFile).string());
  if (!pseudonym_key.ok()) return pseudonym_key.status();

  const std::string models_path =
      (std::filesystem::path(options.data_dir) / "read_models").string();
  if (options.rebuild_read_models) {
    spdlog::info("rebuilding read models from position 1");
    if (absl::Status s = read_models::ReadModelStore::Destroy(models_path);
        !s.ok()) {
      return s;
    }
  }
  auto models = read_models::ReadModelStore::Open(models_path);
  if (absl::IsDataLoss(models.status())) {
    // Read models are derived from the log (whose lock this server holds):
    // a corrupt store, e.g. after a crash in the middle of an older rebuild,
    // or one of another row layout is discarded and rebuilt rather than
    // served. Other failures (permissions, a full disk) refuse to start.
    spdlog::warn("{}; rebuilding read models from position 1",
                 std::string(models.status().message()));
    if (absl::Status s = read_models::ReadModelStore::Destroy(models_path);
        !s.ok()) {
      return s;
    }
    models = read_models::ReadModelStore::Open(models_path);
  }
  if (!models.ok()) return models.status();
  server->read_models_ = std::move(*models);
  // Catch up before serving, so the first queries see every event.
  const absl::Time catch_up_start = absl::Now();
  // The read models follow the log as stored: personal fields stay sealed
  // there, so no row ever holds them.
  if (absl::Status s =
          read_models::CatchUp(*server->raw_log_, *server->read_models_);
      !s.ok()) {
    return s;
  }
  spdlog::info("read models at position {} ({} ms)", server->log_->Head(),
               absl::ToInt64Milliseconds(absl::Now() - catch_up_start));
  server->projector_ = std::make_unique<read_models::Projector>(
      server->raw_log_.get(), server->read_models_.get());
  if (absl::Status s = server->projector_->Start(); !s.ok()) return s;

  app::RuntimeOptions runtime_options;
  runtime_options.header_identity = options.dev_header_identity;
  runtime_options.identity = server->identity_.get();
  runtime_options.keys = server->keys_.get();
  if (options.clock) runtime_options.clock = options.clock;
  server->runtime_ = std::make_unique<app::DomainRuntime>(
      server->log_.get(), server->read_models_.get(), server->projector_.get(),
      runtime_options);
  app::DomainRuntime* rt = server->runtime_.get();
  server->services_.push_back(std::make_unique<AuditServiceImpl>(
      rt, ReadLimits{.default_page_size = options.default_page_size,
                     .max_page_size = options.max_page_size,
                     .max_subscriptions = options.max_subscriptions}));
  server->services_.push_back(std::make_unique<DirectoryServiceImpl>(rt));
  server->services_.push_back(std::make_unique<SessionServiceImpl>(rt));
  auto admin_service = std::make_unique<AdminServiceImpl>(rt, options.data_dir);
  AdminServiceImpl* admin = admin_service.get();
  server->services_.push_back(std::move(admin_service));
  server->services_.push_back(std::make_unique<CaseServiceImpl>(rt));
  server->services_.push_back(std::make_unique<ConsentServiceImpl>(rt));
  server->services_.push_back(std::make_unique<ReferralServiceImpl>(rt));
  server->services_.push_back(
      std::make_unique<ConferenceServiceImpl>(rt, std::move(*pseudonym_key)));
  server->services_.push_back(std::make_unique<PlanServiceImpl>(rt));
  server->services_.push_back(std::make_unique<PrivacyServiceImpl>(rt));
  server->services_.push_back(std::make_unique<HandoverServiceImpl>(rt));
  server->services_.push_back(
      std::make_unique<ReviewServiceImpl>(rt, domain::ReviewPolicy{}));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, ServerCredentials(options),
                           &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(
      std::make_unique<RefusalInterceptorFactory>(server->metrics_.get()));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  for (auto& service : server->services_)
    builder.RegisterService(service.get());
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    return errors::CannotListen(options.listen);
  }
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  {
    RenkeiServer* self = server.get();
    auto ready = [self] {
      const uint64_t head = self->log_->Head();
      const uint64_t at = self->projector_->Checkpoint();
      return self->projector_->status().ok() &&
             head - std::min(head, at) <= kReadyLag;
    };
    const bool initially = ready();
    self->server_->GetHealthCheckService()->SetServingStatus(kReadinessService,
                                                             initially);
    self->readiness_ = std::thread([self, ready, initially] {
      bool was = initially;
      while (!self->stop_readiness_.WaitForNotificationWithTimeout(
          kReadinessPeriod)) {
        const bool now = ready();
        if (now == was) continue;
        was = now;
        spdlog::warn(
            "readiness: {}",
            now ? "ready" : "not ready (read models behind or stopped)");
        self->server_->GetHealthCheckService()->SetServingStatus(
            kReadinessService, now);
      }
    });
  }
  {
    RenkeiServer* self = server.get();
    Metrics& m = *self->metrics_;
    m.AddGauge("renkei_log_head_position", "Position of the log's last event.",
               [self] { return static_cast<double>(self->log_->Head()); });
    m.AddGauge("renkei_projection_lag_events",
               "Events committed but not yet in the read models.", [self] {
                 const uint64_t head = self->log_->Head();
                 const uint64_t at = self->projector_->Checkpoint();
                 return static_cast<double>(head > at ? head - at : 0);
               });
    auto stat = [self](uint64_t storage::LogStats::*field) {
      return [self, field] {
        return static_cast<double>(self->log_->Stats().*field);
      };
    };
    m.AddGauge("renkei_append_batches_total",
               "Group commits the log has written (each one synced write).",
               stat(&storage::LogStats::batches), "counter");
    m.AddGauge("renkei_append_requests_total",
               "Append requests those group commits held.",
               stat(&storage::LogStats::requests), "counter");
    m.AddGauge("renkei_appended_events_total", "Events committed.",
               stat(&storage::LogStats::events), "counter");
    m.AddGauge(
        "renkei_append_write_seconds_total",
        "Time spent in the log's synced writes (fsync included).",
        [self] { return self->log_->Stats().write_nanos / 1e9; }, "counter");
    m.AddGauge(
        "renkei_sealing_cpu_seconds_total",
        "CPU time spent sealing and unsealing personal fields.",
        [self] { return self->log_->sealing_stats().seal_cpu_nanos / 1e9; },
        "counter", "op=\"seal\"");
    m.AddGauge(
        "renkei_sealing_cpu_seconds_total", "",
        [self] { return self->log_->sealing_stats().unseal_cpu_nanos / 1e9; },
        "counter", "op=\"unseal\"");
    m.AddGauge(
        "renkei_sealed_events_total", "Events sealed and unsealed.",
        [self] {
          return static_cast<double>(self->log_->sealing_stats().sealed_events);
        },
        "counter", "op=\"seal\"");
    m.AddGauge(
        "renkei_sealed_events_total", "",
        [self] {
          return static_cast<double>(
              self->log_->sealing_stats().unsealed_events);
        },
        "counter", "op=\"unseal\"");
    m.AddGauge("renkei_append_last_batch_requests",
               "Append requests in the latest group commit.",
               stat(&storage::LogStats::last_batch_requests));
    m.AddGauge("renkei_subscriptions",
               "Open subscriptions to the log (the read models' projector and "
               "audit subscribers).",
               [self] {
                 return static_cast<double>(self->log_->Stats().subscriptions);
               });
    m.AddGauge("renkei_subscription_max_lag_events",
               "Events the furthest-behind subscription has yet to read.",
               stat(&storage::LogStats::max_subscription_lag));
    app::DomainRuntime* rt = self->runtime_.get();
    // Hits, misses and advances of each aggregate cache, one series per
    // aggregate under each metric.
    enum class CacheCount { kHits, kMisses, kAdvances };
    auto count = [](const auto& cache, CacheCount kind) -> uint64_t {
      switch (kind) {
        case CacheCount::kHits:
          return cache.hits();
        case CacheCount::kMisses:
          return cache.misses();
        case CacheCount::kAdvances:
          return cache.advances();
      }
      return 0;
    };
    const std::vector<
        std::pair<const char*, std::function<uint64_t(CacheCount)>>>
        caches = {
            {"directory",
             [rt, count](CacheCount k) { return count(rt->directory(), k); }},
            {"case",
             [rt, count](CacheCount k) { return count(rt->cases(), k); }},
            {"conference",
             [rt, count](CacheCount k) { return count(rt->conferences(), k); }},
            {"handover",
             [rt, count](CacheCount k) { return count(rt->handovers(), k); }}};
    const struct {
      CacheCount kind;
      const char* metric;
      const char* help;
    } counts[] = {
        {CacheCount::kHits, "renkei_aggregate_cache_hits_total",
         "Aggregate loads answered from the cache without reading the log."},
        {CacheCount::kMisses, "renkei_aggregate_cache_misses_total",
         "Aggregate loads that read new events from the log."},
        {CacheCount::kAdvances, "renkei_aggregate_cache_advances_total",
         "Cached states moved on by the events a command has just appended, "
         "without reading them back from the log."}};
    for (const auto& c : counts) {
      for (const auto& [name, value] : caches) {
        m.AddGauge(
            c.metric, c.help,
            [value = value, kind = c.kind] {
              return static_cast<double>(value(kind));
            },
            "counter", absl::StrCat("aggregate=\"", name, "\""));
      }
    }
    m.AddGauge("renkei_sessions", "Sign-in sessions held.", [self] {
      return static_cast<double>(self->identity_->SessionCount());
    });
    m.AddGauge("renkei_seconds_since_backup",
               "Seconds since this server's last backup (-1: none yet).",
               [admin] {
                 const absl::Time last = admin->last_backup();
                 return last == absl::InfinitePast()
                            ? -1.0
                            : absl::ToDoubleSeconds(absl::Now() - last);
               });
  }
  if (!options.metrics_listen.empty()) {
    auto address = ParseListenAddress(options.metrics_listen);
    if (!address.ok()) return address.status();
    auto endpoint = MetricsEndpoint::Start(address->host, address->port,
                                           server->metrics_.get());
    if (!endpoint.ok()) return endpoint.status();
    server->metrics_endpoint_ = std::move(*endpoint);
    spdlog::info("metrics on http://{}:{}/metrics", address->host,
                 server->metrics_endpoint_->port());
  }
  if (!options.web_listen.empty()) {
    auto address = ParseListenAddress(options.web_listen);
    if (!address.ok()) return address.status();
    connect::GatewayOptions web;
    web.host = address->host;
    web.port = address->port;
    web.tls_cert_file = options.tls_cert_file;
    web.tls_key_file = options.tls_key_file;
    web.web_root = options.web_root;
    web.max_request_bytes = static_cast<size_t>(options.max_message_bytes);
    web.clock = options.clock;
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);
    args.SetMaxSendMessageSize(options.max_message_bytes);
    auto gateway = connect::ConnectGateway::Start(
        web, server->server_->InProcessChannel(args));
    if (!gateway.ok()) return gateway.status();
    server->web_ = std::move(*gateway);
    spdlog::info("console on {}://{}:{}/",
                 server->web_->tls() ? "https" : "http", address->host,
                 server->web_->port());
  }
  if (!options.retention_administrator.empty()) {
    server->retention_sweep_ = std::make_unique<RetentionSweep>(
        rt, options.retention_administrator,
        absl::Hours(options.retention_sweep_hours));
  }
  spdlog::info("serving on port {} with data in '{}' (log head {})",
               server->port_, options.data_dir, server->log_->Head());
  return server;
}

void RenkeiServer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  metrics_endpoint_.reset();  // reads what is closed below
  web_.reset();  // its calls go through the gRPC server stopped below
  retention_sweep_.reset();  // its sweep finishes first
  if (readiness_.joinable()) {
    stop_readiness_.Notify();
    readiness_.join();
  }
  if (server_) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(options_.shutdown_grace_seconds));
    server_->Wait();
  }
  // In dependency order: nothing uses the log once these are gone.
  services_.clear();
  runtime_.reset();  // the command pipeline drains first
  projector_.reset();
  read_models_.reset();
  identity_.reset();
  log_.reset();  // the sealing view, then what it reads through
  keys_.reset();
  raw_log_.reset();  // drains the writer queue and closes RocksDB
  spdlog::info("stopped");
}

RenkeiServer::~RenkeiServer() { Shutdown(); }

}  // namespace renkei::server
