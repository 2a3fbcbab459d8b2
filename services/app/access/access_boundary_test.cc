// Content reaches a response only through the access decision: the gRPC
// adapters (services/server/) never read entry content, the words of a
// consent, or a referral's sent entries from the folded case themselves,
// nor call the domain's sharing rules directly. A handler that did would
// bypass AccessDecision; this test names the file and line.
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
  const std::filesystem::path server =
      std::filesystem::path(RENKEI_SOURCE_DIR) / "services" / "server";
  int files = 0;
  for (const auto& file : std::filesystem::directory_iterator(server)) {
    const std::string name = file.path().filename().string();
    if (file.path().extension() != ".cc" ||
        name.find("_test.cc") != std::string::npos) {
      continue;
    }
    ++files;
    std::ifstream in(file.path());
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
  EXPECT_GT(files, 10);  // the adapters were found
}

}  // namespace
}  // namespace renkei::app
