#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "absl/synchronization/notification.h"
#include "services/app/runtime/domain_runtime.h"

namespace renkei::app {
namespace {

TEST(QueryWorkersTest, AFullQueueIsRefusedAndTheTaskIsNotRunByTheCaller) {
  absl::Notification started, release;
  std::atomic<int> ran{0};
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> ran_on_caller{false};
  {
    QueryWorkers workers(/*threads=*/1, /*max_queued=*/1);
    std::function<void()> busy = [&] {
      started.Notify();
      release.WaitForNotification();
      ++ran;
    };
    ASSERT_TRUE(workers.TrySubmit(busy).ok());
    started.WaitForNotification();  // the only worker is busy
    std::function<void()> queued = [&] {
      ran_on_caller = std::this_thread::get_id() == caller;
      ++ran;
    };
    ASSERT_TRUE(workers.TrySubmit(queued).ok());
    std::function<void()> refused = [&] { ++ran; };
    absl::Status full = workers.TrySubmit(refused);
    EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted);
    EXPECT_NE(full.message().find("retry"), absl::string_view::npos)
        << full.message();
    EXPECT_TRUE(static_cast<bool>(refused)) << "a refused task is left alone";
    EXPECT_EQ(ran, 0);
    release.Notify();
  }  // stopping runs what was queued, then joins
  EXPECT_EQ(ran, 2);
  EXPECT_FALSE(ran_on_caller);
}

}  // namespace
}  // namespace renkei::app
