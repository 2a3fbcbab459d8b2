// Retention: when a closed case's records may be erased, by the schedule
// of retention rules (保存期間) the administrators keep in the directory.
// A case falls under every rule of one of its frameworks (and of its kind,
// or of any kind); the longest of them wins, and a permanent one keeps it
// for good. Open cases are never due.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "renkei/v1/directory.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/directory/directory.h"

namespace renkei::domain {

struct RetentionVerdict {
  // The rule that keeps the case longest (empty: no rule covers it).
  std::string rule_id;
  bool permanent = false;
  // When it may be erased (unset: never, or not computable — a child-age
  // rule for a household with no child's date of birth keeps it).
  std::optional<absl::Time> due_at;
};

// The verdict for a closed case; nullopt for an open one.
[[nodiscard]] std::optional<RetentionVerdict> RetentionOf(
    const CaseState& state, const DirectoryState& directory);

}  // namespace renkei::domain
