#include "storage/backup.h"

#include <rocksdb/db.h>
#include <rocksdb/utilities/backup_engine.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "renkei/v1/event.pb.h"
#include "storage/errors.h"
#include "storage/event_log.h"
#include "storage/layout.h"

namespace renkei::storage {
namespace {

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
    return errors::BackupManifestUnreadable(id);
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
  if (absl::Status s = errors::FromRocksDb(
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
  if (absl::Status s = errors::FromRocksDb(
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
  if (absl::Status s = errors::FromRocksDb(
          rocksdb::DB::OpenForReadOnly(db_options, checkpoint_dir, descriptors,
                                       &handles, &raw),
          "cannot open the checkpoint");
      !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  std::error_code ec;
  std::filesystem::create_directories(backup_dir, ec);
  if (ec) {
    for (auto* h : handles) {
      db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    }
    return errors::CannotCreateDirectory(backup_dir, ec.message());
  }
  auto engine = OpenEngine(backup_dir);
  absl::Status made = engine.status();
  if (made.ok()) {
    made = errors::FromRocksDb((*engine)->CreateNewBackupWithMetadata(
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
  if (infos.empty()) return errors::BackupNotListed();
  manifest.backup_id = infos.back().backup_id;
  return manifest;
}

absl::StatusOr<std::vector<BackupManifest>> ListBackups(
    const std::string& backup_dir) {
  if (!std::filesystem::exists(backup_dir)) {
    return errors::NoBackupIn(backup_dir);
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  if (absl::Status s = errors::FromRocksDb(
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
    return errors::NoBackupIn(backup_dir);
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
      return errors::BackupNotFound(backup_id, backup_dir);
    }
  }
  if (std::filesystem::exists(log_dir)) {
    return errors::RestoreTargetExists(log_dir);
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  if (absl::Status s = errors::FromRocksDb(
          rocksdb::BackupEngineReadOnly::Open(
              rocksdb::Env::Default(), rocksdb::BackupEngineOptions(backup_dir),
              &raw),
          "cannot open the backup directory");
      !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  if (rocksdb::Status verified = engine->VerifyBackup(
          chosen->backup_id, /*verify_with_checksum=*/true);
      !verified.ok()) {
    return errors::BackupDamaged(chosen->backup_id, verified);
  }
  if (absl::Status s = errors::FromRocksDb(
          engine->RestoreDBFromBackup(chosen->backup_id, log_dir, log_dir),
          absl::StrCat("backup ", chosen->backup_id, " could not be restored"));
      !s.ok()) {
    return s;
  }
  return *chosen;
}

absl::Status TruncateLog(const std::string& log_dir, uint64_t position) {
  const std::vector<std::string> names = {rocksdb::kDefaultColumnFamilyName,
                                          layout::kEventsCf,
                                          layout::kStreamIndexCf,
                                          layout::kStreamHeadsCf,
                                          layout::kEventIdsCf,
                                          layout::kIdempotencyCf,
                                          layout::kMetaCf};
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> cf;
  rocksdb::DB* raw = nullptr;
  rocksdb::Options options;
  if (absl::Status s = errors::FromRocksDb(
          rocksdb::DB::Open(options, log_dir, descriptors, &cf, &raw),
          absl::StrCat("cannot open the log at '", log_dir, "'"));
      !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  std::unique_ptr<rocksdb::Iterator> it, keys;
  auto close = [&](absl::Status status) {
    it.reset();  // iterators go before the handles and the database
    keys.reset();
    for (auto* h : cf) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    db.reset();
    return status;
  };
  rocksdb::ColumnFamilyHandle* events = cf[1];
  rocksdb::ColumnFamilyHandle* stream_index = cf[2];
  rocksdb::ColumnFamilyHandle* stream_heads = cf[3];
  rocksdb::ColumnFamilyHandle* event_ids = cf[4];
  rocksdb::ColumnFamilyHandle* idempotency = cf[5];
  rocksdb::ColumnFamilyHandle* meta = cf[6];

  std::string value;
  layout::HeadRecord head{0, std::string(32, '\0'), 0};
  if (db->Get(rocksdb::ReadOptions(), meta, layout::kHeadKey, &value).ok()) {
    auto decoded = layout::DecodeHead(value);
    if (!decoded) return close(errors::LogHeadMalformed());
    head = *decoded;
  }
  if (position > head.position) {
    return close(errors::CutPastLastEvent(position, head.position));
  }
  if (position == head.position) return close(absl::OkStatus());

  rocksdb::WriteBatch batch;
  // stream -> the lowest version cut away.
  std::map<std::string, uint64_t> cut;
  it.reset(db->NewIterator(rocksdb::ReadOptions(), events));
  for (it->Seek(layout::PositionKey(position + 1)); it->Valid(); it->Next()) {
    v1::EventEnvelope e;
    if (!e.ParseFromString(it->value().ToString())) {
      return close(errors::EventAfterUndecodable(position));
    }
    batch.Delete(events, it->key());
    batch.Delete(stream_index,
                 layout::StreamIndexKey(e.stream_id(), e.stream_version()));
    batch.Delete(event_ids, layout::EventIdKey(e.event_id()));
    auto [at, inserted] = cut.emplace(e.stream_id(), e.stream_version());
    if (!inserted) at->second = std::min(at->second, e.stream_version());
  }
  if (absl::Status s = errors::FromRocksDb(it->status(), "cannot read the log");
      !s.ok()) {
    return close(s);
  }
  for (const auto& [stream, first_cut] : cut) {
    const uint64_t version = first_cut - 1;
    if (version == 0) {
      batch.Delete(stream_heads, stream);
      continue;
    }
    std::string pos;
    if (!db->Get(rocksdb::ReadOptions(), stream_index,
                 layout::StreamIndexKey(stream, version), &pos)
             .ok()) {
      return close(errors::StreamVersionNotIndexed(stream, version));
    }
    batch.Put(stream_heads, stream,
              layout::EncodeStreamHead(
                  {version, layout::ReadBigEndian64(pos).value_or(0)}));
  }
  keys.reset(db->NewIterator(rocksdb::ReadOptions(), idempotency));
  for (keys->SeekToFirst(); keys->Valid(); keys->Next()) {
    auto record = layout::DecodeIdempotency(keys->value().ToString());
    if (record && record->first_position <= position &&
        record->last_position > position) {
      // One command's events stay together or go together.
      return close(errors::CutInsideCommand(position, record->first_position,
                                            record->last_position));
    }
    if (record && record->first_position > position) {
      batch.Delete(idempotency, keys->key());
    }
  }
  if (position == 0) {
    batch.Delete(meta, layout::kHeadKey);
  } else {
    if (!db->Get(rocksdb::ReadOptions(), events, layout::PositionKey(position),
                 &value)
             .ok()) {
      return close(errors::LogMissingEvent(position));
    }
    v1::EventEnvelope last;
    if (!last.ParseFromString(value)) {
      return close(errors::EventUndecodable(position));
    }
    batch.Put(meta, layout::kHeadKey,
              layout::EncodeHead({position, last.hash(),
                                  last.recorded_at().seconds() * 1'000'000 +
                                      last.recorded_at().nanos() / 1000}));
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return close(
      errors::FromRocksDb(db->Write(sync, &batch), "cannot cut the log"));
}

}  // namespace renkei::storage
