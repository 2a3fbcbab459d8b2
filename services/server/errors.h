// The catalogue of every error the server mints itself (request checks,
// identity, files, settings, capacity): one constructor per error, so codes
// and wording stay consistent and testable. Domain refusals come from
// services/domain/errors.h, storage errors from storage/errors.h.
#ifndef RENKEI_SERVICES_SERVER_ERRORS_H_
#define RENKEI_SERVICES_SERVER_ERRORS_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace renkei::server::errors {

// --help was asked for and printed: not an error, so it is told apart by
// IsHelpShown, never by its code.
[[nodiscard]] absl::Status HelpShown();
[[nodiscard]] bool IsHelpShown(const absl::Status& status);

// INVALID_ARGUMENT: a request or a command line that cannot be carried out as
// given.
[[nodiscard]] absl::Status NegativeLimit(int64_t requested);
[[nodiscard]] absl::Status LimitOverMaxPage(int64_t requested,
                                            int64_t max_page_size);
[[nodiscard]] absl::Status TimelineLimitOutOfRange(int64_t max,
                                                   int64_t requested);
// `field` is the request field, e.g. "as_of".
[[nodiscard]] absl::Status FieldRequired(absl::string_view field);
[[nodiscard]] absl::Status InvalidTimeAxis();
[[nodiscard]] absl::Status UnknownReadDirection(int direction);
[[nodiscard]] absl::Status PositionsReversed(uint64_t from_position,
                                             uint64_t to_position);
[[nodiscard]] absl::Status UnknownSharingPurpose(int purpose);
[[nodiscard]] absl::Status NegativeExpiringWithin();
[[nodiscard]] absl::Status InvalidReferralDirection();
[[nodiscard]] absl::Status EraseAsOfInFuture();
[[nodiscard]] absl::Status OccurredAtInFuture(absl::Time at, absl::Time now,
                                              absl::Duration max_skew);
[[nodiscard]] absl::Status OccurredAtTooEarly(absl::Time at,
                                              absl::Time earliest);
[[nodiscard]] absl::Status BackupDirNotAbsolute(absl::string_view backup_dir);
[[nodiscard]] absl::Status BackupDirInsideDataDir(absl::string_view backup_dir);
[[nodiscard]] absl::Status RestorePastBackup(uint64_t to_position,
                                             uint32_t backup_id,
                                             uint64_t last_position);
[[nodiscard]] absl::Status KeyEncryptionKeyWrongSize();
// The command-line parser's own explanation, usage included.
[[nodiscard]] absl::Status BadCommandLine(absl::string_view explanation);
[[nodiscard]] absl::Status DefaultPageOverMax(int64_t default_page_size,
                                              int64_t max_page_size);
[[nodiscard]] absl::Status EmptyDataDir();
[[nodiscard]] absl::Status TlsPairIncomplete();
[[nodiscard]] absl::Status ClientCaNeedsTls();
[[nodiscard]] absl::Status ClientCertificateNeedsCa();
[[nodiscard]] absl::Status WebRootNeedsWebListen();
[[nodiscard]] absl::Status PasswordFileConflict();
[[nodiscard]] absl::Status CannotReadPassword(absl::string_view password_file);
[[nodiscard]] absl::Status BadListenAddress(absl::string_view host_port,
                                            absl::string_view why);

// NOT_FOUND: something the request names is not there, or not visible to the
// caller.
[[nodiscard]] absl::Status CaseNotFound(absl::string_view case_id);
[[nodiscard]] absl::Status NoEventsBy(absl::string_view case_id, bool recorded,
                                      absl::Time as_of);
[[nodiscard]] absl::Status StreamNotFound(absl::string_view stream_id);
[[nodiscard]] absl::Status ConferenceNotVisible(
    absl::string_view conference_id);
[[nodiscard]] absl::Status HandoverNotVisible(absl::string_view handover_id);
[[nodiscard]] absl::Status EntryNotOnCase(absl::string_view entry_id,
                                          absl::string_view case_id);
[[nodiscard]] absl::Status NotCaseMember(absl::string_view subject_id,
                                         absl::string_view case_id);
[[nodiscard]] absl::Status AgencyNotRegistered(absl::string_view agency_id);
[[nodiscard]] absl::Status NoSupportPlan(absl::string_view case_id);
[[nodiscard]] absl::Status StageNotInPlan(absl::string_view stage_id,
                                          absl::string_view case_id);

// FAILED_PRECONDITION: the server's files, settings or state forbid it.
[[nodiscard]] absl::Status ConferenceAnonymised(
    absl::string_view conference_id);
[[nodiscard]] absl::Status CannotCreateBackupDir(absl::string_view backup_dir,
                                                 absl::string_view reason);
[[nodiscard]] absl::Status RestoreTargetNotEmpty(absl::string_view data_dir);
[[nodiscard]] absl::Status CannotCreateDataDir(absl::string_view data_dir,
                                               absl::string_view reason);
[[nodiscard]] absl::Status CannotReadDataDir(absl::string_view data_dir,
                                             absl::string_view reason);
[[nodiscard]] absl::Status SecretReadableByOthers(absl::string_view path,
                                                  unsigned mode);
