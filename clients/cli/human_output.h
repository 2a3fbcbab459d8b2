// Renders responses for people and for scripts: "key: value" lines, nested
// messages indented, repeated messages as aligned tables; or protobuf JSON.
#pragma once

#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace renkei::cli {

// The message as indented "key: value" lines and tables; empty fields are
// left out, except empty lists at the top level, shown as "(none)".
std::string RenderHuman(const google::protobuf::Message& message);

// Rows of `field` (a repeated message field of `parent`) as an aligned table
// with a header; columns that are empty in every row are left out.
std::string RenderTable(const google::protobuf::Message& parent,
                        const google::protobuf::FieldDescriptor& field,
                        int indent);

// Protobuf JSON (canonical field names). Pretty: indented, one document;
// otherwise a single line.
[[nodiscard]] absl::StatusOr<std::string> RenderJson(
    const google::protobuf::Message& message, bool pretty);

// Columns wide enough for Japanese text: East Asian wide characters count 2.
size_t DisplayWidth(absl::string_view utf8);
// Cuts `utf8` to at most `width` columns, ending in "…" when cut.
std::string TruncateToWidth(absl::string_view utf8, size_t width);

// Aligns cells into columns separated by two spaces (no trailing blanks).
std::string AlignRows(const std::vector<std::vector<std::string>>& rows,
                      int indent);

}  // namespace renkei::cli
