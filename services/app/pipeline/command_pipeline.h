// CommandPipeline: the one path every command takes — answer a retry from its
// idempotency record, decide against the current stream state, append with
// the expected version, reply with the new version and positions.
//
// Commands on one stream run one after another (others queue in memory), so
// commands of this server never race each other into version conflicts; a
// conflict with another writer is re-decided unless the caller pinned a
// version.
//
// Thread-safety: safe for concurrent use.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/message.h"
#include "renkei/v1/command.pb.h"
#include "renkei/v1/event.pb.h"
#include "services/app/caller.h"
#include "storage/event_log.h"

namespace renkei::app {

// What a decider produced for one command: the proposed events (ids and
// correlation are filled in by the pipeline) and the stream version they were
// decided against.
struct Decision {
  uint64_t base_version = 0;
  std::vector<v1::ProposedEvent> events;
  // Optional: once the events are in the log (and before the stream's next
  // command is decided), called with the time the log recorded them, to
  // move the aggregate's cached state on by the decided events without
  // reading them back (see AggregateCache::Advance). Not called for a
  // duplicate or a failed append.
  std::function<void(const google::protobuf::Timestamp& recorded_at)> committed;
};

struct CommandRequest {
  std::string stream_id;
  Caller caller;
  v1::CommandOptions options;
  // Identifies the request for its idempotency key (see RequestFingerprint):
  // a key retried with the same fingerprint returns the original reply; with
  // another, ALREADY_EXISTS and nothing is written. Required.
  std::string fingerprint;
  // Loads the current state and decides. Called again when a concurrent
  // change made the first decision stale (and no expected version was set).
  std::function<absl::StatusOr<Decision>()> decide;
};

using CommandDone = std::function<void(absl::StatusOr<v1::CommandReply>)>;

class CommandPipeline {
 public:
  explicit CommandPipeline(storage::EventLog* log);
  ~CommandPipeline();

  // Runs `request` on the pipeline's workers (this returns at once); `done`
  // is called exactly once, possibly on another thread, and must not block.
  // Once the pipeline is being destroyed, UNAVAILABLE (nothing written);
  // its destructor returns only when every accepted command is answered.
  void Run(CommandRequest request, CommandDone done);

  // The last log position of every command answered so far (appended or
  // answered from its idempotency record): a query that must see every
  // acknowledged command waits for the read models to reach it, not for the
  // read records other queries append meanwhile.
  uint64_t acknowledged_position() const {
    return acknowledged_.load(std::memory_order_acquire);
  }

  // Deterministic event id for the `index`-th event of the command with
  // this scoped idempotency key, so a retry proposes the same ids.
  static std::string DeriveEventId(const std::string& scoped_key, size_t index);

  // The fingerprint of a command request as the caller sent it: the method
  // and the request's deterministic serialization (aggregate id, command and
  // options included), so the same key on another command, another stream or
  // with other fields is told apart from a retry. 32 bytes.
  static std::string RequestFingerprint(
      absl::string_view method, const google::protobuf::Message& request);

 private:
  struct Job {
    CommandRequest request;
    CommandDone done;
    int attempt = 0;
    // Set once this command's events are in the log (see
    // Decision::committed); run by Finish.
    std::function<void(const google::protobuf::Timestamp&)> committed;
    google::protobuf::Timestamp recorded_at;
  };
  void Attempt(std::shared_ptr<Job> job);
  // Finishes `job` and starts the next queued command of its stream.
  void Finish(const std::shared_ptr<Job>& job,
              absl::StatusOr<v1::CommandReply> reply);
  void Schedule(std::shared_ptr<Job> job);
  // Runs Finish on a worker rather than on the log's writer thread, so the
  // writer starts its next group commit while replies are being sent.
  void FinishOnWorker(std::shared_ptr<Job> job,
                      absl::StatusOr<v1::CommandReply> reply);
  void WorkerLoop();

  storage::EventLog* log_;
  absl::Mutex mu_;
  // Streams with a command in flight, and the commands waiting behind it.
  std::unordered_map<std::string, std::deque<std::shared_ptr<Job>>> active_
      ABSL_GUARDED_BY(mu_);
  std::deque<std::shared_ptr<Job>> runnable_ ABSL_GUARDED_BY(mu_);
  // Appended commands whose callers are still to be answered.
  std::deque<std::pair<std::shared_ptr<Job>, absl::StatusOr<v1::CommandReply>>>
      finished_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Commands accepted by Run and not yet finished (queued, deciding, in the
  // log's queue, or answered but not yet handed back).
  size_t in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  std::atomic<uint64_t> acknowledged_{0};
  std::vector<std::thread> workers_;
};

}  // namespace renkei::app
