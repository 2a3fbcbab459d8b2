// On-disk layout of the event log: column families and key encodings.
//
// Column family   key                                  value
// events          BE64(position)                       EventEnvelope bytes
// stream_index    stream_id 0x00 BE64(version)         BE64(position)
// stream_heads    stream_id                            BE64(version)
// BE64(position) event_ids       event_id (lower case) BE64(position)
// idempotency     idempotency key                      digest(32) BE64(first)
//                                                      BE64(last) BE64(version)
// meta            "head"                               BE64(position) hash(32)
//                                                      BE64(recorded_at micros)
//
// Big-endian integers make RocksDB's bytewise order equal numeric order, so
// iterating `events` is iterating the log. Stream ids never contain control
// characters, so 0x00 cleanly separates the id from the version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace renkei::storage::layout {

inline constexpr char kEventsCf[] = "events";
inline constexpr char kStreamIndexCf[] = "stream_index";
inline constexpr char kStreamHeadsCf[] = "stream_heads";
inline constexpr char kEventIdsCf[] = "event_ids";
inline constexpr char kIdempotencyCf[] = "idempotency";
inline constexpr char kMetaCf[] = "meta";
inline constexpr char kHeadKey[] = "head";

void AppendBigEndian64(std::string& out, uint64_t value);
// Reads 8 bytes at `offset`; std::nullopt when `bytes` is too short.
std::optional<uint64_t> ReadBigEndian64(std::string_view bytes,
                                        size_t offset = 0);

std::string PositionKey(uint64_t position);
std::string StreamIndexKey(std::string_view stream_id, uint64_t version);
std::string StreamIndexPrefix(std::string_view stream_id);
std::string EventIdKey(std::string_view event_id);

struct HeadRecord {
  uint64_t position = 0;
  std::string hash;  // 32 bytes
  int64_t recorded_at_micros = 0;
};
std::string EncodeHead(const HeadRecord& head);
std::optional<HeadRecord> DecodeHead(std::string_view bytes);

struct StreamHeadRecord {
  uint64_t version = 0;
  uint64_t last_position = 0;
};
std::string EncodeStreamHead(const StreamHeadRecord& head);
std::optional<StreamHeadRecord> DecodeStreamHead(std::string_view bytes);

struct IdempotencyRecord {
  std::string request_digest;  // 32 bytes
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  uint64_t stream_version = 0;
};
std::string EncodeIdempotency(const IdempotencyRecord& record);
std::optional<IdempotencyRecord> DecodeIdempotency(std::string_view bytes);

}  // namespace renkei::storage::layout
