// Queries over a case's bitemporal stage-lead ledger. Valid time: when a lead
// was in charge. Knowledge time: when that was recorded (the server's commit
// time, the event's recorded_at; occurred_at for an event without one). Facts
// known at K are laid over the time line in the order they were recorded, later
// ones winning where they overlap, so a stage never has two leads at one time
// and a retroactive correction changes the answer for K after it was recorded,
// never before. Pure functions of CaseState.
#ifndef RENKEI_SERVICES_DOMAIN_CASE_LEAD_LEDGER_H_
#define RENKEI_SERVICES_DOMAIN_CASE_LEAD_LEDGER_H_

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "renkei/v1/plan.pb.h"
#include "services/domain/case/case_state.h"

namespace renkei::domain {

// "As known now": every fact recorded so far.
inline constexpr absl::Time kKnownNow = absl::InfiniteFuture();

// Who led `stage_id` over time as known at `known_at`: the periods that had a
// lead, in valid-time order, each with the fact that says so.
[[nodiscard]] std::vector<v1::LeadPeriod> LeadHistory(
    const CaseState& state, absl::string_view stage_id,
    absl::Time known_at = kKnownNow);

// Who led `stage_id` at `valid_at` as known at `known_at`; nullopt when the
// stage had no lead then (as far as was known).
[[nodiscard]] std::optional<v1::LeadPeriod> LeadAt(
    const CaseState& state, absl::string_view stage_id, absl::Time valid_at,
    absl::Time known_at = kKnownNow);

// The ledger of `stage_id` as recorded, oldest first (the audit view).
[[nodiscard]] std::vector<v1::LeadFact> LeadLedger(const CaseState& state,
                                                   absl::string_view stage_id);

// Every stage with a lead at `valid_at` as known at `known_at`, in the order
// stages first appear in the ledger.
[[nodiscard]] std::vector<v1::CurrentStageLead> LeadsAt(
    const CaseState& state, absl::Time valid_at,
    absl::Time known_at = kKnownNow);

// Knowledge time of the latest fact about `stage_id`; nullopt when none.
[[nodiscard]] std::optional<absl::Time> LastKnownAt(const CaseState& state,
                                                    absl::string_view stage_id);

[[nodiscard]] bool SameLead(const v1::StageLead& a, const v1::StageLead& b);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_CASE_LEAD_LEDGER_H_
