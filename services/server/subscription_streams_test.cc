// SubscriptionStreams: one thread pumps every stream when woken, a stream
// that asks for more is pumped again, places are capped, and Remove never
// returns while the stream is being pumped.
#include "services/server/subscription_streams.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"

namespace renkei::server {
namespace {

// Counts its pumps; asks to be pumped again `again` times; optionally blocks
// in Pump until released.
class CountingStream : public SubscriptionStreams::Stream {
 public:
  bool Pump() override {
    const int n = ++pumps_;
    if (block_ != nullptr) {
      entered_.Notify();
      block_->WaitForNotification();
      block_ = nullptr;
    }
    {
      absl::MutexLock lock(&mu_);
      seen_ = n;
    }
    const bool again = again_.fetch_sub(1) > 0;
    pumps_returned_ = true;
    return again;
  }
  // Blocks until Pump has run at least `n` times.
  void AwaitPumps(int n) {
    absl::MutexLock lock(&mu_);
    auto reached = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return seen_ >= n;
    };
    mu_.Await(absl::Condition(&reached));
  }
  int pumps() const { return pumps_.load(); }

  std::atomic<int> again_{0};
  absl::Notification* block_ = nullptr;  // set before Add
  absl::Notification entered_;
  std::atomic<bool> pumps_returned_{false};

 private:
  std::atomic<int> pumps_{0};
  absl::Mutex mu_;
  int seen_ ABSL_GUARDED_BY(mu_) = 0;
};

// A tick far longer than any test: pumps come from wake-ups alone.
constexpr absl::Duration kNoTick = absl::Hours(1);

TEST(SubscriptionStreamsTest, AddedStreamsArePumpedAgainOnEveryWake) {
  SubscriptionStreams streams(4, kNoTick);
  CountingStream a, b;
  ASSERT_TRUE(streams.Reserve().ok());
  ASSERT_TRUE(streams.Reserve().ok());
  streams.Add(&a);
  streams.Add(&b);
  a.AwaitPumps(1);
  b.AwaitPumps(1);
  const int a_before = a.pumps();
  const int b_before = b.pumps();
  streams.Wake();
  a.AwaitPumps(a_before + 1);
  b.AwaitPumps(b_before + 1);
  streams.Remove(&a);
  streams.Remove(&b);
  EXPECT_EQ(streams.open(), 0u);
}

TEST(SubscriptionStreamsTest, AStreamThatStoppedEarlyIsPumpedAgainUnwoken) {
  SubscriptionStreams streams(1, kNoTick);
  CountingStream s;
  s.again_ = 5;  // five pumps ask for another
  ASSERT_TRUE(streams.Reserve().ok());
  streams.Add(&s);
  s.AwaitPumps(6);
  streams.Remove(&s);
}

TEST(SubscriptionStreamsTest, EveryStreamIsPumpedOncePerTick) {
  SubscriptionStreams streams(1, absl::Milliseconds(1));
  CountingStream s;
  ASSERT_TRUE(streams.Reserve().ok());
  streams.Add(&s);
  s.AwaitPumps(3);  // one from Add, then ticks, with no wake-up
  streams.Remove(&s);
}

TEST(SubscriptionStreamsTest, PlacesAreCappedAndGivenBack) {
  SubscriptionStreams streams(2, kNoTick);
  ASSERT_TRUE(streams.Reserve().ok());
  ASSERT_TRUE(streams.Reserve().ok());
  absl::Status third = streams.Reserve();
  EXPECT_EQ(third.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(third.message().find("--max-subscriptions"), std::string::npos)
      << third.message();
  EXPECT_EQ(streams.open(), 2u);
  streams.Unreserve();
  EXPECT_TRUE(streams.Reserve().ok());
  CountingStream s;
  streams.Add(&s);
  streams.Remove(&s);  // gives back the place Add used
  streams.Unreserve();
  EXPECT_EQ(streams.open(), 0u);
}

TEST(SubscriptionStreamsTest, RemoveWaitsWhileTheStreamIsBeingPumped) {
  SubscriptionStreams streams(1, kNoTick);
  CountingStream s;
  absl::Notification release;
  s.block_ = &release;
  ASSERT_TRUE(streams.Reserve().ok());
  streams.Add(&s);
  s.entered_.WaitForNotification();  // Pump is running, blocked
  absl::Notification removed;
  bool pump_returned_before_remove = false;
  std::thread remover([&] {
    streams.Remove(&s);
    // The stream may be destroyed from here on: its Pump has returned.
    pump_returned_before_remove = s.pumps_returned_.load();
    removed.Notify();
  });
  // While Pump is blocked, Remove does not return (a bounded look: a Remove
  // that did not wait would return well within it).
  EXPECT_FALSE(removed.WaitForNotificationWithTimeout(absl::Milliseconds(100)));
  release.Notify();
  remover.join();
  EXPECT_TRUE(pump_returned_before_remove);
  EXPECT_EQ(s.pumps(), 1);
  EXPECT_EQ(streams.open(), 0u);
}

}  // namespace
}  // namespace renkei::server
