// PrivacyServiceImpl: legal holds, erasure and the retention schedule (for
// administrators: ids, dates and rules, never case content), and the
// disclosure record and subject-access export (for auditors, recorded in
// the access log). See proto/renkei/v1/privacy_service.proto.
//
// RetentionSweep is the daily task: as the administrator named by
// --retention-administrator it erases what the schedule says is due.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "renkei/v1/privacy_service.grpc.pb.h"
#include "services/app/runtime/domain_runtime.h"

namespace renkei::server {

// What the schedule says of the closed cases at `as_of`.
[[nodiscard]] absl::StatusOr<v1::ListRetentionDueResponse> RetentionDueAt(
    app::DomainRuntime& rt, absl::Time as_of);

// Erases (EraseCase, through the command pipeline) every due case that no
// legal hold keeps, as `caller`; a case whose erasure fails is listed as
// failed and the others go on. Each erasure is one command whose
// idempotency key names the case, so a repeated sweep erases nothing twice.
[[nodiscard]] absl::StatusOr<v1::EraseDueRecordsResponse> EraseDue(
    app::DomainRuntime& rt, const app::Caller& caller, absl::Time as_of);

// Thread-safety: safe for concurrent calls; `rt` must outlive the service.
class PrivacyServiceImpl final : public v1::PrivacyService::CallbackService {
 public:
  explicit PrivacyServiceImpl(app::DomainRuntime* rt) : rt_(*rt) {}

  grpc::ServerUnaryReactor* PlaceLegalHold(grpc::CallbackServerContext* ctx,
                                           const v1::PlaceLegalHoldRequest* req,
                                           v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ReleaseLegalHold(
      grpc::CallbackServerContext* ctx, const v1::ReleaseLegalHoldRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* EraseSubject(grpc::CallbackServerContext* ctx,
                                         const v1::EraseSubjectRequest* req,
                                         v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* EraseCase(grpc::CallbackServerContext* ctx,
                                      const v1::EraseCaseRequest* req,
                                      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* SetRetentionRule(
      grpc::CallbackServerContext* ctx, const v1::SetRetentionRuleRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ListRetentionRules(
      grpc::CallbackServerContext* ctx,
      const v1::ListRetentionRulesRequest* req,
      v1::ListRetentionRulesResponse* resp) override;
  grpc::ServerUnaryReactor* ListRetentionDue(
      grpc::CallbackServerContext* ctx, const v1::ListRetentionDueRequest* req,
      v1::ListRetentionDueResponse* resp) override;
  grpc::ServerUnaryReactor* EraseDueRecords(
      grpc::CallbackServerContext* ctx, const v1::EraseDueRecordsRequest* req,
      v1::EraseDueRecordsResponse* resp) override;
  grpc::ServerUnaryReactor* GetDisclosureRecord(
      grpc::CallbackServerContext* ctx,
      const v1::GetDisclosureRecordRequest* req,
      v1::GetDisclosureRecordResponse* resp) override;
  grpc::ServerUnaryReactor* ExportSubjectRecord(
      grpc::CallbackServerContext* ctx,
      const v1::ExportSubjectRecordRequest* req,
      v1::ExportSubjectRecordResponse* resp) override;

 private:
  app::DomainRuntime& rt_;
};

// Runs EraseDue as `staff_id` every `period` until destroyed. The wait is
// the system clock's (a day); what is due is judged by the runtime's clock.
//
// Thread-safety: owns one thread; destroy it before the runtime.
class RetentionSweep {
 public:
  RetentionSweep(app::DomainRuntime* rt, std::string staff_id,
                 absl::Duration period);
  ~RetentionSweep();

  // One sweep now (what the thread does each period).
  absl::Status RunOnce();

 private:
  void Loop();

  app::DomainRuntime& rt_;
  const std::string staff_id_;
  const absl::Duration period_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace renkei::server
