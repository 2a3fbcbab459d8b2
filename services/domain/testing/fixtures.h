// Test-only helpers: the acceptance story's directory, a case harness that
// runs commands through the decider, and proto parsing and comparison.
#ifndef RENKEI_SERVICES_DOMAIN_TESTING_FIXTURES_H_
#define RENKEI_SERVICES_DOMAIN_TESTING_FIXTURES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "renkei/v1/case.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/directory/directory.h"

namespace renkei::domain::testing {

// 2024-04-01 09:00 UTC plus `days` days and `hours` hours.
absl::Time Day(int days, int hours = 0);
google::protobuf::Timestamp Ts(absl::Time t);

// Parses a text-format proto; fails the test if it does not parse.
template <typename Message>
Message Parse(absl::string_view text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(std::string(text),
                                                            &message))
      << text;
  return message;
}

// Agencies (ids): city-pa (public assistance), city-mh (mental-health
// counselling), city-cfs (child & family support), nursery, jhs (junior-high
// school), health-centre, cgc (child guidance centre), clinic, home-nursing,
// cso (consultation-support office), home-help, police.
// Staff (id @ agency): cw @ city-pa, supervisor @ city-pa, counsellor @
// city-mh, support-worker @ city-cfs, nursery-teacher @ nursery, teacher @
// jhs, hc-nurse and hc-psychiatrist @ health-centre, cgc-worker @ cgc,
// clinic-doctor @ clinic, nurse @ home-nursing, cso-specialist @ cso,
// helper @ home-help, officer @ police; former-cw @ city-pa has left (day -1).
// Built through the directory decider, all at day -10.
DirectoryState StoryDirectory();

// A directory with only its first administrator: "admin" of city-pa
// (BootstrapAdministrator).
DirectoryState AdminOnlyDirectory();

// Runs case commands for one case through Decide and Evolve.
class CaseHarness {
 public:
  explicit CaseHarness(DirectoryState directory, std::string case_id = "c1");

  // A command by `staff_id` (acting for their agency) at `at`; `kind` is the
  // text of one CaseCommand oneof field, e.g. `close_case { reason: "x" }`.
  v1::CaseCommand Command(absl::string_view staff_id, absl::Time at,
                          absl::string_view kind) const;

  // Decides without applying.
  absl::StatusOr<std::vector<v1::CaseEvent>> When(
      const v1::CaseCommand& command) const;
  absl::StatusOr<std::vector<v1::CaseEvent>> When(absl::string_view staff_id,
                                                  absl::Time at,
                                                  absl::string_view kind) const;

  // Decides and applies; the command must succeed (the test fails otherwise).
  void Given(absl::string_view staff_id, absl::Time at, absl::string_view kind);

  // Case c1 opened by cw on day 0 (mother, daughter, son; the mother is the
  // children's guardian), with city-mh and city-cfs added to the team.
  void OpenStandardCase();

  const CaseState& state() const { return state_; }
  const DirectoryState& directory() const { return directory_; }
  DirectoryState& mutable_directory() { return directory_; }
  const std::vector<v1::CaseEvent>& history() const { return history_; }

 private:
  DirectoryState directory_;
  std::string case_id_;
  CaseState state_;
  std::vector<v1::CaseEvent> history_;
};

// The expected events of `command`: each text is one CaseEvent oneof field;
// occurred_at and actor are the command's.
std::vector<v1::CaseEvent> Expected(const v1::CaseCommand& command,
                                    const std::vector<std::string>& kinds);

// Proto equality with a readable diff.
::testing::AssertionResult ProtoEquals(
    const google::protobuf::Message& expected,
    const google::protobuf::Message& actual);
::testing::AssertionResult EventsEqual(
    const std::vector<v1::CaseEvent>& expected,
    const absl::StatusOr<std::vector<v1::CaseEvent>>& actual);

}  // namespace renkei::domain::testing

#endif  // RENKEI_SERVICES_DOMAIN_TESTING_FIXTURES_H_
