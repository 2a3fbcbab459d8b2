#include "services/server/subscription_streams.h"

#include <pthread.h>

#include <algorithm>

#include "services/server/errors.h"

namespace renkei::server {

SubscriptionStreams::SubscriptionStreams(size_t max_streams,
                                         absl::Duration tick)
    : max_streams_(max_streams), tick_(tick) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "renkei-audit");
    Loop();
  });
}

SubscriptionStreams::~SubscriptionStreams() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

absl::Status SubscriptionStreams::Reserve() {
  absl::MutexLock lock(&mu_);
  if (taken_ >= max_streams_) {
    return errors::TooManySubscriptions(max_streams_);
  }
  ++taken_;
  return absl::OkStatus();
}

void SubscriptionStreams::Unreserve() {
  absl::MutexLock lock(&mu_);
  --taken_;
}

void SubscriptionStreams::Add(Stream* stream) {
  absl::MutexLock lock(&mu_);
  streams_.push_back(stream);
  woken_ = true;
}

void SubscriptionStreams::Remove(Stream* stream) {
  absl::MutexLock lock(&mu_);
  auto it = std::find(streams_.begin(), streams_.end(), stream);
  if (it != streams_.end()) streams_.erase(it);
  --taken_;
  if (std::this_thread::get_id() == thread_.get_id()) return;
  auto not_pumping = [this, stream]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return pumping_ != stream;
  };
  mu_.Await(absl::Condition(&not_pumping));
}

void SubscriptionStreams::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

size_t SubscriptionStreams::open() const {
  absl::MutexLock lock(&mu_);
  return taken_;
}

void SubscriptionStreams::Loop() {
  auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return woken_ || stopping_;
  };
  std::vector<Stream*> round;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      // Without a wake-up, every stream is still pumped once per tick.
      mu_.AwaitWithTimeout(absl::Condition(&woken), tick_);
      if (stopping_) return;
      woken_ = false;
      round = streams_;
    }
    for (Stream* stream : round) {
      {
        absl::MutexLock lock(&mu_);
        // Removed since the round began: it may be gone.
        if (std::find(streams_.begin(), streams_.end(), stream) ==
            streams_.end()) {
          continue;
        }
        pumping_ = stream;
      }
      const bool again = stream->Pump();
      absl::MutexLock lock(&mu_);
      pumping_ = nullptr;
      if (again) woken_ = true;
    }
  }
}

}  // namespace renkei::server
