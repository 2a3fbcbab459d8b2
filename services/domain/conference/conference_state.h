// The state of one conference aggregate (stream "conference-<id>") and how
// events change it. Plain values: no internal synchronisation.
#ifndef RENKEI_SERVICES_DOMAIN_CONFERENCE_CONFERENCE_STATE_H_
#define RENKEI_SERVICES_DOMAIN_CONFERENCE_CONFERENCE_STATE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "renkei/v1/conference.pb.h"

namespace renkei::domain {

struct DecisionState {
  v1::ConferenceDecision decision;
  absl::Time at;
  v1::Actor recorded_by;
};

struct ActionItemState {
  v1::ActionItem item;  // with the current assignee
  absl::Time assigned_at;
  v1::Actor assigned_by;
  std::optional<absl::Time> completed_at;
  std::string completion_note;
  std::vector<v1::ActionItemReassigned> reassignments;
  std::vector<absl::Time> reassigned_at;  // one per reassignment

  // The assignee (staff, agency) at business time `t`.
  [[nodiscard]] std::pair<std::string, std::string> AssigneeAt(
      absl::Time t) const;

  [[nodiscard]] bool completed() const { return completed_at.has_value(); }
  // Assigned by `t` and not completed by then.
  [[nodiscard]] bool OpenAt(absl::Time t) const;
  // Open at `t` and due before it.
  [[nodiscard]] bool OverdueAt(absl::Time t) const;
};

struct MinutesState {
  std::string text;
  absl::Time at;
  v1::Actor recorded_by;
};

struct RoleSplitState {
  std::vector<v1::RoleAssignment> roles;
  absl::Time at;
};

struct CaseReviewState {
  v1::CaseReviewed review;
  absl::Time at;
  v1::Actor recorded_by;
};

// Whether members must acknowledge a legal duty of confidentiality.
[[nodiscard]] bool RequiresConfidentiality(v1::ConferenceBasis basis);

struct ConferenceState {
  // Events applied: the conference stream version this state is at.
  uint64_t version = 0;
  bool scheduled = false;
  std::string conference_id;
  v1::ConferenceScheduled schedule;
  absl::Time scheduled_at;
  std::optional<absl::Time> held_at;
  v1::ConferenceHeld held;
  std::optional<absl::Time> cancelled_at;
  std::string cancellation_reason;
  std::vector<MinutesState> minutes;
  std::map<std::string, DecisionState, std::less<>> decisions;
  std::vector<std::string> decision_order;
  // Every role split agreed, oldest first; the last is in force.
  std::vector<RoleSplitState> role_splits;
  std::map<std::string, ActionItemState, std::less<>> action_items;
  std::vector<std::string> action_item_order;
  std::map<std::string, CaseReviewState, std::less<>> reviews;
  std::vector<std::string> review_order;

  [[nodiscard]] bool is_held() const { return held_at.has_value(); }
  [[nodiscard]] bool is_cancelled() const { return cancelled_at.has_value(); }
  [[nodiscard]] const v1::Actor& convener() const {
    return schedule.convener();
  }

  // nullptr when unknown.
  [[nodiscard]] const DecisionState* FindDecision(absl::string_view id) const;
  [[nodiscard]] const ActionItemState* FindActionItem(
      absl::string_view id) const;
  [[nodiscard]] const CaseReviewState* FindReview(
      absl::string_view case_id) const;

  [[nodiscard]] bool OnAgenda(absl::string_view case_id) const;
  [[nodiscard]] bool Attended(absl::string_view staff_id) const;
  // The convener, an attendee, or a staff member of the coordinating body.
  [[nodiscard]] bool IsParticipant(const v1::Actor& actor) const;
};

// Applies one event. Total: an event is a fact and is never refused.
void Evolve(ConferenceState& state, const v1::ConferenceEvent& event);

// Folds events from an empty state.
[[nodiscard]] ConferenceState ReplayConference(
    const std::vector<v1::ConferenceEvent>& events);

// Action items open and past due at `as_of`, in the order assigned; none for
// a cancelled conference.
[[nodiscard]] std::vector<v1::OverdueActionItem> OverdueActionItems(
    const ConferenceState& state, absl::Time as_of);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_CONFERENCE_CONFERENCE_STATE_H_
