// Each catalogued error carries the status code its kind calls for and names
// what it is about.
#include "services/read_models/errors.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace renkei::read_models::errors {
namespace {

struct Case {
  absl::Status status;
  absl::StatusCode code;
  std::string names;  // a part of the message naming an argument
};

TEST(ReadModelErrorsTest, CodesFollowTheKindOfError) {
  using absl::StatusCode;
  const std::vector<Case> cases = {
      {CaseNotFound("case_id-x"), StatusCode::kNotFound, "case_id-x"},
      {AheadOfLog(), StatusCode::kFailedPrecondition, ""},
      {CannotDelete("path-x", "reason-x"), StatusCode::kFailedPrecondition,
       "path-x"},
      {CannotOpenDirectoryToSync("dir-x"), StatusCode::kFailedPrecondition,
       "dir-x"},
      {CannotSyncDirectory("dir-x"), StatusCode::kFailedPrecondition, "dir-x"},
      {CannotMoveAside("path-x", "reason-x"), StatusCode::kFailedPrecondition,
       "path-x"},
      {RowMalformed("what-x"), StatusCode::kDataLoss, "what-x"},
      {EventUnreadable(700, "event_type-x"), StatusCode::kDataLoss, "700"},
      {LayoutMismatch("path-x", "layout-x", "expected-x"),
       StatusCode::kDataLoss, "path-x"},
      {LayoutUnrecorded("path-x", "expected-x"), StatusCode::kDataLoss,
       "path-x"},
      {CheckpointMalformed(), StatusCode::kDataLoss, ""},
      {// guarantee exists: the read models disagree with the log.
       ImpossibleEvent("event_type-x", "event_id-x", "missing-x"),
       StatusCode::kInternal, "event_type-x"},
      {CannotRecordLayout(), StatusCode::kInternal, ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.status;
    EXPECT_FALSE(c.status.message().empty()) << c.status;
    EXPECT_NE(c.status.message().find(c.names), std::string::npos)
        << c.status << " should name " << c.names;
  }
}

}  // namespace
}  // namespace renkei::read_models::errors
