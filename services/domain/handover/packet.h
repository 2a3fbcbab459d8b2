// The briefing packet of a handover: everything open that the successor
// takes over, derived from the states given. A pure function.
#ifndef RENKEI_SERVICES_DOMAIN_HANDOVER_PACKET_H_
#define RENKEI_SERVICES_DOMAIN_HANDOVER_PACKET_H_

#include <optional>

#include "absl/time/time.h"
#include "renkei/v1/handover.pb.h"
#include "services/domain/case/sharing.h"
#include "services/domain/conference/progress_review.h"
#include "services/domain/handover/handover_state.h"
#include "services/domain/lookup.h"

namespace renkei::domain {

struct PacketOptions {
  // Consents ending within this window are listed as expiring.
  absl::Duration expiring_within = absl::Hours(24 * 30);
  ReviewPolicy review;
  // Who will read the packet (the successor's agency, at the server's time).
  // When set, case content goes through MayView: assessments and the words
  // of confidential warnings only from entries the reader may see, goals
  // only for a team agency or an auditor. Unset: the whole record (for the
  // domain's own checks, never for a response).
  std::optional<ViewRequest> reader;
};

// The packet as of `as_of` for the outgoing staff member of `handover`: per
// open case they are involved in (responsibilities.h: Involves), the stages
// they lead, their open action items (overdue marked), the referrals they
// handle, consents in force and expiring, confidential-entry warnings (what
// must not be told to whom), the latest assessment, the mid- and long-term
// goals, the plan revision and the next review date; action items not about
// a listed case; and every responsibility that moves on completion.
[[nodiscard]] v1::HandoverPacket BuildHandoverPacket(
    const HandoverState& handover, const Caseload& caseload, absl::Time as_of,
    const PacketOptions& options = {});

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_HANDOVER_PACKET_H_
