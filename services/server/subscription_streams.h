// SubscriptionStreams: serves every open Subscribe stream of the audit
// service from one thread ("renkei-audit") instead of a thread per stream.
// A stream is pumped whenever it may make progress: the log published events
// (each stream's log subscription calls Wake), a write completed, the client
// cancelled, a stream was added, or `tick` passed (a stream's periodic check
// of its caller). Pumping never blocks on the log's tail; each stream keeps
// at most one write in flight. At most `max_streams` are open at once: the
// next Reserve is refused with RESOURCE_EXHAUSTED, so subscribers cannot
// take the server's memory or threads.
//
// Thread-safety: every method from any thread. A Stream's Pump runs only on
// the streams' thread, never concurrently with itself, and never after its
// Remove returned.
#pragma once

#include <cstddef>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace renkei::server {

class SubscriptionStreams {
 public:
  class Stream {
   public:
    virtual ~Stream() = default;
    // Makes what progress it can without waiting for the log (sends at most
    // one event, or finishes the call). Returns true when it stopped early
    // (to be fair to the other streams) and should be pumped again at once.
    virtual bool Pump() = 0;
  };

  SubscriptionStreams(size_t max_streams, absl::Duration tick);
  // REQUIRES: every reserved place was released (Remove or Unreserve).
  ~SubscriptionStreams();
  SubscriptionStreams(const SubscriptionStreams&) = delete;
  SubscriptionStreams& operator=(const SubscriptionStreams&) = delete;

  // Takes a place for one more stream; RESOURCE_EXHAUSTED when `max_streams`
  // are open (or reserved).
  [[nodiscard]] absl::Status Reserve();
  // Gives back a place taken by Reserve that never became a stream.
  void Unreserve();
  // Starts pumping `stream`, which holds a reserved place.
  void Add(Stream* stream);
  // Stops pumping `stream` and gives back its place. Returns once the streams'
  // thread is not inside its Pump (at once when called from Pump itself).
  void Remove(Stream* stream);
  // Pumps every stream soon. Quick and non-blocking: a log subscription's
  // wake-up may call it.
  void Wake();

  // Places taken (open streams and reservations).
  size_t open() const;
  size_t max_streams() const { return max_streams_; }

 private:
  void Loop();

  const size_t max_streams_;
  const absl::Duration tick_;
  mutable absl::Mutex mu_;
  size_t taken_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<Stream*> streams_ ABSL_GUARDED_BY(mu_);
  Stream* pumping_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace renkei::server
