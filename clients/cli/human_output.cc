// Human-readable and JSON rendering of responses for the renkei CLI.
#include "clients/cli/human_output.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/errors.h"
#include "clients/cli/proto_values.h"

namespace renkei::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr size_t kMaxCellWidth = 40;
constexpr int kMaxSmallLeaves = 12;

// Messages shown as one value (a time, an actor, an Any's type).
bool IsOneValue(const Descriptor& type) {
  return IsTimestamp(type) || type.full_name() == "google.protobuf.Any" ||
         type.full_name() == "renkei.v1.Actor";
}

bool IsValueField(const FieldDescriptor& f) {
  return f.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
         IsOneValue(*f.message_type());
}

// Text fields reachable through singular messages; -1 when the message holds
// a repeated message (it cannot be flattened into columns).
int SmallLeafCount(const Descriptor& type, int depth) {
  if (depth > 3) return -1;
  int count = 0;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& f = *type.field(i);
    if (IsValueField(f)) {
      ++count;
    } else if (f.is_repeated()) {
      return -1;
    } else {
      const int inner = SmallLeafCount(*f.message_type(), depth + 1);
      if (inner < 0) return -1;
      count += inner;
    }
  }
  return count;
}

using Column = std::vector<const FieldDescriptor*>;

// Columns preferred for types people read often (dotted names reach into
// nested messages); others get every column.
const std::map<std::string, std::vector<std::string>>& PreferredColumns() {
  static const auto* columns =
      new std::map<std::string, std::vector<std::string>>{
          {"renkei.v1.TimelineItemView",
           {"position", "occurred_at", "recorded_at", "actor", "event_type",
            "ref_id", "subject_ids", "redaction_reason", "basis", "summary"}},
          {"renkei.v1.EventEnvelope",
           {"position", "stream_id", "stream_version", "event_type",
            "occurred_at", "recorded_at", "actor"}},
          {"renkei.v1.LeadPeriod",
           {"stage_id", "lead", "valid_from", "valid_to", "fact.change",
            "fact.known_at", "fact.recorded_by", "fact.decision",
            "fact.handover_id", "fact.designated_by_coordinating_body",
            "fact.reason"}},
      };
  return *columns;
}

// Appends the column for `prefix` (a path ending in a field), or the columns
// of its fields when it is a small message.
void AddColumns(Column* prefix, std::vector<Column>* out);

void CollectColumns(const Descriptor& type, Column* prefix,
                    std::vector<Column>* out) {
  auto preferred = PreferredColumns().find(type.full_name());
  if (prefix->empty() && preferred != PreferredColumns().end()) {
    for (const std::string& dotted : preferred->second) {
      Column path;
      const Descriptor* at = &type;
      for (absl::string_view name : absl::StrSplit(dotted, '.')) {
        const FieldDescriptor* f =
            at == nullptr ? nullptr : at->FindFieldByName(std::string(name));
        if (f == nullptr) {
          path.clear();
          break;
        }
        path.push_back(f);
        at = f->message_type();
      }
      if (!path.empty()) AddColumns(&path, out);
    }
    return;
  }
  for (int i = 0; i < type.field_count(); ++i) {
    prefix->push_back(type.field(i));
    AddColumns(prefix, out);
    prefix->pop_back();
  }
}

void AddColumns(Column* prefix, std::vector<Column>* out) {
  const FieldDescriptor* f = prefix->back();
  const bool flatten = !IsValueField(*f) && !f->is_repeated() &&
                       prefix->size() < 3 &&
                       SmallLeafCount(*f->message_type(), 0) >= 0 &&
                       SmallLeafCount(*f->message_type(), 0) <= kMaxSmallLeaves;
  if (flatten) {
    CollectColumns(*f->message_type(), prefix, out);
  } else {
    out->push_back(*prefix);
  }
}

// Rows too rich for a table: elements holding lists of messages, unless the
// type has preferred columns.
bool IsBlockElement(const Descriptor& type) {
  if (PreferredColumns().count(type.full_name())) return false;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& f = *type.field(i);
    if (f.is_repeated() && !IsValueField(f)) return true;
  }
  return false;
}

