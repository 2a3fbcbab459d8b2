#include "storage/rocksdb_event_log.h"

#include <pthread.h>
#include <rocksdb/utilities/checkpoint.h>

#include <algorithm>
#include <future>
#include <unordered_set>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "storage/chain.h"
#include "storage/errors.h"
#include "storage/status_macros.h"
#include "storage/validation.h"

namespace renkei::storage {
namespace {

using renkei::v1::EventEnvelope;

// The answer to a retry of the append `record` remembers.
AppendResult DuplicateOf(const layout::IdempotencyRecord& record) {
  AppendResult result;
  result.first_position = record.first_position;
  result.last_position = record.last_position;
  result.stream_version = record.stream_version;
  result.duplicate = true;
  return result;
}

bool TypeMatches(const std::vector<std::string>& types,
                 const std::string& type) {
  return types.empty() ||
         std::find(types.begin(), types.end(), type) != types.end();
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t micros = absl::ToUnixMicros(t);
  ts.set_seconds(micros >= 0 ? micros / 1000000 : (micros - 999999) / 1000000);
  ts.set_nanos(static_cast<int32_t>((micros - ts.seconds() * 1000000) * 1000));
  return ts;
}

std::string ExplicitKey(const std::string& idempotency_key) {
  return absl::StrCat("key:", idempotency_key);
}

}  // namespace

std::string ExpectedVersion::DebugString() const {
  switch (kind_) {
    case Kind::kAny:
      return "any version";
    case Kind::kNoStream:
      return "no stream";
    case Kind::kExact:
      return absl::StrCat("version ", version_);
  }
  return "?";
}

std::optional<uint64_t> ActualVersionFromStatus(const absl::Status& status) {
  auto payload = status.GetPayload(errors::kActualVersionPayload);
  if (!payload) return std::nullopt;
  uint64_t value = 0;
  if (!absl::SimpleAtoi(std::string(*payload), &value)) return std::nullopt;
  return value;
}

absl::StatusOr<std::unique_ptr<EventLog>> EventLog::Open(
    EventLogOptions options) {
  RENKEI_ASSIGN_OR_RETURN(auto log, RocksDbEventLog::Open(std::move(options)));
  return std::unique_ptr<EventLog>(std::move(log));
}

struct RocksDbEventLog::BatchOverlay {
  rocksdb::WriteBatch batch;
  std::unordered_map<std::string, StreamHead> heads;
  std::unordered_map<std::string, layout::IdempotencyRecord> keys;
  std::unordered_set<std::string> event_ids;
  layout::HeadRecord tip;
  google::protobuf::Timestamp recorded_at;
  std::vector<EventEnvelope> committed;
};

absl::StatusOr<std::unique_ptr<RocksDbEventLog>> RocksDbEventLog::Open(
    EventLogOptions options) {
  if (options.path.empty()) {
    return errors::EmptyLogPath();
  }
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  db_options.IncreaseParallelism(2);
  db_options.max_total_wal_size = 256 << 20;

  rocksdb::BlockBasedTableOptions point_lookup;
  point_lookup.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions lookup_cf;
  lookup_cf.table_factory.reset(
      rocksdb::NewBlockBasedTableFactory(point_lookup));

  const std::vector<std::string> names = {rocksdb::kDefaultColumnFamilyName,
                                          layout::kEventsCf,
                                          layout::kStreamIndexCf,
                                          layout::kStreamHeadsCf,
                                          layout::kEventIdsCf,
                                          layout::kIdempotencyCf,
                                          layout::kMetaCf};
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) {
    const bool lookups = name == layout::kStreamHeadsCf ||
                         name == layout::kEventIdsCf ||
                         name == layout::kIdempotencyCf;
    descriptors.emplace_back(
        name, lookups ? lookup_cf : rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  RENKEI_RETURN_IF_ERROR(errors::FromRocksDb(
      rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &raw),
      absl::StrCat("cannot open event log at '", options.path, "'")));
  std::unique_ptr<rocksdb::DB> db(raw);

  layout::HeadRecord head{0, ZeroHash(), 0};
  std::string value;
  rocksdb::Status s =
      db->Get(rocksdb::ReadOptions(), handles[6], layout::kHeadKey, &value);
  if (s.ok()) {
    auto decoded = layout::DecodeHead(value);
    if (!decoded) {
      for (auto* h : handles)
        db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
      return errors::LogHeadMalformed();
    }
    head = *decoded;
  } else if (!s.IsNotFound()) {
    for (auto* h : handles)
      db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    return errors::FromRocksDb(s, "cannot read event log head");
  }
  return std::unique_ptr<RocksDbEventLog>(new RocksDbEventLog(
      std::move(options), std::move(db), std::move(handles), head));
}

RocksDbEventLog::RocksDbEventLog(
    EventLogOptions options, std::unique_ptr<rocksdb::DB> db,
    std::vector<rocksdb::ColumnFamilyHandle*> handles, layout::HeadRecord head)
    : options_(std::move(options)),
      db_(std::move(db)),
      handles_(std::move(handles)),
      events_cf_(handles_[1]),
      stream_index_cf_(handles_[2]),
      stream_heads_cf_(handles_[3]),
      event_ids_cf_(handles_[4]),
      idempotency_cf_(handles_[5]),
      meta_cf_(handles_[6]),
      tip_(std::move(head)) {
  head_.store(tip_.position);
  published_head_ = LogHead{tip_.position, tip_.hash};
  hub_ = std::make_unique<SubscriptionHub>(
      &head_,
      [this](uint64_t from, size_t limit) {
        return ReadAll(ReadAllQuery{from, limit, {}});
      },
      options_.subscription_buffer);
  writer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "renkei-log");
    WriterLoop();
  });
}

