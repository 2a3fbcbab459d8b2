#include "services/server/privacy_service.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "services/app/access/case_access.h"
#include "services/app/privacy/subject_record.h"
#include "services/domain/case/retention.h"
#include "services/domain/event_codec.h"
#include "services/domain/time_util.h"
#include "services/read_models/read_model_store.h"
#include "services/server/errors.h"
#include "services/server/rpc_adapter.h"
#include "storage/status_macros.h"

namespace renkei::server {

using app::Caller;
namespace {

absl::StatusOr<std::shared_ptr<const domain::DirectoryState>> Directory(
    app::DomainRuntime& rt) {
  RENKEI_ASSIGN_OR_RETURN(
      auto snapshot,
      rt.directory().Load(std::string(domain::kDirectoryStreamId)));
  return snapshot.state;
}

absl::Time AsOf(app::DomainRuntime& rt,
                const v1::ListRetentionDueRequest& req) {
  return req.has_as_of() ? domain::ToTime(req.as_of()) : rt.Now();
}

// After an erasure the cached fold still holds what the key sealed: drop it.
template <typename Request>
std::function<void(const Caller&, const Request&)> ForgetCase(
    app::DomainRuntime& rt) {
  return [&rt](const Caller&, const Request& req) {
    rt.cases().Forget(domain::CaseStreamId(req.case_id()));
  };
}

}  // namespace

absl::StatusOr<v1::ListRetentionDueResponse> RetentionDueAt(
    app::DomainRuntime& rt, absl::Time as_of) {
  RENKEI_ASSIGN_OR_RETURN(auto* models, rt.CurrentReadModels());
  RENKEI_ASSIGN_OR_RETURN(auto directory, Directory(rt));
  std::vector<std::string> closed;
  const std::string prefix = read_models::keys::Case("");
  RENKEI_RETURN_IF_ERROR(models->Scan(
      prefix, "", [&](absl::string_view key, absl::string_view value) {
        v1::CaseRow row;
        if (row.ParseFromString(std::string(value)) && row.closed()) {
          closed.emplace_back(key.substr(prefix.size()));
        }
        return true;
      }));
  v1::ListRetentionDueResponse out;
  for (const std::string& case_id : closed) {
    RENKEI_ASSIGN_OR_RETURN(auto snapshot,
                            rt.cases().Load(domain::CaseStreamId(case_id)));
    const domain::CaseState& state = *snapshot.state;
    if (state.erased_at.has_value()) continue;
    const auto verdict = domain::RetentionOf(state, *directory);
    if (!verdict.has_value()) continue;
    if (verdict->rule_id.empty()) {
      out.add_without_rule_case_ids(case_id);
      continue;
    }
    if (!verdict->due_at.has_value() || *verdict->due_at > as_of) continue;
    v1::RetentionDue* due = out.add_due();
    due->set_case_id(case_id);
    due->set_rule_id(verdict->rule_id);
    *due->mutable_closed_at() = domain::ToTimestamp(*state.closed_at);
    *due->mutable_due_at() = domain::ToTimestamp(*verdict->due_at);
    for (const auto& [hold_id, hold] : state.legal_holds) {
      due->add_legal_hold_ids(hold_id);
    }
  }
  return out;
}

absl::StatusOr<v1::EraseDueRecordsResponse> EraseDue(app::DomainRuntime& rt,
                                                     const Caller& caller,
                                                     absl::Time as_of) {
  RENKEI_ASSIGN_OR_RETURN(v1::ListRetentionDueResponse due,
                          RetentionDueAt(rt, as_of));
  v1::EraseDueRecordsResponse out;
  for (const v1::RetentionDue& d : due.due()) {
    if (!d.legal_hold_ids().empty()) {
      out.add_held_case_ids(d.case_id());
      continue;
    }
    auto command = std::make_shared<v1::CaseCommand>();
    command->set_case_id(d.case_id());
    v1::CommandOptions options;
    options.set_idempotency_key(
        absl::StrCat("retention-erasure-", d.case_id()));
    RENKEI_RETURN_IF_ERROR(StampCommand(rt, caller, options, *command));
    v1::EraseCase* erase = command->mutable_erase_case();
    erase->set_reason(
        absl::StrCat("retention rule '", d.rule_id(), "' ran out on ",
                     absl::FormatTime("%Y-%m-%d", domain::ToTime(d.due_at()),
                                      absl::UTCTimeZone())));
    erase->set_retention_rule_id(d.rule_id());
    v1::EraseCaseRequest request;
    *request.mutable_options() = options;
    request.set_case_id(d.case_id());
    *request.mutable_command() = *erase;

    app::CommandRequest run;
    run.stream_id = domain::CaseStreamId(d.case_id());
    run.caller = caller;
    run.options = options;
    run.fingerprint =
        app::CommandPipeline::RequestFingerprint("EraseCase", request);
    run.decide = [&rt, command] {
      return Aggregate<v1::CaseCommand>::Decide(rt, *command);
    };
    absl::Notification finished;
    absl::StatusOr<v1::CommandReply> result;
    rt.pipeline().Run(std::move(run), [&](absl::StatusOr<v1::CommandReply> r) {
      result = std::move(r);
      finished.Notify();
    });
    finished.WaitForNotification();
    if (!result.ok()) {
      // One case's refusal does not stop the others.
      spdlog::warn("retention: case {} not erased: {}", d.case_id(),
                   result.status().ToString());
      out.add_failed_case_ids(d.case_id());
      continue;
    }
    rt.cases().Forget(domain::CaseStreamId(d.case_id()));
    out.add_erased_case_ids(d.case_id());
    spdlog::info("retention: case {} erased by {} (rule {})", d.case_id(),
                 caller.staff_id, d.rule_id());
  }
  return out;
}

grpc::ServerUnaryReactor* PrivacyServiceImpl::PlaceLegalHold(
    grpc::CallbackServerContext* ctx, const v1::PlaceLegalHoldRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_place_legal_hold>(
      rt_, ctx, *req, req->case_id(), reply, "PlaceLegalHold", nullptr,
      app::RpcAccess::kDirectoryAdmin);
}

grpc::ServerUnaryReactor* PrivacyServiceImpl::ReleaseLegalHold(
    grpc::CallbackServerContext* ctx, const v1::ReleaseLegalHoldRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_release_legal_hold>(
      rt_, ctx, *req, req->case_id(), reply, "ReleaseLegalHold", nullptr,
      app::RpcAccess::kDirectoryAdmin);
}

grpc::ServerUnaryReactor* PrivacyServiceImpl::EraseSubject(
    grpc::CallbackServerContext* ctx, const v1::EraseSubjectRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_erase_subject>(
      rt_, ctx, *req, req->case_id(), reply, "EraseSubject",
      ForgetCase<v1::EraseSubjectRequest>(rt_),
      app::RpcAccess::kDirectoryAdmin);
}

grpc::ServerUnaryReactor* PrivacyServiceImpl::EraseCase(
    grpc::CallbackServerContext* ctx, const v1::EraseCaseRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_erase_case>(
      rt_, ctx, *req, req->case_id(), reply, "EraseCase",
      ForgetCase<v1::EraseCaseRequest>(rt_), app::RpcAccess::kDirectoryAdmin);
}

grpc::ServerUnaryReactor* PrivacyServiceImpl::SetRetentionRule(
    grpc::CallbackServerContext* ctx, const v1::SetRetentionRuleRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::DirectoryCommand::mutable_set_retention_rule>(
      rt_, ctx, *req, "", reply, "SetRetentionRule");
}

grpc::ServerUnaryReactor* PrivacyServiceImpl::ListRetentionRules(
    grpc::CallbackServerContext* ctx, const v1::ListRetentionRulesRequest*,
    v1::ListRetentionRulesResponse* resp) {
  return RunQuery(
      rt_, ctx,
      [=, this](const Caller&) -> absl::Status {
        RENKEI_ASSIGN_OR_RETURN(auto directory, Directory(rt_));
        for (const auto& [id, rule] : directory->retention_rules) {
          *resp->add_rules() = rule;
        }
        return absl::OkStatus();
      },
      QueryScope::kAdmin);
}

grpc::ServerUnaryReactor* PrivacyServiceImpl::ListRetentionDue(
    grpc::CallbackServerContext* ctx, const v1::ListRetentionDueRequest* req,
    v1::ListRetentionDueResponse* resp) {
  return RunQuery(
      rt_, ctx,
      [=, this](const Caller&) -> absl::Status {
        RENKEI_ASSIGN_OR_RETURN(*resp, RetentionDueAt(rt_, AsOf(rt_, *req)));
        return absl::OkStatus();
      },
      QueryScope::kAdmin);
}

grpc::ServerUnaryReactor* PrivacyServiceImpl::EraseDueRecords(
    grpc::CallbackServerContext* ctx, const v1::EraseDueRecordsRequest* req,
    v1::EraseDueRecordsResponse* resp) {
  return RunQuery(
      rt_, ctx,
      [=, this](const Caller& caller) -> absl::Status {
        const absl::Time as_of =
            req->has_as_of() ? domain::ToTime(req->as_of()) : rt_.Now();
        if (as_of > rt_.Now()) {
          return errors::EraseAsOfInFuture();
        }
        RENKEI_ASSIGN_OR_RETURN(*resp, EraseDue(rt_, caller, as_of));
        return absl::OkStatus();
      },
      QueryScope::kAdmin);
}

grpc::ServerUnaryReactor* PrivacyServiceImpl::GetDisclosureRecord(
    grpc::CallbackServerContext* ctx, const v1::GetDisclosureRecordRequest* req,
    v1::GetDisclosureRecordResponse* resp) {
  return RunQuery(
      rt_, ctx,
      [=, this](const Caller& caller) -> absl::Status {
        RENKEI_RETURN_IF_ERROR(
            domain::ValidateId("subject_id", req->subject_id()));
        RENKEI_ASSIGN_OR_RETURN(
            app::CaseRead read,
            app::LoadCaseForReader(rt_, caller, req->case_id(),
                                   "GetDisclosureRecord"));
        RENKEI_ASSIGN_OR_RETURN(auto* models, rt_.CurrentReadModels());
        std::vector<app::RecordedRead> reads;
        RENKEI_RETURN_IF_ERROR(
            models->Scan(read_models::keys::AccessReadPrefix(req->case_id()),
                         "", [&](absl::string_view, absl::string_view value) {
                           app::RecordedRead r;
                           if (r.row.ParseFromString(std::string(value))) {
                             reads.push_back(std::move(r));
                           }
                           return true;
                         }));
        RENKEI_ASSIGN_OR_RETURN(
            *resp,
            app::DisclosureRecord(read.state(), req->subject_id(), reads));
        return app::RecordCaseRead(rt_, caller, req->case_id(),
                                   "GetDisclosureRecord",
                                   read.access->CaseBasis(), req->subject_id());
      },
      QueryScope::kAudit);
}

grpc::ServerUnaryReactor* PrivacyServiceImpl::ExportSubjectRecord(
    grpc::CallbackServerContext* ctx, const v1::ExportSubjectRecordRequest* req,
    v1::ExportSubjectRecordResponse* resp) {
  return RunQuery(
      rt_, ctx,
      [=, this](const Caller& caller) -> absl::Status {
        RENKEI_RETURN_IF_ERROR(
            domain::ValidateId("subject_id", req->subject_id()));
        RENKEI_ASSIGN_OR_RETURN(
            app::CaseRead read,
            app::LoadCaseForReader(rt_, caller, req->case_id(),
                                   "ExportSubjectRecord"));
        RENKEI_ASSIGN_OR_RETURN(
            *resp, app::ExportSubject(read.state(), req->subject_id(),
                                      read.access->reader()));
        return app::RecordCaseRead(rt_, caller, req->case_id(),
                                   "ExportSubjectRecord",
                                   read.access->CaseBasis(), req->subject_id());
      },
      QueryScope::kAudit);
}

RetentionSweep::RetentionSweep(app::DomainRuntime* rt, std::string staff_id,
                               absl::Duration period)
    : rt_(*rt), staff_id_(std::move(staff_id)), period_(period) {
  thread_ = std::thread([this] { Loop(); });
}

RetentionSweep::~RetentionSweep() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

absl::Status RetentionSweep::RunOnce() {
  RENKEI_ASSIGN_OR_RETURN(auto directory, Directory(rt_));
  const domain::StaffRecord* staff = directory->FindStaff(staff_id_);
  if (staff == nullptr || staff->HasLeft() ||
      !staff->roles.contains(v1::STAFF_ROLE_ADMINISTRATOR)) {
    return errors::RetentionAdministratorInactive(staff_id_);
  }
  Caller caller;
  caller.staff_id = staff_id_;
  caller.agency_id = staff->staff.agency_id();
  caller.roles = staff->roles;
  caller.request_id = "retention-sweep";
  RENKEI_ASSIGN_OR_RETURN(auto done, EraseDue(rt_, caller, rt_.Now()));
  spdlog::info("retention sweep: {} case(s) erased, {} held",
               done.erased_case_ids_size(), done.held_case_ids_size());
  return absl::OkStatus();
}

void RetentionSweep::Loop() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    mu_.Unlock();
    if (absl::Status s = RunOnce(); !s.ok()) {
      spdlog::warn("retention sweep: {}", s.ToString());
    }
    mu_.Lock();
    // Woken early only to stop.
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), period_);
  }
}

}  // namespace renkei::server
