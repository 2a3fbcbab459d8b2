// AuditService: read-only access to the event log over gRPC for auditors.
// Handlers are plain functions over the EventLog; the service class only
// adapts them to gRPC's callback API. Raw reads (ReadStream, ReadAll, the
// start of a Subscribe) are themselves recorded, as AuditLogRead on the
// stream "access-audit", before anything is answered.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "renkei/v1/access.pb.h"
#include "renkei/v1/audit_service.grpc.pb.h"
#include "services/app/runtime/domain_runtime.h"
#include "services/server/server_options.h"
#include "services/server/subscription_streams.h"
#include "storage/event_log.h"

namespace renkei::server {

// Where raw reads of the log by auditors are recorded.
inline constexpr absl::string_view kAuditReadStream = "access-audit";

// Records `read` (its staff and agency set from `caller`) on
// kAuditReadStream. UNAVAILABLE when it cannot be appended: the read is then
// refused.
[[nodiscard]] absl::Status RecordAuditLogRead(app::DomainRuntime& rt,
                                              const app::Caller& caller,
                                              v1::AuditLogRead read);

struct ReadLimits {
  int32_t default_page_size = 100;
  int32_t max_page_size = 1000;
  // Subscribe streams open at once; the next is RESOURCE_EXHAUSTED.
  int32_t max_subscriptions = 32;
};

[[nodiscard]] absl::Status HandleReadStream(const storage::EventLog& log,
                                            const ReadLimits& limits,
                                            const v1::ReadStreamRequest& req,
                                            v1::ReadEventsResponse* resp);
[[nodiscard]] absl::Status HandleReadAll(const storage::EventLog& log,
                                         const ReadLimits& limits,
                                         const v1::ReadAllRequest& req,
                                         v1::ReadEventsResponse* resp);
// The case as it stood at `as_of` on the request's time axis.
[[nodiscard]] absl::Status HandleReplayCase(const storage::EventLog& log,
                                            const v1::ReplayCaseRequest& req,
                                            v1::ReplayCaseResponse* resp);
[[nodiscard]] absl::Status HandleVerifyChain(const storage::EventLog& log,
                                             const v1::VerifyChainRequest& req,
                                             v1::VerifyChainResponse* resp);

// Every RPC requires a caller acting for an auditor agency.
// Thread-safety: safe for concurrent calls; `rt` must outlive the service.
class AuditServiceImpl final : public v1::AuditService::CallbackService {
 public:
  AuditServiceImpl(app::DomainRuntime* rt, ReadLimits limits)
      : rt_(*rt),
        log_(&rt->log()),
        limits_(limits),
        streams_(static_cast<size_t>(limits.max_subscriptions),
                 absl::Seconds(1)) {}

  grpc::ServerUnaryReactor* ReadStream(grpc::CallbackServerContext* ctx,
                                       const v1::ReadStreamRequest* req,
                                       v1::ReadEventsResponse* resp) override;
  grpc::ServerUnaryReactor* ReadAll(grpc::CallbackServerContext* ctx,
                                    const v1::ReadAllRequest* req,
                                    v1::ReadEventsResponse* resp) override;
  grpc::ServerWriteReactor<v1::EventEnvelope>* Subscribe(
      grpc::CallbackServerContext* ctx,
      const v1::SubscribeRequest* req) override;
  grpc::ServerUnaryReactor* ReplayCase(grpc::CallbackServerContext* ctx,
                                       const v1::ReplayCaseRequest* req,
                                       v1::ReplayCaseResponse* resp) override;
  grpc::ServerUnaryReactor* VerifyChain(grpc::CallbackServerContext* ctx,
                                        const v1::VerifyChainRequest* req,
                                        v1::VerifyChainResponse* resp) override;
  grpc::ServerUnaryReactor* GetHead(grpc::CallbackServerContext* ctx,
                                    const v1::GetHeadRequest* req,
                                    v1::GetHeadResponse* resp) override;

 private:
  // Runs `handler(caller)` when the caller is an auditor.
  template <typename Handler>
  grpc::ServerUnaryReactor* AsAuditor(grpc::CallbackServerContext* ctx,
                                      Handler&& handler);

  app::DomainRuntime& rt_;
  const storage::EventLog* log_;
  ReadLimits limits_;
  // Every open Subscribe stream, pumped by one thread; declared last, so it
  // stops first.
  SubscriptionStreams streams_;
};

}  // namespace renkei::server
