// 進行管理: registered cases are reviewed at a practitioners' meeting within a
// configured interval. Pure queries over case and conference states.
#ifndef RENKEI_SERVICES_DOMAIN_CONFERENCE_PROGRESS_REVIEW_H_
#define RENKEI_SERVICES_DOMAIN_CONFERENCE_PROGRESS_REVIEW_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "renkei/v1/conference.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/conference/conference_state.h"
#include "services/domain/lookup.h"

namespace renkei::domain {

inline constexpr absl::Duration kDefaultReviewInterval = absl::Hours(24 * 90);

struct ReviewPolicy {
  absl::Duration default_interval = kDefaultReviewInterval;
  // Frameworks with their own interval.
  std::map<v1::Framework, absl::Duration> per_framework;

  // The case's own interval when the coordinating body set one; else the
  // shortest among the case's frameworks (each configured or the default).
  [[nodiscard]] absl::Duration IntervalFor(const CaseState& state) const;
  // Where IntervalFor comes from: "case", "framework" or "default".
  [[nodiscard]] const char* IntervalSource(const CaseState& state) const;
};

struct LastReview {
  absl::Time at;  // when the reviewing meeting was held
  std::string conference_id;
};

// The latest review of `case_id` at a practitioners' meeting held by
// `as_of`; nullopt when none.
[[nodiscard]] std::optional<LastReview> LastReviewOf(
    absl::string_view case_id,
    const std::vector<const ConferenceState*>& conferences, absl::Time as_of);

// When the open registered case is next due for review (from its last review,
// or from its registration if never reviewed); nullopt when it is closed or
// not registered.
[[nodiscard]] std::optional<absl::Time> NextReviewDue(
    const CaseState& state,
    const std::vector<const ConferenceState*>& conferences,
    const ReviewPolicy& policy, absl::Time as_of);

// Open registered cases whose review was due before `as_of`, in the order of
// `caseload.cases`.
[[nodiscard]] std::vector<v1::OverdueReview> OverdueReviews(
    const Caseload& caseload, const ReviewPolicy& policy, absl::Time as_of);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_CONFERENCE_PROGRESS_REVIEW_H_
