// Tests of building requests from flags and JSON.
#include "clients/cli/request_flags.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "renkei/v1/case_service.pb.h"
#include "renkei/v1/consent_service.pb.h"
#include "renkei/v1/directory_service.pb.h"
#include "renkei/v1/referral_service.pb.h"

namespace renkei::cli {
namespace {

using ::testing::Contains;
using ::testing::Not;

const absl::Time kNow = absl::FromUnixSeconds(1711962000);

std::map<std::string, FieldFlag> ByName(const google::protobuf::Descriptor& d) {
  std::map<std::string, FieldFlag> out;
  for (const FieldFlag& flag : FlagsFor(d)) out.emplace(flag.name, flag);
  return out;
}

std::vector<std::string> Names(const google::protobuf::Descriptor& d) {
  std::vector<std::string> out;
  for (const FieldFlag& flag : FlagsFor(d)) out.push_back(flag.name);
  return out;
}

TEST(FlagsForTest, NamesAreShortestUniqueSuffixes) {
  const auto names = Names(*v1::RecordEntryRequest::descriptor());
  for (const char* expected :
       {"idempotency-key", "expected-version", "occurred-at", "case-id",
        "entry-id", "subject-ids", "categories", "content", "channel",
        "contact-summary", "interview-summary", "joint-visit-summary",
        "confidentiality-reason", "risk-ranking-reason", "suicidal-ideation"}) {
    EXPECT_THAT(names, Contains(expected));
  }
  EXPECT_THAT(names, Not(Contains("summary")));
  EXPECT_THAT(names, Not(Contains("reason")));
  // Repeated messages (interviewers, participants) are left to --data.
  EXPECT_THAT(names, Not(Contains("interviewers")));
}

TEST(FlagsForTest, NamesAreUniqueAndNeverReserved) {
  for (const auto* d : {v1::RecordEntryRequest::descriptor(),
                        v1::MakeReferralRequest::descriptor(),
                        v1::ReferReferralOnRequest::descriptor(),
                        v1::GiveConsentRequest::descriptor(),
                        v1::RegisterStaffMemberRequest::descriptor(),
                        v1::GetCaseTimelineRequest::descriptor()}) {
    const auto names = Names(*d);
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(),
              names.size())
        << d->full_name();
    for (const std::string& reserved : ReservedFlagNames()) {
      EXPECT_THAT(names, Not(Contains(reserved))) << d->full_name();
    }
  }
}

TEST(FlagsForTest, NestedCommandsKeepTheirOwnNames) {
  // ReferReferralOn: referral_id of the command and of the onward referral.
  const auto flags = ByName(*v1::ReferReferralOnRequest::descriptor());
  ASSERT_TRUE(flags.count("onward-referral-id"));
  EXPECT_EQ(flags.at("onward-referral-id").DottedPath(),
            "command.onward.referral_id");
  ASSERT_TRUE(flags.count("referral-id"));
  EXPECT_EQ(flags.at("referral-id").DottedPath(), "command.referral_id");
}

TEST(ApplyFlagTest, FillsNestedOneofFields) {
  const auto flags = ByName(*v1::RecordEntryRequest::descriptor());
  v1::RecordEntryRequest request;
  ASSERT_TRUE(ApplyFlag(flags.at("case-id"), {"c1"}, kNow, &request).ok());
  ASSERT_TRUE(
      ApplyFlag(flags.at("channel"), {"home-visit"}, kNow, &request).ok());
  ASSERT_TRUE(
      ApplyFlag(flags.at("contact-summary"), {"visited"}, kNow, &request).ok());
  ASSERT_TRUE(
      ApplyFlag(flags.at("subject-ids"), {"mother", "son"}, kNow, &request)
          .ok());
  ASSERT_TRUE(ApplyFlag(flags.at("occurred-at"), {"2024-04-01T18:00:00+09:00"},
                        kNow, &request)
                  .ok());
  EXPECT_EQ(request.case_id(), "c1");
  EXPECT_EQ(request.command().entry().contact().channel(),
            v1::CONTACT_CHANNEL_HOME_VISIT);
  EXPECT_EQ(request.command().entry().contact().summary(), "visited");
  EXPECT_THAT(request.command().entry().subject_ids(),
              ::testing::ElementsAre("mother", "son"));
  EXPECT_EQ(request.options().occurred_at().seconds(), 1711962000);
}

TEST(ApplyFlagTest, ErrorsNameTheFlag) {
  const auto flags = ByName(*v1::RecordEntryRequest::descriptor());
  v1::RecordEntryRequest request;
  auto status = ApplyFlag(flags.at("channel"), {"pigeon"}, kNow, &request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      std::string(status.message()),
      ::testing::StartsWith("--channel: 'pigeon' is not a ContactChannel"));
  status = ApplyFlag(flags.at("expected-version"), {"x"}, kNow, &request);
  EXPECT_EQ(status.message(),
            "--expected-version: 'x' is not a non-negative integer");
  status = ApplyFlag(flags.at("case-id"), {"a", "b"}, kNow, &request);
  EXPECT_EQ(status.message(), "--case-id takes one value; got 2");
}

TEST(JsonTest, FlagsOverrideAndReplaceJsonLists) {
  v1::OpenCaseRequest request;
  ASSERT_TRUE(MergeJson(R"({"case_id": "c1", "command": {"title": "t",
      "frameworks": ["FRAMEWORK_YOTAIKYO"], "intake": {"observation": "o"}}})",
                        &request)
                  .ok());
  const auto flags = ByName(*v1::OpenCaseRequest::descriptor());
  ASSERT_TRUE(ApplyFlag(flags.at("frameworks"),
                        {"shien-kaigi", "mental-health"}, kNow, &request)
                  .ok());
  ASSERT_TRUE(ApplyFlag(flags.at("title"), {"母子世帯"}, kNow, &request).ok());
  EXPECT_EQ(request.case_id(), "c1");
  EXPECT_EQ(request.command().title(), "母子世帯");
  EXPECT_EQ(request.command().intake().observation(), "o");
  ASSERT_EQ(request.command().frameworks_size(), 2);
  EXPECT_EQ(request.command().frameworks(0), v1::FRAMEWORK_SHIEN_KAIGI);
}

TEST(JsonTest, BadJsonIsInvalidArgument) {
  v1::OpenCaseRequest request;
  auto status = MergeJson(R"({"case": "c1"})", &request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              ::testing::StartsWith("--data is not a OpenCaseRequest"));
  EXPECT_FALSE(MergeJson("{", &request).ok());
}

TEST(CommandDefaultsTest, FreshKeyOnlyWhenMissing) {
  int made = 0;
  auto key = [&] { return "key-" + std::to_string(++made); };
  v1::CloseCaseRequest close;
  FillCommandDefaults(key, &close);
  EXPECT_EQ(close.options().idempotency_key(), "key-1");
  FillCommandDefaults(key, &close);
  EXPECT_EQ(close.options().idempotency_key(), "key-1");
  v1::GetCaseSummaryRequest query;
  FillCommandDefaults(key, &query);
  EXPECT_EQ(made, 1);
  EXPECT_TRUE(IsCommandRequest(*v1::RegisterAgencyRequest::descriptor()));
  EXPECT_FALSE(IsCommandRequest(*v1::ListStaffRequest::descriptor()));
}

}  // namespace
}  // namespace renkei::cli
