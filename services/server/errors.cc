// Wording of every error the server mints itself.
#include "services/server/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace renkei::server::errors {
namespace {

constexpr char kHelpShownPayload[] = "renkei.server/help_shown";

}  // namespace

absl::Status HelpShown() {
  absl::Status status = absl::CancelledError("help was shown");
  status.SetPayload(kHelpShownPayload, absl::Cord("1"));
  return status;
}

bool IsHelpShown(const absl::Status& status) {
  return status.GetPayload(kHelpShownPayload).has_value();
}

absl::Status NegativeLimit(int64_t requested) {
  return absl::InvalidArgumentError(
      absl::StrCat("limit must not be negative; got ", requested));
}

absl::Status LimitOverMaxPage(int64_t requested, int64_t max_page_size) {
  return absl::InvalidArgumentError(
      absl::StrCat("limit ", requested, " is over the maximum page size of ",
                   max_page_size, "; page through with `next`"));
}

absl::Status TimelineLimitOutOfRange(int64_t max, int64_t requested) {
  return absl::InvalidArgumentError(
      absl::StrCat("limit must be between 0 and ", max, "; got ", requested));
}

absl::Status FieldRequired(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
}

absl::Status InvalidTimeAxis() {
  return absl::InvalidArgumentError(
      "axis must be TIME_AXIS_RECORDED or TIME_AXIS_OCCURRED");
}

absl::Status UnknownReadDirection(int direction) {
  return absl::InvalidArgumentError(
      absl::StrCat("unknown read direction ", direction,
                   "; use READ_DIRECTION_FORWARD or READ_DIRECTION_BACKWARD"));
}

absl::Status PositionsReversed(uint64_t from_position, uint64_t to_position) {
  return absl::InvalidArgumentError(absl::StrCat(
      "from_position ", from_position, " is after to_position ", to_position));
}

absl::Status UnknownSharingPurpose(int purpose) {
  return absl::InvalidArgumentError(
      absl::StrCat("unknown sharing purpose ", purpose));
}

absl::Status NegativeExpiringWithin() {
  return absl::InvalidArgumentError(
      "expiring_within_days must not be negative");
}

absl::Status InvalidReferralDirection() {
  return absl::InvalidArgumentError(
      "direction must be REFERRAL_DIRECTION_INCOMING or "
      "REFERRAL_DIRECTION_OUTGOING");
}

absl::Status EraseAsOfInFuture() {
  return absl::InvalidArgumentError(
      "as_of is in the future: records are erased only once their retention "
      "has run out");
}

absl::Status OccurredAtInFuture(absl::Time at, absl::Time now,
                                absl::Duration max_skew) {
  return absl::InvalidArgumentError(absl::StrCat(
      "options.occurred_at ", absl::FormatTime(at, absl::UTCTimeZone()),
      " is in the future (the server's time is ",
      absl::FormatTime(now, absl::UTCTimeZone()),
      "); occurred_at is when it happened, at most ",
      absl::ToInt64Minutes(max_skew), " minutes ahead"));
}

absl::Status OccurredAtTooEarly(absl::Time at, absl::Time earliest) {
  return absl::InvalidArgumentError(absl::StrCat(
      "options.occurred_at ", absl::FormatTime(at, absl::UTCTimeZone()),
      " is before ", absl::FormatTime(earliest, absl::UTCTimeZone()),
      ", the earliest business time accepted"));
}

absl::Status BackupDirNotAbsolute(absl::string_view backup_dir) {
  return absl::InvalidArgumentError(absl::StrCat(
      "directory must be an absolute path on the server machine; got '",
      backup_dir, "'"));
}

absl::Status BackupDirInsideDataDir(absl::string_view backup_dir) {
  return absl::InvalidArgumentError(
      absl::StrCat("the backup directory '", backup_dir,
                   "' is inside the data directory; back up to another disk"));
}

absl::Status RestorePastBackup(uint64_t to_position, uint32_t backup_id,
                               uint64_t last_position) {
  return absl::InvalidArgumentError(
      absl::StrCat("position ", to_position, " is past backup ", backup_id,
                   "'s last event (", last_position,
                   "); take a later backup or restore less"));
}

absl::Status KeyEncryptionKeyWrongSize() {
  return absl::InvalidArgumentError(
      "the key-encryption key given is not 32 bytes");
}

absl::Status BadCommandLine(absl::string_view explanation) {
  return absl::InvalidArgumentError(explanation);
}

absl::Status DefaultPageOverMax(int64_t default_page_size,
                                int64_t max_page_size) {
  return absl::InvalidArgumentError(
      absl::StrCat("--default-page-size (", default_page_size,
                   ") cannot exceed --max-page-size (", max_page_size, ")"));
}

