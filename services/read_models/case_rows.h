// CaseRows: reading the per-case read-model rows back into the domain's own
// state types, so that queries answer with the domain's pure functions
// (consents in force, the bitemporal lead ledger, progress review) instead of
// re-implementing their rules over rows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "renkei/v1/read_models.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/conference/conference_state.h"
#include "services/read_models/read_model_store.h"

namespace renkei::read_models {

// Row <-> state conversions.
[[nodiscard]] domain::ConsentState ToConsentState(const v1::ConsentRow& row);
[[nodiscard]] v1::ConsentRow ToConsentRow(const domain::ConsentState& state,
                                          uint64_t order);
[[nodiscard]] domain::LeadFactRecord ToLeadFactRecord(const v1::LeadFact& fact);
// The case's own fields (opening, closure, frameworks, registration,
// subjects, team now), without entries, consents, referrals or the plan.
[[nodiscard]] domain::CaseState CaseCoreFromRow(const v1::CaseRow& row);
// Writes the fields CaseCoreFromRow reads back into `row`.
void CaseCoreToRow(const domain::CaseState& core, v1::CaseRow& row);

// nullopt when the case has no row.
[[nodiscard]] absl::StatusOr<std::optional<v1::CaseRow>> ReadCaseRow(
    const ReadModelStore& store, absl::string_view case_id);

struct CaseParts {
  bool consents = false;
  bool plan_and_leads = false;
  bool referrals = false;
};

// The case as far as its rows tell: the core fields plus, as asked, the
// consents (in the order recorded), the plan in force and the lead ledger,
// and the referrals (status and parties only). NOT_FOUND without a row.
[[nodiscard]] absl::StatusOr<domain::CaseState> ReadCaseState(
    const ReadModelStore& store, absl::string_view case_id,
    const CaseParts& parts);

// The practitioners' meetings that reviewed the case, as conference states
// holding just that review (enough for domain::LastReviewOf).
[[nodiscard]] absl::StatusOr<std::vector<domain::ConferenceState>>
ReadReviewingConferences(const ReadModelStore& store,
                         absl::string_view case_id);

// The rest of every key under `prefix` (ids of index rows), in key order.
[[nodiscard]] absl::StatusOr<std::vector<std::string>> ReadIds(
    const ReadModelStore& store, const std::string& prefix);

}  // namespace renkei::read_models
