// Online backup and verified restore through the real server: backups
// taken while commands are written, incremental ids, the restored log equal
// to the live log's prefix up to the manifest's position, a restored server
// that answers, a damaged backup refused, administrators only.
#include "services/server/backup.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "renkei/v1/admin_service.grpc.pb.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

using Code = grpc::StatusCode;
namespace fs = std::filesystem;

class BackupTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = v1::AdminService::NewStub(channel_);
    OpenRegisteredHousehold("c-backup");
  }

  grpc::Status Backup(const std::string& as, const std::string& dir,
                      v1::BackupResponse* resp) {
    v1::BackupRequest req;
    req.set_directory(dir);
    return Call(admin_.get(), &v1::AdminService::Stub::Backup, as, req, resp);
  }

  grpc::Status RecordEntry(const std::string& id) {
    v1::CommandReply reply;
    return Call(
        cases_.get(), &v1::CaseService::Stub::RecordEntry, "cw",
        Cmd<v1::RecordEntryRequest>(
            "c-backup", absl::StrCat("entry { entry_id: '", id,
                                     "' subject_ids: 'mother' categories: "
                                     "INFORMATION_CATEGORY_HEALTH "
                                     "information_received { source_agency_id: "
                                     "'nursery' content: 'visit' } }")),
        &reply);
  }

  // Every event of the log at `path` up to `to` (0: all).
  static std::vector<std::string> Hashes(storage::EventLog& log, uint64_t to) {
    std::vector<std::string> out;
    EXPECT_TRUE(log.Replay(1,
                           [&](const v1::EventEnvelope& e) {
                             if (to != 0 && e.position() > to) return false;
                             out.push_back(e.hash());
                             return true;
                           })
                    .ok());
    return out;
  }

  std::unique_ptr<v1::AdminService::Stub> admin_;
};

TEST_F(BackupTest, BackupsWhileServingRestoreToTheManifestsPrefix) {
  const std::string backups = dir_.Sub("backups");
  // Commands keep arriving while the backups are taken.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      if (RecordEntry(absl::StrCat("load-", i)).ok()) ++written;
    }
  });
  v1::BackupResponse first, second;
  while (written.load() < 5) std::this_thread::yield();
  grpc::Status s = Backup("admin", backups, &first);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const int before_second = written.load();
  while (written.load() < before_second + 5) std::this_thread::yield();
  s = Backup("admin", backups, &second);
  stop = true;
  writer.join();
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(first.backup_id(), 1u);
  EXPECT_EQ(second.backup_id(), 2u);
  EXPECT_GT(second.position(), first.position());
  EXPECT_EQ(first.head_hash().size(), 32u);
  EXPECT_LT(second.position(), server_->log().Head() + 1);

  // Each restore holds exactly the live log's prefix up to its manifest.
  for (const v1::BackupResponse* b : {&first, &second}) {
    const std::string target =
        dir_.Sub(absl::StrCat("restored-", b->backup_id()));
    auto restored = server::RestoreDataDir(
        {.backup_dir = backups,
         .backup_id = b->backup_id(),
         .data_dir = target,
         .kek = privacy::KeyEncryptionKey{TestKeyEncryptionKey()}});
    ASSERT_TRUE(restored.ok()) << restored.status();
    EXPECT_EQ(restored->position, b->position());
    storage::EventLogOptions options;
    options.path = target + "/log";
    auto log = storage::EventLog::Open(options);
    ASSERT_TRUE(log.ok()) << log.status();
    EXPECT_EQ((*log)->Head(), b->position());
    EXPECT_EQ(Hashes(**log, 0), Hashes(server_->log(), b->position()));
    EXPECT_TRUE(fs::exists(target + "/identity"));
    EXPECT_TRUE(fs::exists(target + "/pseudonym.key"));
  }

  // A server on the restored directory rebuilds its read models and answers.
  server::ServerOptions options;
  options.key_encryption_key = TestKeyEncryptionKey();
  options.listen = "127.0.0.1:0";
  options.data_dir = dir_.Sub("restored-2");
  options.dev_header_identity = true;
  options.password_hash = "minimum";
  options.shutdown_grace_seconds = 1;
  auto restored_server = server::RenkeiServer::Start(options);
  ASSERT_TRUE(restored_server.ok()) << restored_server.status();
  auto channel = grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", (*restored_server)->port()),
      grpc::InsecureChannelCredentials());
  auto cases = v1::CaseService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.AddMetadata("renkei-staff-id", "cw");
  v1::GetCaseSummaryRequest req;
  req.set_case_id("c-backup");
  v1::CaseSummary summary;
  s = cases->GetCaseSummary(&ctx, req, &summary);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(summary.case_id(), "c-backup");
  (*restored_server)->Shutdown();
}

