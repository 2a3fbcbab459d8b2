// Hash chain of the event log: canonical bytes, payload digests, verification.
//
// hash(n) = SHA-256(hash(n-1) || CanonicalHeader(envelope n)), hash(0) = 32
// zero bytes. The canonical header is a fixed, length-prefixed encoding of
// every envelope field except `hash` and `prev_hash`, with the payload
// represented only by its SHA-256 digest: crypto-shredding a payload (keeping
// or even dropping its ciphertext) never breaks the chain. The encoding does
// not depend on protobuf's serializer, so it is stable across versions.
#pragma once

#include <string>
#include <string_view>

#include "google/protobuf/any.pb.h"
#include "renkei/v1/event.pb.h"

namespace renkei::storage {

inline constexpr size_t kHashBytes = 32;

std::string Sha256(std::string_view data);
std::string ZeroHash();

// Digest of a payload: SHA-256 over its length-prefixed type URL and value.
std::string PayloadDigest(const google::protobuf::Any& payload);

// Canonical bytes of `envelope` without `hash` and `prev_hash`.
std::string CanonicalHeader(const renkei::v1::EventEnvelope& envelope);

// SHA-256(prev_hash || CanonicalHeader(envelope)).
std::string ChainHash(std::string_view prev_hash,
                      const renkei::v1::EventEnvelope& envelope);

// Digest of one append request, used to tell an idempotent retry (same
// digest) from a conflicting reuse of its key.
std::string RequestDigest(std::string_view stream_id, int expected_kind,
                          uint64_t expected_version,
                          const renkei::v1::ProposedEvent* events,
                          size_t count);

// Canonical bytes builder: every field is tagged and length-prefixed.
class CanonicalWriter {
 public:
  void U64(uint64_t value);
  void I64(int64_t value);
  void Bytes(std::string_view value);
  const std::string& data() const { return data_; }

 private:
  std::string data_;
};

}  // namespace renkei::storage
