// Pseudonymous keys and the anonymised conference view.
#include "services/domain/conference/anonymised_view.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/domain/case/case_state.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/case/sharing.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

void AddCase(const ConferenceState& state, const CaseState* c,
             absl::string_view case_id, absl::Time at, absl::string_view secret,
             const AnonymisedViewer& viewer, v1::AnonymisedConference& view) {
  v1::AnonymisedCase* out = view.add_cases();
  out->set_case_key(PseudonymousCaseKey(secret, state.conference_id, case_id));
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
    if (!EntryVisibleToViewer(*c, entry, viewer)) continue;
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

std::string PseudonymousCaseKey(absl::string_view secret,
                                absl::string_view conference_id,
                                absl::string_view case_id) {
  // Length-prefixed, so that no two id pairs give the same message.
  const std::string message =
      absl::StrCat(conference_id.size(), ":", conference_id, case_id);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  const unsigned char* digest =
      HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(message.data()),
           message.size(), mac, &mac_size);
  // HMAC-SHA256 fails only on allocation failure; never return a key that
  // does not depend on the secret.
  if (digest == nullptr || mac_size < 8) std::abort();
  return absl::StrCat("anon-", absl::BytesToHexString(absl::string_view(
                                   reinterpret_cast<const char*>(mac), 8)));
}

bool ConferenceVisibleToAgency(const ConferenceState& state,
                               absl::string_view agency_id) {
  if (!state.scheduled || agency_id.empty()) return false;
  const v1::ConferenceScheduled& s = state.schedule;
  if (s.convener().agency_id() == agency_id ||
      s.coordinating_agency_id() == agency_id) {
    return true;
  }
  if (std::any_of(
          s.invitees().begin(), s.invitees().end(),
          [&](const v1::Invitee& i) { return i.agency_id() == agency_id; })) {
    return true;
  }
  return std::any_of(
      state.held.attendance().begin(), state.held.attendance().end(),
      [&](const v1::Attendance& a) { return a.agency_id() == agency_id; });
}

const google::protobuf::RepeatedPtrField<v1::AgendaCase>& PinnedAgendaCases(
    const ConferenceState& state) {
  return state.is_held() ? state.held.discussed_cases()
                         : state.schedule.agenda_cases();
}

bool EntryVisibleToViewer(const CaseState& state, const EntryState& entry,
                          const AnonymisedViewer& viewer) {
  if (viewer.auditor) {
    const auto& withheld =
        entry.current().confidentiality().withheld_from_agency_ids();
    return !entry.retracted() && std::find(withheld.begin(), withheld.end(),
                                           viewer.agency_id) == withheld.end();
  }
  return MayShare(state, entry, viewer.agency_id,
                  v1::SHARING_PURPOSE_SUPPORT_COORDINATION, viewer.at)
      .allowed();
}

v1::AnonymisedConference AnonymisedView(const ConferenceState& state,
                                        const AggregateLookup& lookup,
                                        absl::string_view secret,
                                        const AnonymisedViewer& viewer) {
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
  for (const v1::AgendaCase& agenda : PinnedAgendaCases(state)) {
    AddCase(state, lookup.FindCase(agenda.case_id()), agenda.case_id(), at,
            secret, viewer, view);
  }
  for (const std::string& id : state.decision_order) {
    const v1::ConferenceDecision& decision = state.decisions.at(id).decision;
    v1::AnonymisedDecision* out = view.add_decisions();
    out->set_decision_id(decision.decision_id());
    out->set_kind(decision.kind());
    if (!decision.case_id().empty()) {
      out->set_case_key(
          PseudonymousCaseKey(secret, state.conference_id, decision.case_id()));
    }
    // Text written in an identified conference may name people.
    if (state.schedule.anonymised()) out->set_text(decision.text());
  }
  return view;
}

}  // namespace renkei::domain
