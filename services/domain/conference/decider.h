// The conference decider: a conference command and the conference's state
// (plus the directory and the agenda cases, read-only) give the events to
// append, or the refusal.
#ifndef RENKEI_SERVICES_DOMAIN_CONFERENCE_DECIDER_H_
#define RENKEI_SERVICES_DOMAIN_CONFERENCE_DECIDER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "renkei/v1/conference.pb.h"
#include "services/domain/conference/conference_state.h"
#include "services/domain/directory/directory.h"
#include "services/domain/lookup.h"

namespace renkei::domain {

// Pure: every event carries the command's occurred_at and actor; refusals
// come from services/domain/errors.h. Every command needs conference_id,
// occurred_at and an actor who is an active staff member of the actor's
// agency.
//  - Schedule: the actor is the convener (and never becomes a lead by it);
//    agenda cases are looked up through `lookup` and pinned to their
//    version. A 支援会議 needs a statutory basis, a 重層的支援会議 consent, and
//    a conference without personal data must be anonymised.
//  - Hold (convener or coordinating body): attendees are invited (their
//    agency or themselves), the convener, or of the coordinating body; every
//    attendee acknowledges confidentiality when the basis requires it.
//  - Minutes, decisions, role split, action items and case reviews need a
//    held conference and a participant (convener, attendee or coordinating
//    body). Decisions other than general ones are about an agenda case; an
//    anonymised conference makes only general decisions and no reviews. Only
//    the coordinating body designates a lead. Only a practitioners' meeting
//    reviews cases.
//  - Reassigning an action item to its current assignee returns no events.
[[nodiscard]] absl::StatusOr<std::vector<v1::ConferenceEvent>> Decide(
    const ConferenceState& state, const v1::ConferenceCommand& command,
    const DirectoryState& directory, const AggregateLookup& lookup);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_CONFERENCE_DECIDER_H_
