// Tests of the shared shape checks.
#include "services/domain/validation.h"

#include "gtest/gtest.h"
#include "renkei/v1/sharing.pb.h"

namespace renkei::domain {
namespace {

TEST(ValidationTest, IdsAreShortAndPlain) {
  EXPECT_TRUE(IsValidId("case-2024.001_a"));
  EXPECT_FALSE(IsValidId(""));
  EXPECT_FALSE(IsValidId("with space"));
  EXPECT_FALSE(IsValidId("case/1"));
  EXPECT_FALSE(IsValidId("母"));
  EXPECT_TRUE(IsValidId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidId(std::string(65, 'a')));
}

TEST(ValidationTest, MissingAndInvalidIdsAreDistinguished) {
  EXPECT_EQ(ValidateId("f", ""), errors::MissingField("f"));
  EXPECT_EQ(ValidateId("f", "a b"), errors::InvalidId("f", "a b"));
  EXPECT_TRUE(ValidateOptionalId("f", "").ok());
  EXPECT_EQ(ValidateOptionalId("f", "a b"), errors::InvalidId("f", "a b"));
}

TEST(ValidationTest, IdListsRejectDuplicatesAndMayRequireOne) {
  google::protobuf::RepeatedPtrField<std::string> ids;
  EXPECT_TRUE(ValidateIdList("f", ids, false).ok());
  EXPECT_EQ(ValidateIdList("f", ids, true), errors::MissingField("f"));
  *ids.Add() = "a";
  *ids.Add() = "a";
  EXPECT_EQ(ValidateIdList("f", ids, false).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ValidationTest, UnspecifiedAndUnknownEnumValuesAreInvalid) {
  EXPECT_EQ(RequireEnum("p", 0, &v1::SharingPurpose_IsValid),
            errors::InvalidEnum("p", 0));
  EXPECT_EQ(RequireEnum("p", 999, &v1::SharingPurpose_IsValid),
            errors::InvalidEnum("p", 999));
  EXPECT_TRUE(RequireEnum("p", v1::SHARING_PURPOSE_MEDICAL_CARE,
                          &v1::SharingPurpose_IsValid)
                  .ok());
  google::protobuf::RepeatedField<int> values;
  values.Add(v1::SHARING_PURPOSE_MEDICAL_CARE);
  values.Add(v1::SHARING_PURPOSE_MEDICAL_CARE);
  EXPECT_EQ(
      RequireEnumList("p", values, &v1::SharingPurpose_IsValid, true).code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(ValidationTest, BlankTextIsMissing) {
  EXPECT_EQ(RequireText("reason", "  \n"), errors::MissingField("reason"));
  EXPECT_TRUE(RequireText("reason", "転居").ok());
}

}  // namespace
}  // namespace renkei::domain
