// Content reaches a response only through the access decision: the gRPC
// adapters (services/server/) and the application code around them (the
// runtime, the pipeline, the caches, the security log, the role gate and
// the case reads) never read entry content, the words of a consent, or a
// referral's sent entries from the folded case themselves, nor call the
// domain's sharing rules directly. Code that did would bypass
// AccessDecision; this test names the file and line.
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace renkei::app {
namespace {

struct Forbidden {
  std::regex pattern;
  const char* why;
};

TEST(AccessBoundaryTest, AdaptersReachContentOnlyThroughTheAccessDecision) {
  const std::vector<Forbidden> forbidden = {
      // An entry's content (current() other than its confidentiality).
      {std::regex(R"(current\(\)(?!\.confidentiality\(\)))"),
       "reads an entry's content: use AccessDecision::ShowEntry"},
      {std::regex(R"(versions\s*\[)"),
       "reads an entry version: use AccessDecision::ShowEntry"},
      {std::regex(R"(\bterms\b(?!\.statement\(\)\.empty\(\)))"),
       "reads a consent's terms: use AccessDecision::ShowConsentTerms"},
      {std::regex(R"(\b(MayShare|MayView|MayViewForAnyPurpose|SenderAccess|)"
                  R"(ViewReferral|MayViewStatement)\s*\()"),
       "decides sharing itself: go through AccessDecision"},
  };
  const std::filesystem::path services =
      std::filesystem::path(RENKEI_SOURCE_DIR) / "services";
  std::vector<std::filesystem::path> sources = {
      services / "app" / "access" / "authorization.cc",
      services / "app" / "access" / "case_access.cc"};
  for (const char* folder : {"server", "app/runtime", "app/pipeline",
                             "app/aggregates", "app/security"}) {
    for (const auto& file :
         std::filesystem::directory_iterator(services / folder)) {
      const std::string name = file.path().filename().string();
      if (file.path().extension() == ".cc" &&
          name.find("_test.cc") == std::string::npos) {
        sources.push_back(file.path());
      }
    }
  }
  int files = 0;
  for (const std::filesystem::path& path : sources) {
    const std::string name = path.filename().string();
    ++files;
    std::ifstream in(path);
    ASSERT_TRUE(in.is_open()) << path;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (line.find("//") != std::string::npos &&
          line.find_first_not_of(' ') == line.find("//")) {
        continue;  // a comment line
      }
      for (const Forbidden& rule : forbidden) {
        EXPECT_FALSE(std::regex_search(line, rule.pattern))
            << name << ":" << number << " " << rule.why << "\n  " << line;
      }
    }
  }
  EXPECT_GT(files, 20);  // the adapters and the application code were found
}

}  // namespace
}  // namespace renkei::app
