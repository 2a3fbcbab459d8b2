// Reading a case: access (the case must exist and the caller's agency must be
// on its support team now, or be an auditor agency) and its summary.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "renkei/v1/case_service.pb.h"
#include "services/server/domain_runtime.h"

namespace renkei::server {

using CaseSnapshot = AggregateCache<domain::CaseState>::Snapshot;

[[nodiscard]] absl::StatusOr<CaseSnapshot> LoadCaseForReader(
    DomainRuntime& rt, const Caller& caller, const std::string& case_id);

// The summary of a case at `version`, with counts as of `now`.
void SummarizeCase(const domain::CaseState& state, uint64_t version,
                   absl::Time now, v1::CaseSummary& summary);

}  // namespace renkei::server
