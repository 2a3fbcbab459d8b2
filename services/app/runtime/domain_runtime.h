// DomainRuntime: what every service adapter shares — the event log, the
// folded aggregates, the command pipeline, the clock and who is calling.
//
// Thread-safety: safe for concurrent use; the log must outlive it.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/app/aggregates/aggregate_cache.h"
#include "services/app/caller.h"
#include "services/app/pipeline/command_pipeline.h"
#include "services/domain/case/case_state.h"
#include "services/domain/conference/conference_state.h"
#include "services/domain/directory/directory.h"
#include "services/domain/handover/handover_state.h"
#include "services/domain/lookup.h"
#include "services/privacy/data_key_store.h"
#include "services/read_models/projector.h"
#include "services/read_models/read_model_store.h"
#include "storage/event_log.h"

namespace renkei::app {

struct RuntimeOptions {
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  // Accept the renkei-staff-id header as the caller when the connection has
  // no client certificate (development only).
  bool header_identity = false;
  // Sessions and passwords (null: no session is accepted).
  identity::IdentityStore* identity = nullptr;
  // The data keys (null: no backup of them, no erasure).
  privacy::DataKeyStore* keys = nullptr;
  // How long a query waits for the read models to include the commands
  // acknowledged before it (read-your-writes).
  absl::Duration read_model_wait = absl::Seconds(5);
  // Threads that run queries, and how many queries may wait for one.
  int query_threads = 16;
  size_t max_queued_queries = 1024;
};

// Runs queries off gRPC's callback threads, which are few (about one per
// core): a query may wait, for the fsync of the read it records or for the
// read models to catch up, and while it waits on a callback thread no other
// call is served.
//
// Thread-safety: safe for concurrent use.
class QueryWorkers {
 public:
  QueryWorkers(int threads, size_t max_queued);
  // Runs what is queued, then stops.
  ~QueryWorkers();

  // Queues `task` (moving from it); RESOURCE_EXHAUSTED when the queue is
  // full, UNAVAILABLE when the workers are stopping (`task` left alone).
  [[nodiscard]] absl::Status TrySubmit(std::function<void()>& task);

 private:
  void Loop();

  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

// The cases, conferences and handovers one staff member is involved in,
// loaded (for a departure check, a handover and its packet). Snapshots keep
// the states alive.
struct StaffInvolvement {
  std::vector<std::shared_ptr<const domain::CaseState>> cases;
  std::vector<std::shared_ptr<const domain::ConferenceState>> conferences;
  std::vector<std::shared_ptr<const domain::HandoverState>> handovers;

  domain::Caseload All() const;
  std::vector<const domain::HandoverState*> Handovers() const;
};

// Other aggregates a decision consults, loaded at their current versions.
struct LoadedLookup {
  std::map<std::string, std::shared_ptr<const domain::CaseState>> cases;
  std::map<std::string, std::shared_ptr<const domain::ConferenceState>>
      conferences;
  std::map<std::string, std::shared_ptr<const domain::HandoverState>> handovers;
  // Valid while this object lives.
  domain::AggregateLookup lookup() const;
};

class DomainRuntime {
 public:
  // `read_models` and `projector` may be null (no read-model queries).
  DomainRuntime(storage::EventLog* log,
                read_models::ReadModelStore* read_models,
                read_models::Projector* projector, RuntimeOptions options);

  storage::EventLog& log() { return *log_; }
  CommandPipeline& pipeline() { return pipeline_; }
  AggregateCache<domain::DirectoryState>& directory() { return directory_; }
  AggregateCache<domain::CaseState>& cases() { return cases_; }
  AggregateCache<domain::ConferenceState>& conferences() {
    return conferences_;
  }
  AggregateCache<domain::HandoverState>& handovers() { return handovers_; }

