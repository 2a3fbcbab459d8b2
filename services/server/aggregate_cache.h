// AggregateCache: folded aggregate states kept in memory, caught up from the
// event log on every load, so a command never replays a whole stream.
//
// Thread-safety: safe for concurrent use. Snapshots are immutable and shared.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "storage/event_log.h"
#include "storage/status_macros.h"

namespace renkei::server {

template <typename State>
class AggregateCache {
 public:
  struct Snapshot {
    uint64_t version = 0;  // 0: the stream does not exist
    std::shared_ptr<const State> state;
  };
  // Applies one stored event to a state; an error means the stream holds an
  // event this aggregate cannot read.
  using ApplyFn = std::function<absl::Status(State&, const v1::EventEnvelope&)>;

  AggregateCache(const storage::EventLog* log, ApplyFn apply,
                 size_t max_entries = 100000)
      : log_(log), apply_(std::move(apply)), max_entries_(max_entries) {}

  // The state of `stream_id` at its current head.
  [[nodiscard]] absl::StatusOr<Snapshot> Load(const std::string& stream_id) {
    RENKEI_ASSIGN_OR_RETURN(storage::StreamHead head,
                            log_->GetStreamHead(stream_id));
    Snapshot cached = Cached(stream_id);
    if (!cached.state) cached.state = std::make_shared<const State>();
    if (cached.version == head.version) return cached;
    if (cached.version > head.version) {
      return absl::InternalError(
          absl::StrCat("cached stream '", stream_id, "' is ahead of the log"));
    }
    auto next = std::make_shared<State>(*cached.state);
    uint64_t version = cached.version;
    while (version < head.version) {
      storage::ReadStreamQuery q;
      q.stream_id = stream_id;
      q.from_version = version + 1;
      q.limit = 1000;
      RENKEI_ASSIGN_OR_RETURN(auto events, log_->ReadStream(q));
      if (events.empty()) break;
      for (const auto& e : events) {
        if (e.stream_version() > head.version) break;
        RENKEI_RETURN_IF_ERROR(apply_(*next, e));
        version = e.stream_version();
      }
    }
    Snapshot result{version, std::move(next)};
    Store(stream_id, result);
    return result;
  }

 private:
  Snapshot Cached(const std::string& stream_id) {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(stream_id);
    return it == entries_.end() ? Snapshot{} : it->second;
  }

  void Store(const std::string& stream_id, const Snapshot& snapshot) {
    absl::MutexLock lock(&mu_);
    auto& slot = entries_[stream_id];
    if (slot.version < snapshot.version || !slot.state) slot = snapshot;
    if (entries_.size() > max_entries_) {
      // Bounded memory: drop an arbitrary other entry; it is rebuilt from the
      // log when next needed.
      auto victim = entries_.begin();
      if (victim->first == stream_id) ++victim;
      if (victim != entries_.end()) entries_.erase(victim);
    }
  }

  const storage::EventLog* log_;
  ApplyFn apply_;
  const size_t max_entries_;
  absl::Mutex mu_;
  std::unordered_map<std::string, Snapshot> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace renkei::server
