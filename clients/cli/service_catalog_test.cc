// Every service defined under proto/renkei/v1 is reachable from the CLI.
#include "clients/cli/service_catalog.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace renkei::cli {
namespace {

// Service names declared in the .proto files of the source tree.
std::set<std::string> DeclaredServices() {
  std::set<std::string> names;
  const std::regex service(R"(^\s*service\s+(\w+)\s*\{)");
  for (const auto& file :
       std::filesystem::directory_iterator(RENKEI_PROTO_DIR)) {
    if (file.path().extension() != ".proto") continue;
    std::ifstream in(file.path());
    std::string line;
    std::smatch match;
    while (std::getline(in, line)) {
      if (std::regex_search(line, match, service)) {
        names.insert("renkei.v1." + match[1].str());
      }
    }
  }
  return names;
}

TEST(ServiceCatalogTest, EveryDeclaredServiceIsCompiledIn) {
  std::set<std::string> found;
  for (const auto* service : RenkeiServices()) {
    found.insert(service->full_name());
  }
  const std::set<std::string> declared = DeclaredServices();
  EXPECT_FALSE(declared.empty());
  for (const std::string& name : declared) {
    if (name.size() > 7 && name.substr(name.size() - 7) == "Service") {
      EXPECT_TRUE(found.count(name)) << name << " is missing from the CLI";
    }
  }
  EXPECT_TRUE(found.count("renkei.v1.CaseService"));
}

TEST(ServiceCatalogTest, CommandLineNames) {
  const auto* method = FindMethod("case", "open-case");
  ASSERT_NE(method, nullptr);
  EXPECT_EQ(method->full_name(), "renkei.v1.CaseService.OpenCase");
  EXPECT_EQ(ServiceCliName(*method->service()), "case");
  EXPECT_EQ(MethodCliName(*method), "open-case");
  EXPECT_EQ(FindMethod("case", "no-such-method"), nullptr);
  ASSERT_NE(FindMethod("audit", "replay-case"), nullptr);
}

}  // namespace
}  // namespace renkei::cli