  // Loads the streams named (e.g. by domain::ReferencedStreams).
  [[nodiscard]] absl::StatusOr<LoadedLookup> LoadLookup(
      const std::vector<std::string>& stream_ids);
  // Loads only what `staff_id` is involved in, by the read models'
  // involvement index: the cases they recorded on, lead or handle referrals
  // of; the conferences they convened, attended or hold action items of, and
  // those that reviewed their cases; the handovers they started as outgoing
  // staff member. Gives the same answers as loading every aggregate would to
  // the domain's handover, packet and departure functions for that staff
  // member.
  [[nodiscard]] absl::StatusOr<StaffInvolvement> LoadInvolved(
      const std::string& staff_id);
  absl::Time Now() const { return options_.clock(); }
  identity::IdentityStore* identity() { return options_.identity; }
  privacy::DataKeyStore* keys() { return options_.keys; }
  // Appends to the security log as `caller` (see security_log.h).
  [[nodiscard]] absl::Status RecordSecurity(
      const Caller& caller,
      const std::vector<identity::SecurityRecord>& records);

  // The caller of a command, `proven` by the transport (its staff id, the
  // agency it claims, how it was proven): must be a staff member of the
  // directory; the agency defaults to the staff member's agency there, and
  // the roles are theirs while they have not left. Whether they may act is
  // the deciders' call.
  [[nodiscard]] absl::StatusOr<Caller> IdentifyForCommand(Caller proven);
  // The caller of a query, `proven` by the transport: must be an active
  // staff member of the directory, acting for their own agency
  // (PERMISSION_DENIED otherwise; a certificate naming nobody in the
  // directory is UNAUTHENTICATED).
  [[nodiscard]] absl::StatusOr<Caller> IdentifyForQuery(Caller proven);
  // Whether the transport may take the development header as proof (see
  // RuntimeOptions::header_identity).
  bool header_identity() const { return options_.header_identity; }
  // The read models, once they include every event committed before this
  // call (the access log's read records too: for the queries about reads,
  // and for decisions that must see everything); UNAVAILABLE when
  // projection has stopped or lags too far.
  [[nodiscard]] absl::StatusOr<const read_models::ReadModelStore*>
  CurrentReadModels();
  // The read models, once they include every command acknowledged before
  // this call, to anyone (read-your-writes, and every later reader sees a
  // removal from a team or a withdrawn consent once it was answered); not
  // the read records other queries append meanwhile, which nothing but the
  // access-log queries lists. For every query except those.
  [[nodiscard]] absl::StatusOr<const read_models::ReadModelStore*>
  ReadModelsAfterCommands();
  // Queues `task` for a query worker. When the workers' queue is full,
  // RESOURCE_EXHAUSTED (UNAVAILABLE when they are stopping) and `task` is
  // not run: the caller answers with it. Never runs `task` on the calling
  // thread (a gRPC callback thread, which must not wait).
  [[nodiscard]] absl::Status RunQueryTask(std::function<void()> task);
  // Auditors are a directory role (STAFF_ROLE_AUDITOR).
  static bool IsAuditor(const Caller& caller) {
    return caller.Has(v1::STAFF_ROLE_AUDITOR);
  }

 private:
  // The refusal of a caller the directory does not know: PERMISSION_DENIED
  // for a development header, UNAUTHENTICATED for a certificate.
  [[nodiscard]] static absl::Status RefuseUnknown(const Caller& caller,
                                                  absl::string_view what);
  // The read models once they include `position`.
  [[nodiscard]] absl::StatusOr<const read_models::ReadModelStore*> ReadModelsAt(
      uint64_t position);
  // UNAUTHENTICATED (ending the sessions) when `caller` came with a session
  // but has left the directory.
  [[nodiscard]] absl::Status EndSessionOfLeaver(
      const Caller& caller, const domain::DirectoryState& dir);

  storage::EventLog* log_;
  read_models::ReadModelStore* read_models_;
  read_models::Projector* projector_;
  RuntimeOptions options_;
  AggregateCache<domain::DirectoryState> directory_;
  AggregateCache<domain::CaseState> cases_;
  AggregateCache<domain::ConferenceState> conferences_;
  AggregateCache<domain::HandoverState> handovers_;
  CommandPipeline pipeline_;
  // Last: stopped first, while what queries use is still there.
  QueryWorkers query_workers_;
};

}  // namespace renkei::app
