#include "services/server/case_access.h"

#include "absl/strings/str_cat.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/event_codec.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"
#include "storage/status_macros.h"

namespace renkei::server {

absl::StatusOr<CaseSnapshot> LoadCaseForReader(DomainRuntime& rt,
                                               const Caller& caller,
                                               const std::string& case_id) {
  RENKEI_RETURN_IF_ERROR(domain::ValidateId("case_id", case_id));
  RENKEI_ASSIGN_OR_RETURN(CaseSnapshot snapshot,
                          rt.cases().Load(domain::CaseStreamId(case_id)));
  if (snapshot.version == 0 || !snapshot.state->opened) {
    return absl::NotFoundError(
        absl::StrCat("case '", case_id, "' does not exist"));
  }
  if (!snapshot.state->OnTeam(caller.agency_id) && !rt.IsAuditor(caller)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "agency '", caller.agency_id, "' is not on the support team of case '",
        case_id, "'; only team agencies may read it"));
  }
  return snapshot;
}

void SummarizeCase(const domain::CaseState& state, uint64_t version,
                   absl::Time now, v1::CaseSummary& summary) {
  summary.set_case_id(state.case_id);
  summary.set_kind(state.opening.kind());
  summary.set_title(state.opening.title());
  summary.set_closed(state.closed);
  summary.set_closure_reason(state.closure_reason);
  for (auto f : state.frameworks) summary.add_frameworks(f);
  summary.set_registration(state.registration);
  *summary.mutable_opened_at() = domain::ToTimestamp(state.opened_at);
  for (const auto& [id, subject] : state.subjects)
    *summary.add_subjects() = subject;
  for (const auto& [agency, periods] : state.team) {
    if (periods.empty() || periods.back().left_at.has_value()) continue;
    auto* member = summary.add_team();
    member->set_agency_id(agency);
    *member->mutable_joined_at() =
        domain::ToTimestamp(periods.back().joined_at);
  }
  summary.set_version(version);
  summary.set_entries(static_cast<int32_t>(state.entries.size()));
  int32_t in_force = 0, refusals = 0, open_referrals = 0;
  for (const auto& [id, consent] : state.consents) {
    in_force += consent.InForceAt(now);
    refusals += consent.RefusalStandingAt(now);
  }
  for (const auto& [id, referral] : state.referrals) {
    open_referrals += referral.status != v1::REFERRAL_STATUS_CLOSED &&
                      referral.status != v1::REFERRAL_STATUS_NOT_ACCEPTED;
  }
  summary.set_consents_in_force(in_force);
  summary.set_refusals_standing(refusals);
  summary.set_open_referrals(open_referrals);
  for (const auto& current : domain::LeadsAt(state, now, now)) {
    auto* lead = summary.add_stage_leads();
    lead->set_stage_id(current.stage_id());
    if (const v1::SupportStage* stage = state.FindStage(current.stage_id())) {
      lead->set_stage_title(stage->title());
    }
    lead->set_lead_agency_id(current.lead().agency_id());
    lead->set_key_person_staff_id(current.lead().key_person_staff_id());
  }
  if (!state.timeline.empty()) {
    *summary.mutable_last_activity_at() =
        domain::ToTimestamp(state.timeline.back().occurred_at);
  }
}

}  // namespace renkei::server
