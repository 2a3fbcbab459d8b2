// Progress review queries.
#include "services/domain/conference/progress_review.h"

#include <algorithm>

#include "services/domain/time_util.h"

namespace renkei::domain {

absl::Duration ReviewPolicy::IntervalFor(const CaseState& state) const {
  if (state.review_interval_days > 0) {
    return absl::Hours(24 * state.review_interval_days);
  }
  if (state.frameworks.empty()) return default_interval;
  absl::Duration shortest = absl::InfiniteDuration();
  for (v1::Framework framework : state.frameworks) {
    auto it = per_framework.find(framework);
    shortest = std::min(
        shortest, it == per_framework.end() ? default_interval : it->second);
  }
  return shortest;
}

const char* ReviewPolicy::IntervalSource(const CaseState& state) const {
  if (state.review_interval_days > 0) return "case";
  for (v1::Framework framework : state.frameworks) {
    if (per_framework.contains(framework)) return "framework";
  }
  return "default";
}

std::optional<LastReview> LastReviewOf(
    absl::string_view case_id,
    const std::vector<const ConferenceState*>& conferences, absl::Time as_of) {
  std::optional<LastReview> last;
  for (const ConferenceState* conference : conferences) {
    if (conference == nullptr || !conference->is_held() ||
        conference->is_cancelled() ||
        conference->schedule.type() != v1::CONFERENCE_TYPE_PRACTITIONERS ||
        *conference->held_at > as_of) {
      continue;
    }
    const CaseReviewState* review = conference->FindReview(case_id);
    if (review == nullptr || review->at > as_of) continue;
    if (!last.has_value() || *conference->held_at > last->at) {
      last = LastReview{.at = *conference->held_at,
                        .conference_id = conference->conference_id};
    }
  }
  return last;
}

std::optional<absl::Time> NextReviewDue(
    const CaseState& state,
    const std::vector<const ConferenceState*>& conferences,
    const ReviewPolicy& policy, absl::Time as_of) {
  if (!state.opened || state.closed || !IsRegistered(state.registration) ||
      !state.registered_since.has_value() || *state.registered_since > as_of) {
    return std::nullopt;  // not (yet) registered at `as_of`
  }
  std::optional<LastReview> last =
      LastReviewOf(state.case_id, conferences, as_of);
  const absl::Time base = last.has_value()
                              ? std::max(last->at, *state.registered_since)
                              : *state.registered_since;
  return base + policy.IntervalFor(state);
}

std::vector<v1::OverdueReview> OverdueReviews(const Caseload& caseload,
                                              const ReviewPolicy& policy,
                                              absl::Time as_of) {
  std::vector<v1::OverdueReview> overdue;
  for (const CaseState* state : caseload.cases) {
    if (state == nullptr) continue;
    std::optional<absl::Time> due =
        NextReviewDue(*state, caseload.conferences, policy, as_of);
    if (!due.has_value() || as_of <= *due) continue;
    v1::OverdueReview row;
    row.set_case_id(state->case_id);
    row.set_registration(state->registration);
    if (std::optional<LastReview> last =
            LastReviewOf(state->case_id, caseload.conferences, as_of)) {
      *row.mutable_last_reviewed_at() = ToTimestamp(last->at);
      row.set_last_conference_id(last->conference_id);
    }
    *row.mutable_due_at() = ToTimestamp(*due);
    row.set_days_overdue(absl::ToInt64Hours(as_of - *due) / 24);
    row.set_interval_days(static_cast<int32_t>(
        absl::ToInt64Hours(policy.IntervalFor(*state)) / 24));
    row.set_interval_source(policy.IntervalSource(*state));
    row.set_lead_side(state->lead_side());
    overdue.push_back(std::move(row));
  }
  return overdue;
}

}  // namespace renkei::domain
