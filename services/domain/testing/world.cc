// Test-only multi-aggregate harness.
#include "services/domain/testing/world.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/domain/case/decider.h"
#include "services/domain/conference/decider.h"
#include "services/domain/handover/responsibilities.h"
#include "services/domain/testing/fixtures.h"

namespace renkei::domain::testing {
namespace {

template <typename Map>
const typename Map::mapped_type& FindOrEmpty(const Map& map,
                                             absl::string_view id) {
  static const typename Map::mapped_type* const kEmpty =
      new typename Map::mapped_type();
  auto it = map.find(id);
  return it == map.end() ? *kEmpty : it->second;
}

}  // namespace

World::World(DirectoryState directory) : directory_(std::move(directory)) {}

const CaseState& World::Case(absl::string_view id) const {
  return FindOrEmpty(cases_, id);
}
const ConferenceState& World::Conference(absl::string_view id) const {
  return FindOrEmpty(conferences_, id);
}
const HandoverState& World::Handover(absl::string_view id) const {
  return FindOrEmpty(handovers_, id);
}
const std::vector<v1::CaseEvent>& World::CaseHistory(
    absl::string_view id) const {
  return FindOrEmpty(case_history_, id);
}
const std::vector<v1::ConferenceEvent>& World::ConferenceHistory(
    absl::string_view id) const {
  return FindOrEmpty(conference_history_, id);
}

AggregateLookup World::Lookup() const {
  AggregateLookup lookup;
  lookup.case_state = [this](absl::string_view id) -> const CaseState* {
    auto it = cases_.find(id);
    return it == cases_.end() ? nullptr : &it->second;
  };
  lookup.conference = [this](absl::string_view id) -> const ConferenceState* {
    auto it = conferences_.find(id);
    return it == conferences_.end() ? nullptr : &it->second;
  };
  lookup.handover = [this](absl::string_view id) -> const HandoverState* {
    auto it = handovers_.find(id);
    return it == handovers_.end() ? nullptr : &it->second;
  };
  return lookup;
}

Caseload World::Everything() const {
  Caseload caseload;
  for (const auto& [id, state] : cases_) caseload.cases.push_back(&state);
  for (const auto& [id, state] : conferences_) {
    caseload.conferences.push_back(&state);
  }
  return caseload;
}

std::vector<const HandoverState*> World::Handovers() const {
  std::vector<const HandoverState*> all;
  for (const auto& [id, state] : handovers_) all.push_back(&state);
  return all;
}

template <typename Command>
Command World::Stamp(absl::string_view staff_id, absl::Time at,
                     absl::string_view kind) const {
  Command command = Parse<Command>(kind);
  *command.mutable_occurred_at() = Ts(at);
  command.mutable_actor()->set_staff_id(std::string(staff_id));
  const StaffRecord* staff = directory_.FindStaff(staff_id);
  command.mutable_actor()->set_agency_id(
      staff == nullptr ? "unknown-agency" : staff->staff.agency_id());
  return command;
}

v1::CaseCommand World::CaseCommand(absl::string_view case_id,
                                   absl::string_view staff_id, absl::Time at,
                                   absl::string_view kind) const {
  auto command = Stamp<v1::CaseCommand>(staff_id, at, kind);
  command.set_case_id(std::string(case_id));
  return command;
}

v1::ConferenceCommand World::ConferenceCommand(absl::string_view conference_id,
                                               absl::string_view staff_id,
                                               absl::Time at,
                                               absl::string_view kind) const {
  auto command = Stamp<v1::ConferenceCommand>(staff_id, at, kind);
  command.set_conference_id(std::string(conference_id));
  return command;
}

v1::HandoverCommand World::HandoverCommand(absl::string_view handover_id,
                                           absl::string_view staff_id,
                                           absl::Time at,
                                           absl::string_view kind) const {
  auto command = Stamp<v1::HandoverCommand>(staff_id, at, kind);
  command.set_handover_id(std::string(handover_id));
  return command;
}

absl::StatusOr<std::vector<v1::CaseEvent>> World::When(
    const v1::CaseCommand& command) const {
  return Decide(Case(command.case_id()), command, directory_, Lookup());
}
absl::StatusOr<std::vector<v1::ConferenceEvent>> World::When(
    const v1::ConferenceCommand& command) const {
  return Decide(Conference(command.conference_id()), command, directory_,
                Lookup());
}
absl::StatusOr<std::vector<v1::HandoverEvent>> World::When(
    const v1::HandoverCommand& command) const {
  return Decide(Handover(command.handover_id()), command, directory_,
                Everything());
}

absl::StatusOr<std::vector<v1::CaseEvent>> World::WhenCase(
    absl::string_view case_id, absl::string_view staff_id, absl::Time at,
    absl::string_view kind) const {
  return When(CaseCommand(case_id, staff_id, at, kind));
}
absl::StatusOr<std::vector<v1::ConferenceEvent>> World::WhenConference(
    absl::string_view conference_id, absl::string_view staff_id, absl::Time at,
    absl::string_view kind) const {
  return When(ConferenceCommand(conference_id, staff_id, at, kind));
}
absl::StatusOr<std::vector<v1::HandoverEvent>> World::WhenHandover(
    absl::string_view handover_id, absl::string_view staff_id, absl::Time at,
    absl::string_view kind) const {
  return When(HandoverCommand(handover_id, staff_id, at, kind));
}

size_t World::Apply(const v1::CaseCommand& command) {
  auto events = When(command);
  EXPECT_TRUE(events.ok()) << events.status()
                           << "\nfor: " << command.DebugString();
  if (!events.ok()) return 0;
  CaseState& state = cases_[command.case_id()];
  for (const v1::CaseEvent& event : *events) {
    Evolve(state, event);
    case_history_[command.case_id()].push_back(event);
  }
  return events->size();
}

size_t World::Apply(const v1::ConferenceCommand& command) {
  auto events = When(command);
  EXPECT_TRUE(events.ok()) << events.status()
                           << "\nfor: " << command.DebugString();
  if (!events.ok()) return 0;
  ConferenceState& state = conferences_[command.conference_id()];
  for (const v1::ConferenceEvent& event : *events) {
    Evolve(state, event);
    conference_history_[command.conference_id()].push_back(event);
  }
  return events->size();
}

size_t World::Apply(const v1::HandoverCommand& command) {
  auto events = When(command);
  EXPECT_TRUE(events.ok()) << events.status()
                           << "\nfor: " << command.DebugString();
  if (!events.ok()) return 0;
  HandoverState& state = handovers_[command.handover_id()];
  for (const v1::HandoverEvent& event : *events) Evolve(state, event);
  return events->size();
}

void World::GivenCase(absl::string_view case_id, absl::string_view staff_id,
                      absl::Time at, absl::string_view kind) {
  Apply(CaseCommand(case_id, staff_id, at, kind));
}
void World::GivenConference(absl::string_view conference_id,
                            absl::string_view staff_id, absl::Time at,
                            absl::string_view kind) {
  Apply(ConferenceCommand(conference_id, staff_id, at, kind));
}
void World::GivenHandover(absl::string_view handover_id,
                          absl::string_view staff_id, absl::Time at,
                          absl::string_view kind) {
  Apply(HandoverCommand(handover_id, staff_id, at, kind));
}

std::vector<PlannedCommand> World::CompleteHandover(
    absl::string_view handover_id, absl::string_view staff_id, absl::Time at) {
  const v1::HandoverCommand command =
      HandoverCommand(handover_id, staff_id, at, "complete_handover {}");
  auto completion = DecideHandoverCompletion(Handover(handover_id), command,
                                             directory_, Everything());
  EXPECT_TRUE(completion.ok()) << completion.status();
  if (!completion.ok()) return {};
  HandoverState& state = handovers_[std::string(handover_id)];
  for (const v1::HandoverEvent& event : completion->events) {
    Evolve(state, event);
  }
  for (const PlannedCommand& planned : completion->commands) {
    auto ran = Run(planned);
    EXPECT_TRUE(ran.ok()) << ran.status()
                          << "\nfor: " << planned.idempotency_key;
  }
  return completion->commands;
}

absl::StatusOr<size_t> World::Run(const PlannedCommand& planned) {
  if (const auto* command = std::get_if<v1::CaseCommand>(&planned.command)) {
    EXPECT_EQ(planned.stream_id, absl::StrCat("case-", command->case_id()));
    auto events = When(*command);
    if (!events.ok()) return events.status();
    CaseState& state = cases_[command->case_id()];
    for (const v1::CaseEvent& event : *events) {
      Evolve(state, event);
      case_history_[command->case_id()].push_back(event);
    }
    return events->size();
  }
  const auto& command = std::get<v1::ConferenceCommand>(planned.command);
  EXPECT_EQ(planned.stream_id,
            absl::StrCat("conference-", command.conference_id()));
  auto events = When(command);
  if (!events.ok()) return events.status();
  ConferenceState& state = conferences_[command.conference_id()];
  for (const v1::ConferenceEvent& event : *events) {
    Evolve(state, event);
    conference_history_[command.conference_id()].push_back(event);
  }
  return events->size();
}

void World::RegisterStaff(absl::string_view staff_id, v1::Profession profession,
                          absl::string_view agency_id, absl::Time at) {
  v1::DirectoryCommand command;
  *command.mutable_occurred_at() = Ts(at);
  command.mutable_actor()->set_staff_id("admin");
  command.mutable_actor()->set_agency_id("city-pa");
  v1::StaffMember* staff =
      command.mutable_register_staff_member()->mutable_staff();
  staff->set_staff_id(std::string(staff_id));
  staff->set_display_name(absl::StrCat("staff ", staff_id));
  staff->set_profession(profession);
  staff->set_agency_id(std::string(agency_id));
  auto events = Decide(directory_, command, StaffResponsibilities{});
  ASSERT_TRUE(events.ok()) << events.status();
  for (const auto& event : *events) Evolve(directory_, event);
}

absl::StatusOr<std::vector<v1::DirectoryEvent>> World::WhenDeparture(
    absl::string_view staff_id, absl::Time at) const {
  v1::DirectoryCommand command;
  *command.mutable_occurred_at() = Ts(at);
  command.mutable_actor()->set_staff_id("admin");
  command.mutable_actor()->set_agency_id("city-pa");
  command.mutable_record_staff_departure()->set_staff_id(std::string(staff_id));
  command.mutable_record_staff_departure()->set_reason("personnel rotation");
  return Decide(
      directory_, command,
      ResponsibilitiesForDeparture(staff_id, Everything(), Handovers(), at));
}

void World::GivenDeparture(absl::string_view staff_id, absl::Time at) {
  auto events = WhenDeparture(staff_id, at);
  ASSERT_TRUE(events.ok()) << events.status();
  for (const auto& event : *events) Evolve(directory_, event);
}

}  // namespace renkei::domain::testing
