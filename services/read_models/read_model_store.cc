#include "services/read_models/read_model_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "services/read_models/errors.h"
#include "storage/errors.h"
#include "storage/layout.h"

namespace renkei::read_models {
namespace {

std::string Join(std::initializer_list<absl::string_view> parts,
                 absl::string_view prefix) {
  std::string key(prefix);
  bool first = true;
  for (auto p : parts) {
    if (!first) key.push_back('\0');
    key.append(p.data(), p.size());
    first = false;
  }
  return key;
}

rocksdb::Slice ToSlice(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace

namespace keys {
std::string Case(absl::string_view case_id) { return Join({case_id}, "c/"); }
std::string Caseload(absl::string_view agency_id, absl::string_view case_id) {
  return Join({agency_id, case_id}, "l/");
}
std::string CaseloadPrefix(absl::string_view agency_id) {
  return Join({agency_id, ""}, "l/");
}
std::string Timeline(absl::string_view case_id, uint64_t position) {
  std::string key = TimelinePrefix(case_id);
  storage::layout::AppendBigEndian64(key, position);
  return key;
}
std::string TimelinePrefix(absl::string_view case_id) {
  return Join({case_id, ""}, "t/");
}
std::string Referral(absl::string_view case_id, absl::string_view referral_id) {
  return Join({case_id, referral_id}, "r/");
}
std::string Incoming(absl::string_view agency_id, absl::string_view case_id,
                     absl::string_view referral_id) {
  return Join({agency_id, case_id, referral_id}, "i/");
}
std::string IncomingPrefix(absl::string_view agency_id) {
  return Join({agency_id, ""}, "i/");
}
std::string Outgoing(absl::string_view agency_id, absl::string_view case_id,
                     absl::string_view referral_id) {
  return Join({agency_id, case_id, referral_id}, "o/");
}
std::string OutgoingPrefix(absl::string_view agency_id) {
  return Join({agency_id, ""}, "o/");
}
std::string Conference(absl::string_view conference_id) {
  return Join({conference_id}, "f/");
}
std::string Upcoming(absl::string_view conference_id) {
  return Join({conference_id}, "u/");
}
std::string ActionItem(absl::string_view conference_id,
                       absl::string_view item_id) {
  return Join({conference_id, item_id}, "ai/");
}
std::string AssignedItem(absl::string_view staff_id,
                         absl::string_view conference_id,
                         absl::string_view item_id) {
  return Join({staff_id, conference_id, item_id}, "a/");
}
std::string AssignedItemPrefix(absl::string_view staff_id) {
  return Join({staff_id, ""}, "a/");
}
std::string Handover(absl::string_view handover_id) {
  return Join({handover_id}, "h/");
}
std::string Consent(absl::string_view case_id, absl::string_view consent_id) {
  return Join({case_id, consent_id}, "cs/");
}
std::string ConsentPrefix(absl::string_view case_id) {
  return Join({case_id, ""}, "cs/");
}
std::string Plan(absl::string_view case_id) { return Join({case_id}, "pl/"); }
std::string LeadFact(absl::string_view case_id, uint64_t stream_version) {
  std::string key = LeadFactPrefix(case_id);
  storage::layout::AppendBigEndian64(key, stream_version);
  return key;
}
std::string LeadFactPrefix(absl::string_view case_id) {
  return Join({case_id, ""}, "ll/");
}
std::string CaseReview(absl::string_view case_id,
                       absl::string_view conference_id) {
  return Join({case_id, conference_id}, "cr/");
}
std::string CaseReviewPrefix(absl::string_view case_id) {
  return Join({case_id, ""}, "cr/");
}
std::string ConferenceHeld(absl::string_view conference_id) {
  return Join({conference_id}, "fh/");
}
namespace {
std::string TimeKey(absl::string_view prefix, absl::Time time) {
  std::string key(prefix);
  const int64_t seconds = absl::ToUnixSeconds(time);
  storage::layout::AppendBigEndian64(
      key, static_cast<uint64_t>(seconds) ^ (uint64_t{1} << 63));
  return key;
}
}  // namespace
std::string ReviewDue(absl::Time time, absl::string_view case_id) {
  std::string key = TimeKey(kReviewDuePrefix, time);
  key.push_back('\0');
  key.append(case_id.data(), case_id.size());
  return key;
}
std::string ReviewDueFrom(absl::Time time) {
  return TimeKey(kReviewDuePrefix, time);
}
std::string ReviewLatest(absl::Time time, absl::string_view case_id) {
  std::string key = TimeKey(kReviewLatestPrefix, time);
  key.push_back('\0');
  key.append(case_id.data(), case_id.size());
  return key;
}
std::string ReviewLatestFrom(absl::Time time) {
  return TimeKey(kReviewLatestPrefix, time);
}
std::string ReviewCaseDue(absl::Time due, absl::string_view case_id) {
  std::string key = TimeKey(kReviewCaseDuePrefix, due);
  key.push_back('\0');
  key.append(case_id.data(), case_id.size());
  return key;
}
bool ParseReviewKey(absl::string_view key, int64_t& seconds,
                    std::string& case_id) {
  constexpr size_t kPrefix = 3;  // "rd/", "rl/" or "rc/"
  if (key.size() < kPrefix + 9 || key[kPrefix + 8] != '\0') return false;
  auto biased = storage::layout::ReadBigEndian64(
      std::string_view(key.data(), key.size()), kPrefix);
  if (!biased) return false;
  seconds = static_cast<int64_t>(*biased ^ (uint64_t{1} << 63));
  case_id = std::string(key.substr(kPrefix + 9));
  return true;
}
std::string Involvement(absl::string_view staff_id, char kind,
                        absl::string_view id) {
  const char k[] = {kind, '\0'};
  return Join({staff_id, absl::string_view(k, 1), id}, "v/");
}
std::string InvolvementPrefix(absl::string_view staff_id, char kind) {
  const char k[] = {kind, '\0'};
  return Join({staff_id, absl::string_view(k, 1), ""}, "v/");
}
std::string AccessRead(absl::string_view case_id, uint64_t position) {
  std::string key = AccessReadPrefix(case_id);
  storage::layout::AppendBigEndian64(key, position);
  return key;
}
std::string AccessReadPrefix(absl::string_view case_id) {
  return Join({case_id, ""}, "x/");
}
}  // namespace keys

namespace {

std::string AsidePath(const std::string& path) {
  return absl::StrCat(path, ".discarded");
}

absl::Status RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) {
    return errors::CannotDelete(path, ec.message());
  }
  return absl::OkStatus();
}

// Makes a rename inside `dir` durable.
absl::Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    return errors::CannotOpenDirectoryToSync(dir);
  }
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) {
    return errors::CannotSyncDirectory(dir);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ReadModelStore>> ReadModelStore::Open(
    const std::string& path) {
  if (absl::Status s = RemoveTree(AsidePath(path)); !s.ok()) return s;
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, path, &raw);
  if (!s.ok()) {
    return storage::errors::FromRocksDb(
        s, absl::StrCat("cannot open read models at '", path, "'"));
  }
  std::unique_ptr<ReadModelStore> store(
      new ReadModelStore(std::unique_ptr<rocksdb::DB>(raw)));
  auto layout = store->Get(keys::kLayout);
  if (layout.ok()) {
    if (*layout != keys::kLayoutVersion) {
      return errors::LayoutMismatch(path, *layout, keys::kLayoutVersion);
    }
    return store;
  }
  if (!absl::IsNotFound(layout.status())) return layout.status();
  auto checkpoint = store->Checkpoint();
  if (!checkpoint.ok()) return checkpoint.status();
  if (*checkpoint > 0) {
    return errors::LayoutUnrecorded(path, keys::kLayoutVersion);
  }
  // A new store: record the layout its rows will have.
  rocksdb::WriteBatchWithIndex batch;
  if (!batch.Put(keys::kLayout, keys::kLayoutVersion).ok()) {
    return errors::CannotRecordLayout();
  }
  if (absl::Status w = store->Write(batch); !w.ok()) return w;
  return store;
}

