// AggregateCache: folded aggregate states kept in memory, caught up from the
// event log on every load, so a command never replays a whole stream.
//
// Thread-safety: safe for concurrent use. Snapshots are immutable and shared.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/app/errors.h"
#include "storage/event_log.h"
#include "storage/status_macros.h"

namespace renkei::app {

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

  // The state of `stream_id` at its current head (or later, when another
  // loader has already caught it up further).
  //
  // Catching up applies the new events to the cached state in place when the
  // cache is its only holder; a state a snapshot still holds is copied first,
  // so a snapshot never changes. One loader at a time catches a stream up;
  // the others wait for it rather than repeat the work.
  [[nodiscard]] absl::StatusOr<Snapshot> Load(const std::string& stream_id) {
    RENKEI_ASSIGN_OR_RETURN(storage::StreamHead head,
                            log_->GetStreamHead(stream_id));
    Snapshot base;
    bool catch_up = false;
    bool exclusive = false;
    {
      absl::MutexLock lock(&mu_);
      auto it = entries_.find(stream_id);
      while (it != entries_.end() && it->second.advancing) {
        advanced_.Wait(&mu_);
        it = entries_.find(stream_id);
      }
      if (it != entries_.end() && it->second.snapshot.version >= head.version) {
        base = it->second.snapshot;
      } else if (head.version > 0) {
        catch_up = true;
        if (it == entries_.end()) it = entries_.try_emplace(stream_id).first;
        Entry& entry = it->second;
        entry.advancing = true;
        base.version = entry.snapshot.version;
        if (entry.snapshot.state && entry.snapshot.state.use_count() == 1) {
          // Nobody else holds the state, and nobody can get it but through
          // this map, under this mutex: it may be changed in place. The fence
          // pairs with the release of the last other holder's reference.
          std::atomic_thread_fence(std::memory_order_acquire);
          base.state = std::move(entry.snapshot.state);
          exclusive = true;
        } else {
          base.state = entry.snapshot.state;
        }
      }
    }
    (catch_up ? misses_ : hits_).fetch_add(1, std::memory_order_relaxed);
    if (!catch_up) {
      if (!base.state) base.state = Empty();  // the stream does not exist
      if (base.version == head.version) return base;
      // Another loader caught up past the head read above; the log must
      // have it too.
      RENKEI_ASSIGN_OR_RETURN(storage::StreamHead now,
                              log_->GetStreamHead(stream_id));
      if (now.version < base.version) {
        return errors::CachedStreamAhead(stream_id);
      }
      return base;
    }

    std::shared_ptr<State> next;
    if (exclusive) {
      next = std::const_pointer_cast<State>(std::move(base.state));
    } else if (base.state) {
      next = std::make_shared<State>(*base.state);
    } else {
      next = std::make_shared<State>();
    }
    uint64_t version = base.version;
    absl::Status status = CatchUp(stream_id, head.version, *next, version);

    absl::MutexLock lock(&mu_);
    advanced_.SignalAll();
    auto it = entries_.find(stream_id);  // advancing entries stay in the map
    if (!status.ok()) {
      // A state changed in place part-way is dropped; it is rebuilt from
      // the log when next needed.
      if (!it->second.snapshot.state) {
        entries_.erase(it);
      } else {
        it->second.advancing = false;
      }
      return status;
    }
    it->second.snapshot = Snapshot{version, next};
    it->second.advancing = false;
    Evict(stream_id);
    return Snapshot{version, std::move(next)};
  }

