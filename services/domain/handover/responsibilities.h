// What a staff member is answerable for across cases and conferences: the
// leads they are key person of, their open action items and the referrals
// they handle. Pure functions of the states given.
#ifndef RENKEI_SERVICES_DOMAIN_HANDOVER_RESPONSIBILITIES_H_
#define RENKEI_SERVICES_DOMAIN_HANDOVER_RESPONSIBILITIES_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "renkei/v1/responsibility.pb.h"
#include "services/domain/directory/directory.h"
#include "services/domain/handover/handover_state.h"
#include "services/domain/lookup.h"

namespace renkei::domain {

// Whether `staff_id` recorded anything on the case, is or was key person of
// one of its stages, or handles one of its referrals: the cases to load as
// the caseload of their handover or departure.
[[nodiscard]] bool Involves(const CaseState& state, absl::string_view staff_id);
// Whether `staff_id` convened or attended the conference or is assigned one
// of its action items.
[[nodiscard]] bool Involves(const ConferenceState& state,
                            absl::string_view staff_id);

// At `as_of`, in caseload order (per case: stage leads in ledger order, then
// referrals in the order made; then conferences' action items in the order
// assigned):
//  - stage leads in force (as known now) with `staff_id` as key person;
//  - action items open and assigned to them, unless the conference was
//    cancelled;
//  - referrals they make until closed, and referrals they handle as
//    receiver while awaiting an answer or accepted.
// Closed cases hold none. Each carries a description for people.
[[nodiscard]] std::vector<v1::Responsibility> OpenResponsibilities(
    absl::string_view staff_id, const Caseload& caseload, absl::Time as_of);

// What the directory decider needs to record `staff_id` as left at `as_of`:
// their open responsibilities and those moved by completed handovers from
// them (among `handovers`).
[[nodiscard]] StaffResponsibilities ResponsibilitiesForDeparture(
    absl::string_view staff_id, const Caseload& caseload,
    const std::vector<const HandoverState*>& handovers, absl::Time as_of);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_HANDOVER_RESPONSIBILITIES_H_
