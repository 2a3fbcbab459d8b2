// Backups of the event log: consistent while the log serves, incremental
// (RocksDB's BackupEngine shares the table files backups have in common),
// each with a manifest naming the last position it holds and that
// position's chain hash, so a restore can prove it got what was backed up.
//
// A backup is made in two steps: EventLog::Checkpoint, a consistent copy at
// one instant of every column family (hard links where it can); then
// BackupFromCheckpoint, which reads that copy's head and adds it to the
// backup directory. The checkpoint is then removed.
//
// Thread-safety: the functions are safe to call concurrently on different
// directories; one backup directory takes one backup at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace renkei::storage {

struct BackupManifest {
  uint32_t backup_id = 0;
  uint64_t position = 0;  // the last event the backup holds (0: empty log)
  std::string head_hash;  // that event's chain hash (32 bytes)
  absl::Time created_at;
};

// Adds the log copy at `checkpoint_dir` to the backups in `backup_dir`
// (created if missing) and returns its manifest.
[[nodiscard]] absl::StatusOr<BackupManifest> BackupFromCheckpoint(
    const std::string& checkpoint_dir, const std::string& backup_dir,
    absl::Time now);

// The backups in `backup_dir`, oldest first. NOT_FOUND when there are none.
[[nodiscard]] absl::StatusOr<std::vector<BackupManifest>> ListBackups(
    const std::string& backup_dir);

// Verifies backup `backup_id` (0: the latest) file by file against its
// checksums and restores it as an event log at `log_dir`, which must not
// exist. DATA_LOSS naming the damage when a file is missing or corrupt.
[[nodiscard]] absl::StatusOr<BackupManifest> RestoreBackup(
    const std::string& backup_dir, uint32_t backup_id,
    const std::string& log_dir);

// Cuts the (closed) log at `log_dir` back to `position`: every later event
// goes, with its index entries and idempotency records, and the stream heads
// and the log's head become what they were right after `position` was
// committed. For a point-in-time restore, on a restored copy only.
// INVALID_ARGUMENT when `position` is past the log's head.
[[nodiscard]] absl::Status TruncateLog(const std::string& log_dir,
                                       uint64_t position);

}  // namespace renkei::storage
