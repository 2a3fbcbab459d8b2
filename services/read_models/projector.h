// Projector: follows the event log from the read models' checkpoint and keeps
// them up to date, one batch (rows + checkpoint) per burst of events.
//
// Thread-safety: WaitFor/Checkpoint/status from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/read_models/read_model_store.h"
#include "storage/event_log.h"

namespace renkei::read_models {

class Projector {
 public:
  // Neither pointer is owned; both must outlive the projector.
  Projector(storage::EventLog* log, ReadModelStore* store);
  ~Projector();

  // Starts following the log after the stored checkpoint.
  [[nodiscard]] absl::Status Start();
  void Stop();

  // Blocks until the read models include `position` (true), or until
  // `timeout` passes or projection has failed (false).
  bool WaitFor(uint64_t position, absl::Duration timeout);
  // Blocks until at least `n` callers are blocked in WaitFor (true) or
  // `timeout` passes (false): lets a test know its queries are waiting.
  bool AwaitWaiters(int n, absl::Duration timeout);
  uint64_t Checkpoint() const { return checkpoint_.load(); }
  // OK while projecting; the error that stopped projection otherwise.
  absl::Status status() const;

 private:
  void Loop();

  storage::EventLog* log_;
  ReadModelStore* store_;
  std::unique_ptr<storage::Subscription> subscription_;
  std::atomic<uint64_t> checkpoint_{0};
  std::atomic<bool> stopping_{false};
  mutable absl::Mutex mu_;
  absl::CondVar advanced_;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  int waiters_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

// Projects the whole log into `store` (from its checkpoint) and returns when
// it includes the log's head at the time of the call.
[[nodiscard]] absl::Status CatchUp(storage::EventLog& log,
                                   ReadModelStore& store);

}  // namespace renkei::read_models
