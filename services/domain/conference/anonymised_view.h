// The anonymised view of a conference (representatives' meetings, training,
// case-sharing meetings at school-year transitions): cases under
// pseudonymous keys, agencies only, and no names, titles, descriptions,
// minutes or other identifying fields. Pure functions.
#ifndef RENKEI_SERVICES_DOMAIN_CONFERENCE_ANONYMISED_VIEW_H_
#define RENKEI_SERVICES_DOMAIN_CONFERENCE_ANONYMISED_VIEW_H_

#include <string>

#include "absl/strings/string_view.h"
#include "renkei/v1/conference.pb.h"
#include "services/domain/conference/conference_state.h"
#include "services/domain/lookup.h"

namespace renkei::domain {

// "anon-" and 16 hex digits, a deterministic function of both ids: stable
// within one conference, unrelated across conferences. Not a secret: it
// hides case ids from readers of the view, not from someone who can try
// every case id.
[[nodiscard]] std::string PseudonymousCaseKey(absl::string_view conference_id,
                                              absl::string_view case_id);

// The conference with every agenda case replaced by its key and only
// non-identifying facts (kind, registration, frameworks, household
// relationships, latest risk rank, lead agencies, plan revision); decisions
// keep their kind and case key, and their text only when the conference was
// held anonymised. Cases `lookup` cannot find are shown by key only.
[[nodiscard]] v1::AnonymisedConference AnonymisedView(
    const ConferenceState& state, const AggregateLookup& lookup);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_CONFERENCE_ANONYMISED_VIEW_H_
