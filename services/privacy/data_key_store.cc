#include "services/privacy/data_key_store.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "renkei/v1/privacy.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "services/privacy/aead.h"
#include "services/privacy/errors.h"
#include "storage/errors.h"

namespace renkei::privacy {
namespace {

constexpr char kCheckKey[] = "check";
constexpr char kCheckText[] = "renkei.v1 data key store";
constexpr char kWrappedPrefix[] = "k/";
constexpr char kDestroyedPrefix[] = "d/";
constexpr char kPendingPrefix[] = "p/";

rocksdb::WriteOptions Durable() {
  rocksdb::WriteOptions options;
  options.sync = true;
  return options;
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(t));
  return out;
}

std::string Associated(const std::string& key_id, uint32_t version) {
  return absl::StrCat("renkei.v1 data key ", key_id, " v", version);
}

v1::KeyEncryptionKeyCheck MakeCheck(const KeyEncryptionKey& kek,
                                    uint32_t version) {
  const Sealed sealed = Encrypt(kek.bytes, kCheckText, kCheckText);
  v1::KeyEncryptionKeyCheck check;
  check.set_kek_version(version);
  check.set_nonce(sealed.nonce);
  check.set_sealed(sealed.ciphertext);
  return check;
}

v1::WrappedDataKey Wrap(const KeyEncryptionKey& kek, uint32_t kek_version,
                        const DataKey& key, absl::Time created_at) {
  const Sealed sealed =
      Encrypt(kek.bytes, Associated(key.key_id, key.version), key.bytes);
  v1::WrappedDataKey w;
  w.set_key_id(key.key_id);
  w.set_version(key.version);
  w.set_kek_version(kek_version);
  w.set_nonce(sealed.nonce);
  w.set_wrapped(sealed.ciphertext);
  *w.mutable_created_at() = ToProto(created_at);
  return w;
}

absl::StatusOr<std::string> Unwrap(const KeyEncryptionKey& kek,
                                   const v1::WrappedDataKey& w) {
  auto bytes = Decrypt(kek.bytes, Associated(w.key_id(), w.version()),
                       Sealed{.nonce = w.nonce(), .ciphertext = w.wrapped()});
  if (!bytes.ok()) {
    return errors::DataKeyDoesNotUnwrap(w.key_id(), bytes.status());
  }
  return bytes;
}

}  // namespace

std::string CaseKeyId(const std::string& case_id) {
  return absl::StrCat("case/", case_id);
}

std::string SubjectKeyId(const std::string& case_id,
                         const std::string& subject_id) {
  return absl::StrCat("subject/", case_id, "/", subject_id);
}

absl::StatusOr<std::unique_ptr<DataKeyStore>> DataKeyStore::Open(
    const std::string& path, KeyEncryptionKey kek,
    std::function<absl::Time()> clock) {
  if (absl::Status s = InitCrypto(); !s.ok()) return s;
  if (kek.bytes.size() != kKeyBytes) {
    return errors::KekWrongSize();
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  options.WAL_ttl_seconds = 0;
  options.WAL_size_limit_MB = 0;
  rocksdb::DB* raw = nullptr;
  if (absl::Status s = storage::errors::FromRocksDb(
          rocksdb::DB::Open(options, path, &raw),
          absl::StrCat("the data key store could not be opened at '", path,
                       "'"));
      !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string value;
  rocksdb::Status got = db->Get(rocksdb::ReadOptions(), kCheckKey, &value);
  uint32_t kek_version = 1;
  if (got.IsNotFound()) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator({}));
    it->SeekToFirst();
    if (it->Valid()) {
      return errors::KekRecordMissing(path);
    }
    if (absl::Status s = storage::errors::FromRocksDb(
            db->Put(Durable(), kCheckKey,
                    MakeCheck(kek, kek_version).SerializeAsString()),
            "the data key store could not record its key-encryption key");
        !s.ok()) {
      return s;
    }
  } else if (!got.ok()) {
    return storage::errors::FromRocksDb(got,
                                        "the data key store could not be read");
  } else {
    v1::KeyEncryptionKeyCheck check;
    if (!check.ParseFromString(value)) {
      return errors::CheckRecordUnreadable(path);
    }
    kek_version = check.kek_version();
    if (!Decrypt(kek.bytes, kCheckText,
                 Sealed{.nonce = check.nonce(), .ciphertext = check.sealed()})
             .ok()) {
      return errors::WrongKek(path, kek_version);
    }
  }
  return std::unique_ptr<DataKeyStore>(new DataKeyStore(
      std::move(db), std::move(kek), kek_version, std::move(clock)));
}

DataKeyStore::DataKeyStore(std::unique_ptr<rocksdb::DB> db,
                           KeyEncryptionKey kek, uint32_t kek_version,
                           std::function<absl::Time()> clock)
    : db_(std::move(db)),
      clock_(clock ? std::move(clock) : [] { return absl::Now(); }),
      kek_(std::move(kek)),
      kek_version_(kek_version) {}

