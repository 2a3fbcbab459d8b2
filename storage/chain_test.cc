#include "storage/chain.h"

#include <gtest/gtest.h>

namespace renkei::storage {
namespace {

v1::EventEnvelope Sample() {
  v1::EventEnvelope e;
  e.set_position(7);
  e.set_stream_id("case-1");
  e.set_stream_version(3);
  e.set_event_id("00000000-0000-4000-8000-000000000001");
  e.set_event_type("renkei.v1.ConsentGiven");
  e.mutable_payload()->set_type_url(
      "type.googleapis.com/renkei.v1.ConsentGiven");
  e.mutable_payload()->set_value("ciphertext-bytes");
  e.set_payload_sha256(PayloadDigest(e.payload()));
  e.mutable_recorded_at()->set_seconds(100);
  e.mutable_occurred_at()->set_seconds(90);
  e.mutable_actor()->set_staff_id("s");
  e.mutable_actor()->set_agency_id("a");
  return e;
}

TEST(ChainTest, Sha256MatchesAKnownVector) {
  const std::string d = Sha256("abc");
  ASSERT_EQ(d.size(), kHashBytes);
  EXPECT_EQ(static_cast<unsigned char>(d[0]), 0xba);
  EXPECT_EQ(static_cast<unsigned char>(d[31]), 0xad);
}

TEST(ChainTest, HashDependsOnPrevHashAndEveryHeaderField) {
  const v1::EventEnvelope base = Sample();
  const std::string h = ChainHash(ZeroHash(), base);
  EXPECT_NE(ChainHash(std::string(32, '\1'), base), h);
  std::vector<std::function<void(v1::EventEnvelope&)>> edits = {
      [](auto& e) { e.set_position(8); },
      [](auto& e) { e.set_stream_id("case-2"); },
      [](auto& e) { e.set_stream_version(4); },
      [](auto& e) { e.set_event_id("00000000-0000-4000-8000-000000000002"); },
      [](auto& e) { e.set_event_type("x"); },
      [](auto& e) { e.set_payload_sha256(Sha256("other")); },
      [](auto& e) { e.mutable_recorded_at()->set_nanos(1); },
      [](auto& e) { e.mutable_occurred_at()->set_seconds(91); },
      [](auto& e) { e.mutable_actor()->set_staff_id("t"); },
      [](auto& e) { e.mutable_actor()->set_agency_id("b"); },
      [](auto& e) { e.set_correlation_id("c"); },
      [](auto& e) { e.set_causation_id("c"); },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    v1::EventEnvelope e = base;
    edits[i](e);
    EXPECT_NE(ChainHash(ZeroHash(), e), h) << "edit " << i;
  }
}

TEST(ChainTest, ShreddingThePayloadLeavesTheChainIntact) {
  // Crypto-shredding destroys a payload's key; the stored digest stays, and
  // the chain hashes only the digest, so the hash is unchanged even when the
  // payload bytes themselves are dropped.
  v1::EventEnvelope e = Sample();
  const std::string before = ChainHash(ZeroHash(), e);
  e.clear_payload();
  EXPECT_EQ(ChainHash(ZeroHash(), e), before);
}

TEST(ChainTest, FieldBoundariesAreUnambiguous) {
  v1::EventEnvelope a = Sample();
  v1::EventEnvelope b = Sample();
  a.set_correlation_id("ab");
  a.set_causation_id("c");
  b.set_correlation_id("a");
  b.set_causation_id("bc");
  EXPECT_NE(CanonicalHeader(a), CanonicalHeader(b));
}

}  // namespace
}  // namespace renkei::storage
