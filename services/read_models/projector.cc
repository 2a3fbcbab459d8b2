#include "services/read_models/projector.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include "services/read_models/case_projection.h"
#include "services/read_models/errors.h"
#include "storage/layout.h"
#include "storage/status_macros.h"

namespace renkei::read_models {
namespace {

constexpr size_t kMaxBatchEvents = 1000;

rocksdb::WriteBatchWithIndex NewBatch() {
  return rocksdb::WriteBatchWithIndex(rocksdb::BytewiseComparator(), 0,
                                      /*overwrite_key=*/true);
}

absl::Status Commit(ReadModelStore& store, rocksdb::WriteBatchWithIndex& batch,
                    uint64_t last_position) {
  std::string checkpoint;
  storage::layout::AppendBigEndian64(checkpoint, last_position);
  batch.Put(keys::kCheckpoint, checkpoint).PermitUncheckedError();
  return store.Write(batch);
}

}  // namespace

Projector::Projector(storage::EventLog* log, ReadModelStore* store)
    : log_(log), store_(store) {}

Projector::~Projector() { Stop(); }

absl::Status Projector::Start() {
  RENKEI_ASSIGN_OR_RETURN(uint64_t checkpoint, store_->Checkpoint());
  if (checkpoint > log_->Head()) {
    return errors::AheadOfLog();
  }
  checkpoint_.store(checkpoint);
  subscription_ = log_->Subscribe(checkpoint + 1);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "renkei-project");
    Loop();
  });
  return absl::OkStatus();
}

void Projector::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  subscription_->Cancel();
  thread_.join();
}

absl::Status Projector::status() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

bool Projector::WaitFor(uint64_t position, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&mu_);
  ++waiters_;
  bool reached = true;
  while (checkpoint_.load() < position) {
    if (!status_.ok()) {
      reached = false;
      break;
    }
    if (advanced_.WaitWithDeadline(&mu_, deadline)) {
      reached = checkpoint_.load() >= position;
      break;
    }
  }
  --waiters_;
  return reached;
}

bool Projector::AwaitWaiters(int n, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return waiters_ >= n;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

void Projector::Loop() {
  while (!stopping_) {
    auto first = subscription_->Next(absl::Milliseconds(200));
    if (!first.ok()) {
      if (!stopping_) {
        absl::MutexLock lock(&mu_);
        status_ = first.status();
        advanced_.SignalAll();
      }
      return;
    }
    if (!first->has_value()) continue;
    auto batch = NewBatch();
    uint64_t last = 0;
    absl::Status status = ApplyToReadModels(*store_, **first, batch);
    last = (*first)->position();
    for (size_t n = 1; status.ok() && n < kMaxBatchEvents; ++n) {
      auto next = subscription_->Next(absl::ZeroDuration());
      if (!next.ok() || !next->has_value()) break;
      status = ApplyToReadModels(*store_, **next, batch);
      last = (*next)->position();
    }
    if (status.ok()) status = Commit(*store_, batch, last);
    absl::MutexLock lock(&mu_);
    if (!status.ok()) {
      spdlog::error("read-model projection stopped at position {}: {}", last,
                    status.ToString());
      status_ = status;
      advanced_.SignalAll();
      return;
    }
    checkpoint_.store(last);
    advanced_.SignalAll();
  }
}

absl::Status CatchUp(storage::EventLog& log, ReadModelStore& store) {
  RENKEI_ASSIGN_OR_RETURN(uint64_t checkpoint, store.Checkpoint());
  auto batch = NewBatch();
  size_t pending = 0;
  uint64_t last = checkpoint;
  absl::Status inner;
  RENKEI_RETURN_IF_ERROR(
      log.Replay(checkpoint + 1, [&](const v1::EventEnvelope& e) {
        inner = ApplyToReadModels(store, e, batch);
        if (!inner.ok()) return false;
        last = e.position();
        if (++pending == kMaxBatchEvents) {
          inner = Commit(store, batch, last);
          if (!inner.ok()) return false;
          batch = NewBatch();
          pending = 0;
        }
        return true;
      }));
  RENKEI_RETURN_IF_ERROR(inner);
  if (pending > 0) RENKEI_RETURN_IF_ERROR(Commit(store, batch, last));
  return absl::OkStatus();
}

}  // namespace renkei::read_models
