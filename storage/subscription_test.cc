#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "storage/event_log.h"
#include "storage/test_util.h"

namespace renkei::storage {
namespace {

using ::renkei::storage::testing::TempDir;
using ::renkei::storage::testing::TestEvent;
using ::renkei::storage::testing::TestUuid;

std::unique_ptr<EventLog> OpenLog(const TempDir& dir, size_t buffer) {
  EventLogOptions options;
  options.path = dir.Sub("log");
  options.subscription_buffer = buffer;
  auto log = EventLog::Open(options);
  EXPECT_TRUE(log.ok()) << log.status();
  return log.ok() ? std::move(*log) : nullptr;
}

absl::Status AppendOne(EventLog& log, int id, const std::string& stream = "s") {
  AppendRequest r;
  r.stream_id = stream;
  r.events.push_back(TestEvent(TestUuid(id)));
  return log.Append(std::move(r)).status();
}

// Appends `total` events from `threads` writers while a subscriber started at
// `from` reads; checks the subscriber sees every position once, in order.
void RunHandOff(size_t buffer, int preexisting, int threads, int per_thread,
                absl::Duration consumer_delay) {
  TempDir dir;
  auto log = OpenLog(dir, buffer);
  for (int i = 1; i <= preexisting; ++i) ASSERT_TRUE(AppendOne(*log, i).ok());
  auto sub = log->Subscribe(1);
  std::atomic<int> next_id{preexisting + 1};
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        ASSERT_TRUE(AppendOne(*log, next_id++, "w" + std::to_string(t)).ok());
      }
    });
  }
  const uint64_t total = preexisting + threads * per_thread;
  uint64_t expected = 1;
  while (expected <= total) {
    auto next = sub->Next(absl::Seconds(10));
    ASSERT_TRUE(next.ok()) << next.status();
    ASSERT_TRUE(next->has_value()) << "timed out waiting for " << expected;
    ASSERT_EQ((*next)->position(), expected);
    ++expected;
    if (consumer_delay > absl::ZeroDuration()) absl::SleepFor(consumer_delay);
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(sub->Lag(), 0u);
  // Nothing more arrives: a short wait times out with no event.
  auto none = sub->Next(absl::Milliseconds(20));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(SubscriptionTest, CatchUpThenLiveWithoutGapOrDuplicate) {
  RunHandOff(/*buffer=*/4096, /*preexisting=*/300, /*threads=*/4,
             /*per_thread=*/100, absl::ZeroDuration());
}

TEST(SubscriptionTest, ASlowSubscriberFallsBackToCatchUpReads) {
  // A two-event buffer overflows constantly; the subscriber must still see
  // every position exactly once.
  RunHandOff(/*buffer=*/2, /*preexisting=*/10, /*threads=*/4,
             /*per_thread=*/50, absl::Microseconds(200));
}

TEST(SubscriptionTest, ASlowSubscriberDoesNotBlockAppends) {
  TempDir dir;
  auto log = OpenLog(dir, 8);
  auto sub = log->Subscribe(1);  // never read
  for (int i = 1; i <= 200; ++i) ASSERT_TRUE(AppendOne(*log, i).ok());
  EXPECT_EQ(sub->Lag(), 200u);
  EXPECT_EQ(sub->NextPosition(), 1u);
  auto first = sub->Next(absl::Seconds(1));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->position(), 1u);
  EXPECT_EQ(sub->Lag(), 199u);
}

TEST(SubscriptionTest, StartsFromAGivenPositionAndResumes) {
  TempDir dir;
  auto log = OpenLog(dir, 64);
  for (int i = 1; i <= 20; ++i) ASSERT_TRUE(AppendOne(*log, i).ok());
  auto sub = log->Subscribe(15);
  for (uint64_t p = 15; p <= 20; ++p) {
    auto e = sub->Next(absl::Seconds(1));
    ASSERT_TRUE(e.ok() && e->has_value());
    EXPECT_EQ((*e)->position(), p);
  }
  // A future position waits for the events to exist.
  auto ahead = log->Subscribe(22);
  ASSERT_TRUE(AppendOne(*log, 21).ok());
  ASSERT_TRUE(AppendOne(*log, 22).ok());
  auto e = ahead->Next(absl::Seconds(1));
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_EQ((*e)->position(), 22u);
}

TEST(SubscriptionTest, CancelWakesAWaitingReader) {
  TempDir dir;
  auto log = OpenLog(dir, 64);
  auto sub = log->Subscribe(1);
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(50));
    sub->Cancel();
  });
  auto r = sub->Next(absl::Seconds(30));
  canceller.join();
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled);
}

TEST(SubscriptionTest, AWakeUpIsCalledOnEveryPublishAndOnCancel) {
  TempDir dir;
  auto log = OpenLog(dir, 64);
  ASSERT_TRUE(AppendOne(*log, 1).ok());
  auto sub = log->Subscribe(1);
  std::atomic<int> wakes{0};
  sub->SetWakeUp([&wakes] { ++wakes; });
  // Polling never blocks: the event already in the log, then nothing.
  auto first = sub->Next(absl::ZeroDuration());
  ASSERT_TRUE(first.ok() && first->has_value());
  auto none = sub->Next(absl::ZeroDuration());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(wakes.load(), 0);
  // Append returns after the commit is published.
  ASSERT_TRUE(AppendOne(*log, 2).ok());
  EXPECT_EQ(wakes.load(), 1);
  auto second = sub->Next(absl::ZeroDuration());
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->position(), 2u);
  sub->Cancel();
  EXPECT_EQ(wakes.load(), 2);
  // Removed: later publishes call nothing.
  sub->SetWakeUp(nullptr);
  ASSERT_TRUE(AppendOne(*log, 3).ok());
  EXPECT_EQ(wakes.load(), 2);
}

}  // namespace
}  // namespace renkei::storage
