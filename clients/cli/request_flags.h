// Builds a request message from the command line: --data JSON (protobuf JSON
// mapping), then one flag per text field reachable from the request through
// singular message fields (the command's fields included), named by the
// shortest kebab-case suffix of the field path that no other field shares.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace renkei::cli {

struct FieldFlag {
  std::string name;  // without the leading "--"
  // From the request message down to the text field the flag sets.
  std::vector<const google::protobuf::FieldDescriptor*> path;

  const google::protobuf::FieldDescriptor& leaf() const { return *path.back(); }
  bool repeated() const { return leaf().is_repeated(); }
  bool is_bool() const {
    return leaf().cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_BOOL;
  }
  // "request.command.entry.subject_ids" style path, for help and errors.
  std::string DottedPath() const;
  // One line for --help: type, choices of an enum, repetition.
  std::string Help() const;
};

// Flag names the CLI keeps for itself; fields that would take one of them get
// a longer suffix.
const std::vector<std::string>& ReservedFlagNames();

// The flags of `request`, in field order. Fields whose names cannot be made
// unique (or that sit under repeated messages) are left to --data.
std::vector<FieldFlag> FlagsFor(const google::protobuf::Descriptor& request);

// Sets the flag's field from its values (a repeated field is replaced by
// them). A bool flag given without a value arrives as "true".
[[nodiscard]] absl::Status ApplyFlag(const FieldFlag& flag,
                                     const std::vector<std::string>& values,
                                     absl::Time now,
                                     google::protobuf::Message* request);

// Parses protobuf JSON into `request` (which it replaces). INVALID_ARGUMENT
// names the problem.
[[nodiscard]] absl::Status MergeJson(absl::string_view json,
                                     google::protobuf::Message* request);

// Command requests carry a renkei.v1.CommandOptions field named "options".
bool IsCommandRequest(const google::protobuf::Descriptor& request);

// For a command request: sets options.idempotency_key from `new_key` when it
// is empty. Other requests are left alone.
void FillCommandDefaults(const std::function<std::string()>& new_key,
                         google::protobuf::Message* request);

}  // namespace renkei::cli
