// EventLog: Renkei's durable, append-only, hash-chained event log.
//
// Every fact in Renkei is an event appended here. The log guarantees:
//  - atomic appends (all events of one call or none), acknowledged only after
//    the write-ahead log has been fsynced (group commit);
//  - gapless global positions 1..N in commit order, never reordered;
//  - optimistic concurrency per stream (expected version);
//  - durable idempotency: a retried append returns the original result, also
//    after a restart;
//  - a SHA-256 hash chain over every event for tamper evidence.
//
// Thread-safety: every method may be called concurrently from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "renkei/v1/event.pb.h"

namespace renkei::storage {

// The stream version an append expects to find before it writes.
class ExpectedVersion {
 public:
  enum class Kind { kAny, kNoStream, kExact };

  static ExpectedVersion Any() { return ExpectedVersion(Kind::kAny, 0); }
  static ExpectedVersion NoStream() {
    return ExpectedVersion(Kind::kNoStream, 0);
  }
  // REQUIRES: version >= 1 (use NoStream() for an empty stream).
  static ExpectedVersion Exact(uint64_t version) {
    return ExpectedVersion(Kind::kExact, version);
  }

  Kind kind() const { return kind_; }
  uint64_t version() const { return version_; }
  std::string DebugString() const;

 private:
  ExpectedVersion(Kind kind, uint64_t version)
      : kind_(kind), version_(version) {}
  Kind kind_;
  uint64_t version_;
};

struct AppendRequest {
  std::string stream_id;
  ExpectedVersion expected_version = ExpectedVersion::Any();
  std::vector<renkei::v1::ProposedEvent> events;
  // Identifies this append for retries. Empty: derived from the first event
  // id, so a retry that resends the same events is also recognised.
  std::string idempotency_key;
  // What the idempotency record remembers of this append, to tell a retry
  // from a reuse of its key for something else: 32 bytes (SHA-256). Empty:
  // the digest of the stream, expected version and events. A caller that
  // decides the events anew on a retry (and so may propose other bytes for
  // the same request) passes the digest of its own request instead.
  std::string request_digest;
};

struct AppendResult {
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  uint64_t stream_version = 0;  // version of the last event appended
  bool duplicate = false;       // an identical earlier append; nothing written
  // When the events were recorded (each envelope's recorded_at); unset for
  // a duplicate.
  google::protobuf::Timestamp recorded_at;
};

// An earlier append, found by its idempotency key.
struct PriorAppend {
  AppendResult result;         // `duplicate` is true
  std::string request_digest;  // as recorded (see AppendRequest)
};

using AppendCallback = std::function<void(absl::StatusOr<AppendResult>)>;

enum class Direction { kForward, kBackward };

struct ReadStreamQuery {
  std::string stream_id;
  // First version returned. 0: the first (forward) or the last (backward).
  uint64_t from_version = 0;
  Direction direction = Direction::kForward;
  size_t limit = 1000;
  std::vector<std::string> event_types;  // empty: every type
};

struct ReadAllQuery {
  uint64_t from_position = 1;
  size_t limit = 1000;
  std::vector<std::string> event_types;  // empty: every type
};

struct ChainVerification {
  bool ok = true;
  uint64_t checked_from = 0;
  uint64_t checked_to = 0;
  uint64_t first_bad_position = 0;  // 0 when ok
  std::string reason;
};

struct LogHead {
  uint64_t position = 0;
  std::string hash;  // 32 zero bytes for an empty log
};

struct StreamHead {
  uint64_t version = 0;        // 0: the stream does not exist
  uint64_t last_position = 0;  // global position of its last event
};

// Catches up from a position, then follows new commits live, without gap or
// duplicate. A slow consumer never slows appends: its live buffer is bounded
// and, once full, it reads the missed events back from the store.
//
// Thread-safety: Next() from one thread at a time; Lag(), NextPosition() and
// Cancel() from any thread.
class Subscription {
 public:
  virtual ~Subscription() = default;
  // The next event in position order. std::nullopt when nothing arrived within
  // `timeout`; CANCELLED after Cancel() or when the log closes.
  virtual absl::StatusOr<std::optional<renkei::v1::EventEnvelope>> Next(
      absl::Duration timeout) = 0;
  // Position of the event Next() will return.
  virtual uint64_t NextPosition() const = 0;
  // Committed events not yet returned by Next().
  virtual uint64_t Lag() const = 0;
  virtual void Cancel() = 0;
  // Calls `wake` whenever events are published for this subscription, and
  // when it is cancelled or the log closes, so a consumer that polls with
  // Next(absl::ZeroDuration()) need not keep a thread blocked in Next. It
  // runs on the publishing thread (the log's writer) under the log's
  // subscriber lock: it must be quick and must not call into the log or the
  // subscription. Replaces an earlier `wake`; an empty one removes it.
  virtual void SetWakeUp(std::function<void()> wake) = 0;
};

struct EventLogOptions {
  std::string path;  // RocksDB directory; created if missing
  size_t max_payload_bytes = 1 << 20;
  size_t max_events_per_append = 1000;
  size_t max_requests_per_batch = 4096;  // group-commit batch cap
  size_t subscription_buffer = 4096;     // live events buffered per subscriber
  size_t max_read_limit = 10000;
  // Source of commit time. Tests inject a fake; recorded_at never decreases
  // even if this clock goes backwards.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

// Counters of the log's group commit and subscriptions, for metrics.
struct LogStats {
  uint64_t batches = 0;      // group commits written
  uint64_t requests = 0;     // append requests in them
  uint64_t events = 0;       // events committed
  uint64_t write_nanos = 0;  // time in the synced RocksDB writes
  uint64_t last_batch_requests = 0;
  size_t subscriptions = 0;
  uint64_t max_subscription_lag = 0;  // events behind the head, at most
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Opens (or creates) the log at options.path. Stream heads and the chain tip
  // are read from metadata, never by scanning the log. Fails if another
  // process holds the directory's lock.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<EventLog>> Open(
      EventLogOptions options);

