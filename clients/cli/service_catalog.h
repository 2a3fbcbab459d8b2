// The Renkei services compiled into this binary (every renkei.v1.*Service of
// the generated descriptor pool) and their command-line names.
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace renkei::cli {

// Sorted by name. Needs the generated code of every service file linked in
// (the CLI links renkei_proto whole).
std::vector<const google::protobuf::ServiceDescriptor*> RenkeiServices();

// "renkei.v1.CaseService" -> "case", "DirectoryService" -> "directory".
std::string ServiceCliName(const google::protobuf::ServiceDescriptor& service);
// "OpenCase" -> "open-case".
std::string MethodCliName(const google::protobuf::MethodDescriptor& method);

// The method named "service method" on the command line, or null.
const google::protobuf::MethodDescriptor* FindMethod(absl::string_view service,
                                                     absl::string_view method);

}  // namespace renkei::cli
