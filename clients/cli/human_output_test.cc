// Tests of the human-readable and JSON rendering of replies.
#include "clients/cli/human_output.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "renkei/v1/case_service.pb.h"
#include "renkei/v1/command.pb.h"
#include "renkei/v1/referral_service.pb.h"

namespace renkei::cli {
namespace {

using ::testing::HasSubstr;

TEST(RenderHumanTest, CommandReplyAsAlignedKeys) {
  v1::CommandReply reply;
  reply.set_stream_id("case-c1");
  reply.set_stream_version(3);
  reply.set_first_position(10);
  reply.set_last_position(11);
  reply.set_request_id("r1");
  EXPECT_EQ(RenderHuman(reply),
            "stream_id:      case-c1\n"
            "stream_version: 3\n"
            "first_position: 10\n"
            "last_position:  11\n"
            "duplicate:      false\n"
            "request_id:     r1\n");
}

TEST(RenderHumanTest, RepeatedMessagesAsTables) {
  v1::ListReferralsResponse response;
  auto* a = response.add_referrals();
  a->set_case_id("c1");
  a->set_referral_id("r-clinic");
  a->set_from_agency_id("city-mh");
  a->set_to_agency_id("clinic");
  a->set_status(v1::REFERRAL_STATUS_ACCEPTED);
  a->mutable_made_at()->set_seconds(1711962000);
  auto* b = response.add_referrals();
  b->set_case_id("c1");
  b->set_referral_id("r-cso");
  b->set_from_agency_id("city-mh");
  b->set_to_agency_id("cso");
  b->set_status(v1::REFERRAL_STATUS_MADE);
  b->set_reason("service-use planning: home help");
  EXPECT_EQ(RenderHuman(response),
            "referrals:\n"
            "  CASE_ID  REFERRAL_ID  FROM_AGENCY_ID  TO_AGENCY_ID  STATUS    "
            "MADE_AT               REASON\n"
            "  c1       r-clinic     city-mh         clinic        accepted  "
            "2024-04-01T09:00:00Z\n"
            "  c1       r-cso        city-mh         cso           made      "
            "                      service-use planning: home help\n");
}

TEST(RenderHumanTest, EmptyListsSayNoneAndNestedMessagesIndent) {
  EXPECT_EQ(RenderHuman(v1::ListCaseloadResponse()), "cases: (none)\n");
  v1::CaseSummary summary;
  summary.set_case_id("c1");
  summary.set_kind(v1::CASE_KIND_HOUSEHOLD);
  summary.add_frameworks(v1::FRAMEWORK_SHIEN_KAIGI);
  summary.add_frameworks(v1::FRAMEWORK_MENTAL_HEALTH);
  auto* subject = summary.add_subjects();
  subject->set_subject_id("mother");
  subject->set_display_name("母 (30代)");
  subject->set_relationship(v1::RELATIONSHIP_HEAD_OF_HOUSEHOLD);
  const std::string text = RenderHuman(summary);
  EXPECT_THAT(text, HasSubstr("kind:                 household\n"));
  EXPECT_THAT(text,
              HasSubstr("frameworks:           shien-kaigi, mental-health\n"));
  EXPECT_THAT(text, HasSubstr("subjects:\n  SUBJECT_ID  DISPLAY_NAME  "
                              "RELATIONSHIP\n  mother      母 (30代)     "
                              "head-of-household\n"));
  EXPECT_THAT(text, HasSubstr("team: (none)\n"));
}

TEST(RenderHumanTest, TimelineUsesItsReadableColumns) {
  v1::GetCaseTimelineResponse response;
  auto* item = response.add_items();
  item->set_position(7);
  item->set_event_type("renkei.v1.ConsentRefused");
  item->mutable_actor()->set_staff_id("counsellor");
  item->mutable_actor()->set_agency_id("city-mh");
  item->set_ref_id("k5-refused");
  item->set_summary("consent refused by subject mother");
  item->mutable_entry()->set_entry_id("hidden-from-the-table");
  const std::string text = RenderHuman(response);
  EXPECT_THAT(text, HasSubstr("POSITION  ACTOR               EVENT_TYPE      "
                              "REF_ID      SUMMARY\n"));
  EXPECT_THAT(text,
              HasSubstr("7         counsellor@city-mh  ConsentRefused  "
                        "k5-refused  consent refused by subject mother\n"));
  EXPECT_THAT(text, Not(HasSubstr("hidden-from-the-table")));
}

TEST(WidthTest, WideCharactersCountTwice) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("母子世帯"), 8u);
  EXPECT_EQ(DisplayWidth("母 (30代)"), 9u);
  EXPECT_EQ(TruncateToWidth("abcdef", 4), "abc…");
  EXPECT_EQ(TruncateToWidth("母子世帯", 5), "母子…");
  EXPECT_EQ(TruncateToWidth("母子", 4), "母子");
  EXPECT_EQ(AlignRows({{"母", "x"}, {"abc", "y"}}, 1), " 母   x\n abc  y\n");
}

TEST(RenderJsonTest, PrettyAndCompact) {
  v1::CommandReply reply;
  reply.set_stream_id("case-c1");
  reply.set_stream_version(2);
  auto pretty = RenderJson(reply, true);
  ASSERT_TRUE(pretty.ok());
  EXPECT_EQ(*pretty,
            "{\n \"streamId\": \"case-c1\",\n \"streamVersion\": \"2\"\n}\n");
  auto line = RenderJson(reply, false);
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(*line, R"({"streamId":"case-c1","streamVersion":"2"})");
}

}  // namespace
}  // namespace renkei::cli
