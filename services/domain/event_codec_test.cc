// Tests of stream naming and the wrapper <-> envelope mapping.
#include "services/domain/event_codec.h"

#include "gtest/gtest.h"
#include "services/domain/errors.h"
#include "services/domain/testing/fixtures.h"

namespace renkei::domain {
namespace {

using testing::Parse;
using testing::ProtoEquals;

v1::EventEnvelope Store(const v1::ProposedEvent& proposed) {
  v1::EventEnvelope envelope;
  envelope.set_event_type(proposed.event_type());
  *envelope.mutable_payload() = proposed.payload();
  *envelope.mutable_occurred_at() = proposed.occurred_at();
  *envelope.mutable_actor() = proposed.actor();
  return envelope;
}

TEST(EventCodecTest, StreamIds) {
  EXPECT_EQ(kDirectoryStreamId, "directory");
  EXPECT_EQ(CaseStreamId("c1"), "case-c1");
  EXPECT_EQ(ConferenceStreamId("k1"), "conference-k1");
  EXPECT_EQ(HandoverStreamId("h1"), "handover-h1");
}

TEST(EventCodecTest, EventTypeIsTheConcreteEventsFullName) {
  EXPECT_EQ(EventTypeName(Parse<v1::CaseEvent>(R"pb(consent_refused {
                                                      terms { consent_id: "k" }
                                                    })pb")),
            "renkei.v1.ConsentRefused");
  EXPECT_EQ(EventTypeName(Parse<v1::DirectoryEvent>(R"pb(staff_member_left {
                                                           staff_id: "s"
                                                         })pb")),
            "renkei.v1.StaffMemberLeft");
  EXPECT_EQ(EventTypeName(v1::CaseEvent{}), "");
}

TEST(EventCodecTest, CaseEventsRoundTripThroughTheEnvelope) {
  const v1::CaseEvent
      event =
          Parse<v1::CaseEvent>(
              R"pb(
                occurred_at { seconds: 1711962000 }
                actor { staff_id: "counsellor" agency_id: "city-mh" }
                referral_feedback_given {
                  referral_id: "r1"
                  feedback: "初診済み"
                })pb");
  const v1::ProposedEvent proposed = ToProposedEvent(event);
  EXPECT_EQ(proposed.event_type(), "renkei.v1.ReferralFeedbackGiven");
  EXPECT_TRUE(proposed.payload().Is<v1::ReferralFeedbackGiven>());
  EXPECT_EQ(proposed.occurred_at().seconds(), 1711962000);
  EXPECT_EQ(proposed.actor().agency_id(), "city-mh");

  auto back = CaseEventFromEnvelope(Store(proposed));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(ProtoEquals(event, *back));
}

TEST(EventCodecTest, DirectoryEventsRoundTripThroughTheEnvelope) {
  const v1::DirectoryEvent event = Parse<v1::DirectoryEvent>(R"pb(
    occurred_at { seconds: 100 }
    actor { staff_id: "admin" agency_id: "city-pa" }
    staff_member_left { staff_id: "cw" reason: "rotation" })pb");
  auto back = DirectoryEventFromEnvelope(Store(ToProposedEvent(event)));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(ProtoEquals(event, *back));
}

TEST(EventCodecTest, ConferenceAndHandoverEventsRoundTrip) {
  const v1::ConferenceEvent conference = Parse<v1::ConferenceEvent>(R"pb(
    occurred_at { seconds: 100 }
    actor { staff_id: "support-worker" agency_id: "city-cfs" }
    action_item_completed { action_item_id: "a1" note: "done" })pb");
  const v1::ProposedEvent proposed = ToProposedEvent(conference);
  EXPECT_EQ(proposed.event_type(), "renkei.v1.ActionItemCompleted");
  auto back = ConferenceEventFromEnvelope(Store(proposed));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(ProtoEquals(conference, *back));

  const v1::HandoverEvent handover = Parse<v1::HandoverEvent>(R"pb(
    occurred_at { seconds: 200 }
    actor { staff_id: "counsellor" agency_id: "city-mh" }
    handover_completed {
      moved {
        kind: RESPONSIBILITY_KIND_STAGE_LEAD
        stream_id: "case-c1"
        ref_id: "s1"
      }
    })pb");
  auto handover_back =
      HandoverEventFromEnvelope(Store(ToProposedEvent(handover)));
  ASSERT_TRUE(handover_back.ok()) << handover_back.status();
  EXPECT_TRUE(ProtoEquals(handover, *handover_back));
  EXPECT_EQ(HandoverEventFromEnvelope(Store(proposed)).status(),
            errors::UnknownEventType("renkei.v1.ActionItemCompleted"));
}

TEST(EventCodecTest, StageLeadEventsAreCaseEvents) {
  const v1::CaseEvent event = Parse<v1::CaseEvent>(R"pb(
    occurred_at { seconds: 300 }
    actor { staff_id: "counsellor" agency_id: "city-mh" }
    stage_lead_corrected {
      stage_id: "s1"
      valid_from { seconds: 10 }
      valid_to { seconds: 20 }
      reason: "wrong date"
    })pb");
  auto back = CaseEventFromEnvelope(Store(ToProposedEvent(event)));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(ProtoEquals(event, *back));
}

TEST(EventCodecTest, AnEventOfAnotherStreamIsRefused) {
  const v1::DirectoryEvent event = Parse<v1::DirectoryEvent>(
      R"pb(staff_member_left { staff_id: "cw" reason: "rotation" })pb");
  auto back = CaseEventFromEnvelope(Store(ToProposedEvent(event)));
  EXPECT_EQ(back.status(),
            errors::UnknownEventType("renkei.v1.StaffMemberLeft"));
}

TEST(EventCodecTest, APayloadOfTheWrongTypeIsDataLoss) {
  v1::EventEnvelope envelope = Store(ToProposedEvent(
      Parse<v1::CaseEvent>(R"pb(case_closed { reason: "x" })pb")));
  envelope.set_event_type("renkei.v1.CaseReopened");
  EXPECT_EQ(CaseEventFromEnvelope(envelope).status(),
            errors::CorruptEventPayload("renkei.v1.CaseReopened"));
}

}  // namespace
}  // namespace renkei::domain
