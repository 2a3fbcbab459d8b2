// DataKeyStore: the data keys that seal personal fields — one per case
// ("case/<case>") and one per subject ("subject/<case>/<subject>") — kept
// wrapped (XChaCha20-Poly1305) by the key-encryption key in their own RocksDB
// (the data directory's "keys"). Destroying a key (erasure) deletes its
// wrapped bytes, leaves a tombstone saying when, and flushes and compacts so
// no file keeps them; a destroyed key is never created again.
//
// Opening checks the key-encryption key against the store's check record:
// a wrong key is FAILED_PRECONDITION before anything is served. Rotating
// the key-encryption key re-wraps every data key in one durable batch; the
// events sealed with them are not rewritten.
//
// Thread-safety: safe for concurrent use; unwrapped keys are cached in
// memory.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/privacy/key_encryption_key.h"

namespace rocksdb {
class DB;
}

namespace renkei::privacy {

// "case/<case_id>".
[[nodiscard]] std::string CaseKeyId(const std::string& case_id);
// "subject/<case_id>/<subject_id>".
[[nodiscard]] std::string SubjectKeyId(const std::string& case_id,
                                       const std::string& subject_id);

struct DataKey {
  std::string key_id;
  uint32_t version = 0;
  std::string bytes;  // 32; empty when destroyed
  bool destroyed = false;
  absl::Time destroyed_at;
};

class DataKeyStore {
 public:
  // Opens or creates the store at `path`. A new store records which key
  // wraps it; an existing one must open with the same key.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<DataKeyStore>> Open(
      const std::string& path, KeyEncryptionKey kek,
      std::function<absl::Time()> clock);
  ~DataKeyStore();

  // The key, created (durably, before this returns) when it does not exist
  // yet. FAILED_PRECONDITION when it was destroyed.
  [[nodiscard]] absl::StatusOr<DataKey> GetOrCreate(const std::string& key_id);
  // The key; `destroyed` set when it was erased. DATA_LOSS when the store
  // never held it (a key store that does not belong with this log).
  [[nodiscard]] absl::StatusOr<DataKey> Get(const std::string& key_id);

  // Destroys the key (idempotent; a key never created is recorded as
  // destroyed too, so it cannot be created later).
  [[nodiscard]] absl::Status Destroy(const std::string& key_id);
  // Destroys every key whose id starts with `prefix`; returns how many.
  [[nodiscard]] absl::StatusOr<int> DestroyPrefix(const std::string& prefix);

  // Erasure in two steps around the append of its event: `id` (a key id, or
  // a prefix ending in '/') is marked before, destroyed after; a mark left
  // by a crash is found by PendingErasures (id -> stream id).
  [[nodiscard]] absl::Status MarkErasurePending(const std::string& id,
                                                const std::string& stream_id);
  [[nodiscard]] absl::StatusOr<std::map<std::string, std::string>>
  PendingErasures();
  [[nodiscard]] absl::Status ClearErasurePending(const std::string& id);

  // Re-wraps every data key with `new_kek` (one durable batch), then
  // compacts so nothing wrapped with the old key stays on disk.
  [[nodiscard]] absl::Status Rotate(KeyEncryptionKey new_kek);
  uint32_t kek_version() const;

  // A consistent copy of the store's files into `dir` (must not exist).
  [[nodiscard]] absl::Status Checkpoint(const std::string& dir);

 private:
  DataKeyStore(std::unique_ptr<rocksdb::DB> db, KeyEncryptionKey kek,
               uint32_t kek_version, std::function<absl::Time()> clock);
  absl::StatusOr<DataKey> Load(const std::string& key_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status DestroyLocked(const std::string& key_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Flushes and compacts so deleted keys leave no file (RocksDB is
  // thread-safe: no lock needed).
  absl::Status Scrub();

  std::unique_ptr<rocksdb::DB> db_;
  std::function<absl::Time()> clock_;
  mutable absl::Mutex mu_;
  KeyEncryptionKey kek_ ABSL_GUARDED_BY(mu_);
  uint32_t kek_version_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, DataKey> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace renkei::privacy
