// Each catalogued error carries the status code its kind calls for and names
// what it is about.
#include "services/connect/errors.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace renkei::connect::errors {
namespace {

struct Case {
  absl::Status status;
  absl::StatusCode code;
  std::string names;  // a part of the message naming an argument
};

TEST(ConnectErrorsTest, CodesFollowTheKindOfError) {
  using absl::StatusCode;
  const std::vector<Case> cases = {
      {CannotLoadTlsPair("cert_file-x", "key_file-x"),
       StatusCode::kFailedPrecondition, "cert_file-x"},
      {WebRootWithoutIndex("web_root-x"), StatusCode::kFailedPrecondition,
       "web_root-x"},
      {CannotServeConsole("host-x", 701), StatusCode::kUnavailable, "host-x"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.status;
    EXPECT_FALSE(c.status.message().empty()) << c.status;
    EXPECT_NE(c.status.message().find(c.names), std::string::npos)
        << c.status << " should name " << c.names;
  }
}

}  // namespace
}  // namespace renkei::connect::errors
