// Test-only: several aggregates at once (the directory, cases, conferences,
// handovers) run through their deciders, each reading the others through an
// AggregateLookup as the server would.
#ifndef RENKEI_SERVICES_DOMAIN_TESTING_WORLD_H_
#define RENKEI_SERVICES_DOMAIN_TESTING_WORLD_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "renkei/v1/case.pb.h"
#include "renkei/v1/conference.pb.h"
#include "renkei/v1/handover.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/conference/conference_state.h"
#include "services/domain/directory/directory.h"
#include "services/domain/handover/decider.h"
#include "services/domain/handover/handover_state.h"
#include "services/domain/lookup.h"

namespace renkei::domain::testing {

class World {
 public:
  explicit World(DirectoryState directory);

  const DirectoryState& directory() const { return directory_; }
  // An empty state for a stream with no events.
  const CaseState& Case(absl::string_view id) const;
  const ConferenceState& Conference(absl::string_view id) const;
  const HandoverState& Handover(absl::string_view id) const;
  const std::vector<v1::CaseEvent>& CaseHistory(absl::string_view id) const;
  const std::vector<v1::ConferenceEvent>& ConferenceHistory(
      absl::string_view id) const;

  // Finds every case, conference and handover of this world.
  AggregateLookup Lookup() const;
  // Every case and conference.
  Caseload Everything() const;
  std::vector<const HandoverState*> Handovers() const;

  // Commands by `staff_id` acting for their agency at `at`; `kind` is the
  // text of one oneof field of the wrapper.
  v1::CaseCommand CaseCommand(absl::string_view case_id,
                              absl::string_view staff_id, absl::Time at,
                              absl::string_view kind) const;
  v1::ConferenceCommand ConferenceCommand(absl::string_view conference_id,
                                          absl::string_view staff_id,
                                          absl::Time at,
                                          absl::string_view kind) const;
  v1::HandoverCommand HandoverCommand(absl::string_view handover_id,
                                      absl::string_view staff_id, absl::Time at,
                                      absl::string_view kind) const;

  // Decides without applying.
  absl::StatusOr<std::vector<v1::CaseEvent>> When(
      const v1::CaseCommand& command) const;
  absl::StatusOr<std::vector<v1::ConferenceEvent>> When(
      const v1::ConferenceCommand& command) const;
  absl::StatusOr<std::vector<v1::HandoverEvent>> When(
      const v1::HandoverCommand& command) const;
  absl::StatusOr<std::vector<v1::CaseEvent>> WhenCase(
      absl::string_view case_id, absl::string_view staff_id, absl::Time at,
      absl::string_view kind) const;
  absl::StatusOr<std::vector<v1::ConferenceEvent>> WhenConference(
      absl::string_view conference_id, absl::string_view staff_id,
      absl::Time at, absl::string_view kind) const;
  absl::StatusOr<std::vector<v1::HandoverEvent>> WhenHandover(
      absl::string_view handover_id, absl::string_view staff_id, absl::Time at,
      absl::string_view kind) const;

  // Decides and applies; the command must succeed (the test fails
  // otherwise). Returns how many events it produced.
  size_t Apply(const v1::CaseCommand& command);
  size_t Apply(const v1::ConferenceCommand& command);
  size_t Apply(const v1::HandoverCommand& command);
  void GivenCase(absl::string_view case_id, absl::string_view staff_id,
                 absl::Time at, absl::string_view kind);
  void GivenConference(absl::string_view conference_id,
                       absl::string_view staff_id, absl::Time at,
                       absl::string_view kind);
  void GivenHandover(absl::string_view handover_id, absl::string_view staff_id,
                     absl::Time at, absl::string_view kind);

  // Completes a handover and runs its plan; returns the plan.
  std::vector<PlannedCommand> CompleteHandover(absl::string_view handover_id,
                                               absl::string_view staff_id,
                                               absl::Time at);
  // Runs one planned command; returns how many events it produced.
  absl::StatusOr<size_t> Run(const PlannedCommand& planned);

  void RegisterStaff(absl::string_view staff_id, v1::Profession profession,
                     absl::string_view agency_id, absl::Time at);
  // A departure with the responsibilities found across this world.
  absl::StatusOr<std::vector<v1::DirectoryEvent>> WhenDeparture(
      absl::string_view staff_id, absl::Time at) const;
  void GivenDeparture(absl::string_view staff_id, absl::Time at);

 private:
  template <typename Command>
  Command Stamp(absl::string_view staff_id, absl::Time at,
                absl::string_view kind) const;

  DirectoryState directory_;
  std::map<std::string, CaseState, std::less<>> cases_;
  std::map<std::string, ConferenceState, std::less<>> conferences_;
  std::map<std::string, HandoverState, std::less<>> handovers_;
  std::map<std::string, std::vector<v1::CaseEvent>, std::less<>> case_history_;
  std::map<std::string, std::vector<v1::ConferenceEvent>, std::less<>>
      conference_history_;
};

// One case of a World, driven like a CaseHarness.
class WorldCase {
 public:
  WorldCase(World& world, std::string case_id)
      : world_(world), case_id_(std::move(case_id)) {}
  void Given(absl::string_view staff_id, absl::Time at,
             absl::string_view kind) {
    world_.GivenCase(case_id_, staff_id, at, kind);
  }

 private:
  World& world_;
  std::string case_id_;
};

}  // namespace renkei::domain::testing

#endif  // RENKEI_SERVICES_DOMAIN_TESTING_WORLD_H_