absl::Status EmptyDataDir() {
  return absl::InvalidArgumentError("--data-dir must not be empty");
}

absl::Status TlsPairIncomplete() {
  return absl::InvalidArgumentError(
      "--tls-cert-file and --tls-key-file go together");
}

absl::Status ClientCaNeedsTls() {
  return absl::InvalidArgumentError(
      "--tls-client-ca-file needs --tls-cert-file and --tls-key-file");
}

absl::Status ClientCertificateNeedsCa() {
  return absl::InvalidArgumentError(
      "--require-client-certificate and --tls-crl-dir need "
      "--tls-client-ca-file");
}

absl::Status WebRootNeedsWebListen() {
  return absl::InvalidArgumentError("--web-root needs --web-listen");
}

absl::Status PasswordFileConflict() {
  return absl::InvalidArgumentError(
      "give --password-file or --generate-password-file, not both");
}

absl::Status CannotReadPassword(absl::string_view password_file) {
  return absl::InvalidArgumentError(
      absl::StrCat("cannot read a password from '", password_file, "'"));
}

absl::Status BadListenAddress(absl::string_view host_port,
                              absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("listen address '", host_port, "' ", why,
                   "; use HOST:PORT with an IP literal (127.0.0.1, [::1], "
                   "10.0.0.5) or localhost"));
}

absl::Status CaseNotFound(absl::string_view case_id) {
  return absl::NotFoundError(
      absl::StrCat("case '", case_id, "' does not exist"));
}

absl::Status NoEventsBy(absl::string_view case_id, bool recorded,
                        absl::Time as_of) {
  return absl::NotFoundError(absl::StrCat(
      "case '", case_id, "' has no events ",
      recorded ? "recorded" : "that occurred", " by ",
      absl::FormatTime(absl::RFC3339_sec, as_of, absl::UTCTimeZone())));
}

absl::Status StreamNotFound(absl::string_view stream_id) {
  return absl::NotFoundError(
      absl::StrCat("stream '", stream_id, "' does not exist"));
}

absl::Status ConferenceNotVisible(absl::string_view conference_id) {
  return absl::NotFoundError(
      absl::StrCat("conference '", conference_id,
                   "' does not exist or is not visible to you"));
}

absl::Status HandoverNotVisible(absl::string_view handover_id) {
  return absl::NotFoundError(absl::StrCat(
      "handover '", handover_id,
      "' does not exist or is not visible to you (only its outgoing staff "
      "member, the successor and their agency may read its packet)"));
}

absl::Status EntryNotOnCase(absl::string_view entry_id,
                            absl::string_view case_id) {
  return absl::NotFoundError(
      absl::StrCat("entry '", entry_id, "' is not on case '", case_id, "'"));
}

absl::Status NotCaseMember(absl::string_view subject_id,
                           absl::string_view case_id) {
  return absl::NotFoundError(absl::StrCat(
      "'", subject_id, "' is not a member of case '", case_id, "'"));
}

absl::Status AgencyNotRegistered(absl::string_view agency_id) {
  return absl::NotFoundError(
      absl::StrCat("agency '", agency_id, "' is not registered"));
}

absl::Status NoSupportPlan(absl::string_view case_id) {
  return absl::NotFoundError(
      absl::StrCat("case '", case_id,
                   "' has no support plan yet; adopt one at a conference and "
                   "revise it with ReviseSupportPlan"));
}

absl::Status StageNotInPlan(absl::string_view stage_id,
                            absl::string_view case_id) {
  return absl::NotFoundError(absl::StrCat(
      "stage '", stage_id, "' is not in the plan of case '", case_id, "'"));
}

absl::Status ConferenceAnonymised(absl::string_view conference_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "conference '", conference_id,
      "' is anonymised: it is read through GetAnonymisedConference"));
}

absl::Status CannotCreateBackupDir(absl::string_view backup_dir,
                                   absl::string_view reason) {
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot create the backup directory '", backup_dir, "': ", reason));
}

absl::Status RestoreTargetNotEmpty(absl::string_view data_dir) {
  return absl::FailedPreconditionError(absl::StrCat(
      "'", data_dir, "' is not empty; restore into a new data directory"));
}

absl::Status CannotCreateDataDir(absl::string_view data_dir,
                                 absl::string_view reason) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot create data directory '", data_dir, "': ", reason));
}

absl::Status CannotReadDataDir(absl::string_view data_dir,
                               absl::string_view reason) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot read data directory '", data_dir, "': ", reason));
}

absl::Status SecretReadableByOthers(absl::string_view path, unsigned mode) {
  return absl::FailedPreconditionError(absl::StrFormat(
      "'%s' is readable by others (mode %o); the server will not use a secret "
      "others could have copied. Check who could read it, then `chmod 600` it "
      "(or remove it to issue a new one)",
      path, mode));
}

