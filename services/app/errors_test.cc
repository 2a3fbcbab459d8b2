// Each catalogued application error carries the status code its kind calls
// for and names what it is about.
#include "services/app/errors.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace renkei::app::errors {
namespace {

struct Case {
  absl::Status status;
  absl::StatusCode code;
  std::string names;  // a part of the message naming an argument
};

TEST(AppErrorsTest, CodesFollowTheKindOfError) {
  using absl::StatusCode;
  const std::vector<Case> cases = {
      {CachedStreamAhead("stream_id-x"), StatusCode::kInternal, "stream_id-x"},
      {CaseReadNotRecorded("case_id-x", absl::InternalError("cause-x")),
       StatusCode::kUnavailable, "case_id-x"},
      {CertificateStaffUnknown("staff_id-x"), StatusCode::kUnauthenticated,
       "staff_id-x"},
      {CommandKeyReused("idempotency_key-x", 701, 702),
       StatusCode::kAlreadyExists, "idempotency_key-x"},
      {FingerprintMissing(), StatusCode::kInternal, ""},
      {IdempotencyKeyInvalid(700), StatusCode::kInvalidArgument, "700"},
      {IdempotencyKeyMissing(), StatusCode::kInvalidArgument, ""},
      {NoReadModels(), StatusCode::kUnimplemented, ""},
      {ReadModelsBehind(700, 701, absl::InternalError("cause-x")),
       StatusCode::kUnavailable, "700"},
      {SecurityLogNotAppended(absl::InternalError("cause-x")),
       StatusCode::kUnavailable, "cause-x"},
      {ServerBusy(700), StatusCode::kResourceExhausted, "700"},
      {SessionEnded("staff_id-x"), StatusCode::kUnauthenticated, "staff_id-x"},
      {ShuttingDown(), StatusCode::kUnavailable, ""},
      {ShuttingDownNothingWritten(), StatusCode::kUnavailable, ""},
      {StaffLeftMayNotRead("staff_id-x"), StatusCode::kPermissionDenied,
       "staff_id-x"},
      {StaffNotInDirectory("staff_id-x", "what-x"),
       StatusCode::kPermissionDenied, "staff_id-x"},
      {StaffOfAnotherAgency("staff_id-x", "agency_id-x", "claimed_agency_id-x"),
       StatusCode::kPermissionDenied, "staff_id-x"},
      {UnknownAccessKind(), StatusCode::kInternal, ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.status;
    EXPECT_FALSE(c.status.message().empty()) << c.status;
    EXPECT_NE(c.status.message().find(c.names), std::string::npos)
        << c.status << " should name " << c.names;
  }
}

}  // namespace
}  // namespace renkei::app::errors
