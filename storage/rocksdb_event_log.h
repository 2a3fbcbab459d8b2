// RocksDbEventLog: the EventLog on RocksDB, with one writer thread doing
// group commit (LevelDB's BuildBatchGroup idea): appenders queue, the writer
// validates the whole queue against current heads, writes one WriteBatch with
// sync=true, and only then acknowledges every caller in it.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/db.h"
#include "storage/event_log.h"
#include "storage/layout.h"
#include "storage/subscription_hub.h"

namespace renkei::storage {

class RocksDbEventLog final : public EventLog {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RocksDbEventLog>> Open(
      EventLogOptions options);
  ~RocksDbEventLog() override;

  absl::StatusOr<AppendResult> Append(AppendRequest request) override;
  void AppendAsync(AppendRequest request, AppendCallback done) override;
  absl::StatusOr<std::optional<PriorAppend>> FindAppend(
      const std::string& idempotency_key) const override;
  absl::StatusOr<std::vector<renkei::v1::EventEnvelope>> ReadStream(
      const ReadStreamQuery& query) const override;
  absl::StatusOr<std::vector<renkei::v1::EventEnvelope>> ReadAll(
      const ReadAllQuery& query) const override;
  absl::Status Replay(
      uint64_t from_position,
      const std::function<bool(const renkei::v1::EventEnvelope&)>& visit)
      const override;
  absl::StatusOr<StreamHead> GetStreamHead(
      const std::string& stream_id) const override;
  uint64_t Head() const override;
  LogHead GetHead() const override;
  absl::StatusOr<ChainVerification> VerifyChain(uint64_t from,
                                                uint64_t to) const override;
  std::unique_ptr<Subscription> Subscribe(uint64_t from_position) override;
  absl::Status Checkpoint(const std::string& dir) override;
  LogStats Stats() const override;

 private:
  struct Pending {
    AppendRequest request;
    std::string key;     // effective idempotency key
    std::string digest;  // RequestDigest of the request
    AppendCallback done;
  };
  // What one batch changes, visible to later requests of the same batch.
  struct BatchOverlay;

  RocksDbEventLog(EventLogOptions options, std::unique_ptr<rocksdb::DB> db,
                  std::vector<rocksdb::ColumnFamilyHandle*> handles,
                  layout::HeadRecord head);

  void WriterLoop();
  void CommitBatch(std::vector<Pending>& batch);
  // Decides one request against the overlay; on success stages its writes.
  absl::StatusOr<AppendResult> Stage(const Pending& pending,
                                     BatchOverlay& overlay);
  absl::StatusOr<StreamHead> LoadStreamHead(const std::string& stream_id) const;
  std::optional<StreamHead> CachedStreamHead(
      const std::string& stream_id) const;
  absl::StatusOr<std::optional<layout::IdempotencyRecord>> LoadIdempotency(
      const std::string& key) const;
  absl::StatusOr<std::optional<uint64_t>> LoadEventId(
      const std::string& event_id) const;
  absl::StatusOr<renkei::v1::EventEnvelope> ReadPosition(uint64_t pos) const;

  const EventLogOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* events_cf_;
  rocksdb::ColumnFamilyHandle* stream_index_cf_;
  rocksdb::ColumnFamilyHandle* stream_heads_cf_;
  rocksdb::ColumnFamilyHandle* event_ids_cf_;
  rocksdb::ColumnFamilyHandle* idempotency_cf_;
  rocksdb::ColumnFamilyHandle* meta_cf_;

  // Written only by the writer thread.
  layout::HeadRecord tip_;
  absl::Status write_failure_;
  // The committed heads of the streams the writer has looked up or written
  // (it is the only writer, so they are the log's), so GetStreamHead answers
  // them without reading RocksDB. Written only by the writer thread.
  mutable absl::Mutex stream_heads_mu_;
  std::unordered_map<std::string, StreamHead> stream_heads_
      ABSL_GUARDED_BY(stream_heads_mu_);

  std::atomic<uint64_t> head_{0};
  std::atomic<uint64_t> stat_batches_{0}, stat_requests_{0}, stat_events_{0},
      stat_write_nanos_{0}, stat_last_batch_{0};
  mutable absl::Mutex head_mu_;
  LogHead published_head_ ABSL_GUARDED_BY(head_mu_);

  absl::Mutex queue_mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;

  std::unique_ptr<SubscriptionHub> hub_;
  std::thread writer_;
};

}  // namespace renkei::storage
