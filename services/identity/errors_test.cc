// Each catalogued error carries the status code its kind calls for and names
// what it is about.
#include "services/identity/errors.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace renkei::identity::errors {
namespace {

struct Case {
  absl::Status status;
  absl::StatusCode code;
  std::string names;  // a part of the message naming an argument
};

TEST(IdentityErrorsTest, CodesFollowTheKindOfError) {
  using absl::StatusCode;
  const std::vector<Case> cases = {
      {PasswordTooLong(700), StatusCode::kInvalidArgument, "700"},
      {PasswordTooShort(700, 701), StatusCode::kInvalidArgument, "700"},
      {WrongCredentials(), StatusCode::kUnauthenticated, ""},
      {NotASessionToken(), StatusCode::kUnauthenticated, ""},
      {SessionEnded(), StatusCode::kUnauthenticated, ""},
      {SessionExpired(absl::FromUnixSeconds(1700000000)),
       StatusCode::kUnauthenticated, ""},
      {SessionAlreadyEnded(), StatusCode::kUnauthenticated, ""},
      {CurrentPasswordWrong(), StatusCode::kPermissionDenied, ""},
      {AccountLocked("staff_id-x", 701, absl::FromUnixSeconds(1700000000)),
       StatusCode::kFailedPrecondition, "staff_id-x"},
      {SignInThrottled("staff_id-x", 701, absl::Minutes(5)),
       StatusCode::kResourceExhausted, "staff_id-x"},
      {TooManySignInsAtOnce(), StatusCode::kResourceExhausted, ""},
      {SignInInProgress("staff_id-x"), StatusCode::kResourceExhausted,
       "staff_id-x"},
      {OutOfHashMemory(), StatusCode::kResourceExhausted, ""},
      {RowUnreadable("key-x"), StatusCode::kDataLoss, "key-x"},
      {SodiumInitFailed(), StatusCode::kInternal, ""},
      {ResultUnset(), StatusCode::kInternal, ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.status;
    EXPECT_FALSE(c.status.message().empty()) << c.status;
    EXPECT_NE(c.status.message().find(c.names), std::string::npos)
        << c.status << " should name " << c.names;
  }
}

}  // namespace
}  // namespace renkei::identity::errors
