// Pseudonymous keys and the anonymised conference view.
#include "services/domain/conference/anonymised_view.h"

#include <cstdint>
#include <set>

#include "absl/strings/str_cat.h"
#include "services/domain/case/case_state.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

// 64-bit FNV-1a.
uint64_t Fnv1a(absl::string_view bytes, uint64_t hash) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

void AddCase(const ConferenceState& state, const CaseState* c,
             absl::string_view case_id, absl::Time at,
             v1::AnonymisedConference& view) {
  v1::AnonymisedCase* out = view.add_cases();
  out->set_case_key(PseudonymousCaseKey(state.conference_id, case_id));
  if (c == nullptr || !c->opened) return;
  out->set_kind(c->opening.kind());
  out->set_registration(c->registration);
  for (v1::Framework framework : c->frameworks) out->add_frameworks(framework);
  for (const auto& [id, subject] : c->subjects) {
    out->add_household(subject.relationship());
  }
  for (const std::string& entry_id : c->entry_order) {
    const EntryState& entry = c->entries.at(entry_id);
    if (entry.retracted() || !entry.current().has_risk_ranking()) continue;
    out->set_latest_risk_rank(entry.current().risk_ranking().rank());
    out->set_lead_side(entry.current().risk_ranking().lead_side());
  }
  std::set<std::string> lead_agencies;
  for (const v1::CurrentStageLead& lead : LeadsAt(*c, at)) {
    lead_agencies.insert(lead.lead().agency_id());
  }
  for (const std::string& agency : lead_agencies) {
    out->add_lead_agency_ids(agency);
  }
  out->set_plan_revision(c->plan_revision());
}

}  // namespace

std::string PseudonymousCaseKey(absl::string_view conference_id,
                                absl::string_view case_id) {
  uint64_t hash = Fnv1a(conference_id, 0xcbf29ce484222325ULL);
  hash = Fnv1a(absl::string_view("\x1f", 1), hash);
  hash = Fnv1a(case_id, hash);
  return absl::StrCat("anon-", absl::Hex(hash, absl::kZeroPad16));
}

v1::AnonymisedConference AnonymisedView(const ConferenceState& state,
                                        const AggregateLookup& lookup) {
  v1::AnonymisedConference view;
  view.set_conference_id(state.conference_id);
  view.set_type(state.schedule.type());
  view.set_basis(state.schedule.basis());
  view.set_coordinating_agency_id(state.schedule.coordinating_agency_id());
  *view.mutable_scheduled_for() = state.schedule.scheduled_for();
  if (state.is_held()) *view.mutable_held_at() = ToTimestamp(*state.held_at);
  std::set<std::string> agencies;
  for (const v1::Attendance& attendee : state.held.attendance()) {
    agencies.insert(attendee.agency_id());
  }
  for (const std::string& agency : agencies) {
    view.add_attending_agency_ids(agency);
  }
  const absl::Time at =
      state.is_held() ? *state.held_at : ToTime(state.schedule.scheduled_for());
  for (const v1::AgendaCase& agenda : state.schedule.agenda_cases()) {
    AddCase(state, lookup.FindCase(agenda.case_id()), agenda.case_id(), at,
            view);
  }
  for (const std::string& id : state.decision_order) {
    const v1::ConferenceDecision& decision = state.decisions.at(id).decision;
    v1::AnonymisedDecision* out = view.add_decisions();
    out->set_decision_id(decision.decision_id());
    out->set_kind(decision.kind());
    if (!decision.case_id().empty()) {
      out->set_case_key(
          PseudonymousCaseKey(state.conference_id, decision.case_id()));
    }
    // Text written in an identified conference may name people.
    if (state.schedule.anonymised()) out->set_text(decision.text());
  }
  return view;
}

}  // namespace renkei::domain
