// Shape checks shared by all deciders: ids, required text, enums, timestamps.
// Each returns INVALID_ARGUMENT from the error catalogue.
#ifndef RENKEI_SERVICES_DOMAIN_VALIDATION_H_
#define RENKEI_SERVICES_DOMAIN_VALIDATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/domain/errors.h"

namespace renkei::domain {

// Ids follow the one policy of every layer, storage::IsValidId: 1-64
// characters of [A-Za-z0-9._-].
[[nodiscard]] bool IsValidId(absl::string_view id);
[[nodiscard]] absl::Status ValidateId(absl::string_view field,
                                      absl::string_view id);
// As ValidateId, but empty is allowed.
[[nodiscard]] absl::Status ValidateOptionalId(absl::string_view field,
                                              absl::string_view id);
// Non-empty, not only whitespace, each a valid id, no duplicates.
[[nodiscard]] absl::Status ValidateIdList(
    absl::string_view field,
    const google::protobuf::RepeatedPtrField<std::string>& ids,
    bool require_one);
[[nodiscard]] absl::Status RequireText(absl::string_view field,
                                       absl::string_view text);
[[nodiscard]] absl::Status ValidateTimestamp(
    absl::string_view field, const google::protobuf::Timestamp& ts);

// `value` must be a known, non-UNSPECIFIED (non-zero) value of the enum whose
// generated `Xxx_IsValid` is `is_valid`.
[[nodiscard]] inline absl::Status RequireEnum(absl::string_view field,
                                              int value,
                                              bool (*is_valid)(int)) {
  if (value == 0 || !is_valid(value)) return errors::InvalidEnum(field, value);
  return absl::OkStatus();
}

// Every value valid (as RequireEnum) and distinct; at least one if asked.
[[nodiscard]] absl::Status RequireEnumList(
    absl::string_view field, const google::protobuf::RepeatedField<int>& values,
    bool (*is_valid)(int), bool require_one);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_VALIDATION_H_
