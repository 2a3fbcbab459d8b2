// Shared by the fuzz targets: a realistic set of aggregates (the directory,
// a case with subjects, team, consent, entries, a referral and a plan with a
// stage lead; a held conference with decisions and an action item; a started
// handover), built through the domain's own deciders, and the same decide /
// apply steps the server's rpc_adapter runs, without gRPC or storage.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "renkei/v1/case.pb.h"
#include "renkei/v1/conference.pb.h"
#include "renkei/v1/directory.pb.h"
#include "renkei/v1/event.pb.h"
#include "renkei/v1/handover.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/conference/conference_state.h"
#include "services/domain/directory/directory.h"
#include "services/domain/handover/handover_state.h"
#include "services/domain/lookup.h"

namespace renkei::fuzz {

// Stops the run with a message: an invariant does not hold.
[[noreturn]] inline void Fail(const std::string& what) {
  std::fprintf(stderr, "renkei fuzz invariant failed: %s\n", what.c_str());
  std::fflush(stderr);
  __builtin_trap();
}

// 2024-04-01 09:00 UTC plus `days` days and `hours` hours.
absl::Time Day(int days, int hours = 0);

struct World {
  domain::DirectoryState directory;
  std::map<std::string, domain::CaseState, std::less<>> cases;
  std::map<std::string, domain::ConferenceState, std::less<>> conferences;
  std::map<std::string, domain::HandoverState, std::less<>> handovers;
  // Every event applied, per stream, in order.
  std::vector<v1::DirectoryEvent> directory_history;
  std::map<std::string, std::vector<v1::CaseEvent>, std::less<>> case_history;
  std::map<std::string, std::vector<v1::ConferenceEvent>, std::less<>>
      conference_history;
  std::map<std::string, std::vector<v1::HandoverEvent>, std::less<>>
      handover_history;
  // The story's commands, in order (seeds for the corpus).
  std::vector<std::shared_ptr<const google::protobuf::Message>> story_commands;

  domain::AggregateLookup Lookup() const;
  // Every case and conference (what a staff member could be involved in).
  domain::Caseload Everything() const;
  std::vector<const domain::HandoverState*> Handovers() const;
};

// The world every target starts from (built once; abort if the story no
// longer decides).
const World& StoryWorld();

// Staff ids of the story with their agency, in a fixed order, plus
// the directory's first administrator at the end.
struct StaffRef {
  const char* staff_id;
  const char* agency_id;
};
const std::vector<StaffRef>& StoryStaff();

// Ids the story uses, by kind, for building commands that hit real state.
const std::vector<std::string>& StoryIds();

// Decides one wrapper command against `world` as the server does (the
// directory departure with the responsibilities found across the world; a
// CompleteHandover through DecideHandoverCompletion) and, when accepted and
// `apply` is set, applies the events (and for a completed handover, the
// planned per-stream commands) to `world`. Returns the refusal, if any.
// `on_events` sees every batch of events produced, with its stream id.
struct EventBatch {
  std::string stream_id;
  std::vector<v1::ProposedEvent> events;
};
absl::Status Run(World& world, const v1::DirectoryCommand& command, bool apply,
                 std::vector<EventBatch>* produced);
absl::Status Run(World& world, const v1::CaseCommand& command, bool apply,
                 std::vector<EventBatch>* produced);
absl::Status Run(World& world, const v1::ConferenceCommand& command, bool apply,
                 std::vector<EventBatch>* produced);
absl::Status Run(World& world, const v1::HandoverCommand& command, bool apply,
                 std::vector<EventBatch>* produced);

// A canonical text of everything a state holds, for comparing two folds.
std::string Digest(const domain::DirectoryState& state);
std::string Digest(const domain::CaseState& state);
std::string Digest(const domain::ConferenceState& state);
std::string Digest(const domain::HandoverState& state);

// Checks that refolding every stream of `world` from its history, after a
// round trip of each event through an envelope (as the log stores it), gives
// the states `world` holds; Fail()s otherwise.
void CheckRefold(const World& world);

// Wraps proposed events into envelopes of `stream_id` from `first_version`,
// chained from `prev_hash` as the log would store them.
std::vector<v1::EventEnvelope> ToEnvelopes(
    const std::string& stream_id, uint64_t first_version,
    uint64_t first_position, std::string prev_hash,
    const std::vector<v1::ProposedEvent>& events);

}  // namespace renkei::fuzz
