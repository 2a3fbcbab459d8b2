// Live fan-out of committed events to in-process subscriptions.
//
// The writer publishes each committed batch; every subscription keeps a
// bounded live buffer and, when it overflows or falls behind, reads the
// missing positions back from the log. Positions drive everything, so the
// catch-up/live hand-off has no gap and no duplicate.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "storage/event_log.h"

namespace renkei::storage {

// Reads committed events from position `from` (at most `limit`).
using PageReader =
    std::function<absl::StatusOr<std::vector<renkei::v1::EventEnvelope>>(
        uint64_t from, size_t limit)>;

class SubscriptionHub {
 public:
  // `head` is the log's published head position, updated before Publish().
  SubscriptionHub(const std::atomic<uint64_t>* head, PageReader reader,
                  size_t buffer_capacity);
  ~SubscriptionHub();

  std::unique_ptr<Subscription> Subscribe(uint64_t from_position);
  // Offers a committed batch to every subscription. Never blocks on a
  // consumer. REQUIRES: events are contiguous and follow earlier batches.
  void Publish(const std::vector<renkei::v1::EventEnvelope>& events);
  // The subscriptions still open, and how many events the furthest behind
  // of them has yet to read.
  std::pair<size_t, uint64_t> Subscribers();
  // Cancels every subscription (the log is closing).
  void Close();

  struct State;  // shared between a subscription and the hub

 private:
  const std::atomic<uint64_t>* head_;
  PageReader reader_;
  size_t capacity_;
  absl::Mutex mu_;
  std::vector<std::weak_ptr<State>> subscribers_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace renkei::storage
