// Building the briefing packet.
#include "services/domain/handover/packet.h"

#include <optional>
#include <set>
#include <string>

#include "services/domain/case/case_state.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/conference/conference_state.h"
#include "services/domain/handover/responsibilities.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

v1::PacketConsent Consent(const ConsentState& consent) {
  v1::PacketConsent out;
  out.set_consent_id(consent.terms.consent_id());
  out.set_subject_id(consent.terms.subject_id());
  *out.mutable_scope() = consent.terms.scope();
  if (consent.valid_until.has_value()) {
    *out.mutable_valid_until() = ToTimestamp(*consent.valid_until);
  }
  return out;
}

void AddReferrals(absl::string_view staff_id, const CaseState& state,
                  v1::PacketCase& out) {
  for (const std::string& id : state.referral_order) {
    const ReferralState& referral = state.referrals.at(id);
    const v1::ReferralStatus status = referral.status;
    const bool sent = referral.referrer_staff_id == staff_id &&
                      status != v1::REFERRAL_STATUS_CLOSED;
    const bool received = referral.receiver_staff_id == staff_id &&
                          (status == v1::REFERRAL_STATUS_MADE ||
                           status == v1::REFERRAL_STATUS_ACCEPTED);
    if (!sent && !received) continue;
    v1::PacketReferral* row = out.add_open_referrals();
    row->set_referral_id(id);
    row->set_side(sent ? v1::REFERRAL_SIDE_REFERRER
                       : v1::REFERRAL_SIDE_RECEIVER);
    row->set_status(status);
    row->set_counterpart_agency_id(sent ? referral.referral.to_agency_id()
                                        : referral.referral.from_agency_id());
    row->set_reason(referral.referral.reason());
    *row->mutable_response_deadline() = referral.referral.response_deadline();
  }
}

void AddEntries(const CaseState& state,
                const std::optional<ViewRequest>& reader, v1::PacketCase& out) {
  for (const std::string& id : state.entry_order) {
    const EntryState& entry = state.entries.at(id);
    if (entry.retracted()) continue;
    const v1::Entry& current = entry.current();
    const v1::Confidentiality& secret = current.confidentiality();
    // What the reader may see of it (everything when no reader is given).
    uint32_t visible = entry.version();
    if (reader.has_value()) {
      const EntryAccess access = MayView(state, entry, *reader);
      visible = access.allowed() ? access.version : 0;
    }
    if (!secret.withheld_from_subject_ids().empty() ||
        !secret.withheld_from_agency_ids().empty()) {
      v1::ConfidentialWarning* warning = out.add_confidential_warnings();
      warning->set_entry_id(id);
      *warning->mutable_subject_ids() = current.subject_ids();
      *warning->mutable_withheld_from_subject_ids() =
          secret.withheld_from_subject_ids();
      *warning->mutable_withheld_from_agency_ids() =
          secret.withheld_from_agency_ids();
      // Whom not to tell is for everyone taking the case over; why is
      // content, for those who may see the entry.
      if (visible > 0) warning->set_reason(secret.reason());
    }
    if (visible == 0) continue;
    const EntryVersion& shown = entry.versions[visible - 1];
    if (shown.entry.has_assessment()) {
      v1::PacketAssessment* latest = out.mutable_latest_assessment();
      latest->set_entry_id(id);
      *latest->mutable_recorded_at() = ToTimestamp(shown.at);
      *latest->mutable_recorded_by() = entry.recorded_by();
      *latest->mutable_assessment() = shown.entry.assessment();
    }
  }
}

