// Backup and verified restore of a data directory (see storage/backup.h).
//
// A backup directory holds `log/` (the event log's incremental backups,
// each with its manifest: last position and chain hash), and per backup N
// `identity-N/` (passwords and sessions) and `pseudonym.key` (0600). Read
// models are not backed up: a restored server rebuilds them from the log.
//
// A restore goes to a new data directory and is used only once proven: the
// backup's files match their checksums, the restored chain verifies from
// position 1, and its head is the manifest's position and hash. Anything
// else removes what was restored and says what was wrong.
//
// Thread-safety: Backup may run while the server serves (one at a time per
// backup directory); Restore runs offline.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "renkei/v1/admin_service.pb.h"
#include "services/identity/identity_store.h"
#include "services/privacy/data_key_store.h"
#include "storage/backup.h"
#include "storage/event_log.h"

namespace renkei::server {

// The log, then the data keys (taken after the log, so they cover every
// event it holds; a key destroyed in between stays destroyed), the
// credentials and the pseudonym key. The key-encryption key is never in a
// backup: keep it apart, as for the server.
[[nodiscard]] absl::StatusOr<v1::BackupResponse> BackupDataDir(
    storage::EventLog& log, identity::IdentityStore& identity,
    privacy::DataKeyStore& keys, const std::string& data_dir,
    const std::string& backup_dir, absl::Time now);

struct RestoreRequest {
  std::string backup_dir;
  uint32_t backup_id = 0;  // 0: the latest
  std::string data_dir;    // new: must not exist or be empty
  // Point in time: cut the verified copy back to this position (0: keep
  // the whole backup). The chain is verified again after the cut.
  uint64_t to_position = 0;
  // When given, every sealed event of the restored log is opened with the
  // restored data keys under it (or found erased): a key store that does
  // not match the log is DATA_LOSS.
  std::optional<privacy::KeyEncryptionKey> kek;
};

// The backup's manifest, with position and head hash those of the restored
// log (the cut's, for a point-in-time restore).
[[nodiscard]] absl::StatusOr<storage::BackupManifest> RestoreDataDir(
    const RestoreRequest& request);

}  // namespace renkei::server
