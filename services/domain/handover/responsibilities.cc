// Finding a staff member's open responsibilities.
#include "services/domain/handover/responsibilities.h"

#include "absl/strings/str_cat.h"
#include "services/domain/case/case_state.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/conference/conference_state.h"
#include "services/domain/event_codec.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

absl::string_view ReferralStatusLabel(v1::ReferralStatus status) {
  switch (status) {
    case v1::REFERRAL_STATUS_MADE:
      return "awaiting an answer";
    case v1::REFERRAL_STATUS_ACCEPTED:
      return "accepted";
    case v1::REFERRAL_STATUS_NOT_ACCEPTED:
      return "not accepted, to be closed";
    case v1::REFERRAL_STATUS_RETURNED:
      return "returned, to be closed";
    case v1::REFERRAL_STATUS_REFERRED_ON:
      return "referred on";
    default:
      return "open";
  }
}

void AddCase(absl::string_view staff_id, const CaseState& state,
             absl::Time as_of, std::vector<v1::Responsibility>& out) {
  const std::string stream = CaseStreamId(state.case_id);
  for (const v1::CurrentStageLead& lead : LeadsAt(state, as_of)) {
    if (lead.lead().key_person_staff_id() != staff_id) continue;
    v1::Responsibility r;
    r.set_kind(v1::RESPONSIBILITY_KIND_STAGE_LEAD);
    r.set_stream_id(stream);
    r.set_case_id(state.case_id);
    r.set_ref_id(lead.stage_id());
    r.set_agency_id(lead.lead().agency_id());
    r.set_description(absl::StrCat(
        "key person of stage '", lead.stage_id(), "' of case '", state.case_id,
        "' for agency '", lead.lead().agency_id(), "'"));
    out.push_back(std::move(r));
  }
  for (const std::string& id : state.referral_order) {
    const ReferralState& referral = state.referrals.at(id);
    if (referral.made_at > as_of) continue;
    // Who handled it and where it stood at `as_of`, not now.
    const v1::ReferralStatus status = referral.StatusAt(as_of);
    if (referral.ReferrerAt(as_of) == staff_id &&
        status != v1::REFERRAL_STATUS_CLOSED) {
      v1::Responsibility r;
      r.set_kind(v1::RESPONSIBILITY_KIND_REFERRAL_SENT);
      r.set_stream_id(stream);
      r.set_case_id(state.case_id);
      r.set_ref_id(id);
      r.set_agency_id(referral.referral.from_agency_id());
      r.set_description(absl::StrCat("referral '", id, "' of case '",
                                     state.case_id, "' sent to '",
                                     referral.referral.to_agency_id(), "' (",
                                     ReferralStatusLabel(status), ")"));
      out.push_back(std::move(r));
    }
    if (referral.ReceiverAt(as_of) == staff_id &&
        (status == v1::REFERRAL_STATUS_MADE ||
         status == v1::REFERRAL_STATUS_ACCEPTED)) {
      v1::Responsibility r;
      r.set_kind(v1::RESPONSIBILITY_KIND_REFERRAL_RECEIVED);
      r.set_stream_id(stream);
      r.set_case_id(state.case_id);
      r.set_ref_id(id);
      r.set_agency_id(referral.referral.to_agency_id());
      r.set_description(absl::StrCat("referral '", id, "' of case '",
                                     state.case_id, "' received from '",
                                     referral.referral.from_agency_id(), "' (",
                                     ReferralStatusLabel(status), ")"));
      out.push_back(std::move(r));
    }
  }
}

void AddConference(absl::string_view staff_id, const ConferenceState& state,
                   absl::Time as_of, std::vector<v1::Responsibility>& out) {
  if (state.is_cancelled()) return;
  for (const std::string& id : state.action_item_order) {
    const ActionItemState& item = state.action_items.at(id);
    const auto [assignee, assignee_agency] = item.AssigneeAt(as_of);
    if (assignee != staff_id || !item.OpenAt(as_of)) continue;
    v1::Responsibility r;
    r.set_kind(v1::RESPONSIBILITY_KIND_ACTION_ITEM);
    r.set_stream_id(ConferenceStreamId(state.conference_id));
    r.set_case_id(item.item.case_id());
    r.set_conference_id(state.conference_id);
    r.set_ref_id(id);
    r.set_agency_id(assignee_agency);
    r.set_description(absl::StrCat(
        "action item '", id, "' of conference '", state.conference_id, "' due ",
        absl::FormatTime("%Y-%m-%d", ToTime(item.item.due()),
                         absl::UTCTimeZone())));
    out.push_back(std::move(r));
  }
}

}  // namespace

bool Involves(const CaseState& state, absl::string_view staff_id) {
  for (const TimelineItem& item : state.timeline) {
    if (item.actor.staff_id() == staff_id) return true;
  }
  for (const LeadFactRecord& record : state.lead_ledger) {
    if (record.fact.lead().key_person_staff_id() == staff_id) return true;
  }
  for (const auto& [id, referral] : state.referrals) {
    if (referral.referrer_staff_id == staff_id ||
        referral.receiver_staff_id == staff_id) {
      return true;
    }
  }
  return false;
}

bool Involves(const ConferenceState& state, absl::string_view staff_id) {
  if (state.convener().staff_id() == staff_id || state.Attended(staff_id)) {
    return true;
  }
  for (const auto& [id, item] : state.action_items) {
    if (item.item.assignee_staff_id() == staff_id) return true;
  }
  return false;
}

std::vector<v1::Responsibility> OpenResponsibilities(absl::string_view staff_id,
                                                     const Caseload& caseload,
                                                     absl::Time as_of) {
  std::vector<v1::Responsibility> open;
  for (const CaseState* state : caseload.cases) {
    if (state == nullptr || !state->opened || state->closed) continue;
    AddCase(staff_id, *state, as_of, open);
  }
  for (const ConferenceState* state : caseload.conferences) {
    if (state == nullptr || !state->scheduled) continue;
    AddConference(staff_id, *state, as_of, open);
  }
  return open;
}

StaffResponsibilities ResponsibilitiesForDeparture(
    absl::string_view staff_id, const Caseload& caseload,
    const std::vector<const HandoverState*>& handovers, absl::Time as_of) {
  StaffResponsibilities result;
  result.staff_id = std::string(staff_id);
  result.open = OpenResponsibilities(staff_id, caseload, as_of);
  for (const HandoverState* handover : handovers) {
    if (handover == nullptr ||
        handover->status != v1::HANDOVER_STATUS_COMPLETED ||
        handover->outgoing_staff_id() != staff_id) {
      continue;
    }
    result.covered.insert(result.covered.end(), handover->moved.begin(),
                          handover->moved.end());
  }
  return result;
}

}  // namespace renkei::domain
