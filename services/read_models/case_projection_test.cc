// The projection refuses, as INTERNAL naming the event, an event the domain's
// rules never let reach the log in the state the read models hold.
#include "services/read_models/case_projection.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "renkei/v1/case.pb.h"
#include "renkei/v1/conference.pb.h"
#include "services/domain/event_codec.h"
#include "services/read_models/read_model_store.h"
#include "storage/test_util.h"

namespace renkei::read_models {
namespace {

template <typename Event>
v1::EventEnvelope Envelope(const std::string& stream_id, const Event& event,
                           const std::string& event_id) {
  const v1::ProposedEvent proposed = domain::ToProposedEvent(event);
  v1::EventEnvelope envelope;
  envelope.set_stream_id(stream_id);
  envelope.set_event_id(event_id);
  envelope.set_event_type(proposed.event_type());
  *envelope.mutable_payload() = proposed.payload();
  envelope.set_position(1);
  envelope.set_stream_version(1);
  return envelope;
}

class CaseProjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = ReadModelStore::Open(dir_.Sub("read-models"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  absl::Status Apply(const v1::EventEnvelope& envelope) {
    rocksdb::WriteBatchWithIndex batch;
    return ApplyToReadModels(*store_, envelope, batch);
  }

  storage::testing::TempDir dir_;
  std::unique_ptr<ReadModelStore> store_;
};

TEST_F(CaseProjectionTest, AnAnswerToAReferralNeverMadeIsInternal) {
  v1::CaseEvent event;
  event.mutable_referral_accepted()->set_referral_id("r-never-made");
  const absl::Status status =
      Apply(Envelope(domain::CaseStreamId("c1"), event, "e-accept"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
  EXPECT_NE(status.message().find("ReferralAccepted"), std::string::npos)
      << status;
  EXPECT_NE(status.message().find("e-accept"), std::string::npos) << status;
  EXPECT_NE(status.message().find("r-never-made"), std::string::npos) << status;
}

TEST_F(CaseProjectionTest, AReviewAtAConferenceNeverHeldIsInternal) {
  v1::ConferenceEvent event;
  event.mutable_case_reviewed()->set_case_id("c1");
  const absl::Status status =
      Apply(Envelope(domain::ConferenceStreamId("k1"), event, "e-review"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
  EXPECT_NE(status.message().find("CaseReviewed"), std::string::npos) << status;
  EXPECT_NE(status.message().find("e-review"), std::string::npos) << status;
}

TEST_F(CaseProjectionTest, CompletingAnActionItemNeverAssignedIsInternal) {
  v1::ConferenceEvent event;
  event.mutable_action_item_completed()->set_action_item_id("a-none");
  const absl::Status status =
      Apply(Envelope(domain::ConferenceStreamId("k1"), event, "e-done"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
  EXPECT_NE(status.message().find("a-none"), std::string::npos) << status;
}

TEST_F(CaseProjectionTest, EventsWithoutRowsAreSkipped) {
  v1::CaseEvent opened;
  opened.mutable_case_opened();
  EXPECT_TRUE(
      Apply(Envelope(domain::CaseStreamId("c1"), opened, "e-open")).ok());
  v1::EventEnvelope directory;
  directory.set_stream_id("directory");
  directory.set_event_type("renkei.v1.AgencyRegistered");
  EXPECT_TRUE(Apply(directory).ok());
}

}  // namespace
}  // namespace renkei::read_models