absl::Status RocksDbEventLog::Checkpoint(const std::string& dir) {
  rocksdb::Checkpoint* raw = nullptr;
  RENKEI_RETURN_IF_ERROR(
      errors::FromRocksDb(rocksdb::Checkpoint::Create(db_.get(), &raw),
                          "cannot checkpoint the event log"));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush 0: flush first, so the copy holds every commit up to
  // one instant (the live WAL is copied too).
  return errors::FromRocksDb(
      checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0),
      absl::StrCat("cannot checkpoint the event log into '", dir, "'"));
}

LogStats RocksDbEventLog::Stats() const {
  LogStats stats;
  stats.batches = stat_batches_.load(std::memory_order_relaxed);
  stats.requests = stat_requests_.load(std::memory_order_relaxed);
  stats.events = stat_events_.load(std::memory_order_relaxed);
  stats.write_nanos = stat_write_nanos_.load(std::memory_order_relaxed);
  stats.last_batch_requests = stat_last_batch_.load(std::memory_order_relaxed);
  const auto [count, lag] = hub_->Subscribers();
  stats.subscriptions = count;
  stats.max_subscription_lag = lag;
  return stats;
}

RocksDbEventLog::~RocksDbEventLog() {
  {
    absl::MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  writer_.join();  // drains the queue first
  hub_->Close();
  // A clean close leaves nothing in the write-ahead log to replay, so the
  // next start does not re-insert the last memtables' worth of events.
  db_->Flush(rocksdb::FlushOptions(), handles_).PermitUncheckedError();
  for (auto* h : handles_)
    db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  db_->Close().PermitUncheckedError();
}

absl::StatusOr<AppendResult> RocksDbEventLog::Append(AppendRequest request) {
  std::promise<absl::StatusOr<AppendResult>> promise;
  auto future = promise.get_future();
  AppendAsync(std::move(request), [&promise](absl::StatusOr<AppendResult> r) {
    promise.set_value(std::move(r));
  });
  return future.get();
}

void RocksDbEventLog::AppendAsync(AppendRequest request, AppendCallback done) {
  if (absl::Status s = ValidateAppend(request, options_); !s.ok()) {
    done(s);
    return;
  }
  Pending pending;
  pending.key =
      request.idempotency_key.empty()
          ? absl::StrCat("event:",
                         layout::EventIdKey(request.events[0].event_id()))
          : absl::StrCat("key:", request.idempotency_key);
  pending.digest =
      !request.request_digest.empty()
          ? request.request_digest
          : RequestDigest(request.stream_id,
                          static_cast<int>(request.expected_version.kind()),
                          request.expected_version.version(),
                          request.events.data(), request.events.size());
  pending.request = std::move(request);
  pending.done = std::move(done);
  absl::MutexLock lock(&queue_mu_);
  if (stopping_) {
    pending.done(errors::LogClosing());
    return;
  }
  queue_.push_back(std::move(pending));
}

void RocksDbEventLog::WriterLoop() {
  std::vector<Pending> batch;
  for (;;) {
    {
      absl::MutexLock lock(&queue_mu_);
      queue_mu_.Await(absl::Condition(
          +[](RocksDbEventLog* self)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->queue_mu_) {
                 return self->stopping_ || !self->queue_.empty();
               },
          this));
      if (queue_.empty()) return;  // stopping, and drained
      const size_t n = std::min(queue_.size(), options_.max_requests_per_batch);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitBatch(batch);
    batch.clear();
  }
}

void RocksDbEventLog::CommitBatch(std::vector<Pending>& batch) {
  std::vector<absl::StatusOr<AppendResult>> outcomes;
  outcomes.reserve(batch.size());
  if (!write_failure_.ok()) {
    for (auto& p : batch) p.done(write_failure_);
    return;
  }
  BatchOverlay overlay;
  overlay.tip = tip_;
  const absl::Time now =
      std::max(options_.clock(), absl::FromUnixMicros(tip_.recorded_at_micros));
  overlay.recorded_at = ToProto(now);
  for (const auto& p : batch) outcomes.push_back(Stage(p, overlay));

  if (!overlay.committed.empty()) {
    overlay.tip.recorded_at_micros = absl::ToUnixMicros(now);
    overlay.batch.Put(meta_cf_, layout::kHeadKey,
                      layout::EncodeHead(overlay.tip));
    rocksdb::WriteOptions write_options;
    write_options.sync = true;
    const absl::Time write_start = absl::Now();
    const rocksdb::Status written = db_->Write(write_options, &overlay.batch);
    absl::Status s = written.ok() ? absl::OkStatus()
                                  : errors::LogWriteFailed(written.ToString());
    stat_write_nanos_.fetch_add(static_cast<uint64_t>(absl::ToInt64Nanoseconds(
                                    absl::Now() - write_start)),
                                std::memory_order_relaxed);
    stat_batches_.fetch_add(1, std::memory_order_relaxed);
    stat_requests_.fetch_add(batch.size(), std::memory_order_relaxed);
    stat_events_.fetch_add(overlay.committed.size(), std::memory_order_relaxed);
    stat_last_batch_.store(batch.size(), std::memory_order_relaxed);
    if (!s.ok()) {
      // RocksDB refuses further writes after a failed sync; so do we, so that
      // no caller is ever acknowledged for an event that may not be durable.
      write_failure_ = s;
      for (auto& o : outcomes) {
        if (o.ok() && !o->duplicate) o = s;
      }
    } else {
      tip_ = overlay.tip;
      {
        absl::MutexLock lock(&stream_heads_mu_);
        for (auto& [stream, head] : overlay.heads) stream_heads_[stream] = head;
      }
      {
        absl::MutexLock lock(&head_mu_);
        published_head_ = LogHead{tip_.position, tip_.hash};
      }
      head_.store(tip_.position, std::memory_order_release);
      hub_->Publish(overlay.committed);
    }
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i].done(std::move(outcomes[i]));
  }
}

