// Reading a case: who reads (the caller as an app::Reader), whether they may
// read it (app::AccessDecision), its summary, and the record every read of
// case content leaves on the access stream, refused reads included.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "renkei/v1/case_service.pb.h"
#include "renkei/v1/read_models.pb.h"
#include "services/app/access/access_decision.h"
#include "services/app/runtime/domain_runtime.h"

namespace renkei::app {

using CaseSnapshot = AggregateCache<domain::CaseState>::Snapshot;

// What the caller reads a case for.
struct ReadPurpose {
  v1::SharingPurpose purpose = v1::SHARING_PURPOSE_SUPPORT_COORDINATION;
  std::string forum_id;  // reading as a member of this forum (optional)
};

// The caller as a reader of case content, at the server's time.
[[nodiscard]] app::Reader ReaderOf(DomainRuntime& rt, const Caller& caller,
                                   ReadPurpose purpose = {});

// A folded case and the access decision for its reader (which borrows the
// state the snapshot keeps alive).
struct CaseRead {
  CaseSnapshot snapshot;
  std::unique_ptr<app::AccessDecision> access;

  const domain::CaseState& state() const { return *snapshot.state; }
};

// Loads the case and decides access for the caller. `query` names the RPC
// for the access log: a refused read of an existing case is recorded as
// denied, with the rule. NOT_FOUND alike for a case that does not exist and
// one the caller has no relation to; with `require_case_reader` false the
// decision is returned for any relation (e.g. a referral party).
[[nodiscard]] absl::StatusOr<CaseRead> LoadCaseForReader(
    DomainRuntime& rt, const Caller& caller, const std::string& case_id,
    absl::string_view query, ReadPurpose purpose = {},
    bool require_case_reader = true);

// A case readable by the caller, checked against the read models: its row,
// the read models it came from and why the caller may read it.
struct CaseRowRead {
  const read_models::ReadModelStore* models = nullptr;
  v1::CaseRow row;
  std::string basis;
};
// The caller's agency must be on the support team now (caseload index) or be
// an auditor agency; otherwise decided as LoadCaseForReader does (NOT_FOUND
// without a relation, PERMISSION_DENIED recorded as denied with one).
[[nodiscard]] absl::StatusOr<CaseRowRead> ReadCaseRowForReader(
    DomainRuntime& rt, const Caller& caller, const std::string& case_id,
    absl::string_view query);

// Why `caller` may read a case: as a member of its support team, or else as
// an auditor agency.
[[nodiscard]] std::string ReaderBasis(const Caller& caller, bool on_team);
// A sharing decision's legal basis, for the access log.

// Records that `caller` read content of `case_id` through `query` on
// `basis` (CaseContentRead on stream "access-<case_id>"). A read that cannot
// be recorded is refused.
[[nodiscard]] absl::Status RecordCaseRead(DomainRuntime& rt,
                                          const Caller& caller,
                                          const std::string& case_id,
                                          absl::string_view query,
                                          absl::string_view basis,
                                          absl::string_view ref_id = "");
// One read of several cases (a handover packet, an anonymised conference):
// the records are appended together, so they share one group commit
// instead of costing one fsync each. A read that cannot be recorded is
// refused.
struct CaseReadRecord {
  std::string case_id;
  std::string basis;
  std::string ref_id;
};
[[nodiscard]] absl::Status RecordCaseReads(
    DomainRuntime& rt, const Caller& caller, absl::string_view query,
    const std::vector<CaseReadRecord>& reads);
// Records a refused read of `case_id` (which exists) with the refusal as its
// rule, and returns `refusal` (or why it could not be recorded).
[[nodiscard]] absl::Status RecordDeniedRead(DomainRuntime& rt,
                                            const Caller& caller,
                                            const std::string& case_id,
                                            absl::string_view query,
                                            const absl::Status& refusal,
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
// Rows never hold personal fields (they are sealed in the log the read
// models follow): the title, the closure reason and the household members'
// names and descriptions come from the case aggregate, for a reader already
// admitted to the case.
[[nodiscard]] absl::Status AddPersonalFields(DomainRuntime& rt,
                                             const std::string& case_id,
                                             v1::CaseSummary& summary);
// The case's title from its aggregate, for a caseload line.
[[nodiscard]] absl::StatusOr<std::string> CaseTitle(DomainRuntime& rt,
                                                    const std::string& case_id);

}  // namespace renkei::app
