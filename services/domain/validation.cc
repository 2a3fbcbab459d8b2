// Shape checks shared by all deciders.
#include "services/domain/validation.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "storage/validation.h"

namespace renkei::domain {

bool IsValidId(absl::string_view id) { return storage::IsValidId(id); }

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return errors::MissingField(field);
  if (!IsValidId(id)) return errors::InvalidId(field, id);
  return absl::OkStatus();
}

absl::Status ValidateOptionalId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return absl::OkStatus();
  return ValidateId(field, id);
}

absl::Status ValidateIdList(
    absl::string_view field,
    const google::protobuf::RepeatedPtrField<std::string>& ids,
    bool require_one) {
  if (require_one && ids.empty()) return errors::MissingField(field);
  std::set<absl::string_view> seen;
  for (const std::string& id : ids) {
    if (!IsValidId(id)) return errors::InvalidId(field, id);
    if (!seen.insert(id).second) {
      return errors::InvalidField(field,
                                  absl::StrCat("lists '", id, "' twice."));
    }
  }
  return absl::OkStatus();
}

absl::Status RequireText(absl::string_view field, absl::string_view text) {
  if (absl::StripAsciiWhitespace(text).empty()) {
    return errors::MissingField(field);
  }
  return absl::OkStatus();
}

absl::Status ValidateTimestamp(absl::string_view field,
                               const google::protobuf::Timestamp& ts) {
  // 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, as google.protobuf.Timestamp.
  constexpr int64_t kMinSeconds = -62135596800;
  constexpr int64_t kMaxSeconds = 253402300799;
  if (ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds ||
      ts.nanos() < 0 || ts.nanos() > 999999999) {
    return errors::InvalidField(field, "is not a valid point in time.");
  }
  return absl::OkStatus();
}

absl::Status RequireEnumList(absl::string_view field,
                             const google::protobuf::RepeatedField<int>& values,
                             bool (*is_valid)(int), bool require_one) {
  if (require_one && values.empty()) return errors::MissingField(field);
  std::set<int> seen;
  for (int value : values) {
    if (absl::Status s = RequireEnum(field, value, is_valid); !s.ok()) return s;
    if (!seen.insert(value).second) {
      return errors::InvalidField(field, "lists the same value twice.");
    }
  }
  return absl::OkStatus();
}

}  // namespace renkei::domain
