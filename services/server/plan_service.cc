#include "services/server/plan_service.h"

#include "absl/strings/str_cat.h"
#include "services/app/access/case_access.h"
#include "services/domain/case/lead_ledger.h"
#include "services/read_models/case_rows.h"
#include "services/server/errors.h"
#include "services/server/rpc_adapter.h"
#include "storage/status_macros.h"

namespace renkei::server {

using app::Caller;

grpc::ServerUnaryReactor* PlanServiceImpl::ReviseSupportPlan(
    grpc::CallbackServerContext* ctx, const v1::ReviseSupportPlanRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_revise_support_plan>(
      rt_, ctx, *req, req->case_id(), reply, "ReviseSupportPlan");
}

grpc::ServerUnaryReactor* PlanServiceImpl::AssignStageLead(
    grpc::CallbackServerContext* ctx, const v1::AssignStageLeadRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_assign_stage_lead>(
      rt_, ctx, *req, req->case_id(), reply, "AssignStageLead");
}

grpc::ServerUnaryReactor* PlanServiceImpl::TransferStageLead(
    grpc::CallbackServerContext* ctx, const v1::TransferStageLeadRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_transfer_stage_lead>(
      rt_, ctx, *req, req->case_id(), reply, "TransferStageLead");
}

grpc::ServerUnaryReactor* PlanServiceImpl::CorrectStageLead(
    grpc::CallbackServerContext* ctx, const v1::CorrectStageLeadRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_correct_stage_lead>(
      rt_, ctx, *req, req->case_id(), reply, "CorrectStageLead");
}

grpc::ServerUnaryReactor* PlanServiceImpl::EndStageLead(
    grpc::CallbackServerContext* ctx, const v1::EndStageLeadRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_end_stage_lead>(
      rt_, ctx, *req, req->case_id(), reply, "EndStageLead");
}

grpc::ServerUnaryReactor* PlanServiceImpl::TransferCase(
    grpc::CallbackServerContext* ctx, const v1::TransferCaseRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_transfer_case>(
      rt_, ctx, *req, req->case_id(), reply, "TransferCase");
}

grpc::ServerUnaryReactor* PlanServiceImpl::GetSupportPlan(
    grpc::CallbackServerContext* ctx, const v1::GetSupportPlanRequest* req,
    v1::SupportPlan* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_ASSIGN_OR_RETURN(
        app::CaseRead read,
        app::LoadCaseForReader(rt_, caller, req->case_id(), "GetSupportPlan"));
    const v1::SupportPlan* plan = read.state().plan();
    if (plan == nullptr) {
      return errors::NoSupportPlan(req->case_id());
    }
    *resp = *plan;
    return app::RecordCaseRead(rt_, caller, req->case_id(), "GetSupportPlan",
                               read.access->CaseBasis());
  });
}

grpc::ServerUnaryReactor* PlanServiceImpl::GetStageLeadHistory(
    grpc::CallbackServerContext* ctx, const v1::GetStageLeadHistoryRequest* req,
    v1::GetStageLeadHistoryResponse* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_ASSIGN_OR_RETURN(
        auto read, app::ReadCaseRowForReader(rt_, caller, req->case_id(),
                                             "GetStageLeadHistory"));
    RENKEI_ASSIGN_OR_RETURN(
        const domain::CaseState state,
        read_models::ReadCaseState(*read.models, req->case_id(),
                                   {.plan_and_leads = true}));
    const domain::CaseState* ledger = &state;
    const absl::Time known_at = req->has_known_at()
                                    ? domain::ToTime(req->known_at())
                                    : domain::kKnownNow;
    std::vector<std::string> stages;
    if (!req->stage_id().empty()) {
      if (ledger->FindStage(req->stage_id()) == nullptr) {
        return errors::StageNotInPlan(req->stage_id(), req->case_id());
      }
      stages.push_back(req->stage_id());
    } else {
      if (const v1::SupportPlan* plan = ledger->plan()) {
        for (const auto& stage : plan->stages())
          stages.push_back(stage.stage_id());
      }
    }
    for (const auto& stage : stages) {
      for (auto& period : domain::LeadHistory(*ledger, stage, known_at)) {
        *resp->add_periods() = std::move(period);
      }
    }
    return app::RecordCaseRead(rt_, caller, req->case_id(),
                               "GetStageLeadHistory", read.basis,
                               req->stage_id());
  });
}

grpc::ServerUnaryReactor* PlanServiceImpl::GetLeadAt(
    grpc::CallbackServerContext* ctx, const v1::GetLeadAtRequest* req,
    v1::GetLeadAtResponse* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    if (!req->has_valid_at()) {
      return errors::FieldRequired("valid_at (the date D)");
    }
    RENKEI_ASSIGN_OR_RETURN(
        auto read,
        app::ReadCaseRowForReader(rt_, caller, req->case_id(), "GetLeadAt"));
    RENKEI_ASSIGN_OR_RETURN(
        const domain::CaseState state,
        read_models::ReadCaseState(*read.models, req->case_id(),
                                   {.plan_and_leads = true}));
    if (state.FindStage(req->stage_id()) == nullptr) {
      return errors::StageNotInPlan(req->stage_id(), req->case_id());
    }
    const absl::Time known_at = req->has_known_at()
                                    ? domain::ToTime(req->known_at())
                                    : domain::kKnownNow;
    auto period = domain::LeadAt(state, req->stage_id(),
                                 domain::ToTime(req->valid_at()), known_at);
    resp->set_has_lead(period.has_value());
    if (period) *resp->mutable_period() = std::move(*period);
    return app::RecordCaseRead(rt_, caller, req->case_id(), "GetLeadAt",
                               read.basis, req->stage_id());
  });
}

}  // namespace renkei::server
