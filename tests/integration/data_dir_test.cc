// The data directory is the server's user's alone: after a server has
// written cases, every file under it is 0600 and every directory 0700; a
// world-readable pseudonym key stops the start; files an older copy left
// open are tightened.
#include <sys/stat.h>

#include <filesystem>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

namespace fs = std::filesystem;

class DataDirTest : public ServerFixture {
 protected:
  // Files and directories under the data directory open to group or others.
  std::vector<std::string> OpenToOthers() {
    std::vector<std::string> open;
    const std::string root = dir_.Sub("data");
    auto check = [&](const fs::path& p) {
      struct stat st {};
      if (::lstat(p.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return;
      if ((st.st_mode & 077) != 0) {
        open.push_back(absl::StrCat(p.string(), " ",
                                    absl::StrFormat("%o", st.st_mode & 0777)));
      }
    };
    check(root);
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      check(e.path());
    }
    return open;
  }
};

TEST_F(DataDirTest, EveryFileIsTheServersUsersAlone) {
  OpenRegisteredHousehold("c-modes");
  RestartServer();  // flushes and reopens: SST, WAL, MANIFEST all written
  EXPECT_TRUE(fs::exists(dir_.Sub("data/log")));
  EXPECT_TRUE(fs::exists(dir_.Sub("data/identity")));
  const std::vector<std::string> open = OpenToOthers();
  EXPECT_TRUE(open.empty()) << absl::StrJoin(open, "\n");
  struct stat st {};
  ASSERT_EQ(::stat(dir_.Sub("data").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(DataDirTest, AReadableSecretStopsTheStartAndOpenFilesAreTightened) {
  server_->Shutdown();
  server_.reset();
  const std::string key = dir_.Sub("data/pseudonym.key");
  ASSERT_TRUE(fs::exists(key));
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  server::ServerOptions options;
  options.key_encryption_key = TestKeyEncryptionKey();
  options.listen = "127.0.0.1:0";
  options.data_dir = dir_.Sub("data");
  options.dev_header_identity = true;
  options.password_hash = "minimum";
  auto refused = server::RenkeiServer::Start(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("readable by others"),
            std::string::npos)
      << refused.status();
  // Nothing was changed for it: the key is still as it was.
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);

  // The key made private again; a log file and a directory copied open.
  ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
  std::string log_file;
  for (const auto& e : fs::directory_iterator(dir_.Sub("data/log"))) {
    if (e.is_regular_file()) log_file = e.path().string();
  }
  ASSERT_FALSE(log_file.empty());
  ASSERT_EQ(::chmod(log_file.c_str(), 0644), 0);
  ASSERT_EQ(::chmod(dir_.Sub("data/log").c_str(), 0755), 0);
  StartServer();
  const std::vector<std::string> open = OpenToOthers();
  EXPECT_TRUE(open.empty()) << absl::StrJoin(open, "\n");
}

}  // namespace
}  // namespace renkei::testing
