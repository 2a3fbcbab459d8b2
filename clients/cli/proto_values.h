// Conversions between command-line text and protobuf field values: enum names
// (full or short, any case, kebab or snake), RFC 3339 timestamps and scalars;
// and back to text for display.
#pragma once

#include <google/protobuf/any.pb.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace renkei::cli {

// True for google.protobuf.Timestamp, which the CLI treats as a scalar.
bool IsTimestamp(const google::protobuf::Descriptor& type);
// True for fields given on the command line as text: scalars, enums and
// timestamps, singular or repeated.
bool IsTextField(const google::protobuf::FieldDescriptor& field);

// The prefix every value of `type` shares, e.g. "CASE_KIND_" for CaseKind.
std::string EnumPrefix(const google::protobuf::EnumDescriptor& type);
// CASE_KIND_HOUSEHOLD -> "household", RELATIONSHIP_HEAD_OF_HOUSEHOLD ->
// "head-of-household".
std::string ShortEnumName(const google::protobuf::EnumValueDescriptor& value);
// Accepts "household", "HOUSEHOLD", "case-kind-household",
// "CASE_KIND_HOUSEHOLD" or the number "1". INVALID_ARGUMENT lists the choices.
[[nodiscard]] absl::StatusOr<const google::protobuf::EnumValueDescriptor*>
ParseEnumValue(const google::protobuf::EnumDescriptor& type,
               absl::string_view text);

// RFC 3339 with any offset ("2024-04-01T09:00:00+09:00"), a date
// ("2024-04-01", meaning 00:00 UTC) or "now".
[[nodiscard]] absl::StatusOr<absl::Time> ParseTime(absl::string_view text,
                                                   absl::Time now);
google::protobuf::Timestamp ToTimestamp(absl::Time t);
absl::Time FromTimestamp(const google::protobuf::Timestamp& ts);
// "2024-04-01T09:00:00Z": whole seconds, for people (JSON keeps the rest).
std::string FormatTimestamp(const google::protobuf::Timestamp& ts);

// Sets `field` of `message` from text; appends when the field is repeated.
// REQUIRES: IsTextField(*field) and field belongs to message's type.
[[nodiscard]] absl::Status SetFieldFromText(
    google::protobuf::Message* message,
    const google::protobuf::FieldDescriptor* field, absl::string_view text,
    absl::Time now);

// The text of one value of `field` for display: element `index` of a repeated
// field, or the singular value when index < 0. Enums use ShortEnumName,
// timestamps FormatTimestamp, bytes lowercase hex; a message (other than a
// timestamp) is shown as its compact text.
std::string FieldValueText(const google::protobuf::Message& message,
                           const google::protobuf::FieldDescriptor* field,
                           int index);

// "a=1 b.c=x,y" over the fields of `message` that are set.
std::string CompactText(const google::protobuf::Message& message);
// The message packed in `any` as CompactText when its type is compiled in;
// otherwise its type name.
std::string AnyText(const google::protobuf::Any& any);

// snake_case or CamelCase -> kebab-case ("OpenCase" -> "open-case").
std::string KebabCase(absl::string_view name);

}  // namespace renkei::cli
