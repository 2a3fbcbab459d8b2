// Given/when/then tests of legal holds and erasure, and of the retention
// schedule's verdict on a closed case.
#include "gtest/gtest.h"
#include "services/domain/case/decider.h"
#include "services/domain/case/retention.h"
#include "services/domain/errors.h"
#include "services/domain/testing/fixtures.h"

namespace renkei::domain {
namespace {

using testing::CaseHarness;
using testing::Day;
using testing::EventsEqual;
using testing::Expected;
using testing::StoryDirectory;

class PrivacyCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override { harness_.OpenStandardCase(); }
  CaseHarness harness_{StoryDirectory()};
};

TEST_F(PrivacyCommandsTest, OnlyAdministratorsHoldAndErase) {
  for (const char* kind :
       {R"pb(place_legal_hold { hold_id: "h1" reason: "inquiry" })pb",
        R"pb(erase_subject { subject_id: "son" reason: "retention" })pb"}) {
    auto refused = harness_.When("cw", Day(5), kind);
    EXPECT_EQ(refused.status(),
              errors::NotRecordsAdministrator(
                  "cw", std::string(kind).find("hold") != std::string::npos
                            ? "place a legal hold"
                            : "erase a subject"));
  }
}

TEST_F(PrivacyCommandsTest, AHoldBlocksErasureUntilReleased) {
  const v1::CaseCommand place = harness_.Command(
      "admin", Day(5),
      R"pb(place_legal_hold { hold_id: "h1" reason: "court inquiry" })pb");
  EXPECT_TRUE(EventsEqual(Expected(place, {R"pb(legal_hold_placed {
                                                  hold_id: "h1"
                                                  reason: "court inquiry"
                                                })pb"}),
                          harness_.When(place)));
  harness_.Given(
      "admin", Day(5),
      R"pb(place_legal_hold { hold_id: "h1" reason: "court inquiry" })pb");
  EXPECT_EQ(harness_
                .When("admin", Day(6),
                      R"pb(place_legal_hold { hold_id: "h1" reason: "x" })pb")
                .status(),
            errors::LegalHoldExists("h1"));
  const auto refused = harness_.When(
      "admin", Day(6),
      R"pb(erase_subject { subject_id: "son" reason: "retention" })pb");
  EXPECT_EQ(refused.status(),
            errors::LegalHoldInForce("c1", "h1", "court inquiry", "be erased"));
  EXPECT_EQ(harness_
                .When("admin", Day(6),
                      R"pb(release_legal_hold { hold_id: "h9" reason: "x" })pb")
                .status(),
            errors::LegalHoldNotFound("h9"));
  harness_.Given(
      "admin", Day(7),
      R"pb(release_legal_hold { hold_id: "h1" reason: "inquiry closed" })pb");
  EXPECT_TRUE(harness_.state().legal_holds.empty());
  const v1::CaseCommand erase = harness_.Command(
      "admin", Day(8),
      R"pb(erase_subject { subject_id: "son" reason: "retention" })pb");
  EXPECT_TRUE(EventsEqual(Expected(erase, {R"pb(subject_erased {
                                                  subject_id: "son"
                                                  reason: "retention"
                                                })pb"}),
                          harness_.When(erase)));
}

TEST_F(PrivacyCommandsTest, AnErasedSubjectStaysErasedAndLosesTheirDetails) {
  harness_.Given(
      "admin", Day(8),
      R"pb(erase_subject { subject_id: "son" reason: "retention" })pb");
  EXPECT_TRUE(harness_.state().SubjectErased("son"));
  EXPECT_FALSE(harness_.state().SubjectErased("mother"));
  EXPECT_EQ(harness_.state().FindSubject("son")->display_name(), "");
  EXPECT_EQ(harness_
                .When("admin", Day(9),
                      R"pb(erase_subject { subject_id: "son" reason: "x" })pb")
                .status(),
            errors::SubjectAlreadyErased("son"));
  EXPECT_EQ(
      harness_
          .When("admin", Day(9),
                R"pb(erase_subject { subject_id: "nobody" reason: "x" })pb")
          .status(),
      errors::SubjectNotFound("nobody"));
  // Nothing more may be recorded about the son.
  EXPECT_EQ(harness_
                .When("cw", Day(9),
                      R"pb(record_entry {
                             entry {
                               entry_id: "e-more"
                               subject_ids: "son"
                               categories: INFORMATION_CATEGORY_HEALTH
                               contact {
                                 channel: CONTACT_CHANNEL_PHONE
                                 counterpart_subject_ids: "mother"
                                 summary: "x"
                               }
                             }
                           })pb")
                .status(),
            errors::SubjectAlreadyErased("son"));
}