absl::StatusOr<AppendResult> RocksDbEventLog::Stage(const Pending& p,
                                                    BatchOverlay& overlay) {
  const AppendRequest& req = p.request;
  // 1. Idempotency: an identical earlier append is answered from its record.
  std::optional<layout::IdempotencyRecord> prior;
  if (auto it = overlay.keys.find(p.key); it != overlay.keys.end()) {
    prior = it->second;
  } else {
    RENKEI_ASSIGN_OR_RETURN(prior, LoadIdempotency(p.key));
  }
  if (prior) {
    if (prior->request_digest != p.digest) {
      return errors::AppendKeyReused(
          req.idempotency_key, req.events[0].event_id(), prior->first_position,
          prior->last_position);
    }
    return DuplicateOf(*prior);
  }

  // 2. Optimistic concurrency against the stream head.
  StreamHead head;
  if (auto it = overlay.heads.find(req.stream_id); it != overlay.heads.end()) {
    head = it->second;
  } else if (auto cached = CachedStreamHead(req.stream_id)) {
    head = *cached;
  } else {
    RENKEI_ASSIGN_OR_RETURN(head, LoadStreamHead(req.stream_id));
    absl::MutexLock lock(&stream_heads_mu_);
    stream_heads_[req.stream_id] = head;
  }
  const ExpectedVersion& expected = req.expected_version;
  if ((expected.kind() == ExpectedVersion::Kind::kNoStream &&
       head.version != 0) ||
      (expected.kind() == ExpectedVersion::Kind::kExact &&
       expected.version() != head.version)) {
    return errors::VersionConflict(
        req.stream_id,
        expected.kind() == ExpectedVersion::Kind::kExact ? expected.version()
                                                         : 0,
        head.version);
  }

  // 3. Event ids are unique across the whole log.
  std::unordered_set<std::string> ids_in_request;
  for (const auto& e : req.events) {
    const std::string id = layout::EventIdKey(e.event_id());
    if (!ids_in_request.insert(id).second) {
      return errors::EventIdTwiceInAppend(e.event_id());
    }
    if (overlay.event_ids.count(id)) {
      return errors::EventIdBeingAppended(e.event_id());
    }
    RENKEI_ASSIGN_OR_RETURN(auto existing, LoadEventId(id));
    if (existing) {
      return errors::EventIdInLog(e.event_id(), *existing);
    }
  }

  // 4. Stage the writes: events, stream index, ids, stream head, key.
  AppendResult result;
  result.first_position = overlay.tip.position + 1;
  result.recorded_at = overlay.recorded_at;
  std::string value;
  for (const auto& proposed : req.events) {
    EventEnvelope e;
    e.set_position(++overlay.tip.position);
    e.set_stream_id(req.stream_id);
    e.set_stream_version(++head.version);
    e.set_event_id(proposed.event_id());
    e.set_event_type(proposed.event_type());
    if (proposed.has_payload()) *e.mutable_payload() = proposed.payload();
    *e.mutable_recorded_at() = overlay.recorded_at;
    *e.mutable_occurred_at() = proposed.has_occurred_at()
                                   ? proposed.occurred_at()
                                   : overlay.recorded_at;
    if (proposed.has_actor()) *e.mutable_actor() = proposed.actor();
    e.set_correlation_id(proposed.correlation_id());
    e.set_causation_id(proposed.causation_id());
    e.set_payload_sha256(PayloadDigest(e.payload()));
    e.set_prev_hash(overlay.tip.hash);
    overlay.tip.hash = ChainHash(overlay.tip.hash, e);
    e.set_hash(overlay.tip.hash);

    value.clear();
    e.SerializeToString(&value);
    const std::string pos_key = layout::PositionKey(e.position());
    overlay.batch.Put(events_cf_, pos_key, value);
    overlay.batch.Put(stream_index_cf_,
                      layout::StreamIndexKey(req.stream_id, e.stream_version()),
                      pos_key);
    const std::string id = layout::EventIdKey(e.event_id());
    overlay.batch.Put(event_ids_cf_, id, pos_key);
    overlay.event_ids.insert(id);
    overlay.committed.push_back(std::move(e));
  }
  head.last_position = overlay.tip.position;
  overlay.heads[req.stream_id] = head;
  overlay.batch.Put(
      stream_heads_cf_, req.stream_id,
      layout::EncodeStreamHead({head.version, head.last_position}));
  result.last_position = overlay.tip.position;
  result.stream_version = head.version;
  layout::IdempotencyRecord record{p.digest, result.first_position,
                                   result.last_position, result.stream_version};
  overlay.batch.Put(idempotency_cf_, p.key, layout::EncodeIdempotency(record));
  overlay.keys[p.key] = record;
  return result;
}

