// Text <-> protobuf value conversions for the renkei CLI.
#include "clients/cli/proto_values.h"

#include <cctype>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "clients/cli/errors.h"

namespace renkei::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// "CaseKind" -> "CASE_KIND".
std::string UpperSnake(absl::string_view camel) {
  std::string out;
  for (size_t i = 0; i < camel.size(); ++i) {
    const char c = camel[i];
    if (i > 0 && std::isupper(static_cast<unsigned char>(c)) &&
        !std::isupper(static_cast<unsigned char>(camel[i - 1]))) {
      out.push_back('_');
    }
    out.push_back(
        static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string Normalize(absl::string_view text) {
  std::string out = absl::AsciiStrToUpper(text);
  absl::StrReplaceAll({{"-", "_"}}, &out);
  return out;
}

bool ParseBool(absl::string_view text, bool* out) {
  const std::string t = absl::AsciiStrToLower(text);
  if (t == "true" || t == "1" || t == "yes" || t == "on") {
    *out = true;
    return true;
  }
  if (t == "false" || t == "0" || t == "no" || t == "off") {
    *out = false;
    return true;
  }
  return false;
}

absl::Status BadValue(const FieldDescriptor& field, absl::string_view text,
                      absl::string_view expected) {
  return errors::FlagValueInvalid(KebabCase(field.name()), text, expected);
}

}  // namespace

bool IsTimestamp(const Descriptor& type) {
  return type.full_name() == "google.protobuf.Timestamp";
}

bool IsTextField(const FieldDescriptor& field) {
  if (field.is_map()) return false;
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    return IsTimestamp(*field.message_type());
  }
  return true;
}

std::string EnumPrefix(const EnumDescriptor& type) {
  std::string prefix = UpperSnake(type.name()) + "_";
  bool all = true;
  for (int i = 0; i < type.value_count(); ++i) {
    all = all && absl::StartsWith(type.value(i)->name(), prefix) &&
          type.value(i)->name().size() > prefix.size();
  }
  if (all) return prefix;
  // Fall back to the longest common prefix ending in '_'.
  if (type.value_count() < 2) return "";
  std::string common = type.value(0)->name();
  for (int i = 1; i < type.value_count(); ++i) {
    const std::string& name = type.value(i)->name();
    size_t n = 0;
    while (n < common.size() && n < name.size() && common[n] == name[n]) ++n;
    common.resize(n);
  }
  const size_t cut = common.rfind('_');
  return cut == std::string::npos ? "" : common.substr(0, cut + 1);
}

std::string ShortEnumName(const EnumValueDescriptor& value) {
  std::string name = value.name().substr(EnumPrefix(*value.type()).size());
  name = absl::AsciiStrToLower(name);
  absl::StrReplaceAll({{"_", "-"}}, &name);
  return name;
}

absl::StatusOr<const EnumValueDescriptor*> ParseEnumValue(
    const EnumDescriptor& type, absl::string_view text) {
  const std::string wanted = Normalize(text);
  const std::string prefix = EnumPrefix(type);
  for (int i = 0; i < type.value_count(); ++i) {
    const EnumValueDescriptor* value = type.value(i);
    if (value->name() == wanted || value->name() == prefix + wanted) {
      return value;
    }
  }
  int number = 0;
  if (absl::SimpleAtoi(text, &number)) {
    if (const EnumValueDescriptor* value = type.FindValueByNumber(number)) {
      return value;
    }
  }
  std::vector<std::string> choices;
  for (int i = 0; i < type.value_count(); ++i) {
    if (type.value(i)->number() != 0) {
      choices.push_back(ShortEnumName(*type.value(i)));
    }
  }
  return errors::NotAnEnumValue(text, type.name(),
                                absl::StrJoin(choices, ", "));
}

absl::StatusOr<absl::Time> ParseTime(absl::string_view text, absl::Time now) {
  const std::string t(absl::StripAsciiWhitespace(text));
  if (absl::AsciiStrToLower(t) == "now") return now;
  absl::Time out;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, t, &out, &err)) return out;
  if (absl::ParseTime("%Y-%m-%d", t, absl::UTCTimeZone(), &out, &err)) {
    return out;
  }
  return errors::NotATime(text);
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const absl::Duration since = t - absl::UnixEpoch();
  const int64_t seconds = absl::ToInt64Seconds(since);
  // ToInt64Seconds truncates toward zero; keep nanos in [0, 1e9).
  int64_t nanos = absl::ToInt64Nanoseconds(since - absl::Seconds(seconds));
  int64_t secs = seconds;
  if (nanos < 0) {
    nanos += 1000000000;
    --secs;
  }
  ts.set_seconds(secs);
  ts.set_nanos(static_cast<int32_t>(nanos));
  return ts;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", FromTimestamp(ts),
                          absl::UTCTimeZone());
}

