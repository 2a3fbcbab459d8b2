#include "storage/chain.h"

#include <openssl/evp.h>

#include "storage/layout.h"

namespace renkei::storage {
namespace {

void WriteTimestamp(CanonicalWriter& w, const google::protobuf::Timestamp& t) {
  w.I64(t.seconds());
  w.I64(t.nanos());
}

}  // namespace

void CanonicalWriter::U64(uint64_t value) {
  layout::AppendBigEndian64(data_, value);
}

void CanonicalWriter::I64(int64_t value) { U64(static_cast<uint64_t>(value)); }

void CanonicalWriter::Bytes(std::string_view value) {
  U64(value.size());
  data_.append(value);
}

std::string Sha256(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string ZeroHash() { return std::string(kHashBytes, '\0'); }

std::string PayloadDigest(const google::protobuf::Any& payload) {
  CanonicalWriter w;
  w.Bytes(payload.type_url());
  w.Bytes(payload.value());
  return Sha256(w.data());
}

std::string CanonicalHeader(const renkei::v1::EventEnvelope& e) {
  CanonicalWriter w;
  w.Bytes("renkei.v1.EventEnvelope/1");
  w.U64(e.position());
  w.Bytes(e.stream_id());
  w.U64(e.stream_version());
  w.Bytes(e.event_id());
  w.Bytes(e.event_type());
  w.Bytes(e.payload_sha256());
  WriteTimestamp(w, e.recorded_at());
  WriteTimestamp(w, e.occurred_at());
  w.Bytes(e.actor().staff_id());
  w.Bytes(e.actor().agency_id());
  w.Bytes(e.correlation_id());
  w.Bytes(e.causation_id());
  return w.data();
}

std::string ChainHash(std::string_view prev_hash,
                      const renkei::v1::EventEnvelope& envelope) {
  std::string input(prev_hash);
  input += CanonicalHeader(envelope);
  return Sha256(input);
}

std::string RequestDigest(std::string_view stream_id, int expected_kind,
                          uint64_t expected_version,
                          const renkei::v1::ProposedEvent* events,
                          size_t count) {
  CanonicalWriter w;
  w.Bytes("renkei.AppendRequest/1");
  w.Bytes(stream_id);
  w.U64(static_cast<uint64_t>(expected_kind));
  w.U64(expected_version);
  w.U64(count);
  for (size_t i = 0; i < count; ++i) {
    const auto& e = events[i];
    w.Bytes(e.event_id());
    w.Bytes(e.event_type());
    w.Bytes(PayloadDigest(e.payload()));
    w.U64(e.has_occurred_at() ? 1 : 0);
    WriteTimestamp(w, e.occurred_at());
    w.Bytes(e.actor().staff_id());
    w.Bytes(e.actor().agency_id());
    w.Bytes(e.correlation_id());
    w.Bytes(e.causation_id());
  }
  return Sha256(w.data());
}

}  // namespace renkei::storage
