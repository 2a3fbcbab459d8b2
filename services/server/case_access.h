// Reading a case: access (the case must exist and the caller's agency must be
// on its support team now, or be an auditor agency), its summary, and the
// record every read of case content leaves on the access stream.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "renkei/v1/case_service.pb.h"
#include "renkei/v1/read_models.pb.h"
#include "services/server/domain_runtime.h"

namespace renkei::server {

using CaseSnapshot = AggregateCache<domain::CaseState>::Snapshot;

// From the folded case state (for queries that show entry content).
[[nodiscard]] absl::StatusOr<CaseSnapshot> LoadCaseForReader(
    DomainRuntime& rt, const Caller& caller, const std::string& case_id);

// A case readable by the caller, checked against the read models: its row,
// the read models it came from and why the caller may read it.
struct CaseRowRead {
  const read_models::ReadModelStore* models = nullptr;
  v1::CaseRow row;
  std::string basis;
};
// NOT_FOUND when the case was never opened; PERMISSION_DENIED unless the
// caller's agency is on the support team now (caseload index) or is an
// auditor agency.
[[nodiscard]] absl::StatusOr<CaseRowRead> ReadCaseRowForReader(
    DomainRuntime& rt, const Caller& caller, const std::string& case_id);

// Why `caller` may read a case: as a member of its support team, or else as
// an auditor agency.
[[nodiscard]] std::string ReaderBasis(const Caller& caller, bool on_team);
// A sharing decision's legal basis, for the access log.
[[nodiscard]] std::string DescribeBasis(const v1::SharingBasis& basis);

// Records that `caller` read content of `case_id` through `query` on
// `basis` (CaseContentRead on stream "access-<case_id>"). A read that cannot
// be recorded is refused.
[[nodiscard]] absl::Status RecordCaseRead(DomainRuntime& rt,
                                          const Caller& caller,
                                          const std::string& case_id,
                                          absl::string_view query,
                                          absl::string_view basis,
                                          absl::string_view ref_id = "");

// The case as it stood at stream version `version` of "case-<case_id>",
// folded from the log (0: as it is now, from the aggregate cache). A case
// with no events is an unopened state at version 0.
[[nodiscard]] absl::StatusOr<std::shared_ptr<const domain::CaseState>>
FoldCaseAtVersion(DomainRuntime& rt, const std::string& case_id,
                  uint64_t version);

// The summary of a case at `version`, with counts as of `now`.
void SummarizeCase(const domain::CaseState& state, uint64_t version,
                   absl::Time now, v1::CaseSummary& summary);
// The same from read-model rows: `state` read with read_models::CaseParts
// consents, plan_and_leads and referrals; counts that rows keep (entries,
// last activity) come from `row`.
void SummarizeCaseRows(const domain::CaseState& state, const v1::CaseRow& row,
                       absl::Time now, v1::CaseSummary& summary);

}  // namespace renkei::server
