// Tests of Timestamp <-> absl::Time conversion.
#include "services/domain/time_util.h"

#include "gtest/gtest.h"

namespace renkei::domain {
namespace {

TEST(TimeUtilTest, RoundTripsIncludingBeforeTheEpoch) {
  for (const auto& [seconds, nanos] :
       std::vector<std::pair<int64_t, int32_t>>{{0, 0},
                                                {1711962000, 123456789},
                                                {-1, 999999999},
                                                {-62135596800, 0}}) {
    google::protobuf::Timestamp ts;
    ts.set_seconds(seconds);
    ts.set_nanos(nanos);
    const google::protobuf::Timestamp back = ToTimestamp(ToTime(ts));
    EXPECT_EQ(back.seconds(), seconds);
    EXPECT_EQ(back.nanos(), nanos);
  }
  EXPECT_EQ(ToTime(ToTimestamp(absl::FromUnixMillis(-1500))),
            absl::FromUnixMillis(-1500));
}

}  // namespace
}  // namespace renkei::domain
