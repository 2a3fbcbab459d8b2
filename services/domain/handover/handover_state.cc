// Folding handover events into HandoverState.
#include "services/domain/handover/handover_state.h"

#include "services/domain/time_util.h"

namespace renkei::domain {

void Evolve(HandoverState& state, const v1::HandoverEvent& event) {
  const absl::Time at = ToTime(event.occurred_at());
  ++state.version;
  switch (event.kind_case()) {
    case v1::HandoverEvent::kHandoverStarted:
      state.started = true;
      state.handover_id = event.handover_started().handover_id();
      state.start = event.handover_started();
      state.started_at = at;
      state.status = v1::HANDOVER_STATUS_STARTED;
      break;
    case v1::HandoverEvent::kHandoverPacketAcknowledged: {
      const auto& listed =
          event.handover_packet_acknowledged().responsibilities();
      state.acknowledged_at = at;
      state.acknowledged.assign(listed.begin(), listed.end());
      state.status = v1::HANDOVER_STATUS_ACKNOWLEDGED;
      break;
    }
    case v1::HandoverEvent::kHandoverCompleted: {
      const auto& moved = event.handover_completed().moved();
      state.completed_at = at;
      state.moved.assign(moved.begin(), moved.end());
      state.status = v1::HANDOVER_STATUS_COMPLETED;
      break;
    }
    case v1::HandoverEvent::kHandoverCancelled:
      state.cancelled_at = at;
      state.cancellation_reason = event.handover_cancelled().reason();
      state.status = v1::HANDOVER_STATUS_CANCELLED;
      break;
    case v1::HandoverEvent::KIND_NOT_SET:
      break;
  }
}

HandoverState ReplayHandover(const std::vector<v1::HandoverEvent>& events) {
  HandoverState state;
  for (const v1::HandoverEvent& event : events) Evolve(state, event);
  return state;
}

}  // namespace renkei::domain