DataKeyStore::~DataKeyStore() {
  absl::MutexLock lock(&mu_);
  for (auto& [id, key] : cache_) {
    std::fill(key.bytes.begin(), key.bytes.end(), '\0');
  }
  std::fill(kek_.bytes.begin(), kek_.bytes.end(), '\0');
}

uint32_t DataKeyStore::kek_version() const {
  absl::MutexLock lock(&mu_);
  return kek_version_;
}

absl::StatusOr<DataKey> DataKeyStore::Load(const std::string& key_id) {
  if (auto it = cache_.find(key_id); it != cache_.end()) return it->second;
  std::string value;
  rocksdb::Status got = db_->Get(
      rocksdb::ReadOptions(), absl::StrCat(kDestroyedPrefix, key_id), &value);
  if (got.ok()) {
    v1::DestroyedDataKey destroyed;
    destroyed.ParseFromString(value);
    DataKey key{.key_id = key_id,
                .version = 0,
                .bytes = "",
                .destroyed = true,
                .destroyed_at =
                    absl::FromUnixSeconds(destroyed.destroyed_at().seconds())};
    cache_[key_id] = key;
    return key;
  }
  if (!got.IsNotFound())
    return storage::errors::FromRocksDb(got,
                                        "the data key store could not be read");
  got = db_->Get(rocksdb::ReadOptions(), absl::StrCat(kWrappedPrefix, key_id),
                 &value);
  if (got.IsNotFound()) {
    return errors::DataKeyNotFound(key_id);
  }
  if (!got.ok())
    return storage::errors::FromRocksDb(got,
                                        "the data key store could not be read");
  v1::WrappedDataKey wrapped;
  if (!wrapped.ParseFromString(value)) {
    return errors::DataKeyUnreadable(key_id);
  }
  auto bytes = Unwrap(kek_, wrapped);
  if (!bytes.ok()) return bytes.status();
  DataKey key{.key_id = key_id,
              .version = wrapped.version(),
              .bytes = std::move(*bytes),
              .destroyed = false,
              .destroyed_at = absl::InfinitePast()};
  cache_[key_id] = key;
  return key;
}

absl::StatusOr<DataKey> DataKeyStore::GetOrCreate(const std::string& key_id) {
  absl::MutexLock lock(&mu_);
  auto key = Load(key_id);
  if (key.ok() && key->destroyed) {
    return errors::DataErased(key_id);
  }
  if (key.ok() || !absl::IsNotFound(key.status())) return key;
  DataKey created{.key_id = key_id,
                  .version = 1,
                  .bytes = RandomBytes(kKeyBytes),
                  .destroyed = false,
                  .destroyed_at = absl::InfinitePast()};
  const v1::WrappedDataKey wrapped =
      Wrap(kek_, kek_version_, created, clock_());
  if (absl::Status s = storage::errors::FromRocksDb(
          db_->Put(Durable(), absl::StrCat(kWrappedPrefix, key_id),
                   wrapped.SerializeAsString()),
          "the data key store could not store a new data key");
      !s.ok()) {
    return s;
  }
  cache_[key_id] = created;
  return created;
}

absl::StatusOr<DataKey> DataKeyStore::Get(const std::string& key_id) {
  absl::MutexLock lock(&mu_);
  auto key = Load(key_id);
  if (absl::IsNotFound(key.status())) {
    return errors::DataKeyMissing(key_id);
  }
  return key;
}

absl::Status DataKeyStore::Scrub() {
  // Push deletions through every level and drop the WAL that held them.
  rocksdb::FlushOptions flush;
  flush.wait = true;
  if (absl::Status s = storage::errors::FromRocksDb(
          db_->Flush(flush), "the data key store could not flush");
      !s.ok())
    return s;
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction =
      rocksdb::BottommostLevelCompaction::kForce;
  if (absl::Status s = storage::errors::FromRocksDb(
          db_->CompactRange(compact, nullptr, nullptr),
          "the data key store could not compact");
      !s.ok()) {
    return s;
  }
  return storage::errors::FromRocksDb(
      db_->FlushWAL(true), "the data key store could not sync its log");
}

absl::Status DataKeyStore::DestroyLocked(const std::string& key_id) {
  std::string existing;
  if (db_->Get(rocksdb::ReadOptions(), absl::StrCat(kDestroyedPrefix, key_id),
               &existing)
          .ok()) {
    return absl::OkStatus();
  }
  v1::DestroyedDataKey destroyed;
  destroyed.set_key_id(key_id);
  *destroyed.mutable_destroyed_at() = ToProto(clock_());
  rocksdb::WriteBatch batch;
  batch.Delete(absl::StrCat(kWrappedPrefix, key_id));
  batch.Put(absl::StrCat(kDestroyedPrefix, key_id),
            destroyed.SerializeAsString());
  if (absl::Status s = storage::errors::FromRocksDb(
          db_->Write(Durable(), &batch),
          "the data key store could not record a destroyed key");
      !s.ok()) {
    return s;
  }
  if (auto it = cache_.find(key_id); it != cache_.end()) {
    std::fill(it->second.bytes.begin(), it->second.bytes.end(), '\0');
    cache_.erase(it);
  }
  return absl::OkStatus();
}