TEST_F(BackupTest, APointInTimeRestoreKeepsThePrefixAndStillServes) {
  const std::string backups = dir_.Sub("backups");
  const uint64_t before = server_->log().Head();
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(RecordEntry(absl::StrCat("e", i)).ok());
  v1::BackupResponse made;
  ASSERT_TRUE(Backup("admin", backups, &made).ok());
  ASSERT_GT(made.position(), before);
  const std::string target = dir_.Sub("pit");
  auto restored = server::RestoreDataDir(
      {.backup_dir = backups,
       .backup_id = 0,
       .data_dir = target,
       .to_position = before,
       .kek = privacy::KeyEncryptionKey{TestKeyEncryptionKey()}});
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->position, before);
  {
    storage::EventLogOptions options;
    options.path = target + "/log";
    auto log = storage::EventLog::Open(options);
    ASSERT_TRUE(log.ok()) << log.status();
    EXPECT_EQ(Hashes(**log, 0), Hashes(server_->log(), before));
    // The case stream ends where it did at `before`; a write continues it.
    auto live = server_->log().GetStreamHead("case-c-backup");
    auto cut = (*log)->GetStreamHead("case-c-backup");
    ASSERT_TRUE(live.ok() && cut.ok());
    EXPECT_EQ(cut->version, live->version - 4);
    EXPECT_LE(cut->last_position, before);
  }
  // A server on it starts, rebuilds its read models and accepts commands
  // again (the cut entries' idempotency keys are free again too).
  server::ServerOptions options;
  options.key_encryption_key = TestKeyEncryptionKey();
  options.listen = "127.0.0.1:0";
  options.data_dir = target;
  options.dev_header_identity = true;
  options.password_hash = "minimum";
  options.shutdown_grace_seconds = 1;
  auto pit = server::RenkeiServer::Start(options);
  ASSERT_TRUE(pit.ok()) << pit.status();
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*pit)->port()),
                                     grpc::InsecureChannelCredentials());
  auto cases = v1::CaseService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.AddMetadata("renkei-staff-id", "cw");
  v1::CommandReply reply;
  const grpc::Status s = cases->RecordEntry(
      &ctx,
      Cmd<v1::RecordEntryRequest>(
          "c-backup",
          "entry { entry_id: 'after' subject_ids: 'mother' "
          "categories: INFORMATION_CATEGORY_HEALTH "
          "information_received { source_agency_id: 'nursery' "
          "content: 'again' } }"),
      &reply);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(reply.first_position(), before + 1);
  (*pit)->Shutdown();
  // Past the backup's end: refused, nothing left behind.
  auto past = server::RestoreDataDir(
      {.backup_dir = backups,
       .backup_id = 0,
       .data_dir = dir_.Sub("past"),
       .to_position = made.position() + 1,
       .kek = privacy::KeyEncryptionKey{TestKeyEncryptionKey()}});
  EXPECT_EQ(past.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir_.Sub("past")));
}

TEST_F(BackupTest, ADamagedBackupIsRefusedAndLeavesNothing) {
  const std::string backups = dir_.Sub("backups");
  v1::BackupResponse made;
  ASSERT_TRUE(Backup("admin", backups, &made).ok());
  // Flip a byte in the middle of each backed-up table file.
  int damaged = 0;
  for (const auto& e : fs::recursive_directory_iterator(backups + "/log")) {
    if (e.path().extension() != ".sst") continue;
    std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(fs::file_size(e.path()) / 2));
    char c = 0;
    f.get(c);
    f.seekp(static_cast<std::streamoff>(fs::file_size(e.path()) / 2));
    f.put(static_cast<char>(c ^ 0x5a));
    ++damaged;
  }
  ASSERT_GT(damaged, 0);
  const std::string target = dir_.Sub("restored");
  auto restored = server::RestoreDataDir(
      {.backup_dir = backups,
       .backup_id = 0,
       .data_dir = target,
       .kek = privacy::KeyEncryptionKey{TestKeyEncryptionKey()}});
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.status().code(), absl::StatusCode::kDataLoss)
      << restored.status();
  EXPECT_NE(restored.status().message().find("damaged"), std::string::npos)
      << restored.status();
  EXPECT_FALSE(fs::exists(target));
  // And a restore never writes over a data directory in use.
  auto over = server::RestoreDataDir(
      {.backup_dir = backups,
       .backup_id = 0,
       .data_dir = dir_.Sub("data"),
       .kek = privacy::KeyEncryptionKey{TestKeyEncryptionKey()}});
  EXPECT_EQ(over.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(BackupTest, OnlyAdministratorsBackUpToAPlaceOutsideTheData) {
  v1::BackupResponse resp;
  for (const char* who : {"cw", "supervisor", "auditor"}) {
    const grpc::Status s = Backup(who, dir_.Sub("b"), &resp);
    EXPECT_EQ(s.error_code(), Code::PERMISSION_DENIED) << who;
  }
  EXPECT_EQ(Backup("admin", "relative/dir", &resp).error_code(),
            Code::INVALID_ARGUMENT);
  EXPECT_EQ(Backup("admin", dir_.Sub("data/inside"), &resp).error_code(),
            Code::INVALID_ARGUMENT);
  EXPECT_FALSE(fs::exists(dir_.Sub("b")));
}

}  // namespace
}  // namespace renkei::testing
