// Stream naming and the mapping between the domain's event wrappers
// (DirectoryEvent, CaseEvent, ConferenceEvent, HandoverEvent) and the log's
// envelope.
#ifndef RENKEI_SERVICES_DOMAIN_EVENT_CODEC_H_
#define RENKEI_SERVICES_DOMAIN_EVENT_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "renkei/v1/case.pb.h"
#include "renkei/v1/conference.pb.h"
#include "renkei/v1/directory.pb.h"
#include "renkei/v1/event.pb.h"
#include "renkei/v1/handover.pb.h"

namespace renkei::domain {

// The directory (agencies and staff) is one stream.
inline constexpr absl::string_view kDirectoryStreamId = "directory";
inline constexpr absl::string_view kCaseStreamPrefix = "case-";
inline constexpr absl::string_view kConferenceStreamPrefix = "conference-";
inline constexpr absl::string_view kHandoverStreamPrefix = "handover-";

// "case-<case_id>".
[[nodiscard]] std::string CaseStreamId(absl::string_view case_id);
// "conference-<conference_id>".
[[nodiscard]] std::string ConferenceStreamId(absl::string_view conference_id);
// "handover-<handover_id>".
[[nodiscard]] std::string HandoverStreamId(absl::string_view handover_id);

// Full name of the concrete event set in a wrapper's `kind` oneof, e.g.
// "renkei.v1.ConsentGiven"; empty when none is set.
[[nodiscard]] std::string EventTypeName(
    const google::protobuf::Message& wrapper);

// The proposal for one event: event_type, payload (the concrete event packed
// in Any), occurred_at and actor. The caller sets event_id and correlation.
[[nodiscard]] v1::ProposedEvent ToProposedEvent(const v1::CaseEvent& event);
[[nodiscard]] v1::ProposedEvent ToProposedEvent(
    const v1::DirectoryEvent& event);
[[nodiscard]] v1::ProposedEvent ToProposedEvent(
    const v1::ConferenceEvent& event);
[[nodiscard]] v1::ProposedEvent ToProposedEvent(const v1::HandoverEvent& event);

// Rebuilds a wrapper from a stored envelope. INVALID_ARGUMENT for an event
// type the wrapper does not hold, DATA_LOSS for an unreadable payload.
[[nodiscard]] absl::StatusOr<v1::CaseEvent> CaseEventFromEnvelope(
    const v1::EventEnvelope& envelope);
[[nodiscard]] absl::StatusOr<v1::DirectoryEvent> DirectoryEventFromEnvelope(
    const v1::EventEnvelope& envelope);
[[nodiscard]] absl::StatusOr<v1::ConferenceEvent> ConferenceEventFromEnvelope(
    const v1::EventEnvelope& envelope);
[[nodiscard]] absl::StatusOr<v1::HandoverEvent> HandoverEventFromEnvelope(
    const v1::EventEnvelope& envelope);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_EVENT_CODEC_H_
