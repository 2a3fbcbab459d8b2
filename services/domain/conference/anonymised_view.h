// The anonymised view of a conference (representatives' meetings, training,
// case-sharing meetings at school-year transitions): cases under
// pseudonymous keys, agencies only, and no names, titles, descriptions,
// minutes or other identifying fields. Who may see it, and which case facts
// a given viewer may have derived for it. Pure functions: the caller supplies
// the key, the viewer and the time, and the case states as discussed.
// Thread-safety: no shared state; safe to call concurrently.
#ifndef RENKEI_SERVICES_DOMAIN_CONFERENCE_ANONYMISED_VIEW_H_
#define RENKEI_SERVICES_DOMAIN_CONFERENCE_ANONYMISED_VIEW_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_field.h"
#include "renkei/v1/conference.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/conference/conference_state.h"
#include "services/domain/lookup.h"

namespace renkei::domain {

// Bytes of the server secret pseudonymous keys are derived with.
inline constexpr size_t kPseudonymKeyBytes = 32;

// "anon-" and 16 hex digits: the first 8 bytes of HMAC-SHA256 under `secret`
// over both ids. Stable within one conference for one secret, unrelated
// across conferences, and not computable from the ids without the secret.
[[nodiscard]] std::string PseudonymousCaseKey(absl::string_view secret,
                                              absl::string_view conference_id,
                                              absl::string_view case_id);

// Whether staff of `agency_id` may see the conference at all: its agency
// convened it, is its coordinating agency, was invited or attended.
[[nodiscard]] bool ConferenceVisibleToAgency(const ConferenceState& state,
                                             absl::string_view agency_id);

// The cases of the conference pinned to the case versions discussed: those
// of the holding when it was held, else those put on the agenda.
[[nodiscard]] const google::protobuf::RepeatedPtrField<v1::AgendaCase>&
PinnedAgendaCases(const ConferenceState& state);

// Who is looking at the view, and when: facts derived from case entries
// (latest risk rank, lead side) use only entries this viewer may see. A
// participant agency sees what MayShare allows it for support coordination
// at `at`; an auditor agency every entry neither retracted nor withheld from
// it.
struct AnonymisedViewer {
  std::string agency_id;
  bool auditor = false;
  absl::Time at;
};

// Whether `viewer` may have facts of `entry` (of `state`) derived for them.
[[nodiscard]] bool EntryVisibleToViewer(const CaseState& state,
                                        const EntryState& entry,
                                        const AnonymisedViewer& viewer);

// The conference with every agenda case replaced by its key and only
// non-identifying facts (kind, registration, frameworks, household
// relationships, latest risk rank, lead agencies, plan revision); decisions
// keep their kind and case key, and their text only when the conference was
// held anonymised. `lookup` gives each case as discussed (see
// PinnedAgendaCases); cases it cannot find are shown by key only.
[[nodiscard]] v1::AnonymisedConference AnonymisedView(
    const ConferenceState& state, const AggregateLookup& lookup,
    absl::string_view secret, const AnonymisedViewer& viewer);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_CONFERENCE_ANONYMISED_VIEW_H_
