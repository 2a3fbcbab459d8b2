// Each catalogued error carries the status code its kind calls for and names
// what it is about.
#include "clients/cli/errors.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace renkei::cli::errors {
namespace {

struct Case {
  absl::Status status;
  absl::StatusCode code;
  std::string names;  // a part of the message naming an argument
};

TEST(CliErrorsTest, CodesFollowTheKindOfError) {
  using absl::StatusCode;
  const std::vector<Case> cases = {
      {CannotReadDataFile("path-x"), StatusCode::kInvalidArgument, "path-x"},
      {NotSignedIn(), StatusCode::kInvalidArgument, ""},
      {NonPositiveTimeout(), StatusCode::kInvalidArgument, ""},
      {FlagValueInvalid("flag-x", "text-x", "expected-x"),
       StatusCode::kInvalidArgument, "flag-x"},
      {FlagValueRefused("flag-x", absl::InternalError("cause-x")),
       StatusCode::kInvalidArgument, "flag-x"},
      {FlagRenamed("message-x"), StatusCode::kInvalidArgument, "message-x"},
      {NotAnEnumValue("text-x", "enum_name-x", "choices-x"),
       StatusCode::kInvalidArgument, "text-x"},
      {NotATime("text-x"), StatusCode::kInvalidArgument, "text-x"},
      {FieldNotTextual("field-x"), StatusCode::kInvalidArgument, "field-x"},
      {FlagTakesOneValue("flag-x", 701), StatusCode::kInvalidArgument,
       "flag-x"},
      {DataNotJson("request_type-x", "reason-x"), StatusCode::kInvalidArgument,
       "request_type-x"},
      {CannotSaveSession("path-x"), StatusCode::kUnavailable, "path-x"},
      {RpcNotInApi("rpc-x"), StatusCode::kUnimplemented, "rpc-x"},
      {DirectoryServiceMissing(), StatusCode::kUnimplemented, ""},
      {NoSuchField("type-x", "field-x"), StatusCode::kInternal, "type-x"},
      {ReplyUnreadable(), StatusCode::kInternal, ""},
      {ReplyInvalid("type-x"), StatusCode::kInternal, "type-x"},
      {CannotPrintJson("reason-x"), StatusCode::kInternal, "reason-x"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.status;
    EXPECT_FALSE(c.status.message().empty()) << c.status;
    EXPECT_NE(c.status.message().find(c.names), std::string::npos)
        << c.status << " should name " << c.names;
  }
}

}  // namespace
}  // namespace renkei::cli::errors
