// libFuzzer target: what the server decodes from its own stores, as if a
// record were damaged or hostile.
//
// Input: byte 0 picks the mode, the rest is the record.
//  0  an `events` value: the EventEnvelope as stored. A parsed envelope is
//     hashed into the chain, decoded by each domain wrapper (as the
//     aggregate caches, the projector and the audit replay do), and a
//     decoded event is folded into the story's states (Evolve is total: an
//     event is a fact and is never refused) and described for the timeline.
//  1  the fixed-size records of storage/layout.h (head, stream head,
//     idempotency): decoding never reads out of bounds and re-encodes to the
//     same bytes.
//  2  text checked at the boundary: ids, stream ids, UTF-8. Whatever
//     the domain accepts as an id is a valid stream id; whatever storage
//     accepts as UTF-8 survives a protobuf string field round trip.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "renkei/v1/event.pb.h"
#include "services/domain/event_codec.h"
#include "services/domain/validation.h"
#include "services/read_models/case_projection.h"
#include "storage/chain.h"
#include "storage/layout.h"
#include "storage/validation.h"
#include "tests/fuzz/fuzz_world.h"

namespace renkei::fuzz {
namespace {

void Envelope(std::string_view bytes) {
  v1::EventEnvelope envelope;
  if (!envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return;
  }
  const std::string header = storage::CanonicalHeader(envelope);
  const std::string hash = storage::ChainHash(envelope.prev_hash(), envelope);
  if (hash.size() != storage::kHashBytes) Fail("a chain hash is not 32 bytes");
  if (storage::ChainHash(envelope.prev_hash(), envelope) != hash) {
    Fail("the chain hash is not deterministic");
  }
  (void)storage::PayloadDigest(envelope.payload());

  // The log's append checks on the same event never crash.
  storage::AppendRequest append;
  append.stream_id = envelope.stream_id();
  append.idempotency_key = envelope.event_id();
  v1::ProposedEvent& p = append.events.emplace_back();
  p.set_event_id(envelope.event_id());
  p.set_event_type(envelope.event_type());
  *p.mutable_payload() = envelope.payload();
  *p.mutable_occurred_at() = envelope.occurred_at();
  *p.mutable_actor() = envelope.actor();
  p.set_correlation_id(envelope.correlation_id());
  p.set_causation_id(envelope.causation_id());
  (void)storage::ValidateAppend(append, storage::EventLogOptions{});

  const World& story = StoryWorld();
  if (auto e = domain::CaseEventFromEnvelope(envelope); e.ok()) {
    domain::CaseState state = story.cases.at("c1");
    domain::Evolve(state, *e);
    domain::CaseState fresh;
    domain::Evolve(fresh, *e);
    (void)read_models::Describe(*e);
    (void)Digest(state);
  }
  if (auto e = domain::ConferenceEventFromEnvelope(envelope); e.ok()) {
    domain::ConferenceState state = story.conferences.at("k1");
    domain::Evolve(state, *e);
    domain::ConferenceState fresh;
    domain::Evolve(fresh, *e);
    (void)Digest(state);
  }
  if (auto e = domain::HandoverEventFromEnvelope(envelope); e.ok()) {
    domain::HandoverState state = story.handovers.at("h1");
    domain::Evolve(state, *e);
    domain::HandoverState fresh;
    domain::Evolve(fresh, *e);
    (void)Digest(state);
  }
  if (auto e = domain::DirectoryEventFromEnvelope(envelope); e.ok()) {
    domain::DirectoryState state = story.directory;
    domain::Evolve(state, *e);
    (void)Digest(state);
  }
}

void Records(std::string_view bytes) {
  namespace layout = storage::layout;
  for (size_t offset : {size_t{0}, size_t{1}, bytes.size()}) {
    auto v = layout::ReadBigEndian64(bytes, offset);
    if (v.has_value() != (bytes.size() >= offset + 8)) {
      Fail("ReadBigEndian64 disagrees with the length");
    }
  }
  if (auto head = layout::DecodeHead(bytes)) {
    if (layout::EncodeHead(*head) != bytes) Fail("head record round trip");
  }
  if (auto head = layout::DecodeStreamHead(bytes)) {
    if (layout::EncodeStreamHead(*head) != bytes) {
      Fail("stream head record round trip");
    }
  }
  if (auto record = layout::DecodeIdempotency(bytes)) {
    if (layout::EncodeIdempotency(*record) != bytes) {
      Fail("idempotency record round trip");
    }
  }
  const std::string key = layout::StreamIndexKey(bytes, 7);
  if (layout::ReadBigEndian64(key, key.size() - 8) != 7u) {
    Fail("stream index key does not end with the version");
  }
}

void Text(std::string_view bytes) {
  const absl::string_view text(bytes.data(), bytes.size());
  (void)storage::IsUuid(text);
  if (domain::IsValidId(text)) {
    for (const std::string& stream :
         {domain::CaseStreamId(text), domain::ConferenceStreamId(text),
          domain::HandoverStreamId(text)}) {
      if (!storage::ValidateStreamId(stream).ok()) {
        Fail(absl::StrCat("id '", text, "' gives an invalid stream id"));
      }
    }
  }
  (void)domain::ValidateId("id", text);
  (void)domain::RequireText("text", text);
  if (storage::IsValidUtf8(text)) {
    // A proto3 string field (Actor.staff_id, field 1) carrying the text.
    std::string wire;
    {
      google::protobuf::io::StringOutputStream out(&wire);
      google::protobuf::io::CodedOutputStream coded(&out);
      coded.WriteTag(10);
      coded.WriteVarint32(static_cast<uint32_t>(text.size()));
      coded.WriteRaw(text.data(), static_cast<int>(text.size()));
    }
    v1::Actor actor;
    if (!actor.ParseFromString(wire)) {
      Fail("text storage accepts as UTF-8 does not parse as a proto string");
    }
  }
}

}  // namespace
}  // namespace renkei::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1),
                              size - 1);
  try {
    switch (data[0] % 3) {
      case 0:
        renkei::fuzz::Envelope(rest);
        break;
      case 1:
        renkei::fuzz::Records(rest);
        break;
      default:
        renkei::fuzz::Text(rest);
        break;
    }
  } catch (const std::exception& e) {
    renkei::fuzz::Fail(absl::StrCat("exception escaped: ", e.what()));
  } catch (...) {
    renkei::fuzz::Fail("exception escaped");
  }
  return 0;
}