absl::Status DataKeyStore::Destroy(const std::string& key_id) {
  {
    absl::MutexLock lock(&mu_);
    if (absl::Status s = DestroyLocked(key_id); !s.ok()) return s;
  }
  // Outside the lock: reads of other keys go on meanwhile. Always, so a
  // destruction a crash interrupted before its scrub is scrubbed on retry.
  return Scrub();
}

absl::StatusOr<int> DataKeyStore::DestroyPrefix(const std::string& prefix) {
  int destroyed = 0;
  {
    absl::MutexLock lock(&mu_);
    std::vector<std::string> ids;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}));
    const std::string from = absl::StrCat(kWrappedPrefix, prefix);
    for (it->Seek(from); it->Valid() && it->key().starts_with(from);
         it->Next()) {
      ids.push_back(it->key().ToString().substr(sizeof(kWrappedPrefix) - 1));
    }
    if (!it->status().ok())
      return storage::errors::FromRocksDb(
          it->status(), "the data key store could not be listed");
    it.reset();
    for (const std::string& id : ids) {
      if (absl::Status s = DestroyLocked(id); !s.ok()) return s;
      ++destroyed;
    }
  }
  if (absl::Status s = Scrub(); !s.ok()) return s;
  return destroyed;
}

absl::Status DataKeyStore::MarkErasurePending(const std::string& id,
                                              const std::string& stream_id) {
  absl::MutexLock lock(&mu_);
  return storage::errors::FromRocksDb(
      db_->Put(Durable(), absl::StrCat(kPendingPrefix, id), stream_id),
      "the data key store could not record an erasure");
}

absl::StatusOr<std::map<std::string, std::string>>
DataKeyStore::PendingErasures() {
  absl::MutexLock lock(&mu_);
  std::map<std::string, std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}));
  for (it->Seek(kPendingPrefix);
       it->Valid() && it->key().starts_with(kPendingPrefix); it->Next()) {
    out[it->key().ToString().substr(sizeof(kPendingPrefix) - 1)] =
        it->value().ToString();
  }
  if (!it->status().ok())
    return storage::errors::FromRocksDb(
        it->status(), "the data key store could not be listed");
  return out;
}

absl::Status DataKeyStore::ClearErasurePending(const std::string& id) {
  absl::MutexLock lock(&mu_);
  return storage::errors::FromRocksDb(
      db_->Delete(Durable(), absl::StrCat(kPendingPrefix, id)),
      "the data key store could not clear an erasure record");
}

absl::Status DataKeyStore::Rotate(KeyEncryptionKey new_kek) {
  if (new_kek.bytes.size() != kKeyBytes) {
    return errors::NewKekWrongSize();
  }
  {
    absl::MutexLock lock(&mu_);
    if (new_kek.bytes == kek_.bytes) {
      return errors::NewKekInUse();
    }
    const uint32_t version = kek_version_ + 1;
    rocksdb::WriteBatch batch;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}));
    for (it->Seek(kWrappedPrefix);
         it->Valid() && it->key().starts_with(kWrappedPrefix); it->Next()) {
      v1::WrappedDataKey wrapped;
      if (!wrapped.ParseFromString(it->value().ToString())) {
        return errors::DataKeyUnreadable(it->key().ToString());
      }
      auto bytes = Unwrap(kek_, wrapped);
      if (!bytes.ok()) return bytes.status();
      const DataKey key{.key_id = wrapped.key_id(),
                        .version = wrapped.version(),
                        .bytes = std::move(*bytes),
                        .destroyed = false,
                        .destroyed_at = absl::InfinitePast()};
      batch.Put(it->key(),
                Wrap(new_kek, version, key,
                     absl::FromUnixSeconds(wrapped.created_at().seconds()))
                    .SerializeAsString());
    }
    if (!it->status().ok())
      return storage::errors::FromRocksDb(
          it->status(), "the data key store could not be listed");
    batch.Put(kCheckKey, MakeCheck(new_kek, version).SerializeAsString());
    if (absl::Status s = storage::errors::FromRocksDb(
            db_->Write(Durable(), &batch),
            "the data key store could not store re-wrapped keys");
        !s.ok()) {
      return s;
    }
    std::fill(kek_.bytes.begin(), kek_.bytes.end(), '\0');
    kek_ = std::move(new_kek);
    kek_version_ = version;
  }
  return Scrub();  // nothing wrapped with the old key stays on disk
}

absl::Status DataKeyStore::Checkpoint(const std::string& dir) {
  rocksdb::Checkpoint* raw = nullptr;
  if (absl::Status s = storage::errors::FromRocksDb(
          rocksdb::Checkpoint::Create(db_.get(), &raw),
          "the data key store could not prepare a checkpoint");
      !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return storage::errors::FromRocksDb(
      checkpoint->CreateCheckpoint(dir),
      "the data key store could not write a checkpoint");
}

}  // namespace renkei::privacy
