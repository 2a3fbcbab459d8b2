// Field flags and JSON for building requests in the renkei CLI.
#include "clients/cli/request_flags.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/errors.h"
#include "clients/cli/proto_values.h"

namespace renkei::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr int kMaxDepth = 6;

// Path components that only wrap the fields a user thinks about.
bool IsWrapper(const FieldDescriptor& f, size_t depth) {
  return depth == 0 && (f.name() == "command" || f.name() == "options");
}

void Collect(const Descriptor& type, std::vector<const FieldDescriptor*>* path,
             std::vector<const Descriptor*>* seen,
             std::vector<FieldFlag>* out) {
  if (static_cast<int>(path->size()) >= kMaxDepth) return;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* f = type.field(i);
    path->push_back(f);
    if (IsTextField(*f)) {
      out->push_back(FieldFlag{"", *path});
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
               !f->is_repeated() &&
               std::find(seen->begin(), seen->end(), f->message_type()) ==
                   seen->end()) {
      seen->push_back(f->message_type());
      Collect(*f->message_type(), path, seen, out);
      seen->pop_back();
    }
    path->pop_back();
  }
}

// The field names a flag can be named by: the path without its wrapper.
std::vector<std::string> NamingPath(const FieldFlag& flag) {
  std::vector<std::string> names;
  for (size_t i = 0; i < flag.path.size(); ++i) {
    if (IsWrapper(*flag.path[i], i) && i + 1 < flag.path.size()) continue;
    names.push_back(flag.path[i]->name());
  }
  return names;
}

bool EndsWith(const std::vector<std::string>& path,
              const std::vector<std::string>& suffix) {
  if (suffix.size() > path.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), path.rbegin());
}

std::string Kebab(const std::vector<std::string>& parts) {
  std::vector<std::string> k;
  for (const std::string& p : parts) k.push_back(KebabCase(p));
  return absl::StrJoin(k, "-");
}

bool IsReserved(const std::string& name) {
  const auto& reserved = ReservedFlagNames();
  return std::find(reserved.begin(), reserved.end(), name) != reserved.end();
}

}  // namespace

std::string FieldFlag::DottedPath() const {
  std::vector<std::string> names;
  for (const FieldDescriptor* f : path) names.push_back(f->name());
  return absl::StrJoin(names, ".");
}

std::string FieldFlag::Help() const {
  const FieldDescriptor& f = leaf();
  std::string kind;
  if (f.cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
    std::vector<std::string> choices;
    for (int i = 0; i < f.enum_type()->value_count(); ++i) {
      if (f.enum_type()->value(i)->number() != 0) {
        choices.push_back(ShortEnumName(*f.enum_type()->value(i)));
      }
    }
    kind =
        absl::StrCat(f.enum_type()->name(), ": ", absl::StrJoin(choices, "|"));
  } else if (f.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    kind = "time (RFC 3339, a date or 'now')";
  } else {
    kind = f.type_name();
  }
  return absl::StrCat(
      DottedPath(), " (", kind,
      repeated() ? "; repeat the flag or separate by commas" : "", ")");
}

const std::vector<std::string>& ReservedFlagNames() {
  static const auto* names = new std::vector<std::string>{
      "help", "h", "data", "server", "as", "agency", "json", "timeout"};
  return *names;
}

std::vector<FieldFlag> FlagsFor(const Descriptor& request) {
  std::vector<FieldFlag> flags;
  std::vector<const FieldDescriptor*> path;
  std::vector<const Descriptor*> seen{&request};
  Collect(request, &path, &seen, &flags);

  std::vector<std::vector<std::string>> naming;
  for (const FieldFlag& flag : flags) naming.push_back(NamingPath(flag));

  std::vector<FieldFlag> named;
  std::map<std::string, int> uses;
  for (size_t i = 0; i < flags.size(); ++i) {
    const std::vector<std::string>& mine = naming[i];
    std::string name;
    // The shortest suffix that ends no other field's path and is not reserved;
    // the whole path when every suffix is shared.
    for (size_t k = 1; k <= mine.size() && name.empty(); ++k) {
      const std::vector<std::string> suffix(mine.end() - k, mine.end());
      bool shared = false;
      for (size_t j = 0; j < flags.size() && !shared; ++j) {
        shared = j != i && EndsWith(naming[j], suffix);
      }
      if (!shared && !IsReserved(Kebab(suffix))) name = Kebab(suffix);
    }
    if (name.empty()) name = Kebab(mine);
    if (IsReserved(name)) continue;
    flags[i].name = name;
    ++uses[name];
    named.push_back(flags[i]);
  }
  // Different paths can still meet as text ("a_b.c" and "a.b_c").
  named.erase(
      std::remove_if(named.begin(), named.end(),
                     [&](const FieldFlag& f) { return uses[f.name] > 1; }),
      named.end());
  return named;
}

absl::Status ApplyFlag(const FieldFlag& flag,
                       const std::vector<std::string>& values, absl::Time now,
                       Message* request) {
  Message* target = request;
  for (size_t i = 0; i + 1 < flag.path.size(); ++i) {
    target = target->GetReflection()->MutableMessage(target, flag.path[i]);
  }
  const FieldDescriptor* leaf = flag.path.back();
  if (leaf->is_repeated()) {
    target->GetReflection()->ClearField(target, leaf);
  } else if (values.size() > 1) {
    return errors::FlagTakesOneValue(flag.name, values.size());
  }
  for (const std::string& value : values) {
    absl::Status status = SetFieldFromText(target, leaf, value, now);
    if (!status.ok()) {
      // Name the flag as the user typed it.
      std::string message(status.message());
      const std::string leaf_flag = absl::StrCat("--", KebabCase(leaf->name()));
      if (absl::StartsWith(message, leaf_flag + ":")) {
        message =
            absl::StrCat("--", flag.name, message.substr(leaf_flag.size()));
      }
      return errors::FlagRenamed(message);
    }
  }
  return absl::OkStatus();
}

absl::Status MergeJson(absl::string_view json, Message* request) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      std::string(json), request, options);
  if (!status.ok()) {
    return errors::DataNotJson(request->GetDescriptor()->name(),
                               status.message().ToString());
  }
  return absl::OkStatus();
}

bool IsCommandRequest(const Descriptor& request) {
  const FieldDescriptor* options = request.FindFieldByName("options");
  return options != nullptr &&
         options->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
         options->message_type()->full_name() == "renkei.v1.CommandOptions";
}

void FillCommandDefaults(const std::function<std::string()>& new_key,
                         Message* request) {
  const Descriptor& type = *request->GetDescriptor();
  if (!IsCommandRequest(type)) return;
  Message* options = request->GetReflection()->MutableMessage(
      request, type.FindFieldByName("options"));
  const FieldDescriptor* key =
      options->GetDescriptor()->FindFieldByName("idempotency_key");
  if (options->GetReflection()->GetString(*options, key).empty()) {
    options->GetReflection()->SetString(options, key, new_key());
  }
}

}  // namespace renkei::cli