std::string CellText(const Message& row, const Column& column) {
  const Message* m = &row;
  for (size_t i = 0; i + 1 < column.size(); ++i) {
    if (!m->GetReflection()->HasField(*m, column[i])) return "";
    m = &m->GetReflection()->GetMessage(*m, column[i]);
  }
  const FieldDescriptor* f = column.back();
  const Reflection& r = *m->GetReflection();
  if (f->is_repeated()) {
    std::vector<std::string> values;
    for (int i = 0; i < r.FieldSize(*m, f); ++i) {
      values.push_back(FieldValueText(*m, f, i));
    }
    return absl::StrJoin(values, IsValueField(*f) ? "," : "; ");
  }
  if (!r.HasField(*m, f)) return "";
  std::string text = FieldValueText(*m, f, -1);
  if (f->name() == "event_type" && absl::StartsWith(text, "renkei.v1.")) {
    text = text.substr(10);
  }
  return text;
}

// The shortest suffix of the column's path that ends no other column's path,
// after the first field ("TERMS.AGENCY_IDS" for terms.scope.agency_ids).
std::string ColumnHeader(const Column& column,
                         const std::vector<const Column*>& all) {
  auto ends_with = [](const Column& path, size_t k, const Column& suffix_of) {
    if (path.size() < k) return false;
    for (size_t i = 1; i <= k; ++i) {
      if (path[path.size() - i]->name() !=
          suffix_of[suffix_of.size() - i]->name()) {
        return false;
      }
    }
    return true;
  };
  size_t k = 1;
  for (; k < column.size(); ++k) {
    bool shared = false;
    for (const Column* other : all) {
      shared = shared || (other != &column && ends_with(*other, k, column));
    }
    if (!shared) break;
  }
  std::vector<std::string> names;
  // A flattened column keeps the field it comes from: "BASIS.AGENCY_ID".
  if (k < column.size()) names.push_back(column[0]->name());
  for (size_t i = column.size() - k; i < column.size(); ++i) {
    names.push_back(column[i]->name());
  }
  return absl::AsciiStrToUpper(absl::StrJoin(names, "."));
}

// Decodes one UTF-8 code point at `i`; advances i. Invalid bytes count as one.
uint32_t NextCodePoint(absl::string_view s, size_t* i) {
  const unsigned char c = static_cast<unsigned char>(s[*i]);
  int len = c < 0x80         ? 1
            : (c >> 5) == 6  ? 2
            : (c >> 4) == 14 ? 3
            : (c >> 3) == 30 ? 4
                             : 1;
  if (*i + len > s.size()) len = 1;
  uint32_t cp = len == 1 ? c : c & (0x7f >> len);
  for (int k = 1; k < len; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3f);
  }
  *i += len;
  return cp;
}

int CodePointWidth(uint32_t cp) {
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
      (cp >= 0x20000 && cp <= 0x3FFFD)) {
    return 2;
  }
  return 1;
}

// At the top level, lists (even empty), numbers and flags are always shown;
// empty text, unset enums and unset messages are not. A command's reply
// lists what it shared only when it shared something.
bool IsShownAtTop(const Message& m, const FieldDescriptor& f) {
  if (f.is_repeated()) {
    return m.GetDescriptor()->full_name() != "renkei.v1.CommandReply";
  }
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
    case FieldDescriptor::CPPTYPE_STRING:
    case FieldDescriptor::CPPTYPE_ENUM:
      return m.GetReflection()->HasField(m, &f);
    default:
      return true;
  }
}

