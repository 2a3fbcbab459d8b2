#include "storage/subscription_hub.h"

#include <algorithm>

#include "storage/errors.h"

namespace renkei::storage {

struct SubscriptionHub::State {
  absl::Mutex mu;
  absl::CondVar cv;
  std::deque<renkei::v1::EventEnvelope> live ABSL_GUARDED_BY(mu);
  bool cancelled ABSL_GUARDED_BY(mu) = false;
  std::function<void()> wake ABSL_GUARDED_BY(mu);
  std::atomic<uint64_t> next_position{1};
};

namespace {

constexpr size_t kCatchUpPage = 512;

class SubscriptionImpl final : public Subscription {
 public:
  SubscriptionImpl(std::shared_ptr<SubscriptionHub::State> state,
                   const std::atomic<uint64_t>* head, PageReader reader)
      : state_(std::move(state)), head_(head), reader_(std::move(reader)) {}

  ~SubscriptionImpl() override {
    Cancel();
    absl::MutexLock lock(&state_->mu);
    state_->wake = nullptr;  // what it woke may go with this subscription
  }

  absl::StatusOr<std::optional<renkei::v1::EventEnvelope>> Next(
      absl::Duration timeout) override {
    const absl::Time deadline = absl::Now() + timeout;
    for (;;) {
      if (!catch_up_.empty()) return Take(std::move(catch_up_.front()), true);
      const uint64_t next = state_->next_position.load();
      {
        absl::MutexLock lock(&state_->mu);
        if (state_->cancelled) {
          return errors::SubscriptionCancelled();
        }
        auto& live = state_->live;
        while (!live.empty() && live.front().position() < next) {
          live.pop_front();
        }
        if (!live.empty() && live.front().position() == next) {
          renkei::v1::EventEnvelope e = std::move(live.front());
          live.pop_front();
          return Take(std::move(e), false);
        }
        // A gap in the live buffer: drop it and read the gap from the store.
        if (!live.empty()) live.clear();
        if (head_->load(std::memory_order_acquire) < next) {
          auto ready = [this, next]() ABSL_SHARED_LOCKS_REQUIRED(state_->mu) {
            return state_->cancelled || !state_->live.empty() ||
                   head_->load(std::memory_order_acquire) >= next;
          };
          while (!ready()) {
            if (state_->cv.WaitWithDeadline(&state_->mu, deadline)) {
              if (!ready()) return std::optional<renkei::v1::EventEnvelope>();
            }
          }
          continue;
        }
      }
      auto page = reader_(next, kCatchUpPage);
      if (!page.ok()) return page.status();
      if (page->empty() || page->front().position() != next) {
        return errors::LogGap(next);
      }
      for (auto& e : *page) catch_up_.push_back(std::move(e));
    }
  }

  uint64_t NextPosition() const override {
    return state_->next_position.load();
  }

  uint64_t Lag() const override {
    const uint64_t head = head_->load(std::memory_order_acquire);
    const uint64_t next = state_->next_position.load();
    return head + 1 > next ? head + 1 - next : 0;
  }

  void Cancel() override {
    absl::MutexLock lock(&state_->mu);
    state_->cancelled = true;
    state_->cv.SignalAll();
    if (state_->wake) state_->wake();
  }

  void SetWakeUp(std::function<void()> wake) override {
    absl::MutexLock lock(&state_->mu);
    state_->wake = std::move(wake);
  }

 private:
  std::optional<renkei::v1::EventEnvelope> Take(renkei::v1::EventEnvelope e,
                                                bool from_catch_up) {
    if (from_catch_up) catch_up_.pop_front();
    state_->next_position.store(e.position() + 1);
    return e;
  }

  std::shared_ptr<SubscriptionHub::State> state_;
  const std::atomic<uint64_t>* head_;
  PageReader reader_;
  std::deque<renkei::v1::EventEnvelope> catch_up_;  // consumer thread only
};

}  // namespace

SubscriptionHub::SubscriptionHub(const std::atomic<uint64_t>* head,
                                 PageReader reader, size_t buffer_capacity)
    : head_(head), reader_(std::move(reader)), capacity_(buffer_capacity) {}

SubscriptionHub::~SubscriptionHub() { Close(); }

std::unique_ptr<Subscription> SubscriptionHub::Subscribe(
    uint64_t from_position) {
  auto state = std::make_shared<State>();
  state->next_position.store(std::max<uint64_t>(from_position, 1));
  absl::MutexLock lock(&mu_);
  if (closed_) {
    absl::MutexLock sub_lock(&state->mu);
    state->cancelled = true;
  }
  subscribers_.push_back(state);
  return std::make_unique<SubscriptionImpl>(state, head_, reader_);
}

void SubscriptionHub::Publish(
    const std::vector<renkei::v1::EventEnvelope>& events) {
  if (events.empty()) return;
  absl::MutexLock lock(&mu_);
  size_t alive = 0;
  for (auto& weak : subscribers_) {
    auto state = weak.lock();
    if (!state) continue;
    subscribers_[alive++] = weak;
    absl::MutexLock sub_lock(&state->mu);
    // Buffer only what the consumer has not passed and what fits; anything
    // dropped is read back from the store by the consumer.
    if (state->live.size() + events.size() <= capacity_ &&
        events.back().position() >= state->next_position.load()) {
      for (const auto& e : events) state->live.push_back(e);
    }
    state->cv.SignalAll();
    if (state->wake) state->wake();
  }
  subscribers_.resize(alive);
}

void SubscriptionHub::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  for (auto& weak : subscribers_) {
    if (auto state = weak.lock()) {
      absl::MutexLock sub_lock(&state->mu);
      state->cancelled = true;
      state->cv.SignalAll();
      if (state->wake) state->wake();
    }
  }
  subscribers_.clear();
}

std::pair<size_t, uint64_t> SubscriptionHub::Subscribers() {
  const uint64_t head = head_->load();
  absl::MutexLock lock(&mu_);
  size_t count = 0;
  uint64_t lag = 0;
  for (const std::weak_ptr<State>& weak : subscribers_) {
    std::shared_ptr<State> state = weak.lock();
    if (state == nullptr) continue;
    {
      absl::MutexLock state_lock(&state->mu);
      if (state->cancelled) continue;
    }
    ++count;
    const uint64_t next = state->next_position.load();
    lag = std::max(lag, head + 1 > next ? head + 1 - next : 0);
  }
  return {count, lag};
}

}  // namespace renkei::storage