TEST_F(PrivacyCommandsTest, OnlyAClosedCaseIsErasedAndThenTakesNothing) {
  EXPECT_EQ(harness_.When("admin", Day(9), R"pb(erase_case { reason: "r" })pb")
                .status(),
            errors::CaseOpenForErasure("c1"));
  harness_.Given("cw", Day(10), R"pb(close_case { reason: "moved" })pb");
  harness_.Given("admin", Day(11),
                 R"pb(erase_case { reason: "retention ran out" })pb");
  EXPECT_TRUE(harness_.state().erased_at.has_value());
  EXPECT_TRUE(harness_.state().SubjectErased("mother"));
  EXPECT_EQ(
      harness_
          .When("counsellor", Day(12), R"pb(reopen_case { reason: "back" })pb")
          .status(),
      errors::CaseErased("c1"));
}

v1::RetentionRule Rule(const std::string& text) {
  return testing::Parse<v1::RetentionRule>(text);
}

TEST_F(PrivacyCommandsTest, RetentionRunsFromClosureOrToAChildsAgeLongestWins) {
  DirectoryState& dir = harness_.mutable_directory();
  EXPECT_FALSE(RetentionOf(harness_.state(), dir).has_value());  // open
  harness_.Given("cw", Day(10), R"pb(close_case { reason: "moved" })pb");
  // No rule covers it: kept.
  auto none = RetentionOf(harness_.state(), dir);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->rule_id, "");
  EXPECT_FALSE(none->due_at.has_value());

  const auto& frameworks = harness_.state().frameworks;
  ASSERT_FALSE(frameworks.empty());
  const std::string framework = v1::Framework_Name(frameworks.front());
  dir.retention_rules["five"] = Rule("rule_id: 'five' framework: " + framework +
                                     " years_after_closure: 5");
  auto five = RetentionOf(harness_.state(), dir);
  ASSERT_TRUE(five.has_value() && five->due_at.has_value());
  EXPECT_EQ(five->rule_id, "five");
  EXPECT_EQ(*five->due_at, absl::FromCivil(absl::CivilSecond(2029, 4, 11, 9),
                                           absl::UTCTimeZone()));
  // A child-age rule for a household without a child's date of birth keeps
  // the case (never erased on a guess).
  dir.retention_rules["age25"] =
      Rule("rule_id: 'age25' framework: " + framework + " until_child_age: 25");
  EXPECT_FALSE(RetentionOf(harness_.state(), dir)->due_at.has_value());
  dir.retention_rules["forever"] =
      Rule("rule_id: 'forever' framework: " + framework + " permanent: true");
  auto forever = RetentionOf(harness_.state(), dir);
  ASSERT_TRUE(forever.has_value());
  EXPECT_TRUE(forever->permanent);
  EXPECT_FALSE(forever->due_at.has_value());
  // A rule of another case kind does not apply.
  dir.retention_rules.erase("forever");
  dir.retention_rules.erase("age25");
  dir.retention_rules["person-only"] =
      Rule("rule_id: 'person-only' framework: " + framework +
           " case_kind: CASE_KIND_PERSON permanent: true");
  EXPECT_EQ(RetentionOf(harness_.state(), dir)->rule_id, "five");
}

}  // namespace
}  // namespace renkei::domain
