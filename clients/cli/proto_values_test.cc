// Tests of the text <-> protobuf value conversions.
#include "clients/cli/proto_values.h"

#include "gtest/gtest.h"
#include "renkei/v1/audit_service.pb.h"
#include "renkei/v1/case.pb.h"
#include "renkei/v1/command.pb.h"
#include "renkei/v1/directory_service.pb.h"
#include "renkei/v1/entry.pb.h"
#include "renkei/v1/event.pb.h"

namespace renkei::cli {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1711962000);  // 2024-04-01 09:00Z

TEST(EnumTest, AcceptsShortFullKebabAndNumber) {
  const auto* kind = v1::CaseKind_descriptor();
  for (const char* text : {"household", "HOUSEHOLD", "case-kind-household",
                           "CASE_KIND_HOUSEHOLD", "1"}) {
    auto value = ParseEnumValue(*kind, text);
    ASSERT_TRUE(value.ok()) << text << ": " << value.status();
    EXPECT_EQ((*value)->number(), v1::CASE_KIND_HOUSEHOLD) << text;
  }
  auto relationship =
      ParseEnumValue(*v1::Relationship_descriptor(), "head-of-household");
  ASSERT_TRUE(relationship.ok());
  EXPECT_EQ((*relationship)->number(), v1::RELATIONSHIP_HEAD_OF_HOUSEHOLD);
}

TEST(EnumTest, UnknownNameListsTheChoices) {
  auto value = ParseEnumValue(*v1::CaseKind_descriptor(), "family");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(value.status().message(),
            "'family' is not a CaseKind; choose one of: household, person");
}

TEST(EnumTest, ShortNamesAndPrefixes) {
  EXPECT_EQ(EnumPrefix(*v1::CaseKind_descriptor()), "CASE_KIND_");
  EXPECT_EQ(EnumPrefix(*v1::TimeAxis_descriptor()), "TIME_AXIS_");
  EXPECT_EQ(ShortEnumName(*v1::Relationship_descriptor()->FindValueByNumber(
                v1::RELATIONSHIP_HEAD_OF_HOUSEHOLD)),
            "head-of-household");
  EXPECT_EQ(ShortEnumName(*v1::Framework_descriptor()->FindValueByNumber(
                v1::FRAMEWORK_SHIEN_KAIGI)),
            "shien-kaigi");
}

TEST(TimeTest, ParsesRfc3339DatesAndNow) {
  auto t = ParseTime("2024-04-01T18:00:00+09:00", kNow);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, kNow);
  t = ParseTime("2024-04-01T09:00:00Z", kNow);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, kNow);
  t = ParseTime("2024-04-01", kNow);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, kNow - absl::Hours(9));
  t = ParseTime("now", kNow + absl::Seconds(5));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, kNow + absl::Seconds(5));
  EXPECT_FALSE(ParseTime("yesterday", kNow).ok());
  EXPECT_FALSE(ParseTime("2024-13-01", kNow).ok());
}

TEST(TimeTest, TimestampsRoundTripAndFormat) {
  const absl::Time t = kNow + absl::Milliseconds(250);
  const google::protobuf::Timestamp ts = ToTimestamp(t);
  EXPECT_EQ(ts.seconds(), 1711962000);
  EXPECT_EQ(ts.nanos(), 250000000);
  EXPECT_EQ(FromTimestamp(ts), t);
  EXPECT_EQ(FormatTimestamp(ToTimestamp(kNow)), "2024-04-01T09:00:00Z");
  EXPECT_EQ(FormatTimestamp(ts), "2024-04-01T09:00:00Z");
  const google::protobuf::Timestamp before =
      ToTimestamp(absl::UnixEpoch() - absl::Milliseconds(1));
  EXPECT_EQ(before.seconds(), -1);
  EXPECT_EQ(before.nanos(), 999000000);
}

TEST(SetFieldTest, SetsScalarsEnumsTimesAndRepeated) {
  v1::CommandOptions options;
  const auto* d = options.GetDescriptor();
  ASSERT_TRUE(SetFieldFromText(&options, d->FindFieldByName("expected_version"),
                               "0", kNow)
                  .ok());
  EXPECT_TRUE(options.has_expected_version());
  EXPECT_EQ(options.expected_version(), 0u);
  ASSERT_TRUE(SetFieldFromText(&options, d->FindFieldByName("occurred_at"),
                               "2024-04-01", kNow)
                  .ok());
  EXPECT_EQ(options.occurred_at().seconds(), 1711929600);

  v1::OpenCase open;
  ASSERT_TRUE(SetFieldFromText(
                  &open, open.GetDescriptor()->FindFieldByName("frameworks"),
                  "shien-kaigi", kNow)
                  .ok());
  ASSERT_TRUE(SetFieldFromText(
                  &open, open.GetDescriptor()->FindFieldByName("frameworks"),
                  "mental_health", kNow)
                  .ok());
  ASSERT_EQ(open.frameworks_size(), 2);
  EXPECT_EQ(open.frameworks(1), v1::FRAMEWORK_MENTAL_HEALTH);

  v1::ListStaffRequest list;
  ASSERT_TRUE(SetFieldFromText(
                  &list, list.GetDescriptor()->FindFieldByName("include_left"),
                  "yes", kNow)
                  .ok());
  EXPECT_TRUE(list.include_left());
}

TEST(SetFieldTest, RefusesMalformedNumbers) {
  v1::ReadAllRequest request;
  const auto status = SetFieldFromText(
      &request, request.GetDescriptor()->FindFieldByName("limit"), "ten", kNow);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "--limit: 'ten' is not an int32");
  EXPECT_FALSE(SetFieldFromText(
                   &request,
                   request.GetDescriptor()->FindFieldByName("from_position"),
                   "-3", kNow)
                   .ok());
}

TEST(DisplayTest, ValuesAsText) {
  v1::EventEnvelope envelope;
  envelope.mutable_actor()->set_staff_id("cw");
  envelope.mutable_actor()->set_agency_id("city-pa");
  envelope.set_hash(std::string("\x01\xab", 2));
  v1::CaseOpened opened;
  opened.set_case_id("c1");
  opened.set_kind(v1::CASE_KIND_HOUSEHOLD);
  envelope.mutable_payload()->PackFrom(opened);
  const auto* d = envelope.GetDescriptor();
  EXPECT_EQ(FieldValueText(envelope, d->FindFieldByName("actor"), -1),
            "cw@city-pa");
  EXPECT_EQ(FieldValueText(envelope, d->FindFieldByName("hash"), -1), "01ab");
  EXPECT_EQ(FieldValueText(envelope, d->FindFieldByName("payload"), -1),
            "renkei.v1.CaseOpened");
  EXPECT_EQ(AnyText(envelope.payload()), "case_id=c1 kind=household");
}

TEST(KebabCaseTest, SnakeAndCamel) {
  EXPECT_EQ(KebabCase("OpenCase"), "open-case");
  EXPECT_EQ(KebabCase("idempotency_key"), "idempotency-key");
  EXPECT_EQ(KebabCase("GetHead"), "get-head");
}

}  // namespace
}  // namespace renkei::cli
