#include "storage/layout.h"

#include "absl/strings/ascii.h"

namespace renkei::storage::layout {

void AppendBigEndian64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

std::optional<uint64_t> ReadBigEndian64(std::string_view bytes, size_t offset) {
  if (bytes.size() < offset + 8) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[offset + i]);
  }
  return value;
}

std::string PositionKey(uint64_t position) {
  std::string key;
  AppendBigEndian64(key, position);
  return key;
}

std::string StreamIndexPrefix(std::string_view stream_id) {
  std::string key(stream_id);
  key.push_back('\0');
  return key;
}

std::string StreamIndexKey(std::string_view stream_id, uint64_t version) {
  std::string key = StreamIndexPrefix(stream_id);
  AppendBigEndian64(key, version);
  return key;
}

std::string EventIdKey(std::string_view event_id) {
  return absl::AsciiStrToLower(std::string(event_id));
}

std::string EncodeHead(const HeadRecord& head) {
  std::string out;
  AppendBigEndian64(out, head.position);
  out += head.hash;
  AppendBigEndian64(out, static_cast<uint64_t>(head.recorded_at_micros));
  return out;
}

std::optional<HeadRecord> DecodeHead(std::string_view bytes) {
  if (bytes.size() != 8 + 32 + 8) return std::nullopt;
  HeadRecord head;
  head.position = *ReadBigEndian64(bytes, 0);
  head.hash = std::string(bytes.substr(8, 32));
  head.recorded_at_micros = static_cast<int64_t>(*ReadBigEndian64(bytes, 40));
  return head;
}

std::string EncodeStreamHead(const StreamHeadRecord& head) {
  std::string out;
  AppendBigEndian64(out, head.version);
  AppendBigEndian64(out, head.last_position);
  return out;
}

std::optional<StreamHeadRecord> DecodeStreamHead(std::string_view bytes) {
  if (bytes.size() != 16) return std::nullopt;
  return StreamHeadRecord{*ReadBigEndian64(bytes, 0),
                          *ReadBigEndian64(bytes, 8)};
}

std::string EncodeIdempotency(const IdempotencyRecord& record) {
  std::string out = record.request_digest;
  AppendBigEndian64(out, record.first_position);
  AppendBigEndian64(out, record.last_position);
  AppendBigEndian64(out, record.stream_version);
  return out;
}

std::optional<IdempotencyRecord> DecodeIdempotency(std::string_view bytes) {
  if (bytes.size() != 32 + 24) return std::nullopt;
  IdempotencyRecord record;
  record.request_digest = std::string(bytes.substr(0, 32));
  record.first_position = *ReadBigEndian64(bytes, 32);
  record.last_position = *ReadBigEndian64(bytes, 40);
  record.stream_version = *ReadBigEndian64(bytes, 48);
  return record;
}

}  // namespace renkei::storage::layout