void Render(const Message& m, int indent, bool top, std::string* out) {
  const Descriptor& type = *m.GetDescriptor();
  const Reflection& r = *m.GetReflection();
  std::vector<const FieldDescriptor*> shown;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* f = type.field(i);
    const bool present =
        f->is_repeated() ? r.FieldSize(m, f) > 0 : r.HasField(m, f);
    if (present || (top && IsShownAtTop(m, *f))) shown.push_back(f);
  }
  size_t key_width = 0;
  for (const FieldDescriptor* f : shown) {
    key_width = std::max(key_width, f->name().size() + 1);
  }
  const std::string pad(indent, ' ');
  for (const FieldDescriptor* f : shown) {
    const std::string key = f->name() + ":";
    if (!IsValueField(*f) && f->is_repeated()) {
      if (r.FieldSize(m, f) == 0) {
        absl::StrAppend(out, pad, key, " (none)\n");
      } else if (IsBlockElement(*f->message_type())) {
        for (int i = 0; i < r.FieldSize(m, f); ++i) {
          absl::StrAppend(out, pad, f->name(), "[", i, "]:\n");
          Render(r.GetRepeatedMessage(m, f, i), indent + 2, false, out);
        }
      } else {
        absl::StrAppend(out, pad, key, "\n", RenderTable(m, *f, indent + 2));
      }
      continue;
    }
    if (!IsValueField(*f)) {
      absl::StrAppend(out, pad, key, "\n");
      Render(r.GetMessage(m, f), indent + 2, false, out);
      continue;
    }
    std::string value;
    if (f->is_repeated()) {
      std::vector<std::string> values;
      for (int i = 0; i < r.FieldSize(m, f); ++i) {
        values.push_back(FieldValueText(m, f, i));
      }
      value = absl::StrJoin(values, ", ");
    } else {
      value = FieldValueText(m, f, -1);
    }
    absl::StrAppend(out, pad, key, std::string(key_width - key.size() + 1, ' '),
                    value, "\n");
  }
}

}  // namespace

size_t DisplayWidth(absl::string_view utf8) {
  size_t width = 0;
  for (size_t i = 0; i < utf8.size();) {
    width += CodePointWidth(NextCodePoint(utf8, &i));
  }
  return width;
}

std::string TruncateToWidth(absl::string_view utf8, size_t width) {
  if (DisplayWidth(utf8) <= width) return std::string(utf8);
  std::string out;
  size_t used = 0;
  for (size_t i = 0; i < utf8.size();) {
    const size_t start = i;
    const int w = CodePointWidth(NextCodePoint(utf8, &i));
    if (used + w + 1 > width) break;
    used += w;
    out.append(utf8.data() + start, i - start);
  }
  return out + "…";
}

std::string AlignRows(const std::vector<std::vector<std::string>>& rows,
                      int indent) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line(indent, ' ');
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) {
        line += std::string(widths[c] - DisplayWidth(row[c]) + 2, ' ');
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string RenderTable(const Message& parent, const FieldDescriptor& field,
                        int indent) {
  const Reflection& r = *parent.GetReflection();
  std::vector<Column> columns;
  Column prefix;
  CollectColumns(*field.message_type(), &prefix, &columns);

  const int n = r.FieldSize(parent, &field);
  std::vector<std::vector<std::string>> cells(n);
  std::vector<bool> used(columns.size(), false);
  for (int i = 0; i < n; ++i) {
    const Message& row = r.GetRepeatedMessage(parent, &field, i);
    for (size_t c = 0; c < columns.size(); ++c) {
      cells[i].push_back(CellText(row, columns[c]));
      used[c] = used[c] || !cells[i].back().empty();
    }
  }
  std::vector<size_t> kept;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (used[c]) kept.push_back(c);
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<const Column*> kept_columns;
  for (size_t c : kept) kept_columns.push_back(&columns[c]);
  std::vector<std::string> header;
  for (size_t c : kept)
    header.push_back(ColumnHeader(columns[c], kept_columns));
  rows.push_back(header);
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> row;
    for (size_t k = 0; k < kept.size(); ++k) {
      const std::string& cell = cells[i][kept[k]];
      // The last column may run long without disturbing the alignment.
      row.push_back(
          k + 1 == kept.size() ? cell : TruncateToWidth(cell, kMaxCellWidth));
    }
    rows.push_back(row);
  }
  return AlignRows(rows, indent);
}

std::string RenderHuman(const Message& message) {
  std::string out;
  Render(message, 0, true, &out);
  if (out.empty()) out = "(empty reply)\n";
  return out;
}

absl::StatusOr<std::string> RenderJson(const Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  std::string out;
  const auto status =
      google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) {
    return errors::CannotPrintJson(status.message().ToString());
  }
  if (!pretty) return out;
  // add_whitespace leaves a newline at the end already.
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
  return out;
}

}  // namespace renkei::cli
