// Stream naming and wrapper <-> envelope mapping, by reflection on the
// wrappers' `kind` oneof.
#include "services/domain/event_codec.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "renkei/v1/privacy.pb.h"
#include "services/domain/errors.h"

namespace renkei::domain {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

const FieldDescriptor* SetKindField(const Message& wrapper) {
  const auto* oneof = wrapper.GetDescriptor()->FindOneofByName("kind");
  if (oneof == nullptr) return nullptr;
  return wrapper.GetReflection()->GetOneofFieldDescriptor(wrapper, oneof);
}

template <typename Wrapper>
v1::ProposedEvent Propose(const Wrapper& event) {
  v1::ProposedEvent proposed;
  if (const FieldDescriptor* field = SetKindField(event)) {
    const Message& payload = event.GetReflection()->GetMessage(event, field);
    proposed.set_event_type(payload.GetDescriptor()->full_name());
    proposed.mutable_payload()->PackFrom(payload);
  }
  *proposed.mutable_occurred_at() = event.occurred_at();
  *proposed.mutable_actor() = event.actor();
  return proposed;
}

template <typename Wrapper>
absl::StatusOr<Wrapper> Rebuild(const v1::EventEnvelope& envelope) {
  Wrapper event;
  const auto* oneof = event.GetDescriptor()->FindOneofByName("kind");
  for (int i = 0; i < oneof->field_count(); ++i) {
    const FieldDescriptor* field = oneof->field(i);
    if (field->message_type()->full_name() != envelope.event_type()) continue;
    Message* payload = event.GetReflection()->MutableMessage(&event, field);
    // A payload still sealed (the raw log, as the read models read it)
    // yields its public part: the event without its personal fields.
    const google::protobuf::Any* any = &envelope.payload();
    v1::SealedPayload sealed;
    if (any->Is<v1::SealedPayload>()) {
      if (!any->UnpackTo(&sealed)) {
        return errors::CorruptEventPayload(envelope.event_type());
      }
      any = &sealed.public_part();
    }
    if (!any->UnpackTo(payload)) {
      return errors::CorruptEventPayload(envelope.event_type());
    }
    if constexpr (requires { event.set_content_erased(true); }) {
      event.set_content_erased(envelope.content_erased());
    }
    *event.mutable_occurred_at() = envelope.occurred_at();
    *event.mutable_actor() = envelope.actor();
    if constexpr (requires { event.mutable_recorded_at(); }) {
      if (envelope.has_recorded_at()) {
        *event.mutable_recorded_at() = envelope.recorded_at();
      }
    }
    return event;
  }
  return errors::UnknownEventType(envelope.event_type());
}

}  // namespace

std::string CaseStreamId(absl::string_view case_id) {
  return absl::StrCat(kCaseStreamPrefix, case_id);
}

std::string ConferenceStreamId(absl::string_view conference_id) {
  return absl::StrCat(kConferenceStreamPrefix, conference_id);
}

std::string HandoverStreamId(absl::string_view handover_id) {
  return absl::StrCat(kHandoverStreamPrefix, handover_id);
}

std::string EventTypeName(const Message& wrapper) {
  const FieldDescriptor* field = SetKindField(wrapper);
  if (field == nullptr) return "";
  return field->message_type()->full_name();
}

v1::ProposedEvent ToProposedEvent(const v1::CaseEvent& event) {
  return Propose(event);
}
v1::ProposedEvent ToProposedEvent(const v1::DirectoryEvent& event) {
  return Propose(event);
}
v1::ProposedEvent ToProposedEvent(const v1::ConferenceEvent& event) {
  return Propose(event);
}
v1::ProposedEvent ToProposedEvent(const v1::HandoverEvent& event) {
  return Propose(event);
}

absl::StatusOr<v1::CaseEvent> CaseEventFromEnvelope(
    const v1::EventEnvelope& envelope) {
  return Rebuild<v1::CaseEvent>(envelope);
}
absl::StatusOr<v1::DirectoryEvent> DirectoryEventFromEnvelope(
    const v1::EventEnvelope& envelope) {
  return Rebuild<v1::DirectoryEvent>(envelope);
}
absl::StatusOr<v1::ConferenceEvent> ConferenceEventFromEnvelope(
    const v1::EventEnvelope& envelope) {
  return Rebuild<v1::ConferenceEvent>(envelope);
}
absl::StatusOr<v1::HandoverEvent> HandoverEventFromEnvelope(
    const v1::EventEnvelope& envelope) {
  return Rebuild<v1::HandoverEvent>(envelope);
}

}  // namespace renkei::domain
