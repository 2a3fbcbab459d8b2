// The state of one handover aggregate (stream "handover-<id>") and how events
// change it. Plain values: no internal synchronisation.
#ifndef RENKEI_SERVICES_DOMAIN_HANDOVER_HANDOVER_STATE_H_
#define RENKEI_SERVICES_DOMAIN_HANDOVER_HANDOVER_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "renkei/v1/handover.pb.h"

namespace renkei::domain {

struct HandoverState {
  // Events applied: the handover stream version this state is at.
  uint64_t version = 0;
  bool started = false;
  std::string handover_id;
  v1::HandoverStarted start;
  absl::Time started_at;
  v1::HandoverStatus status = v1::HANDOVER_STATUS_UNSPECIFIED;
  // The latest acknowledgement by the successor and what the packet listed.
  std::optional<absl::Time> acknowledged_at;
  std::vector<v1::Responsibility> acknowledged;
  std::optional<absl::Time> completed_at;
  std::vector<v1::Responsibility> moved;
  std::optional<absl::Time> cancelled_at;
  std::string cancellation_reason;

  [[nodiscard]] const std::string& outgoing_staff_id() const {
    return start.outgoing_staff_id();
  }
  [[nodiscard]] const std::string& successor_staff_id() const {
    return start.successor_staff_id();
  }
  [[nodiscard]] const std::string& agency_id() const {
    return start.agency_id();
  }
  // Completed or cancelled.
  [[nodiscard]] bool finished() const {
    return status == v1::HANDOVER_STATUS_COMPLETED ||
           status == v1::HANDOVER_STATUS_CANCELLED;
  }
};

// Applies one event. Total: an event is a fact and is never refused.
void Evolve(HandoverState& state, const v1::HandoverEvent& event);

// Folds events from an empty state.
[[nodiscard]] HandoverState ReplayHandover(
    const std::vector<v1::HandoverEvent>& events);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_HANDOVER_HANDOVER_STATE_H_
