// The check before moving work on a handover's authority.
#include "services/domain/handover/handover_rules.h"

#include "services/domain/errors.h"

namespace renkei::domain {

absl::Status RequireHandoverMove(const HandoverState* handover,
                                 absl::string_view handover_id,
                                 absl::string_view from_staff_id,
                                 absl::string_view to_staff_id) {
  if (handover == nullptr || !handover->started) {
    return errors::HandoverNotFound(handover_id);
  }
  if (handover->status == v1::HANDOVER_STATUS_STARTED) {
    return errors::HandoverNotAcknowledged(handover_id);
  }
  if (handover->status == v1::HANDOVER_STATUS_CANCELLED) {
    return errors::HandoverFinished(handover_id, handover->status);
  }
  if (handover->outgoing_staff_id() != from_staff_id ||
      handover->successor_staff_id() != to_staff_id) {
    return errors::HandoverDoesNotCover(handover_id, from_staff_id,
                                        to_staff_id);
  }
  return absl::OkStatus();
}

}  // namespace renkei::domain
