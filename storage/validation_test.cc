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

// The one id policy every layer uses: 1-64 characters of [A-Za-z0-9._-].
TEST(ValidationTest, Ids) {
  EXPECT_TRUE(IsValidId("case-2024.001_a"));
  EXPECT_TRUE(IsValidId("cw-sato"));
  EXPECT_TRUE(IsValidId("123e4567-e89b-12d3-a456-426614174000"));  // a UUID
  EXPECT_TRUE(IsValidId(std::string(kMaxIdBytes, 'a')));
  EXPECT_FALSE(IsValidId(std::string(kMaxIdBytes + 1, 'a')));
  EXPECT_FALSE(IsValidId(""));
  EXPECT_FALSE(IsValidId("with space"));
  EXPECT_FALSE(IsValidId("case/1"));
  EXPECT_FALSE(IsValidId("a:b"));
  EXPECT_FALSE(IsValidId("母"));
  EXPECT_FALSE(IsValidId(std::string("a\0b", 3)));
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
