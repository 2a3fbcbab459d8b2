// IdentityStore: how people prove who they are — Argon2id password hashes,
// failed-attempt counters with delays and lockout, and session tokens — kept
// durably in its own RocksDB (the data directory's "identity"), apart from
// the event log: credentials change and are forgotten, events never are.
// What happened (sign-ins, failures, lockouts, revocations, password
// changes) is returned as security records for the caller to append to the
// log; this store holds no event.
//
// Sessions: a token is 256 random bits, shown once; the store keeps only its
// BLAKE2b digest (a copy of the data directory signs nobody in; a restore
// ends every session). Sessions live in memory too (loaded at open), so
// checking a token reads no disk; expired ones are dropped as new ones are
// issued.
//
// Replacing passwords with a municipality's identity provider (OIDC): the
// provider's ID token is verified by another sign-in path that maps its
// subject to a staff id and calls IssueSession; everything after sign-in
// (tokens, revocation, the security log) stays as it is.
//
// Thread-safety: safe for concurrent use. At most one sign-in per account is
// verified at a time, and at most four in all (a further one is
// RESOURCE_EXHAUSTED), so parallel guesses cannot outrun the failure counter
// nor exhaust memory.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "renkei/v1/security.pb.h"
#include "services/identity/password_hash.h"

namespace rocksdb {
class DB;
}

namespace renkei::identity {

struct SignInPolicy {
  // Failures in a row before each further attempt must wait: base_delay,
  // doubled with each further failure.
  int free_failures = 3;
  absl::Duration base_delay = absl::Seconds(2);
  // Failures in a row that lock the account, and for how long (an
  // administrator's SetStaffPassword unlocks it at once).
  int lock_after = 5;
  absl::Duration lockout = absl::Minutes(15);
  // A session's life from sign-in (a working shift); then sign in again.
  absl::Duration session_ttl = absl::Hours(8);
  HashCost cost = HashCost::Interactive();
};

struct Session {
  std::string session_id;  // names the session in the security log
  std::string staff_id;
  absl::Time issued_at;
  absl::Time expires_at;
};

struct IssuedSession {
  std::string token;  // "rks_" + 43 characters
  Session session;
};

using SecurityRecord =
    std::variant<v1::SignInSucceeded, v1::SignInFailed, v1::AccountLocked,
                 v1::SignedOut, v1::SessionsRevoked, v1::PasswordSet>;

// The outcome of a call and what it did, for the security log: records are
// there whether or not it succeeded (a failed sign-in is a record).
template <typename T>
struct Recorded {
  absl::StatusOr<T> result;
  std::vector<SecurityRecord> records;
};

inline constexpr char kTokenPrefix[] = "rks_";

class IdentityStore {
 public:
  // Opens (creating) the store at `path`; drops sessions already expired at
  // `now`.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<IdentityStore>> Open(
      const std::string& path, SignInPolicy policy, absl::Time now);
  ~IdentityStore();

  // A password sign-in. `may_sign_in(staff_id)` is the directory's word
  // (an active staff member); it is asked only once the password matched.
  // UNAUTHENTICATED for a wrong id or password (one answer for both),
  // RESOURCE_EXHAUSTED while a delay runs, FAILED_PRECONDITION while locked,
  // and whatever `may_sign_in` refuses with.
  [[nodiscard]] Recorded<IssuedSession> SignIn(
      const std::string& staff_id, const std::string& password, absl::Time now,
      const std::function<absl::Status(const std::string&)>& may_sign_in);

  // A new session for a staff member whose identity was proven elsewhere
  // (after a password, or by an identity provider).
  [[nodiscard]] absl::StatusOr<IssuedSession> IssueSession(
      const std::string& staff_id, absl::Time now);

  // The session of `token`; UNAUTHENTICATED when unknown, ended or expired.
  [[nodiscard]] absl::StatusOr<Session> Authenticate(const std::string& token,
                                                     absl::Time now) const;

  // Ends the session of `token`.
  [[nodiscard]] Recorded<Session> SignOut(const std::string& token);

  // Sets `staff_id`'s password (first password, reset or change), clears
  // its failures and ends its sessions. INVALID_ARGUMENT for a password out
  // of bounds. The result is the number of sessions ended.
  [[nodiscard]] Recorded<uint32_t> SetPassword(const std::string& staff_id,
                                               const std::string& password,
                                               const std::string& set_by,
                                               bool by_administrator,
                                               absl::Time now);

  // The caller's own change: the current password must match (a wrong one
  // counts as a failed sign-in); then as SetPassword, and a new session.
  [[nodiscard]] Recorded<IssuedSession> ChangePassword(
      const std::string& staff_id, const std::string& current_password,
      const std::string& new_password, absl::Time now);

  // Ends every session of `staff_id` (departure, ...).
  [[nodiscard]] Recorded<uint32_t> RevokeAll(const std::string& staff_id,
                                             const std::string& reason);

  // Ends every session (a restored copy: tokens of then are not honoured).
  [[nodiscard]] absl::Status EndAllSessions();

  // A consistent copy of the store at `dir` (which must not exist), for a
  // backup.
  [[nodiscard]] absl::Status Checkpoint(const std::string& dir);

  [[nodiscard]] bool HasPassword(const std::string& staff_id) const;
  [[nodiscard]] size_t SessionCount() const;
  const SignInPolicy& policy() const { return policy_; }

 private:
  IdentityStore(std::unique_ptr<rocksdb::DB> db, SignInPolicy policy);

  // Checks the password of `staff_id` under the failure policy, counting a
  // failure. On success clears the failures.
  [[nodiscard]] absl::Status CheckPassword(
      const std::string& staff_id, const std::string& password, absl::Time now,
      std::vector<SecurityRecord>& records);
  [[nodiscard]] absl::Status PutFailures(const std::string& staff_id,
                                         const v1::StoredFailures& failures)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  [[nodiscard]] absl::StatusOr<uint32_t> RevokeAllLocked(
      const std::string& staff_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::unique_ptr<rocksdb::DB> db_;
  const SignInPolicy policy_;
  // A valid hash to verify against when an account has none, so an unknown
  // id takes as long to refuse as a wrong password.
  std::string decoy_hash_;
  mutable absl::Mutex mu_;
  // Token digest -> session.
  std::map<std::string, Session> sessions_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, v1::StoredFailures> failures_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> verifying_ ABSL_GUARDED_BY(mu_);
};

}  // namespace renkei::identity