absl::Status SetFieldFromText(Message* message, const FieldDescriptor* field,
                              absl::string_view text, absl::Time now) {
  const Reflection& r = *message->GetReflection();
  const bool rep = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      if (rep) {
        r.AddString(message, field, std::string(text));
      } else {
        r.SetString(message, field, std::string(text));
      }
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v = false;
      if (!ParseBool(text, &v)) return BadValue(*field, text, "true or false");
      rep ? r.AddBool(message, field, v) : r.SetBool(message, field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v = 0;
      if (!absl::SimpleAtoi(text, &v))
        return BadValue(*field, text, "an int32");
      rep ? r.AddInt32(message, field, v) : r.SetInt32(message, field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v = 0;
      if (!absl::SimpleAtoi(text, &v))
        return BadValue(*field, text, "an int64");
      rep ? r.AddInt64(message, field, v) : r.SetInt64(message, field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v = 0;
      if (!absl::SimpleAtoi(text, &v)) {
        return BadValue(*field, text, "a non-negative integer");
      }
      rep ? r.AddUInt32(message, field, v) : r.SetUInt32(message, field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v = 0;
      if (!absl::SimpleAtoi(text, &v)) {
        return BadValue(*field, text, "a non-negative integer");
      }
      rep ? r.AddUInt64(message, field, v) : r.SetUInt64(message, field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v = 0;
      if (!absl::SimpleAtod(text, &v))
        return BadValue(*field, text, "a number");
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        rep ? r.AddDouble(message, field, v) : r.SetDouble(message, field, v);
      } else {
        const float f = static_cast<float>(v);
        rep ? r.AddFloat(message, field, f) : r.SetFloat(message, field, f);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      absl::StatusOr<const EnumValueDescriptor*> v =
          ParseEnumValue(*field->enum_type(), text);
      if (!v.ok()) {
        return errors::FlagValueRefused(KebabCase(field->name()), v.status());
      }
      rep ? r.AddEnum(message, field, *v) : r.SetEnum(message, field, *v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (!IsTimestamp(*field->message_type())) break;
      absl::StatusOr<absl::Time> t = ParseTime(text, now);
      if (!t.ok()) {
        return errors::FlagValueRefused(KebabCase(field->name()), t.status());
      }
      Message* ts =
          rep ? r.AddMessage(message, field) : r.MutableMessage(message, field);
      ts->CopyFrom(ToTimestamp(*t));
      return absl::OkStatus();
    }
  }
  return errors::FieldNotTextual(field->full_name());
}

namespace {

std::string MessageText(const Message& m) {
  const Descriptor& type = *m.GetDescriptor();
  if (IsTimestamp(type)) {
    google::protobuf::Timestamp ts;
    ts.CopyFrom(m);
    return FormatTimestamp(ts);
  }
  if (type.full_name() == "google.protobuf.Any") {
    const FieldDescriptor* url = type.FindFieldByName("type_url");
    std::string u = m.GetReflection()->GetString(m, url);
    const size_t slash = u.rfind('/');
    return slash == std::string::npos ? u : u.substr(slash + 1);
  }
  if (type.full_name() == "renkei.v1.Actor") {
    const Reflection& r = *m.GetReflection();
    const std::string staff = r.GetString(m, type.FindFieldByName("staff_id"));
    const std::string agency =
        r.GetString(m, type.FindFieldByName("agency_id"));
    if (agency.empty()) return staff;
    return absl::StrCat(staff, "@", agency);
  }
  return CompactText(m);
}

// "a=1 b.c=x,y" over the fields that are set.
void AppendCompact(const Message& m, const std::string& prefix,
                   std::vector<std::string>* parts) {
  const Reflection& r = *m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r.ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string key = prefix + f->name();
    const bool plain_message =
        f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        !IsTimestamp(*f->message_type()) &&
        f->message_type()->full_name() != "google.protobuf.Any" &&
        f->message_type()->full_name() != "renkei.v1.Actor";
    if (plain_message && !f->is_repeated()) {
      AppendCompact(r.GetMessage(m, f), key + ".", parts);
      continue;
    }
    if (f->is_repeated()) {
      std::vector<std::string> values;
      for (int i = 0; i < r.FieldSize(m, f); ++i) {
        values.push_back(
            plain_message
                ? absl::StrCat("{", MessageText(r.GetRepeatedMessage(m, f, i)),
                               "}")
                : FieldValueText(m, f, i));
      }
      parts->push_back(absl::StrCat(key, "=", absl::StrJoin(values, ",")));
    } else {
      parts->push_back(absl::StrCat(key, "=", FieldValueText(m, f, -1)));
    }
  }
}

}  // namespace

std::string CompactText(const Message& message) {
  std::vector<std::string> parts;
  AppendCompact(message, "", &parts);
  return absl::StrJoin(parts, " ");
}

std::string AnyText(const google::protobuf::Any& any) {
  const std::string& url = any.type_url();
  const std::string type_name = url.substr(url.rfind('/') + 1);
  const Descriptor* type =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          type_name);
  if (type == nullptr) return type_name;
  std::unique_ptr<Message> message(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(type)
          ->New());
  if (!message->ParseFromString(any.value())) return type_name;
  return CompactText(*message);
}

std::string FieldValueText(const Message& message, const FieldDescriptor* field,
                           int index) {
  const Reflection& r = *message.GetReflection();
  const bool rep = index >= 0;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v = rep ? r.GetRepeatedString(message, field, index)
                          : r.GetString(message, field);
      if (field->type() == FieldDescriptor::TYPE_BYTES) {
        return absl::BytesToHexString(v);
      }
      return v;
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r.GetRepeatedBool(message, field, index)
                  : r.GetBool(message, field))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r.GetRepeatedInt32(message, field, index)
                              : r.GetInt32(message, field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(rep ? r.GetRepeatedInt64(message, field, index)
                              : r.GetInt64(message, field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r.GetRepeatedUInt32(message, field, index)
                              : r.GetUInt32(message, field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r.GetRepeatedUInt64(message, field, index)
                              : r.GetUInt64(message, field));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(rep ? r.GetRepeatedDouble(message, field, index)
                              : r.GetDouble(message, field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(rep ? r.GetRepeatedFloat(message, field, index)
                              : r.GetFloat(message, field));
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumValueDescriptor* v =
          rep ? r.GetRepeatedEnum(message, field, index)
              : r.GetEnum(message, field);
      return ShortEnumName(*v);
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return MessageText(rep ? r.GetRepeatedMessage(message, field, index)
                             : r.GetMessage(message, field));
  }
  return "";
}

std::string KebabCase(absl::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '_') {
      out.push_back('-');
    } else if (std::isupper(static_cast<unsigned char>(c))) {
      if (i > 0 && name[i - 1] != '_' &&
          !std::isupper(static_cast<unsigned char>(name[i - 1]))) {
        out.push_back('-');
      }
      out.push_back(
          static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace renkei::cli
