#include "services/identity/identity_store.h"

#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/identity/errors.h"
#include "storage/errors.h"

namespace renkei::identity {
namespace {

constexpr char kPasswordPrefix[] = "p/";
constexpr char kFailuresPrefix[] = "f/";
constexpr char kSessionPrefix[] = "s/";
// Argon2id at the interactive cost takes 64 MiB per check: at most this
// many run at once, whatever ids the callers try.
constexpr size_t kMaxConcurrentVerifications = 4;

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp out;
  const int64_t nanos = absl::ToUnixNanos(t);
  out.set_seconds(nanos / 1'000'000'000);
  out.set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
  return out;
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

rocksdb::WriteOptions Durable() {
  rocksdb::WriteOptions options;
  options.sync = true;
  return options;
}

v1::SignInFailed Failed(const std::string& staff_id, v1::SignInFailure why,
                        uint32_t consecutive) {
  v1::SignInFailed failed;
  failed.set_staff_id(staff_id);
  failed.set_failure(why);
  failed.set_consecutive_failures(consecutive);
  return failed;
}

absl::Status WrongPassword() { return errors::WrongCredentials(); }

}  // namespace

IdentityStore::IdentityStore(std::unique_ptr<rocksdb::DB> db,
                             SignInPolicy policy)
    : db_(std::move(db)), policy_(std::move(policy)) {}

IdentityStore::~IdentityStore() = default;

absl::StatusOr<std::unique_ptr<IdentityStore>> IdentityStore::Open(
    const std::string& path, SignInPolicy policy, absl::Time now) {
  if (absl::Status s = InitSodium(); !s.ok()) return s;
  rocksdb::Options options;
  options.create_if_missing = true;
  options.max_open_files = 64;
  rocksdb::DB* raw = nullptr;
  if (absl::Status s = storage::errors::FromRocksDb(
          rocksdb::DB::Open(options, path, &raw),
          "the identity store could not be opened");
      !s.ok()) {
    return s;
  }
  std::unique_ptr<IdentityStore> store(
      new IdentityStore(std::unique_ptr<rocksdb::DB>(raw), policy));
  auto decoy = HashPassword(RandomToken(16), policy.cost);
  if (!decoy.ok()) return decoy.status();
  store->decoy_hash_ = *decoy;

  absl::MutexLock lock(&store->mu_);
  rocksdb::WriteBatch expired;
  std::unique_ptr<rocksdb::Iterator> it(
      store->db_->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    const std::string value = it->value().ToString();
    if (absl::StartsWith(key, kSessionPrefix)) {
      v1::StoredSession row;
      if (!row.ParseFromString(value)) {
        return errors::RowUnreadable(key);
      }
      const absl::Time expires_at = FromProto(row.expires_at());
      if (expires_at <= now) {
        expired.Delete(key);
        continue;
      }
      store->sessions_[key.substr(sizeof kSessionPrefix - 1)] =
          Session{.session_id = row.session_id(),
                  .staff_id = row.staff_id(),
                  .issued_at = FromProto(row.issued_at()),
                  .expires_at = expires_at};
    } else if (absl::StartsWith(key, kFailuresPrefix)) {
      v1::StoredFailures row;
      if (!row.ParseFromString(value)) {
        return errors::RowUnreadable(key);
      }
      store->failures_[key.substr(sizeof kFailuresPrefix - 1)] = row;
    }
  }
  if (absl::Status s = storage::errors::FromRocksDb(
          it->status(), "the identity store could not be read");
      !s.ok())
    return s;
  if (expired.Count() > 0) {
    if (absl::Status s = storage::errors::FromRocksDb(
            store->db_->Write(Durable(), &expired),
            "the identity store could not drop expired sessions");
        !s.ok()) {
      return s;
    }
  }
  return store;
}

absl::Status IdentityStore::PutFailures(const std::string& staff_id,
                                        const v1::StoredFailures& failures) {
  const std::string key = absl::StrCat(kFailuresPrefix, staff_id);
  rocksdb::Status s =
      failures.consecutive() == 0
          ? db_->Delete(Durable(), key)
          : db_->Put(Durable(), key, failures.SerializeAsString());
  if (absl::Status status = storage::errors::FromRocksDb(
          s, "the identity store could not record the failed attempts");
      !status.ok()) {
    return status;
  }
  if (failures.consecutive() == 0) {
    failures_.erase(staff_id);
  } else {
    failures_[staff_id] = failures;
  }
  return absl::OkStatus();
}

absl::Status IdentityStore::CheckPassword(
    const std::string& staff_id, const std::string& password, absl::Time now,
    std::vector<SecurityRecord>& records) {
  {
    absl::MutexLock lock(&mu_);
    const v1::StoredFailures failures = failures_.contains(staff_id)
                                            ? failures_.at(staff_id)
                                            : v1::StoredFailures();
    if (failures.has_locked_until() &&
        FromProto(failures.locked_until()) > now) {
      records.push_back(
          Failed(staff_id, v1::SIGN_IN_FAILURE_LOCKED, failures.consecutive()));
      return errors::AccountLocked(staff_id, failures.consecutive(),
                                   FromProto(failures.locked_until()));
    }
    const int over =
        static_cast<int>(failures.consecutive()) - policy_.free_failures;
    if (over >= 0) {
      const absl::Time allowed_at = FromProto(failures.last_failure_at()) +
                                    policy_.base_delay * std::pow(2.0, over);
      if (now < allowed_at) {
        records.push_back(Failed(staff_id, v1::SIGN_IN_FAILURE_RATE_LIMITED,
                                 failures.consecutive()));
        return errors::SignInThrottled(
            staff_id, failures.consecutive(),
            absl::Ceil(allowed_at - now, absl::Seconds(1)));
      }
    }
    if (verifying_.size() >= kMaxConcurrentVerifications) {
      return errors::TooManySignInsAtOnce();
    }
    if (!verifying_.insert(staff_id).second) {
      records.push_back(Failed(staff_id, v1::SIGN_IN_FAILURE_RATE_LIMITED,
                               failures.consecutive()));
      return errors::SignInInProgress(staff_id);
    }
  }
  std::string row;
  rocksdb::Status got = db_->Get(rocksdb::ReadOptions(),
                                 absl::StrCat(kPasswordPrefix, staff_id), &row);
  v1::StoredPassword stored;
  const bool known = got.ok() && stored.ParseFromString(row);
  // An unknown account costs as much as a wrong password.
  const bool match =
      VerifyPassword(known ? stored.argon2id() : decoy_hash_, password) &&
      known;

  absl::MutexLock lock(&mu_);
  verifying_.erase(staff_id);
  if (!got.ok() && !got.IsNotFound()) {
    return storage::errors::FromRocksDb(
        got, "the identity store could not read the password");
  }
  if (!known) {
    records.push_back(Failed(staff_id, v1::SIGN_IN_FAILURE_UNKNOWN_ACCOUNT, 0));
    return WrongPassword();
  }
  v1::StoredFailures failures = failures_.contains(staff_id)
                                    ? failures_.at(staff_id)
                                    : v1::StoredFailures();
  if (match) {
    if (failures.consecutive() > 0) {
      if (absl::Status s = PutFailures(staff_id, v1::StoredFailures());
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }
  failures.set_consecutive(failures.consecutive() + 1);
  *failures.mutable_last_failure_at() = ToProto(now);
  records.push_back(Failed(staff_id, v1::SIGN_IN_FAILURE_WRONG_PASSWORD,
                           failures.consecutive()));
  if (static_cast<int>(failures.consecutive()) >= policy_.lock_after) {
    *failures.mutable_locked_until() = ToProto(now + policy_.lockout);
    v1::AccountLocked locked;
    locked.set_staff_id(staff_id);
    *locked.mutable_locked_until() = failures.locked_until();
    locked.set_consecutive_failures(failures.consecutive());
    records.push_back(locked);
  }
  if (absl::Status s = PutFailures(staff_id, failures); !s.ok()) return s;
  return WrongPassword();
}

Recorded<IssuedSession> IdentityStore::SignIn(
    const std::string& staff_id, const std::string& password, absl::Time now,
    const std::function<absl::Status(const std::string&)>& may_sign_in) {
  Recorded<IssuedSession> out{.result = errors::ResultUnset(), .records = {}};
  if (absl::Status s = CheckPassword(staff_id, password, now, out.records);
      !s.ok()) {
    out.result = s;
    return out;
  }
  if (absl::Status s = may_sign_in(staff_id); !s.ok()) {
    out.records.push_back(Failed(staff_id, v1::SIGN_IN_FAILURE_DEPARTED, 0));
    out.result = s;
    return out;
  }
  out.result = IssueSession(staff_id, now);
  if (out.result.ok()) {
    v1::SignInSucceeded ok;
    ok.set_staff_id(staff_id);
    ok.set_session_id(out.result->session.session_id);
    *ok.mutable_expires_at() = ToProto(out.result->session.expires_at);
    out.records.push_back(ok);
  }
  return out;
}

absl::StatusOr<IssuedSession> IdentityStore::IssueSession(
    const std::string& staff_id, absl::Time now) {
  IssuedSession issued;
  issued.token = absl::StrCat(kTokenPrefix, RandomToken(32));
  const std::string digest = Digest(issued.token);
  issued.session = Session{.session_id = digest.substr(0, 16),
                           .staff_id = staff_id,
                           .issued_at = now,
                           .expires_at = now + policy_.session_ttl};
  v1::StoredSession row;
  row.set_session_id(issued.session.session_id);
  row.set_staff_id(staff_id);
  *row.mutable_issued_at() = ToProto(now);
  *row.mutable_expires_at() = ToProto(issued.session.expires_at);
  absl::MutexLock lock(&mu_);
  if (absl::Status s = storage::errors::FromRocksDb(
          db_->Put(Durable(), absl::StrCat(kSessionPrefix, digest),
                   row.SerializeAsString()),
          "the identity store could not store the session");
      !s.ok()) {
    return s;
  }
  sessions_[digest] = issued.session;
  return issued;
}

absl::StatusOr<Session> IdentityStore::Authenticate(const std::string& token,
                                                    absl::Time now) const {
  if (!absl::StartsWith(token, kTokenPrefix) || token.size() > 128) {
    return errors::NotASessionToken();
  }
  const std::string digest = Digest(token);
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(digest);
  if (it == sessions_.end()) {
    return errors::SessionEnded();
  }
  if (it->second.expires_at <= now) {
    return errors::SessionExpired(it->second.expires_at);
  }
  return it->second;
}

Recorded<Session> IdentityStore::SignOut(const std::string& token) {
  Recorded<Session> out{.result = errors::ResultUnset(), .records = {}};
  const std::string digest = Digest(token);
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(digest);
  if (it == sessions_.end()) {
    out.result = errors::SessionAlreadyEnded();
    return out;
  }
  if (absl::Status s = storage::errors::FromRocksDb(
          db_->Delete(Durable(), absl::StrCat(kSessionPrefix, digest)),
          "the identity store could not end the session");
      !s.ok()) {
    out.result = s;
    return out;
  }
  v1::SignedOut record;
  record.set_staff_id(it->second.staff_id);
  record.set_session_id(it->second.session_id);
  out.records.push_back(record);
  out.result = it->second;
  sessions_.erase(it);
  return out;
}

absl::StatusOr<uint32_t> IdentityStore::RevokeAllLocked(
    const std::string& staff_id) {
  rocksdb::WriteBatch batch;
  std::vector<std::string> ended;
  for (const auto& [digest, session] : sessions_) {
    if (session.staff_id != staff_id) continue;
    batch.Delete(absl::StrCat(kSessionPrefix, digest));
    ended.push_back(digest);
  }
  if (ended.empty()) return 0;
  if (absl::Status s = storage::errors::FromRocksDb(
          db_->Write(Durable(), &batch),
          "the identity store could not end the sessions");
      !s.ok()) {
    return s;
  }
  for (const std::string& digest : ended) sessions_.erase(digest);
  return static_cast<uint32_t>(ended.size());
}

Recorded<uint32_t> IdentityStore::RevokeAll(const std::string& staff_id,
                                            const std::string& reason) {
  Recorded<uint32_t> out{.result = errors::ResultUnset(), .records = {}};
  absl::MutexLock lock(&mu_);
  out.result = RevokeAllLocked(staff_id);
  if (out.result.ok() && *out.result > 0) {
    v1::SessionsRevoked record;
    record.set_staff_id(staff_id);
    record.set_reason(reason);
    record.set_sessions(*out.result);
    out.records.push_back(record);
  }
  return out;
}

Recorded<uint32_t> IdentityStore::SetPassword(const std::string& staff_id,
                                              const std::string& password,
                                              const std::string& set_by,
                                              bool by_administrator,
                                              absl::Time now) {
  Recorded<uint32_t> out{.result = errors::ResultUnset(), .records = {}};
  if (absl::Status s = ValidateNewPassword(password); !s.ok()) {
    out.result = s;
    return out;
  }
  auto hash = HashPassword(password, policy_.cost);
  if (!hash.ok()) {
    out.result = hash.status();
    return out;
  }
  v1::StoredPassword row;
  row.set_argon2id(*hash);
  *row.mutable_set_at() = ToProto(now);
  absl::MutexLock lock(&mu_);
  // The new password, the cleared failures and the ended sessions in one
  // durable write: a crash never leaves a new password beside old sessions.
  rocksdb::WriteBatch batch;
  batch.Put(absl::StrCat(kPasswordPrefix, staff_id), row.SerializeAsString());
  batch.Delete(absl::StrCat(kFailuresPrefix, staff_id));
  std::vector<std::string> ended;
  for (const auto& [digest, session] : sessions_) {
    if (session.staff_id != staff_id) continue;
    batch.Delete(absl::StrCat(kSessionPrefix, digest));
    ended.push_back(digest);
  }
  if (absl::Status s = storage::errors::FromRocksDb(
          db_->Write(Durable(), &batch),
          "the identity store could not store the password");
      !s.ok()) {
    out.result = s;
    return out;
  }
  failures_.erase(staff_id);
  for (const std::string& digest : ended) sessions_.erase(digest);
  v1::PasswordSet set;
  set.set_staff_id(staff_id);
  set.set_set_by_staff_id(set_by);
  set.set_by_administrator(by_administrator);
  out.records.push_back(set);
  out.result = static_cast<uint32_t>(ended.size());
  if (!ended.empty()) {
    v1::SessionsRevoked revoked;
    revoked.set_staff_id(staff_id);
    revoked.set_reason(by_administrator ? "password set by an administrator"
                                        : "password changed");
    revoked.set_sessions(static_cast<uint32_t>(ended.size()));
    out.records.push_back(revoked);
  }
  return out;
}

Recorded<IssuedSession> IdentityStore::ChangePassword(
    const std::string& staff_id, const std::string& current_password,
    const std::string& new_password, absl::Time now) {
  Recorded<IssuedSession> out{.result = errors::ResultUnset(), .records = {}};
  if (absl::Status s = ValidateNewPassword(new_password); !s.ok()) {
    out.result = s;
    return out;
  }
  if (absl::Status s =
          CheckPassword(staff_id, current_password, now, out.records);
      !s.ok()) {
    out.result =
        absl::IsUnauthenticated(s) ? errors::CurrentPasswordWrong() : s;
    return out;
  }
  Recorded<uint32_t> set =
      SetPassword(staff_id, new_password, staff_id, false, now);
  for (SecurityRecord& r : set.records) out.records.push_back(std::move(r));
  if (!set.result.ok()) {
    out.result = set.result.status();
    return out;
  }
  out.result = IssueSession(staff_id, now);
  return out;
}

absl::Status IdentityStore::EndAllSessions() {
  absl::MutexLock lock(&mu_);
  rocksdb::WriteBatch batch;
  for (const auto& [digest, session] : sessions_) {
    batch.Delete(absl::StrCat(kSessionPrefix, digest));
  }
  if (absl::Status s = storage::errors::FromRocksDb(
          db_->Write(Durable(), &batch),
          "the identity store could not end the sessions");
      !s.ok()) {
    return s;
  }
  sessions_.clear();
  return absl::OkStatus();
}

absl::Status IdentityStore::Checkpoint(const std::string& dir) {
  rocksdb::Checkpoint* raw = nullptr;
  if (absl::Status s = storage::errors::FromRocksDb(
          rocksdb::Checkpoint::Create(db_.get(), &raw),
          "the identity store could not be checkpointed");
      !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return storage::errors::FromRocksDb(
      checkpoint->CreateCheckpoint(dir, 0),
      "the identity store could not be checkpointed");
}

bool IdentityStore::HasPassword(const std::string& staff_id) const {
  std::string row;
  return db_
      ->Get(rocksdb::ReadOptions(), absl::StrCat(kPasswordPrefix, staff_id),
            &row)
      .ok();
}

size_t IdentityStore::SessionCount() const {
  absl::MutexLock lock(&mu_);
  return sessions_.size();
}

}  // namespace renkei::identity