[[nodiscard]] absl::Status CannotRestrictToOwner(absl::string_view path,
                                                 absl::string_view reason);
[[nodiscard]] absl::Status CannotReadCaBundle(absl::string_view ca_file);
// `env` is the environment variable that may carry the key instead.
[[nodiscard]] absl::Status NoKeyEncryptionKey(absl::string_view env);
[[nodiscard]] absl::Status RetentionAdministratorInactive(
    absl::string_view staff_id);
// `what` says what is wrong with the file, e.g. "is not 32 bytes".
[[nodiscard]] absl::Status PseudonymKeyUnusable(absl::string_view path,
                                                absl::string_view what);
// `step` is the file operation that failed (open, chmod, write, ...).
[[nodiscard]] absl::Status CannotCreatePseudonymKey(absl::string_view path,
                                                    absl::string_view step,
                                                    absl::string_view reason);
[[nodiscard]] absl::Status PlaintextListenRefused(absl::string_view listen);
[[nodiscard]] absl::Status DevHeaderIdentityRefused(absl::string_view listen);
[[nodiscard]] absl::Status CrlDirNotDirectory(absl::string_view crl_dir);
[[nodiscard]] absl::Status CannotReadTlsFile(absl::string_view file);
[[nodiscard]] absl::Status PlaintextConsoleRefused(
    absl::string_view web_listen);
[[nodiscard]] absl::Status PasswordsWithClientCertificates();
[[nodiscard]] absl::Status NoSessionToEnd();

// UNAUTHENTICATED: the call does not prove who makes it.
[[nodiscard]] absl::Status CertificateNamesManyStaff();
// `uri_prefix` is the SAN URI prefix a staff certificate carries.
[[nodiscard]] absl::Status CertificateNamesNoStaff(
    absl::string_view uri_prefix);
[[nodiscard]] absl::Status MalformedAuthorization();
[[nodiscard]] absl::Status CertificateSessionMismatch(
    absl::string_view certificate_staff_id, absl::string_view session_staff_id);
[[nodiscard]] absl::Status HeaderIdentityMismatch(
    absl::string_view proven_staff_id, absl::string_view header_staff_id,
    absl::string_view header);
[[nodiscard]] absl::Status SignInRequired();
[[nodiscard]] absl::Status StaffHeaderMissing(absl::string_view header);
[[nodiscard]] absl::Status InvalidStaffIdHeader(absl::string_view header);
[[nodiscard]] absl::Status InvalidAgencyIdHeader(absl::string_view header);
[[nodiscard]] absl::Status WrongCredentials();

[[nodiscard]] absl::Status StaffLeftMayNotSignIn(absl::string_view staff_id);

// RESOURCE_EXHAUSTED: the server is at capacity; retry shortly.
[[nodiscard]] absl::Status TooManyCompletions(int max_completions);
[[nodiscard]] absl::Status TooManySubscriptions(size_t max_streams);

// UNAVAILABLE: a dependency is down or the server is stopping; retry later.
// `query` describes the audited read; `cause` is why it was not recorded.
[[nodiscard]] absl::Status AuditReadNotRecorded(absl::string_view query,
                                                const absl::Status& cause);
[[nodiscard]] absl::Status PseudonymKeyNotCopied(absl::string_view reason);
[[nodiscard]] absl::Status BackupCredentialsNotPlaced(uint32_t backup_id,
                                                      absl::string_view reason);
[[nodiscard]] absl::Status HealthCheckFailed(absl::string_view service,
                                             absl::string_view target,
                                             absl::string_view reason);
[[nodiscard]] absl::Status NotServing(absl::string_view service,
                                      absl::string_view target);
[[nodiscard]] absl::Status CannotServeMetrics(absl::string_view host, int port);
[[nodiscard]] absl::Status CannotListen(absl::string_view listen);

// UNIMPLEMENTED: this server runs without the part the call needs.
[[nodiscard]] absl::Status NoAccountStores();
[[nodiscard]] absl::Status NoIdentityStore();

// DATA_LOSS: stored rows, restored logs or copied secrets are not whole.
// `what` names the row or key, e.g. "timeline row".
[[nodiscard]] absl::Status RowMalformed(absl::string_view what);
[[nodiscard]] absl::Status NoWholeBackup(absl::string_view backup_dir);
[[nodiscard]] absl::Status RestoredChainBroken(uint64_t position,
                                               absl::string_view reason);
[[nodiscard]] absl::Status RestoredHeadMismatch(
    uint64_t position, absl::string_view hash, uint32_t backup_id,
    uint64_t manifest_position, absl::string_view manifest_hash);
[[nodiscard]] absl::Status CutLogDoesNotVerify(uint64_t to_position,
                                               absl::string_view reason);
// `what` names the backup's part, e.g. "credentials (identity-3)".
[[nodiscard]] absl::Status BackupPartNotCopied(absl::string_view what,
                                               absl::string_view reason);

// INTERNAL: the server broke one of its own rules; a bug.
[[nodiscard]] absl::Status CannotWriteFile(absl::string_view path,
                                           absl::string_view reason);
}  // namespace renkei::server::errors

#endif  // RENKEI_SERVICES_SERVER_ERRORS_H_