absl::StatusOr<std::optional<PriorAppend>> RocksDbEventLog::FindAppend(
    const std::string& idempotency_key) const {
  if (idempotency_key.empty()) {
    return errors::EmptyIdempotencyKey();
  }
  RENKEI_ASSIGN_OR_RETURN(auto record,
                          LoadIdempotency(ExplicitKey(idempotency_key)));
  if (!record) return std::optional<PriorAppend>();
  return PriorAppend{DuplicateOf(*record), record->request_digest};
}

absl::StatusOr<StreamHead> RocksDbEventLog::LoadStreamHead(
    const std::string& stream_id) const {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), stream_heads_cf_, stream_id, &value);
  if (s.IsNotFound()) return StreamHead{};
  RENKEI_RETURN_IF_ERROR(errors::FromRocksDb(s, "cannot read stream head"));
  auto decoded = layout::DecodeStreamHead(value);
  if (!decoded) {
    return errors::StreamHeadMalformed(stream_id);
  }
  return StreamHead{decoded->version, decoded->last_position};
}

absl::StatusOr<std::optional<layout::IdempotencyRecord>>
RocksDbEventLog::LoadIdempotency(const std::string& key) const {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), idempotency_cf_, key, &value);
  if (s.IsNotFound()) return std::optional<layout::IdempotencyRecord>();
  RENKEI_RETURN_IF_ERROR(
      errors::FromRocksDb(s, "cannot read idempotency record"));
  auto decoded = layout::DecodeIdempotency(value);
  if (!decoded) return errors::IdempotencyRecordMalformed();
  return decoded;
}

