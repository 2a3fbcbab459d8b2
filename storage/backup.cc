#include "storage/backup.h"

#include <rocksdb/db.h>
#include <rocksdb/utilities/backup_engine.h>

#include <filesystem>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "storage/event_log.h"
#include "storage/layout.h"

namespace renkei::storage {
namespace {

absl::Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return absl::OkStatus();
  if (s.IsCorruption() || s.IsIOError()) {
    return absl::DataLossError(absl::StrCat(what, ": ", s.ToString()));
  }
  return absl::UnavailableError(absl::StrCat(what, ": ", s.ToString()));
}

// Manifests travel as the backup's application metadata:
// "renkei-backup-1 <position> <hex hash> <unix seconds>".
std::string EncodeManifest(const BackupManifest& m) {
  return absl::StrCat("renkei-backup-1 ", m.position, " ",
                      absl::BytesToHexString(m.head_hash), " ",
                      absl::ToUnixSeconds(m.created_at));
}

absl::StatusOr<BackupManifest> DecodeManifest(uint32_t id,
                                              const std::string& text) {
  std::vector<std::string> parts = absl::StrSplit(text, ' ');
  BackupManifest m;
  m.backup_id = id;
  int64_t seconds = 0;
  if (parts.size() != 4 || parts[0] != "renkei-backup-1" ||
      !absl::SimpleAtoi(parts[1], &m.position) ||
      !absl::SimpleAtoi(parts[3], &seconds) || parts[2].size() != 64) {
    return absl::DataLossError(
        absl::StrCat("backup ", id, " has no readable Renkei manifest"));
  }
  m.head_hash = absl::HexStringToBytes(parts[2]);
  m.created_at = absl::FromUnixSeconds(seconds);
  return m;
}

absl::StatusOr<std::unique_ptr<rocksdb::BackupEngine>> OpenEngine(
    const std::string& backup_dir) {
  rocksdb::BackupEngine* raw = nullptr;
  rocksdb::BackupEngineOptions options(backup_dir);
  options.sync = true;
  if (absl::Status s = FromRocks(
          rocksdb::BackupEngine::Open(rocksdb::Env::Default(), options, &raw),
          absl::StrCat("cannot open the backup directory '", backup_dir, "'"));
      !s.ok()) {
    return s;
  }
  return std::unique_ptr<rocksdb::BackupEngine>(raw);
}

}  // namespace

absl::StatusOr<BackupManifest> BackupFromCheckpoint(
    const std::string& checkpoint_dir, const std::string& backup_dir,
    absl::Time now) {
  BackupManifest manifest;
  {
    // The checkpoint's own head: exactly what the copy holds.
    EventLogOptions options;
    options.path = checkpoint_dir;
    auto log = EventLog::Open(options);
    if (!log.ok()) return log.status();
    const LogHead head = (*log)->GetHead();
    manifest.position = head.position;
    manifest.head_hash = head.hash;
  }
  manifest.created_at = now;
  rocksdb::Options db_options;
  std::vector<std::string> names;
  if (absl::Status s = FromRocks(
          rocksdb::DB::ListColumnFamilies(db_options, checkpoint_dir, &names),
          "cannot read the checkpoint");
      !s.ok()) {
    return s;
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names)
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (absl::Status s =
          FromRocks(rocksdb::DB::OpenForReadOnly(db_options, checkpoint_dir,
                                                 descriptors, &handles, &raw),
                    "cannot open the checkpoint");
      !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  std::filesystem::create_directories(backup_dir);
  auto engine = OpenEngine(backup_dir);
  absl::Status made = engine.status();
  if (made.ok()) {
    made = FromRocks((*engine)->CreateNewBackupWithMetadata(
                         db.get(), EncodeManifest(manifest),
                         /*flush_before_backup=*/false),
                     "the backup could not be written");
  }
  for (auto* h : handles)
    db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  db.reset();
  if (!made.ok()) return made;
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  if (infos.empty()) return absl::InternalError("the backup is not listed");
  manifest.backup_id = infos.back().backup_id;
  return manifest;
}

absl::StatusOr<std::vector<BackupManifest>> ListBackups(
    const std::string& backup_dir) {
  if (!std::filesystem::exists(backup_dir)) {
    return absl::NotFoundError(
        absl::StrCat("'", backup_dir, "' holds no backup"));
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  if (absl::Status s = FromRocks(
          rocksdb::BackupEngineReadOnly::Open(
              rocksdb::Env::Default(), rocksdb::BackupEngineOptions(backup_dir),
              &raw),
          absl::StrCat("cannot open the backup directory '", backup_dir, "'"));
      !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  if (infos.empty()) {
    return absl::NotFoundError(
        absl::StrCat("'", backup_dir, "' holds no backup"));
  }
  std::vector<BackupManifest> out;
  for (const rocksdb::BackupInfo& info : infos) {
    auto m = DecodeManifest(info.backup_id, info.app_metadata);
    if (!m.ok()) return m.status();
    out.push_back(*m);
  }
  return out;
}

absl::StatusOr<BackupManifest> RestoreBackup(const std::string& backup_dir,
                                             uint32_t backup_id,
                                             const std::string& log_dir) {
  auto backups = ListBackups(backup_dir);
  if (!backups.ok()) return backups.status();
  const BackupManifest* chosen = &backups->back();
  if (backup_id != 0) {
    chosen = nullptr;
    for (const BackupManifest& m : *backups) {
      if (m.backup_id == backup_id) chosen = &m;
    }
    if (chosen == nullptr) {
      return absl::NotFoundError(absl::StrCat("there is no backup ", backup_id,
                                              " in '", backup_dir, "'"));
    }
  }
  if (std::filesystem::exists(log_dir)) {
    return absl::FailedPreconditionError(
        absl::StrCat("'", log_dir, "' exists; restore into a new directory"));
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  if (absl::Status s =
          FromRocks(rocksdb::BackupEngineReadOnly::Open(
                        rocksdb::Env::Default(),
                        rocksdb::BackupEngineOptions(backup_dir), &raw),
                    "cannot open the backup directory");
      !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  if (absl::Status s =
          FromRocks(engine->VerifyBackup(chosen->backup_id,
                                         /*verify_with_checksum=*/true),
                    absl::StrCat("backup ", chosen->backup_id, " is damaged"));
      !s.ok()) {
    return absl::DataLossError(s.message());
  }
  if (absl::Status s = FromRocks(
          engine->RestoreDBFromBackup(chosen->backup_id, log_dir, log_dir),
          absl::StrCat("backup ", chosen->backup_id, " could not be restored"));
      !s.ok()) {
    return s;
  }
  return *chosen;
}

}  // namespace renkei::storage
