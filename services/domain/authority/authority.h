// Who may change a case: the rules that make team changes, closure, transfer
// and a co-managed case's lead side decisions of a conference under the
// case's framework; which cases a conference may put on its agenda; which
// consents need a second person; and what a consent-based meeting needs.
// Pure functions of the states passed in; no synchronisation.
#ifndef RENKEI_SERVICES_DOMAIN_AUTHORITY_AUTHORITY_H_
#define RENKEI_SERVICES_DOMAIN_AUTHORITY_AUTHORITY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "renkei/v1/conference.pb.h"
#include "renkei/v1/consent.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/conference/conference_state.h"
#include "services/domain/directory/directory.h"

namespace renkei::domain {

// The frameworks whose coordinating body tracks the case: 要対協 for a
// registered case, else the case's own frameworks.
[[nodiscard]] std::vector<v1::Framework> GoverningFrameworks(
    const CaseState& c);

// The agency coordinating the case (the designated body of a governing
// framework), or empty when none is designated.
[[nodiscard]] std::string CaseCoordinatingBody(const CaseState& c,
                                               const DirectoryState& directory);

// Whether a conference with `basis` is one under the case's framework: a
// registered case needs a 要対協 conference; otherwise the basis must fit one
// of the case's frameworks (consent for a case with none).
[[nodiscard]] bool BasisServesCase(v1::ConferenceBasis basis,
                                   const CaseState& c);

// OK when `decision` (already checked to be about the case and made) comes
// from a conference that may change the case: under its framework, of a kind
// that decides cases (individual case conference, practitioners' meeting,
// 支援会議, 重層的支援会議), attended by at least two agencies, and attended
// either by every agency leading a stage of the case when it was decided or by
// the case's coordinating body. FAILED_PRECONDITION naming the condition.
[[nodiscard]] absl::Status RequireGoverningConference(
    const CaseState& c, const ConferenceState& conference,
    const DecisionState& decision, const DirectoryState& directory);

// Whether `agency_id` may put the case on a conference's agenda: it is on
// the case's team, or the conference is a practitioners' meeting convened by
// the case's coordinating body and the case is registered.
[[nodiscard]] bool MayPutOnAgenda(const CaseState& c,
                                  absl::string_view agency_id,
                                  v1::ConferenceType type,
                                  const DirectoryState& directory);

// A consent whose scope grants access to the recording agency itself waits
// for a second person's confirmation before it is in force.
[[nodiscard]] bool NeedsConfirmation(const v1::ConsentTerms& terms,
                                     absl::string_view recording_agency_id);

// OK when `staff_id` (of `agency_id`) may confirm `consent`: another person
// than its recorder, and a supervisor of an agency on the team or staff of
// the case's coordinating body. PERMISSION_DENIED otherwise.
[[nodiscard]] absl::Status RequireConsentConfirmer(
    const CaseState& c, const ConsentState& consent, absl::string_view staff_id,
    absl::string_view agency_id, const DirectoryState& directory);

// The case's persons (born subjects) with no consent in force at `at` whose
// scope names every agency in `agencies` that is not on the case's team:
// what a meeting whose basis is consent may not discuss.
[[nodiscard]] std::vector<std::string> SubjectsWithoutMeetingConsent(
    const CaseState& c, absl::Time at,
    const std::vector<std::string>& agencies);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_AUTHORITY_AUTHORITY_H_