absl::Status CannotRestrictToOwner(absl::string_view path,
                                   absl::string_view reason) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot restrict '", path, "' to its owner: ", reason));
}

absl::Status CannotReadCaBundle(absl::string_view ca_file) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot read the CA bundle '", ca_file, "'"));
}

absl::Status NoKeyEncryptionKey(absl::string_view env) {
  return absl::FailedPreconditionError(absl::StrCat(
      "no key-encryption key: personal data is stored encrypted and the server "
      "will not start without the key that wraps its data keys. Make one "
      "outside the data directory with `renkei-server generate-key FILE` and "
      "pass --key-encryption-key-file FILE (or set ",
      env, " to its 64 hex digits)"));
}

absl::Status RetentionAdministratorInactive(absl::string_view staff_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "--retention-administrator '", staff_id,
      "' is not an active administrator; the retention sweep erases nothing"));
}

absl::Status PseudonymKeyUnusable(absl::string_view path,
                                  absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("pseudonym key '", path, "' ", what,
                   "; the server will not start without the secret its "
                   "pseudonymous case keys were issued under (restore the file "
                   "from a backup, or remove it to issue new keys)"));
}

absl::Status CannotCreatePseudonymKey(absl::string_view path,
                                      absl::string_view step,
                                      absl::string_view reason) {
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot create the pseudonym key '", path, "': ", step, ": ", reason));
}

absl::Status PlaintextListenRefused(absl::string_view listen) {
  return absl::FailedPreconditionError(
      absl::StrCat("refusing to listen on '", listen,
                   "' without TLS: give --tls-cert-file and --tls-key-file for "
                   "any address but loopback (127.0.0.0/8, ::1, localhost)"));
}

absl::Status DevHeaderIdentityRefused(absl::string_view listen) {
  return absl::FailedPreconditionError(absl::StrCat(
      "refusing --dev-header-identity on '", listen,
      "': a forgeable header identity is for loopback development only"));
}

absl::Status CrlDirNotDirectory(absl::string_view crl_dir) {
  return absl::FailedPreconditionError(
      absl::StrCat("--tls-crl-dir '", crl_dir, "' is not a directory"));
}

absl::Status CannotReadTlsFile(absl::string_view file) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot read TLS file '", file, "'"));
}

absl::Status PlaintextConsoleRefused(absl::string_view web_listen) {
  return absl::FailedPreconditionError(
      absl::StrCat("refusing to serve the console on '", web_listen,
                   "' without TLS: give --tls-cert-file and --tls-key-file "
                   "(its session cookies are Secure)"));
}

absl::Status PasswordsWithClientCertificates() {
  return absl::FailedPreconditionError(
      "--web-listen signs people in with passwords, which "
      "--require-client-certificate rules out; use one or the other");
}

absl::Status NoSessionToEnd() {
  return absl::FailedPreconditionError(
      "this call carries no session to end (it is identified by its client "
      "certificate)");
}

absl::Status CertificateNamesManyStaff() {
  return absl::UnauthenticatedError(
      "the client certificate names more than one staff member; issue one "
      "certificate per staff member");
}

absl::Status CertificateNamesNoStaff(absl::string_view uri_prefix) {
  return absl::UnauthenticatedError(absl::StrCat(
      "the client certificate names no staff member: it needs the SAN URI ",
      uri_prefix, "<staff id> (see deploy/issue-cert.sh)"));
}

absl::Status MalformedAuthorization() {
  return absl::UnauthenticatedError(
      "the authorization header must be 'Bearer <session token>' from "
      "SessionService.SignIn");
}

absl::Status CertificateSessionMismatch(absl::string_view certificate_staff_id,
                                        absl::string_view session_staff_id) {
  return absl::UnauthenticatedError(absl::StrCat(
      "the client certificate names staff member '", certificate_staff_id,
      "' but the session is '", session_staff_id, "'s"));
}

absl::Status HeaderIdentityMismatch(absl::string_view proven_staff_id,
                                    absl::string_view header_staff_id,
                                    absl::string_view header) {
  return absl::UnauthenticatedError(absl::StrCat(
      "the call is proven to come from staff member '", proven_staff_id,
      "', not '", header_staff_id, "' of the ", header, " header"));
}

absl::Status SignInRequired() {
  return absl::UnauthenticatedError(
      "sign in first (SessionService.SignIn, or `renkei login`) and send "
      "'authorization: Bearer <token>', or connect with a staff client "
      "certificate (mutual TLS, see deploy/issue-cert.sh)");
}