  // Brings the cached state of `stream_id` from `from_version` to
  // `to_version` by `apply`, which must do to the state exactly what folding
  // the events at versions from_version+1..to_version from the log would
  // (the command pipeline passes the events it has just appended, so the
  // next load need not read and decode them again). Does nothing unless the
  // cache holds the stream at exactly `from_version` with no loader catching
  // it up: then the next load reads the log as usual. A stream the cache
  // does not hold is added only when `from_version` is 0 (the append created
  // it, so the empty state was its state). A state a snapshot still holds is
  // copied first; `apply` must not load from this cache.
  template <typename Apply>
  void Advance(const std::string& stream_id, uint64_t from_version,
               uint64_t to_version, Apply&& apply) {
    if (to_version <= from_version) return;
    std::shared_ptr<const State> base;
    bool exclusive = false;
    {
      absl::MutexLock lock(&mu_);
      auto it = entries_.find(stream_id);
      if (it == entries_.end()) {
        if (from_version != 0) return;
        it = entries_.try_emplace(stream_id).first;
        it->second.snapshot.state = std::make_shared<const State>();
      }
      Entry& entry = it->second;
      if (entry.advancing || entry.snapshot.version != from_version ||
          !entry.snapshot.state) {
        return;
      }
      // As in Load: the entry is marked while the state is copied (when a
      // snapshot holds it) and moved on outside the lock.
      entry.advancing = true;
      exclusive = entry.snapshot.state.use_count() == 1;
      if (exclusive) {
        std::atomic_thread_fence(std::memory_order_acquire);
        base = std::move(entry.snapshot.state);
      } else {
        base = entry.snapshot.state;
      }
    }
    std::shared_ptr<State> next =
        exclusive ? std::const_pointer_cast<State>(std::move(base))
                  : std::make_shared<State>(*base);
    apply(*next);
    absl::MutexLock lock(&mu_);
    advanced_.SignalAll();
    auto it = entries_.find(stream_id);  // advancing entries stay in the map
    it->second.snapshot = Snapshot{to_version, std::move(next)};
    it->second.advancing = false;
    advances_.fetch_add(1, std::memory_order_relaxed);
    Evict(stream_id);
  }

  // Drops the cached state of `stream_id` (after an erasure, so no
  // plaintext of the erased outlives its key in memory); the next load
  // folds the stream from the log again. A loader catching it up meanwhile
  // finishes, and its state is dropped too.
  void Forget(const std::string& stream_id) {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(stream_id);
    while (it != entries_.end() && it->second.advancing) {
      advanced_.Wait(&mu_);
      it = entries_.find(stream_id);
    }
    if (it != entries_.end()) entries_.erase(it);
  }

  // Loads answered from the cache as it was, and loads that read the log.
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }
  // Advances that moved a cached state on without reading the log.
  uint64_t advances() const {
    return advances_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::atomic<uint64_t> advances_{0};
  struct Entry {
    Snapshot snapshot;
    // A loader is catching the stream up (its state may be out of the map).
    bool advancing = false;
  };

  static std::shared_ptr<const State> Empty() {
    return std::make_shared<const State>();
  }

  // Applies the events after `version` up to `head` to `state`.
  absl::Status CatchUp(const std::string& stream_id, uint64_t head,
                       State& state, uint64_t& version) {
    while (version < head) {
      storage::ReadStreamQuery q;
      q.stream_id = stream_id;
      q.from_version = version + 1;
      q.limit = 1000;
      RENKEI_ASSIGN_OR_RETURN(auto events, log_->ReadStream(q));
      if (events.empty()) break;
      for (const auto& e : events) {
        if (e.stream_version() > head) break;
        RENKEI_RETURN_IF_ERROR(apply_(state, e));
        version = e.stream_version();
      }
    }
    return absl::OkStatus();
  }

  // Bounded memory: drops another entry (not one being caught up); it is
  // rebuilt from the log when next needed.
  void Evict(const std::string& keep) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (entries_.size() <= max_entries_) return;
    for (auto victim = entries_.begin(); victim != entries_.end(); ++victim) {
      if (victim->first != keep && !victim->second.advancing) {
        entries_.erase(victim);
        return;
      }
    }
  }

  const storage::EventLog* log_;
  ApplyFn apply_;
  const size_t max_entries_;
  absl::Mutex mu_;
  absl::CondVar advanced_;
  std::unordered_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace renkei::app