v1::PacketCase CaseSection(absl::string_view staff_id, const CaseState& state,
                           const Caseload& caseload, absl::Time as_of,
                           const PacketOptions& options) {
  v1::PacketCase out;
  out.set_case_id(state.case_id);
  out.set_title(state.opening.title());
  out.set_registration(state.registration);
  for (v1::Framework framework : state.frameworks) {
    out.add_frameworks(framework);
  }
  for (const v1::CurrentStageLead& lead : LeadsAt(state, as_of)) {
    if (lead.lead().key_person_staff_id() != staff_id) continue;
    v1::PacketStage* stage = out.add_stages_led();
    stage->set_stage_id(lead.stage_id());
    if (const v1::SupportStage* planned = state.FindStage(lead.stage_id())) {
      stage->set_title(planned->title());
    }
    *stage->mutable_lead() = lead.lead();
    if (std::optional<v1::LeadPeriod> period =
            LeadAt(state, lead.stage_id(), as_of)) {
      *stage->mutable_since() = period->valid_from();
    }
  }
  AddReferrals(staff_id, state, out);
  for (const std::string& id : state.consent_order) {
    const ConsentState& consent = state.consents.at(id);
    if (!consent.InForceAt(as_of)) continue;
    *out.add_consents_in_force() = Consent(consent);
    if (consent.valid_until.has_value() &&
        *consent.valid_until <= as_of + options.expiring_within) {
      *out.add_consents_expiring() = Consent(consent);
    }
  }
  AddEntries(state, options.reader, out);
  const bool may_see_plan =
      !options.reader.has_value() || options.reader->auditor ||
      state.OnTeamAt(options.reader->agency_id, options.reader->at);
  if (const v1::SupportPlan* plan = state.plan(); plan && may_see_plan) {
    for (const v1::SupportGoal& goal : plan->goals()) {
      if (goal.horizon() == v1::GOAL_HORIZON_MID ||
          goal.horizon() == v1::GOAL_HORIZON_LONG) {
        *out.add_mid_and_long_term_goals() = goal;
      }
    }
  }
  out.set_plan_revision(state.plan_revision());
  if (std::optional<absl::Time> due =
          NextReviewDue(state, caseload.conferences, options.review, as_of)) {
    *out.mutable_next_review_due() = ToTimestamp(*due);
  }
  return out;
}

}  // namespace

v1::HandoverPacket BuildHandoverPacket(const HandoverState& handover,
                                       const Caseload& caseload,
                                       absl::Time as_of,
                                       const PacketOptions& options) {
  const std::string& staff_id = handover.outgoing_staff_id();
  v1::HandoverPacket packet;
  packet.set_handover_id(handover.handover_id);
  packet.set_outgoing_staff_id(staff_id);
  packet.set_successor_staff_id(handover.successor_staff_id());
  packet.set_agency_id(handover.agency_id());
  *packet.mutable_as_of() = ToTimestamp(as_of);
  const std::vector<v1::Responsibility> responsibilities =
      OpenResponsibilities(staff_id, caseload, as_of);

  std::set<std::string> listed;
  for (const CaseState* state : caseload.cases) {
    if (state == nullptr || !state->opened || state->closed) continue;
    if (!Involves(*state, staff_id)) continue;
    if (!listed.insert(state->case_id).second) continue;
    *packet.add_cases() =
        CaseSection(staff_id, *state, caseload, as_of, options);
  }
  for (const ConferenceState* conference : caseload.conferences) {
    if (conference == nullptr || conference->is_cancelled()) continue;
    for (const std::string& id : conference->action_item_order) {
      const ActionItemState& item = conference->action_items.at(id);
      if (item.AssigneeAt(as_of).first != staff_id || !item.OpenAt(as_of)) {
        continue;
      }
      v1::PacketActionItem row;
      row.set_conference_id(conference->conference_id);
      *row.mutable_item() = item.item;
      row.set_overdue(item.OverdueAt(as_of));
      v1::PacketCase* section = nullptr;
      for (v1::PacketCase& c : *packet.mutable_cases()) {
        if (c.case_id() == item.item.case_id()) section = &c;
      }
      if (section != nullptr) {
        *section->add_action_items() = std::move(row);
      } else {
        *packet.add_other_action_items() = std::move(row);
      }
    }
  }
  for (const v1::Responsibility& r : responsibilities) {
    *packet.add_responsibilities() = r;
  }
  return packet;
}

}  // namespace renkei::domain
