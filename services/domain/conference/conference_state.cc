// Folding conference events into ConferenceState.
#include "services/domain/conference/conference_state.h"

#include <algorithm>

#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

template <typename Map>
auto Find(const Map& map, absl::string_view id)
    -> decltype(&map.begin()->second) {
  auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

}  // namespace

bool RequiresConfidentiality(v1::ConferenceBasis basis) {
  return basis == v1::CONFERENCE_BASIS_YOTAIKYO ||
         basis == v1::CONFERENCE_BASIS_SHIEN_KAIGI ||
         basis == v1::CONFERENCE_BASIS_SELF_RELIANCE_SUPPORT;
}

std::pair<std::string, std::string> ActionItemState::AssigneeAt(
    absl::Time t) const {
  std::pair<std::string, std::string> assignee{item.assignee_staff_id(),
                                               item.assignee_agency_id()};
  for (size_t i = reassignments.size(); i-- > 0;) {
    if (i < reassigned_at.size() && reassigned_at[i] > t) {
      assignee = {reassignments[i].previous_staff_id(),
                  reassignments[i].previous_agency_id()};
    }
  }
  return assignee;
}

bool ActionItemState::OpenAt(absl::Time t) const {
  return assigned_at <= t && !(completed_at.has_value() && *completed_at <= t);
}

bool ActionItemState::OverdueAt(absl::Time t) const {
  return OpenAt(t) && ToTime(item.due()) < t;
}

const DecisionState* ConferenceState::FindDecision(absl::string_view id) const {
  return Find(decisions, id);
}
const ActionItemState* ConferenceState::FindActionItem(
    absl::string_view id) const {
  return Find(action_items, id);
}
const CaseReviewState* ConferenceState::FindReview(
    absl::string_view case_id) const {
  return Find(reviews, case_id);
}

bool ConferenceState::OnAgenda(absl::string_view case_id) const {
  return std::any_of(
      schedule.agenda_cases().begin(), schedule.agenda_cases().end(),
      [case_id](const v1::AgendaCase& c) { return c.case_id() == case_id; });
}

bool ConferenceState::Attended(absl::string_view staff_id) const {
  return std::any_of(
      held.attendance().begin(), held.attendance().end(),
      [staff_id](const v1::Attendance& a) { return a.staff_id() == staff_id; });
}

bool ConferenceState::IsParticipant(const v1::Actor& actor) const {
  return actor.staff_id() == convener().staff_id() ||
         actor.agency_id() == schedule.coordinating_agency_id() ||
         Attended(actor.staff_id());
}

void Evolve(ConferenceState& state, const v1::ConferenceEvent& event) {
  const absl::Time at = ToTime(event.occurred_at());
  ++state.version;
  switch (event.kind_case()) {
    case v1::ConferenceEvent::kConferenceScheduled:
      state.scheduled = true;
      state.conference_id = event.conference_scheduled().conference_id();
      state.schedule = event.conference_scheduled();
      state.scheduled_at = at;
      break;
    case v1::ConferenceEvent::kConferenceHeld:
      state.held_at = at;
      state.held = event.conference_held();
      break;
    case v1::ConferenceEvent::kMinutesRecorded:
      state.minutes.push_back(
          MinutesState{.text = event.minutes_recorded().text(),
                       .at = at,
                       .recorded_by = event.actor()});
      break;
    case v1::ConferenceEvent::kConferenceDecisionRecorded: {
      const v1::ConferenceDecision& decision =
          event.conference_decision_recorded().decision();
      state.decisions[decision.decision_id()] = DecisionState{
          .decision = decision, .at = at, .recorded_by = event.actor()};
      state.decision_order.push_back(decision.decision_id());
      break;
    }
    case v1::ConferenceEvent::kRoleSplitAgreed: {
      const auto& roles = event.role_split_agreed().roles();
      state.role_splits.push_back(RoleSplitState{
          .roles = std::vector<v1::RoleAssignment>(roles.begin(), roles.end()),
          .at = at});
      break;
    }
    case v1::ConferenceEvent::kActionItemAssigned: {
      const v1::ActionItem& item = event.action_item_assigned().item();
      ActionItemState assigned;
      assigned.item = item;
      assigned.assigned_at = at;
      assigned.assigned_by = event.actor();
      state.action_items[item.action_item_id()] = std::move(assigned);
      state.action_item_order.push_back(item.action_item_id());
      break;
    }
    case v1::ConferenceEvent::kActionItemCompleted: {
      const auto& completed = event.action_item_completed();
      auto it = state.action_items.find(completed.action_item_id());
      if (it == state.action_items.end()) break;
      it->second.completed_at = at;
      it->second.completion_note = completed.note();
      break;
    }
    case v1::ConferenceEvent::kActionItemReassigned: {
      const auto& reassigned = event.action_item_reassigned();
      auto it = state.action_items.find(reassigned.action_item_id());
      if (it == state.action_items.end()) break;
      it->second.item.set_assignee_staff_id(reassigned.staff_id());
      it->second.item.set_assignee_agency_id(reassigned.agency_id());
      it->second.reassignments.push_back(reassigned);
      it->second.reassigned_at.push_back(at);
      break;
    }
    case v1::ConferenceEvent::kConferenceCancelled:
      state.cancelled_at = at;
      state.cancellation_reason = event.conference_cancelled().reason();
      break;
    case v1::ConferenceEvent::kCaseReviewed: {
      const v1::CaseReviewed& review = event.case_reviewed();
      state.reviews[review.case_id()] = CaseReviewState{
          .review = review, .at = at, .recorded_by = event.actor()};
      state.review_order.push_back(review.case_id());
      break;
    }
    case v1::ConferenceEvent::KIND_NOT_SET:
      break;
  }
}

ConferenceState ReplayConference(
    const std::vector<v1::ConferenceEvent>& events) {
  ConferenceState state;
  for (const v1::ConferenceEvent& event : events) Evolve(state, event);
  return state;
}

std::vector<v1::OverdueActionItem> OverdueActionItems(
    const ConferenceState& state, absl::Time as_of) {
  std::vector<v1::OverdueActionItem> overdue;
  if (state.is_cancelled()) return overdue;
  for (const std::string& id : state.action_item_order) {
    const ActionItemState& item = state.action_items.at(id);
    if (!item.OverdueAt(as_of)) continue;
    v1::OverdueActionItem row;
    row.set_conference_id(state.conference_id);
    *row.mutable_item() = item.item;
    row.set_days_overdue(absl::ToInt64Hours(as_of - ToTime(item.item.due())) /
                         24);
    overdue.push_back(std::move(row));
  }
  return overdue;
}

}  // namespace renkei::domain