absl::Status ReadModelStore::Destroy(const std::string& path) {
  const std::string aside = AsidePath(path);
  if (absl::Status s = RemoveTree(aside); !s.ok()) return s;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return absl::OkStatus();
  std::filesystem::rename(path, aside, ec);
  if (ec) {
    return errors::CannotMoveAside(path, ec.message());
  }
  std::string parent = std::filesystem::path(path).parent_path().string();
  if (parent.empty()) parent = ".";
  if (absl::Status s = SyncDirectory(parent); !s.ok()) return s;
  return RemoveTree(aside);
}

ReadModelStore::~ReadModelStore() {
  // Flushed on a clean close so that the next start replays no write-ahead
  // log (a full rebuild would otherwise be re-inserted on the next open).
  db_->Flush(rocksdb::FlushOptions()).PermitUncheckedError();
  db_->Close().PermitUncheckedError();
}

absl::StatusOr<uint64_t> ReadModelStore::Checkpoint() const {
  auto value = Get(keys::kCheckpoint);
  if (absl::IsNotFound(value.status())) return 0;
  if (!value.ok()) return value.status();
  auto position = storage::layout::ReadBigEndian64(*value);
  if (!position) return errors::CheckpointMalformed();
  return *position;
}

absl::StatusOr<std::string> ReadModelStore::Get(absl::string_view key) const {
  std::string value;
  absl::Status s = storage::errors::FromRocksDb(
      db_->Get(rocksdb::ReadOptions(), ToSlice(key), &value),
      absl::StrCat("no read-model row ", key));
  if (!s.ok()) return s;
  return value;
}

absl::Status ReadModelStore::Scan(
    absl::string_view prefix, absl::string_view start,
    const std::function<bool(absl::string_view, absl::string_view)>& visit)
    const {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(ToSlice(start.empty() ? prefix : start)); it->Valid();
       it->Next()) {
    absl::string_view key(it->key().data(), it->key().size());
    if (key.substr(0, prefix.size()) != prefix) break;
    if (!visit(key,
               absl::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return storage::errors::FromRocksDb(it->status(), "cannot scan read models");
}

absl::StatusOr<std::map<std::string, std::string>> ReadModelStore::Dump()
    const {
  std::map<std::string, std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    out.emplace(it->key().ToString(), it->value().ToString());
  }
  absl::Status s =
      storage::errors::FromRocksDb(it->status(), "cannot dump read models");
  if (!s.ok()) return s;
  return out;
}

absl::Status ReadModelStore::Write(rocksdb::WriteBatchWithIndex& batch) {
  // Not synced: the rows can always be rebuilt from the durable log, and the
  // checkpoint travels in the same batch as the rows it covers.
  return storage::errors::FromRocksDb(
      db_->Write(rocksdb::WriteOptions(), batch.GetWriteBatch()),
      "cannot write read models");
}

absl::StatusOr<std::string> ReadModelStore::GetThrough(
    rocksdb::WriteBatchWithIndex& batch, absl::string_view key) const {
  std::string value;
  absl::Status s = storage::errors::FromRocksDb(
      batch.GetFromBatchAndDB(db_.get(), rocksdb::ReadOptions(), ToSlice(key),
                              &value),
      absl::StrCat("no read-model row ", key));
  if (!s.ok()) return s;
  return value;
}

}  // namespace renkei::read_models
