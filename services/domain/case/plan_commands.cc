// Deciding support plan revisions: one shared plan per case (goals with a
// horizon, stages, role split), each version adopted at a conference.
#include <set>

#include "absl/strings/str_cat.h"
#include "services/domain/case/decide_context.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/errors.h"
#include "services/domain/status_macros.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"

namespace renkei::domain::internal {
namespace {

absl::Status ValidatePlanShape(const v1::SupportPlan& plan) {
  if (plan.goals().empty()) return errors::MissingField("plan.goals");
  if (plan.stages().empty()) return errors::MissingField("plan.stages");
  std::set<std::string> goal_ids;
  for (const v1::SupportGoal& goal : plan.goals()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateId("plan.goals.goal_id", goal.goal_id()));
    if (!goal_ids.insert(goal.goal_id()).second) {
      return errors::InvalidField(
          "plan.goals", absl::StrCat("lists '", goal.goal_id(), "' twice."));
    }
    RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum(
        "plan.goals.horizon", goal.horizon(), &v1::GoalHorizon_IsValid));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        RequireText("plan.goals.description", goal.description()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateIdList("plan.goals.subject_ids", goal.subject_ids(), false));
  }
  std::set<std::string> stage_ids;
  for (const v1::SupportStage& stage : plan.stages()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateId("plan.stages.stage_id", stage.stage_id()));
    if (!stage_ids.insert(stage.stage_id()).second) {
      return errors::InvalidField(
          "plan.stages", absl::StrCat("lists '", stage.stage_id(), "' twice."));
    }
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        RequireText("plan.stages.title", stage.title()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateIdList("plan.stages.goal_ids", stage.goal_ids(), false));
    for (const std::string& goal_id : stage.goal_ids()) {
      if (goal_ids.count(goal_id) == 0) {
        return errors::InvalidField(
            "plan.stages.goal_ids",
            absl::StrCat("names '", goal_id,
                         "', which is not a goal of the plan."));
      }
    }
  }
  for (const v1::RoleAssignment& role : plan.roles()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateId("plan.roles.agency_id", role.agency_id()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        RequireText("plan.roles.responsibility", role.responsibility()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateOptionalId("plan.roles.stage_id", role.stage_id()));
    if (!role.stage_id().empty() && stage_ids.count(role.stage_id()) == 0) {
      return errors::InvalidField(
          "plan.roles.stage_id",
          absl::StrCat("names '", role.stage_id(),
                       "', which is not a stage of the plan."));
    }
    if (!role.case_id().empty()) {
      return errors::InvalidField("plan.roles.case_id",
                                  "must be empty: the plan is the case's own.");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Events> Revise(const DecideContext& ctx,
                              const v1::ReviseSupportPlan& revise) {
  const v1::SupportPlan& plan = revise.plan();
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidatePlanShape(plan));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", revise.reason()));
  if (!HasDecision(revise.decision())) return errors::MissingField("decision");
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  const CaseState& state = ctx.state();
  for (const v1::SupportGoal& goal : plan.goals()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireSubjects(goal.subject_ids()));
  }
  for (const v1::RoleAssignment& role : plan.roles()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ctx.directory().RequireAgency(role.agency_id()));
    if (!state.OnTeam(role.agency_id())) {
      return errors::AgencyNotOnTeam(role.agency_id());
    }
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ctx.RequireDecision(revise.decision(), {v1::DECISION_KIND_PLAN_REVISION},
                          "a plan revision")
          .status());
  // A stage dropped from the plan must not have a lead now or later.
  if (const v1::SupportPlan* current = state.plan()) {
    for (const v1::SupportStage& stage : current->stages()) {
      bool kept = false;
      for (const v1::SupportStage& next : plan.stages()) {
        kept = kept || next.stage_id() == stage.stage_id();
      }
      if (kept) continue;
      for (const v1::LeadPeriod& period :
           LeadHistory(state, stage.stage_id())) {
        if (!period.has_valid_to() || ToTime(period.valid_to()) > ctx.at()) {
          return errors::StageStillLed(stage.stage_id());
        }
      }
    }
  }
  v1::CaseEvent event = ctx.NewEvent();
  auto* revised = event.mutable_support_plan_revised();
  revised->set_revision(state.plan_revision() + 1);
  *revised->mutable_plan() = plan;
  *revised->mutable_decision() = revise.decision();
  revised->set_reason(revise.reason());
  return Events{std::move(event)};
}

}  // namespace

absl::StatusOr<Events> DecidePlan(const DecideContext& ctx) {
  if (ctx.command().kind_case() == v1::CaseCommand::kReviseSupportPlan) {
    return Revise(ctx, ctx.command().revise_support_plan());
  }
  return errors::EmptyCommand();
}

}  // namespace renkei::domain::internal
