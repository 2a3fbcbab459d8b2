#include "services/domain/case/retention.h"

#include <algorithm>

#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

absl::Time AddYears(absl::Time t, int years) {
  const absl::CivilSecond c = absl::ToCivilSecond(t, absl::UTCTimeZone());
  return absl::FromCivil(absl::CivilSecond(c.year() + years, c.month(), c.day(),
                                           c.hour(), c.minute(), c.second()),
                         absl::UTCTimeZone());
}

// The youngest child's date of birth (or expected birth), if any is known.
std::optional<absl::Time> YoungestChildBirth(const CaseState& state) {
  std::optional<absl::Time> youngest;
  for (const auto& [id, subject] : state.subjects) {
    if (subject.relationship() != v1::RELATIONSHIP_CHILD &&
        subject.relationship() != v1::RELATIONSHIP_GRANDCHILD) {
      continue;
    }
    std::optional<absl::Time> born;
    if (subject.has_birth_date()) born = ToTime(subject.birth_date());
    if (subject.unborn().has_expected_birth()) {
      born = ToTime(subject.unborn().expected_birth());
    }
    if (born && (!youngest || *born > *youngest)) youngest = born;
  }
  return youngest;
}

}  // namespace

std::optional<RetentionVerdict> RetentionOf(const CaseState& state,
                                            const DirectoryState& directory) {
  if (!state.opened || !state.closed || !state.closed_at.has_value()) {
    return std::nullopt;
  }
  RetentionVerdict verdict;
  bool undetermined = false;
  for (const auto& [id, rule] : directory.retention_rules) {
    const bool framework =
        std::find(state.frameworks.begin(), state.frameworks.end(),
                  rule.framework()) != state.frameworks.end();
    const bool kind = rule.case_kind() == v1::CASE_KIND_UNSPECIFIED ||
                      rule.case_kind() == state.opening.kind();
    if (!framework || !kind) continue;
    if (rule.permanent()) {
      verdict.rule_id = id;
      verdict.permanent = true;
      verdict.due_at.reset();
      return verdict;
    }
    std::optional<absl::Time> due;
    if (rule.years_after_closure() > 0) {
      due = AddYears(*state.closed_at, rule.years_after_closure());
    } else if (rule.until_child_age() > 0) {
      const std::optional<absl::Time> born = YoungestChildBirth(state);
      if (!born) {
        undetermined = true;
        verdict.rule_id = id;
        continue;
      }
      due = std::max(*state.closed_at, AddYears(*born, rule.until_child_age()));
    }
    if (due && !undetermined && (!verdict.due_at || *due > *verdict.due_at)) {
      verdict.due_at = due;
      verdict.rule_id = id;
    }
  }
  if (undetermined) verdict.due_at.reset();
  return verdict;
}

}  // namespace renkei::domain
