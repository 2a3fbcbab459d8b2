// The check every decider makes before moving work on a handover's
// authority (a stage lead, an action item, a referral's handling).
#ifndef RENKEI_SERVICES_DOMAIN_HANDOVER_HANDOVER_RULES_H_
#define RENKEI_SERVICES_DOMAIN_HANDOVER_HANDOVER_RULES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/domain/handover/handover_state.h"

namespace renkei::domain {

// OK when `handover` (looked up by `handover_id`; nullptr if unknown) moves
// work from `from_staff_id` to `to_staff_id` and its packet has been
// acknowledged (acknowledged or completed). NOT_FOUND for an unknown
// handover; FAILED_PRECONDITION when not yet acknowledged, cancelled, or
// between other people.
[[nodiscard]] absl::Status RequireHandoverMove(const HandoverState* handover,
                                               absl::string_view handover_id,
                                               absl::string_view from_staff_id,
                                               absl::string_view to_staff_id);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_HANDOVER_HANDOVER_RULES_H_
