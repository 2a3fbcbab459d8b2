#include "services/server/backup.h"

#include <filesystem>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/domain/time_util.h"
#include "services/privacy/sealing_event_log.h"
#include "services/server/data_dir.h"
#include "services/server/errors.h"
#include "services/server/key_setup.h"
#include "services/server/pseudonym_key.h"
#include "storage/status_macros.h"

namespace renkei::server {
namespace fs = std::filesystem;

absl::StatusOr<v1::BackupResponse> BackupDataDir(
    storage::EventLog& log, identity::IdentityStore& identity,
    privacy::DataKeyStore& keys, const std::string& data_dir,
    const std::string& backup_dir, absl::Time now) {
  if (backup_dir.empty() || !fs::path(backup_dir).is_absolute()) {
    return errors::BackupDirNotAbsolute(backup_dir);
  }
  std::error_code ec;
  const fs::path data = fs::weakly_canonical(data_dir, ec);
  const fs::path target = fs::weakly_canonical(backup_dir, ec);
  if (absl::StartsWith(target.string() + "/", data.string() + "/")) {
    return errors::BackupDirInsideDataDir(backup_dir);
  }
  fs::create_directories(target, ec);
  if (ec) {
    return errors::CannotCreateBackupDir(backup_dir, ec.message());
  }
  fs::permissions(target, fs::perms::owner_all, ec);
  // The credentials and the key are copied first, under pending names, and
  // take their backup's number only once the log's backup is registered: a
  // backup that fails or is interrupted leaves no numbered half.
  const fs::path checkpoint = target / ".checkpoint";
  const fs::path pending_identity = target / ".identity-pending";
  const fs::path pending_key = target / ".pseudonym.key-pending";
  const fs::path pending_keys = target / ".keys-pending";
  fs::remove_all(checkpoint, ec);  // a crashed backup's leftovers
  fs::remove_all(pending_identity, ec);
  fs::remove_all(pending_keys, ec);
  fs::remove(pending_key, ec);
  RENKEI_RETURN_IF_ERROR(identity.Checkpoint(pending_identity.string()));
  fs::copy_file(fs::path(data_dir) / kPseudonymKeyFile, pending_key, ec);
  if (ec) {
    return errors::PseudonymKeyNotCopied(ec.message());
  }
  RENKEI_RETURN_IF_ERROR(log.Checkpoint(checkpoint.string()));
  if (absl::Status s = keys.Checkpoint(pending_keys.string()); !s.ok()) {
    fs::remove_all(checkpoint, ec);
    return s;
  }
  auto manifest = storage::BackupFromCheckpoint(checkpoint.string(),
                                                (target / "log").string(), now);
  fs::remove_all(checkpoint, ec);
  if (!manifest.ok()) return manifest.status();
  const fs::path identity_copy =
      target / absl::StrCat("identity-", manifest->backup_id);
  const fs::path keys_copy =
      target / absl::StrCat("keys-", manifest->backup_id);
  fs::remove_all(identity_copy, ec);
  fs::remove_all(keys_copy, ec);
  fs::rename(pending_keys, keys_copy, ec);
  if (!ec) fs::rename(pending_identity, identity_copy, ec);
  if (!ec) fs::rename(pending_key, target / kPseudonymKeyFile, ec);  // atomic
  if (ec) {
    return errors::BackupCredentialsNotPlaced(manifest->backup_id,
                                              ec.message());
  }
  v1::BackupResponse out;
  out.set_backup_id(manifest->backup_id);
  out.set_position(manifest->position);
  out.set_head_hash(manifest->head_hash);
  *out.mutable_created_at() = domain::ToTimestamp(manifest->created_at);
  return out;
}

namespace {

// Every sealed event of the log under `data` opens with the data keys
// there, or is erased.
absl::Status VerifySealedEvents(const fs::path& data,
                                const privacy::KeyEncryptionKey& kek) {
  storage::EventLogOptions options;
  options.path = (data / "log").string();
  auto log = storage::EventLog::Open(options);
  if (!log.ok()) return log.status();
  auto keys =
      privacy::DataKeyStore::Open((data / kDataKeysDir).string(), kek, nullptr);
  if (!keys.ok()) return keys.status();
  auto sealing = privacy::SealingEventLog::Open(log->get(), keys->get());
  if (!sealing.ok()) return sealing.status();
  return (*sealing)->Replay(0, [](const v1::EventEnvelope&) { return true; });
}

}  // namespace

absl::StatusOr<storage::BackupManifest> RestoreDataDir(
    const RestoreRequest& request) {
  std::error_code ec;
  if (fs::exists(request.data_dir) && !fs::is_empty(request.data_dir, ec)) {
    return errors::RestoreTargetNotEmpty(request.data_dir);
  }
  const bool created = !fs::exists(request.data_dir);
  RENKEI_RETURN_IF_ERROR(SecureDataDir(request.data_dir));
  const fs::path data(request.data_dir);
  auto fail = [&](absl::Status status) {
    // Nothing half-restored is left to be served by mistake.
    if (created) {
      fs::remove_all(data, ec);
    } else {
      for (const auto& e : fs::directory_iterator(data, ec)) {
        fs::remove_all(e.path(), ec);
      }
    }
    return status;
  };
  uint32_t backup_id = request.backup_id;
  if (backup_id == 0) {
    // The latest backup that is whole (its credentials in place).
    auto backups =
        storage::ListBackups((fs::path(request.backup_dir) / "log").string());
    if (!backups.ok()) return fail(backups.status());
    for (const storage::BackupManifest& m : *backups) {
      if (fs::exists(fs::path(request.backup_dir) /
                     absl::StrCat("identity-", m.backup_id))) {
        backup_id = m.backup_id;
      }
    }
    if (backup_id == 0) {
      return fail(errors::NoWholeBackup(request.backup_dir));
    }
  }
  auto manifest =
      storage::RestoreBackup((fs::path(request.backup_dir) / "log").string(),
                             backup_id, (data / "log").string());
  if (!manifest.ok()) return fail(manifest.status());
  {
    storage::EventLogOptions options;
    options.path = (data / "log").string();
    auto log = storage::EventLog::Open(options);
    if (!log.ok()) return fail(log.status());
    auto chain = (*log)->VerifyChain(0, 0);
    if (!chain.ok()) return fail(chain.status());
    if (!chain->ok) {
      return fail(errors::RestoredChainBroken(chain->first_bad_position,
                                              chain->reason));
    }
    const storage::LogHead head = (*log)->GetHead();
    if (head.position != manifest->position ||
        head.hash != manifest->head_hash) {
      return fail(errors::RestoredHeadMismatch(
          head.position, head.hash, manifest->backup_id, manifest->position,
          manifest->head_hash));
    }
  }
  storage::BackupManifest restored = *manifest;
  if (request.to_position != 0 && request.to_position != manifest->position) {
    if (request.to_position > manifest->position) {
      return fail(errors::RestorePastBackup(
          request.to_position, manifest->backup_id, manifest->position));
    }
    if (absl::Status s =
            storage::TruncateLog((data / "log").string(), request.to_position);
        !s.ok()) {
      return fail(s);
    }
    storage::EventLogOptions options;
    options.path = (data / "log").string();
    auto log = storage::EventLog::Open(options);
    if (!log.ok()) return fail(log.status());
    auto chain = (*log)->VerifyChain(0, 0);
    if (!chain.ok()) return fail(chain.status());
    const storage::LogHead head = (*log)->GetHead();
    if (!chain->ok || head.position != request.to_position) {
      return fail(
          errors::CutLogDoesNotVerify(request.to_position, chain->reason));
    }
    restored.position = head.position;
    restored.head_hash = head.hash;
  }
  const fs::path backup(request.backup_dir);
  fs::copy(backup / absl::StrCat("identity-", manifest->backup_id),
           data / "identity", fs::copy_options::recursive, ec);
  if (ec) {
    return fail(errors::BackupPartNotCopied(
        absl::StrCat("credentials (identity-", manifest->backup_id, ")"),
        ec.message()));
  }
  // A backup from before personal fields were sealed has no data keys (and
  // no sealed event to open).
  const fs::path keys_copy =
      backup / absl::StrCat("keys-", manifest->backup_id);
  if (fs::exists(keys_copy)) {
    fs::copy(keys_copy, data / kDataKeysDir, fs::copy_options::recursive, ec);
  }
  if (ec) {
    return fail(errors::BackupPartNotCopied(
        absl::StrCat("data keys (keys-", manifest->backup_id, ")"),
        ec.message()));
  }
  if (request.kek.has_value()) {
    if (absl::Status s = VerifySealedEvents(data, *request.kek); !s.ok()) {
      return fail(s);
    }
  }
  fs::copy_file(backup / kPseudonymKeyFile, data / kPseudonymKeyFile, ec);
  if (ec) {
    return fail(errors::BackupPartNotCopied("pseudonym key", ec.message()));
  }
  fs::permissions(data / kPseudonymKeyFile,
                  fs::perms::owner_read | fs::perms::owner_write, ec);
  {
    // Sessions live at backup time are not brought back: whoever held a
    // token then signs in again.
    auto store = identity::IdentityStore::Open(
        (data / "identity").string(), identity::SignInPolicy{}, absl::Now());
    if (!store.ok()) return fail(store.status());
    if (absl::Status s = (*store)->EndAllSessions(); !s.ok()) return fail(s);
  }
  return restored;
}

}  // namespace renkei::server
