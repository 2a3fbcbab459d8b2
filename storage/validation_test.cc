#include "storage/validation.h"

#include <gtest/gtest.h>

namespace renkei::storage {
namespace {

TEST(ValidationTest, Uuid) {
  EXPECT_TRUE(IsUuid("123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_TRUE(IsUuid("123E4567-E89B-12D3-A456-426614174000"));
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("123e4567e89b12d3a456426614174000"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-42661417400g"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-4266141740000"));
}

TEST(ValidationTest, Utf8) {
  EXPECT_TRUE(IsValidUtf8("case"));
  EXPECT_TRUE(IsValidUtf8("要対協"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xe8\xa6"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
}

TEST(ValidationTest, StreamIds) {
  EXPECT_TRUE(ValidateStreamId("case-要対協-1").ok());
  EXPECT_TRUE(ValidateStreamId(std::string(256, 'a')).ok());
  EXPECT_EQ(ValidateStreamId("").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateStreamId(std::string(257, 'a')).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateStreamId(std::string("a\0b", 3)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateStreamId("a\x7f").code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace renkei::storage