absl::StatusOr<std::optional<uint64_t>> RocksDbEventLog::LoadEventId(
    const std::string& event_id) const {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), event_ids_cf_, event_id, &value);
  if (s.IsNotFound()) return std::optional<uint64_t>();
  RENKEI_RETURN_IF_ERROR(errors::FromRocksDb(s, "cannot read event id index"));
  return layout::ReadBigEndian64(value);
}

absl::StatusOr<EventEnvelope> RocksDbEventLog::ReadPosition(
    uint64_t pos) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), events_cf_,
                               layout::PositionKey(pos), &value);
  if (s.IsNotFound()) {
    return errors::NoEventAtPosition(pos);
  }
  RENKEI_RETURN_IF_ERROR(errors::FromRocksDb(s, "cannot read event"));
  EventEnvelope e;
  if (!e.ParseFromString(value)) {
    return errors::EventUndecodable(pos);
  }
  return e;
}

absl::StatusOr<std::vector<EventEnvelope>> RocksDbEventLog::ReadStream(
    const ReadStreamQuery& q) const {
  RENKEI_RETURN_IF_ERROR(ValidateStreamId(q.stream_id));
  const size_t limit = std::min(q.limit, options_.max_read_limit);
  std::vector<EventEnvelope> out;
  if (limit == 0) return out;
  const std::string prefix = layout::StreamIndexPrefix(q.stream_id);
  rocksdb::ReadOptions ro;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, stream_index_cf_));
  const bool forward = q.direction == Direction::kForward;
  if (forward) {
    it->Seek(layout::StreamIndexKey(q.stream_id,
                                    std::max<uint64_t>(q.from_version, 1)));
  } else if (q.from_version == 0) {
    it->SeekForPrev(layout::StreamIndexKey(q.stream_id, UINT64_MAX));
  } else {
    it->SeekForPrev(layout::StreamIndexKey(q.stream_id, q.from_version));
  }
  for (; it->Valid() && out.size() < limit; forward ? it->Next() : it->Prev()) {
    if (!it->key().starts_with(prefix)) break;
    auto pos = layout::ReadBigEndian64(it->value().ToStringView());
    if (!pos) return errors::StreamIndexMalformed();
    RENKEI_ASSIGN_OR_RETURN(EventEnvelope e, ReadPosition(*pos));
    if (TypeMatches(q.event_types, e.event_type())) out.push_back(std::move(e));
  }
  RENKEI_RETURN_IF_ERROR(
      errors::FromRocksDb(it->status(), "cannot read stream"));
  return out;
}

absl::StatusOr<std::vector<EventEnvelope>> RocksDbEventLog::ReadAll(
    const ReadAllQuery& q) const {
  const size_t limit = std::min(q.limit, options_.max_read_limit);
  std::vector<EventEnvelope> out;
  if (limit == 0) return out;
  rocksdb::ReadOptions ro;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, events_cf_));
  uint64_t expected = std::max<uint64_t>(q.from_position, 1);
  for (it->Seek(layout::PositionKey(expected));
       it->Valid() && out.size() < limit; it->Next(), ++expected) {
    auto pos = layout::ReadBigEndian64(it->key().ToStringView());
    if (!pos || *pos != expected) {
      return errors::LogGap(expected);
    }
    EventEnvelope e;
    if (!e.ParseFromArray(it->value().data(),
                          static_cast<int>(it->value().size()))) {
      return errors::EventUndecodable(*pos);
    }
    if (TypeMatches(q.event_types, e.event_type())) out.push_back(std::move(e));
  }
  RENKEI_RETURN_IF_ERROR(errors::FromRocksDb(it->status(), "cannot read log"));
  return out;
}

