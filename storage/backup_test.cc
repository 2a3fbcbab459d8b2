// TruncateLog: a point-in-time cut keeps whole appends only, and leaves a
// log that opens, verifies and continues where the cut is.
#include "storage/backup.h"

#include <gtest/gtest.h>

#include "storage/event_log.h"
#include "storage/test_util.h"

namespace renkei::storage {
namespace {

using testing::TempDir;
using testing::TestEvent;
using testing::TestUuid;

TEST(TruncateLogTest, CutsWholeAppendsAndTheLogContinues) {
  TempDir dir;
  EventLogOptions options;
  options.path = dir.Sub("log");
  {
    auto log = EventLog::Open(options);
    ASSERT_TRUE(log.ok());
    AppendRequest two;  // positions 1..2, one command
    two.stream_id = "s-a";
    two.events = {TestEvent(TestUuid(1)), TestEvent(TestUuid(2))};
    ASSERT_TRUE((*log)->Append(two).ok());
    AppendRequest one;  // position 3
    one.stream_id = "s-b";
    one.events = {TestEvent(TestUuid(3))};
    ASSERT_TRUE((*log)->Append(one).ok());
    AppendRequest more;  // position 4, same stream as the first
    more.stream_id = "s-a";
    more.events = {TestEvent(TestUuid(4))};
    ASSERT_TRUE((*log)->Append(more).ok());
  }
  // Inside the first command: refused, nothing changed.
  absl::Status inside = TruncateLog(options.path, 1);
  EXPECT_EQ(inside.code(), absl::StatusCode::kInvalidArgument) << inside;
  EXPECT_NE(inside.message().find("1..2"), std::string::npos) << inside;
  EXPECT_EQ(TruncateLog(options.path, 5).code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(TruncateLog(options.path, 2).ok());

  auto log = EventLog::Open(options);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)->Head(), 2u);
  auto chain = (*log)->VerifyChain(0, 0);
  ASSERT_TRUE(chain.ok() && chain->ok);
  auto a = (*log)->GetStreamHead("s-a");
  auto b = (*log)->GetStreamHead("s-b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->version, 2u);
  EXPECT_EQ(b->version, 0u);  // the stream is gone
  // The cut events' ids are free again, and appends continue at 3.
  AppendRequest again;
  again.stream_id = "s-a";
  again.expected_version = ExpectedVersion::Exact(2);
  again.events = {TestEvent(TestUuid(4))};
  auto appended = (*log)->Append(again);
  ASSERT_TRUE(appended.ok()) << appended.status();
  EXPECT_EQ((*log)->Head(), 3u);
  chain = (*log)->VerifyChain(0, 0);
  EXPECT_TRUE(chain.ok() && chain->ok);
}

}  // namespace
}  // namespace renkei::storage