absl::Status StaffHeaderMissing(absl::string_view header) {
  return absl::UnauthenticatedError(
      absl::StrCat("every call must name the acting staff member in the '",
                   header, "' metadata header (the CLI's --as flag)"));
}

absl::Status InvalidStaffIdHeader(absl::string_view header) {
  return absl::UnauthenticatedError(
      absl::StrCat("'", header, "' is not a valid staff id"));
}

absl::Status InvalidAgencyIdHeader(absl::string_view header) {
  return absl::UnauthenticatedError(
      absl::StrCat("'", header, "' is not a valid agency id"));
}

absl::Status WrongCredentials() {
  return absl::UnauthenticatedError(
      "the staff id or the password is wrong (repeated failures delay and then "
      "lock the account)");
}

absl::Status StaffLeftMayNotSignIn(absl::string_view staff_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "staff member '", staff_id, "' has left and may not sign in"));
}

absl::Status TooManySubscriptions(size_t max_streams) {
  return absl::ResourceExhaustedError(absl::StrCat(
      max_streams,
      " subscriptions are already open, the most this server serves at "
      "once; close one, or raise --max-subscriptions"));
}

absl::Status TooManyCompletions(int max_completions) {
  return absl::ResourceExhaustedError(
      absl::StrCat(max_completions,
                   " handover completions are already running; nothing was "
                   "written: retry shortly with the same idempotency key"));
}

absl::Status AuditReadNotRecorded(absl::string_view query,
                                  const absl::Status& cause) {
  return absl::UnavailableError(absl::StrCat(
      "the audit read (", query,
      ") could not be recorded, so it is refused: ", cause.message()));
}

absl::Status PseudonymKeyNotCopied(absl::string_view reason) {
  return absl::UnavailableError(
      absl::StrCat("the pseudonym key could not be copied: ", reason));
}

absl::Status BackupCredentialsNotPlaced(uint32_t backup_id,
                                        absl::string_view reason) {
  return absl::UnavailableError(
      absl::StrCat("backup ", backup_id,
                   "'s credentials could not be put in place: ", reason));
}

absl::Status HealthCheckFailed(absl::string_view service,
                               absl::string_view target,
                               absl::string_view reason) {
  return absl::UnavailableError(absl::StrCat(
      "health check of '", service, "' at ", target, " failed: ", reason));
}

absl::Status NotServing(absl::string_view service, absl::string_view target) {
  return absl::UnavailableError(
      absl::StrCat("'", service, "' at ", target, " is not serving"));
}

absl::Status CannotServeMetrics(absl::string_view host, int port) {
  return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", host,
                                             ":", port, " (address in use?)"));
}

absl::Status CannotListen(absl::string_view listen) {
  return absl::UnavailableError(absl::StrCat(
      "cannot listen on '", listen, "' (address in use or not valid?)"));
}

absl::Status NoAccountStores() {
  return absl::UnimplementedError(
      "this server has no identity or data key store");
}

absl::Status NoIdentityStore() {
  return absl::UnimplementedError(
      "this server has no identity store; sessions are not available");
}

absl::Status RowMalformed(absl::string_view what) {
  return absl::DataLossError(absl::StrCat(what, " is malformed"));
}

absl::Status NoWholeBackup(absl::string_view backup_dir) {
  return absl::DataLossError(
      absl::StrCat("no backup in '", backup_dir, "' is whole"));
}

absl::Status RestoredChainBroken(uint64_t position, absl::string_view reason) {
  return absl::DataLossError(absl::StrCat(
      "the restored log's chain breaks at position ", position, ": ", reason));
}

absl::Status RestoredHeadMismatch(uint64_t position, absl::string_view hash,
                                  uint32_t backup_id,
                                  uint64_t manifest_position,
                                  absl::string_view manifest_hash) {
  return absl::DataLossError(absl::StrCat(
      "the restored log ends at position ", position, " (hash ",
      absl::BytesToHexString(hash).substr(0, 16), "...) but backup ", backup_id,
      "'s manifest says ", manifest_position, " (hash ",
      absl::BytesToHexString(manifest_hash).substr(0, 16), "...)"));
}

absl::Status CutLogDoesNotVerify(uint64_t to_position,
                                 absl::string_view reason) {
  return absl::DataLossError(absl::StrCat("the log cut back to position ",
                                          to_position,
                                          " does not verify: ", reason));
}

absl::Status BackupPartNotCopied(absl::string_view what,
                                 absl::string_view reason) {
  return absl::DataLossError(
      absl::StrCat("the backup's ", what, " could not be copied: ", reason));
}

absl::Status CannotWriteFile(absl::string_view path, absl::string_view reason) {
  return absl::InternalError(
      absl::StrCat("cannot write '", path, "': ", reason));
}

}  // namespace renkei::server::errors
