// Each catalogued error carries the status code its kind calls for and names
// what it is about.
#include "services/privacy/errors.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace renkei::privacy::errors {
namespace {

struct Case {
  absl::Status status;
  absl::StatusCode code;
  std::string names;  // a part of the message naming an argument
};

TEST(PrivacyErrorsTest, CodesFollowTheKindOfError) {
  using absl::StatusCode;
  const std::vector<Case> cases = {
      {KekWrongSize(), StatusCode::kInvalidArgument, ""},
      {NewKekWrongSize(), StatusCode::kInvalidArgument, ""},
      {NewKekInUse(), StatusCode::kInvalidArgument, ""},
      {KekTextMalformed("source-x", 701), StatusCode::kInvalidArgument,
       "source-x"},
      {SubjectErasedNamesNoSubject(), StatusCode::kInvalidArgument, ""},
      {ProposedAlreadySealed(), StatusCode::kInvalidArgument, ""},
      {PayloadDoesNotParse("event_id-x", "type_url-x"),
       StatusCode::kInvalidArgument, "event_id-x"},
      {DataKeyNotFound("key_id-x"), StatusCode::kNotFound, "key_id-x"},
      {KekFileExists("path-x"), StatusCode::kAlreadyExists, "path-x"},
      {KekFileUnusable("path-x", "what-x"), StatusCode::kFailedPrecondition,
       "path-x"},
      {CannotCreateKekFile("path-x", "reason-x"),
       StatusCode::kFailedPrecondition, "path-x"},
      {WrongKek("path-x", 701), StatusCode::kFailedPrecondition, "path-x"},
      {DataErased("key_id-x"), StatusCode::kFailedPrecondition, "key_id-x"},
      {SealedValueMalformed(), StatusCode::kDataLoss, ""},
      {SealedValueDoesNotDecrypt(), StatusCode::kDataLoss, ""},
      {DataKeyDoesNotUnwrap("key_id-x", absl::InternalError("cause-x")),
       StatusCode::kDataLoss, "key_id-x"},
      {KekRecordMissing("path-x"), StatusCode::kDataLoss, "path-x"},
      {CheckRecordUnreadable("path-x"), StatusCode::kDataLoss, "path-x"},
      {DataKeyUnreadable("key_id-x"), StatusCode::kDataLoss, "key_id-x"},
      {DataKeyMissing("key_id-x"), StatusCode::kDataLoss, "key_id-x"},
      {SealedPayloadUnreadable(700), StatusCode::kDataLoss, "700"},
      {DataKeyVersionMismatch(700, 701, "key_id-x", 703), StatusCode::kDataLoss,
       "700"},
      {UnsealFailed(700, absl::InternalError("cause-x")), StatusCode::kDataLoss,
       "700"},
      {PublicPartUnreadable(700), StatusCode::kDataLoss, "700"},
      {PersonalPartUnreadable(700), StatusCode::kDataLoss, "700"},
      {SodiumInitFailed(), StatusCode::kInternal, ""},
      {CannotWriteKekFile("path-x", "reason-x"), StatusCode::kInternal,
       "path-x"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.status;
    EXPECT_FALSE(c.status.message().empty()) << c.status;
    EXPECT_NE(c.status.message().find(c.names), std::string::npos)
        << c.status << " should name " << c.names;
  }
}

}  // namespace
}  // namespace renkei::privacy::errors
