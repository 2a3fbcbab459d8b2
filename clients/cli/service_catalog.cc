// Discovery of the compiled-in Renkei services.
#include "clients/cli/service_catalog.h"

#include <google/protobuf/descriptor_database.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "clients/cli/proto_values.h"

namespace renkei::cli {

using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

std::vector<const ServiceDescriptor*> RenkeiServices() {
  // Every file the generated code registered (they register when linked).
  std::vector<std::string> files;
  DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  std::vector<const ServiceDescriptor*> services;
  for (const std::string& name : files) {
    if (!absl::StartsWith(name, "renkei/v1/")) continue;
    const FileDescriptor* file =
        DescriptorPool::generated_pool()->FindFileByName(name);
    if (file == nullptr || file->package() != "renkei.v1") continue;
    for (int i = 0; i < file->service_count(); ++i) {
      if (absl::EndsWith(file->service(i)->name(), "Service")) {
        services.push_back(file->service(i));
      }
    }
  }
  std::sort(services.begin(), services.end(),
            [](const ServiceDescriptor* a, const ServiceDescriptor* b) {
              return a->full_name() < b->full_name();
            });
  return services;
}

std::string ServiceCliName(const ServiceDescriptor& service) {
  return KebabCase(absl::StripSuffix(service.name(), "Service"));
}

std::string MethodCliName(const MethodDescriptor& method) {
  return KebabCase(method.name());
}

const MethodDescriptor* FindMethod(absl::string_view service,
                                   absl::string_view method) {
  for (const ServiceDescriptor* s : RenkeiServices()) {
    if (ServiceCliName(*s) != service) continue;
    for (int i = 0; i < s->method_count(); ++i) {
      if (MethodCliName(*s->method(i)) == method) return s->method(i);
    }
  }
  return nullptr;
}

}  // namespace renkei::cli