  // Appends and waits until the events are durable. Errors:
  //  INVALID_ARGUMENT  malformed request (nothing written);
  //  ABORTED           expected version does not match (message carries the
  //                    actual version; see ActualVersionFromStatus);
  //  ALREADY_EXISTS    idempotency key reused with different content, or an
  //                    event id already in the log.
  [[nodiscard]] virtual absl::StatusOr<AppendResult> Append(
      AppendRequest request) = 0;
  // As Append, but calls `done` (on the log's writer thread, so it must not
  // block) once the outcome is durable or known.
  virtual void AppendAsync(AppendRequest request, AppendCallback done) = 0;

  // The result of an earlier append made with `idempotency_key`, if any. Lets
  // a command handler answer a retry before deciding anything again.
  [[nodiscard]] virtual absl::StatusOr<std::optional<PriorAppend>> FindAppend(
      const std::string& idempotency_key) const = 0;

  [[nodiscard]] virtual absl::StatusOr<std::vector<renkei::v1::EventEnvelope>>
  ReadStream(const ReadStreamQuery& query) const = 0;
  [[nodiscard]] virtual absl::StatusOr<std::vector<renkei::v1::EventEnvelope>>
  ReadAll(const ReadAllQuery& query) const = 0;
  // Decodes every event from `from_position` (0: the start) up to the head
  // at the time of the call, in order, calling `visit` with each; stops early
  // when `visit` returns false. The envelope passed is reused between calls.
  [[nodiscard]] virtual absl::Status Replay(
      uint64_t from_position,
      const std::function<bool(const renkei::v1::EventEnvelope&)>& visit)
      const = 0;
  [[nodiscard]] virtual absl::StatusOr<StreamHead> GetStreamHead(
      const std::string& stream_id) const = 0;

  // Position of the last committed event (0 when empty).
  virtual uint64_t Head() const = 0;
  // The last committed event's position and hash, read together.
  virtual LogHead GetHead() const = 0;
  std::string HeadHash() const { return GetHead().hash; }

  // Recomputes the chain over [from, to] (0: the beginning / the head).
  [[nodiscard]] virtual absl::StatusOr<ChainVerification> VerifyChain(
      uint64_t from, uint64_t to) const = 0;

  [[nodiscard]] virtual std::unique_ptr<Subscription> Subscribe(
      uint64_t from_position) = 0;

  // A consistent copy of the whole log at one instant, openable as a log,
  // in `dir` (which must not exist); hard links where the file system
  // allows. Appends go on meanwhile. See backup.h.
  [[nodiscard]] virtual absl::Status Checkpoint(const std::string& dir) = 0;

  virtual LogStats Stats() const = 0;
};

// The actual stream version carried by an ABORTED append error, if any.
std::optional<uint64_t> ActualVersionFromStatus(const absl::Status& status);

}  // namespace renkei::storage