absl::Status RocksDbEventLog::Replay(
    uint64_t from_position,
    const std::function<bool(const EventEnvelope&)>& visit) const {
  const uint64_t head = Head();
  rocksdb::ReadOptions ro;
  ro.readahead_size = 2 << 20;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, events_cf_));
  uint64_t expected = std::max<uint64_t>(from_position, 1);
  EventEnvelope e;
  for (it->Seek(layout::PositionKey(expected)); it->Valid() && expected <= head;
       it->Next(), ++expected) {
    auto pos = layout::ReadBigEndian64(it->key().ToStringView());
    if (!pos || *pos != expected) {
      return errors::LogGap(expected);
    }
    if (!e.ParseFromArray(it->value().data(),
                          static_cast<int>(it->value().size()))) {
      return errors::EventUndecodable(*pos);
    }
    if (!visit(e)) return absl::OkStatus();
  }
  RENKEI_RETURN_IF_ERROR(errors::FromRocksDb(it->status(), "cannot read log"));
  if (expected <= head) {
    return errors::LogGap(expected);
  }
  return absl::OkStatus();
}

absl::StatusOr<StreamHead> RocksDbEventLog::GetStreamHead(
    const std::string& stream_id) const {
  RENKEI_RETURN_IF_ERROR(ValidateStreamId(stream_id));
  if (auto cached = CachedStreamHead(stream_id)) return *cached;
  return LoadStreamHead(stream_id);
}

std::optional<StreamHead> RocksDbEventLog::CachedStreamHead(
    const std::string& stream_id) const {
  absl::MutexLock lock(&stream_heads_mu_);
  auto it = stream_heads_.find(stream_id);
  if (it == stream_heads_.end()) return std::nullopt;
  return it->second;
}

uint64_t RocksDbEventLog::Head() const {
  return head_.load(std::memory_order_acquire);
}

LogHead RocksDbEventLog::GetHead() const {
  absl::MutexLock lock(&head_mu_);
  return published_head_;
}

absl::StatusOr<ChainVerification> RocksDbEventLog::VerifyChain(
    uint64_t from, uint64_t to) const {
  const uint64_t head = Head();
  if (from == 0) from = 1;
  if (to == 0) to = head;
  if (to > head) {
    return errors::VerifyPastHead(to, head);
  }
  ChainVerification report;
  report.checked_from = from;
  report.checked_to = to;
  if (from > to) return report;  // empty range
  auto fail = [&report](uint64_t pos, std::string reason) {
    report.ok = false;
    report.first_bad_position = pos;
    report.reason = std::move(reason);
    return report;
  };
  std::string prev = ZeroHash();
  if (from > 1) {
    auto before = ReadPosition(from - 1);
    if (!before.ok())
      return fail(from - 1, std::string(before.status().message()));
    prev = before->hash();
  }
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), events_cf_));
  uint64_t expected = from;
  for (it->Seek(layout::PositionKey(from)); expected <= to;
       it->Next(), ++expected) {
    if (!it->Valid()) break;
    auto pos = layout::ReadBigEndian64(it->key().ToStringView());
    if (!pos || *pos != expected) return fail(expected, "event is missing");
    EventEnvelope e;
    if (!e.ParseFromArray(it->value().data(),
                          static_cast<int>(it->value().size()))) {
      return fail(expected, "event bytes cannot be decoded");
    }
    if (e.position() != expected) {
      return fail(expected, "stored position does not match its key");
    }
    if (e.prev_hash() != prev) {
      return fail(expected,
                  "prev_hash does not match the previous event's hash");
    }
    if (e.payload_sha256() != PayloadDigest(e.payload())) {
      return fail(expected, "payload does not match its recorded digest");
    }
    if (ChainHash(prev, e) != e.hash()) {
      return fail(expected, "hash does not match the event's contents");
    }
    prev = e.hash();
  }
  RENKEI_RETURN_IF_ERROR(errors::FromRocksDb(it->status(), "cannot read log"));
  if (expected <= to) return fail(expected, "event is missing");
  return report;
}

std::unique_ptr<Subscription> RocksDbEventLog::Subscribe(
    uint64_t from_position) {
  return hub_->Subscribe(from_position);
}

}  // namespace renkei::storage
