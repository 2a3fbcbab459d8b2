// Wording of every storage error.
#include "storage/errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace renkei::storage::errors {

absl::Status FromRocksDb(const rocksdb::Status& status,
                         absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  const std::string text = status.ToString();
  const std::string msg = absl::StrCat(what, ": ", text);
  if (status.IsNotFound()) return absl::NotFoundError(msg);
  if (status.IsCorruption()) return absl::DataLossError(msg);
  if (status.IsIOError() &&
      (text.find("While lock file") != std::string::npos ||
       text.find("/LOCK") != std::string::npos)) {
    return absl::FailedPreconditionError(absl::StrCat(
        msg, " (is another renkei-server using this data directory?)"));
  }
  if (status.IsIOError() || status.IsBusy() || status.IsTryAgain() ||
      status.IsTimedOut() || status.IsShutdownInProgress()) {
    return absl::UnavailableError(msg);
  }
  // Aborted too: ABORTED is Renkei's version conflict, which callers retry.
  return absl::InternalError(msg);
}

absl::Status EmptyLogPath() {
  return absl::InvalidArgumentError("event log path is empty");
}

absl::Status EmptyStreamId() {
  return absl::InvalidArgumentError("stream id is empty");
}

absl::Status EmptyIdempotencyKey() {
  return absl::InvalidArgumentError("idempotency key is empty");
}

absl::Status FieldTooLong(absl::string_view field, size_t bytes,
                          size_t max_bytes) {
  return absl::InvalidArgumentError(absl::StrCat(
      field, " is ", bytes, " bytes; the limit is ", max_bytes, " bytes"));
}

absl::Status FieldHasControlCharacter(absl::string_view field) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, " contains a control character"));
}

absl::Status FieldNotUtf8(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat(field, " is not valid UTF-8"));
}

absl::Status NoEventsToAppend() {
  return absl::InvalidArgumentError(
      "an append needs at least one event; none were given");
}

absl::Status TooManyEvents(size_t max_events, size_t given) {
  return absl::InvalidArgumentError(absl::StrCat(
      "an append may carry at most ", max_events, " events; got ", given));
}

absl::Status ExpectedVersionZero() {
  return absl::InvalidArgumentError(
      "expected version 0 is not a version; expect 'no stream' instead");
}

absl::Status BadRequestDigest(size_t bytes) {
  return absl::InvalidArgumentError(
      absl::StrCat("a request digest is 32 bytes (SHA-256); got ", bytes));
}

absl::Status EventIdNotUuid(absl::string_view where,
                            absl::string_view event_id) {
  return absl::InvalidArgumentError(
      absl::StrCat(where, ": event id '", event_id.substr(0, 64),
                   "' is not a UUID (expected 8-4-4-4-12 hexadecimal digits)"));
}

absl::Status EventTypeMissing(absl::string_view where,
                              absl::string_view event_id) {
  return absl::InvalidArgumentError(
      absl::StrCat(where, " (", event_id, ") has no event type"));
}

absl::Status PayloadTooLarge(absl::string_view where,
                             absl::string_view event_id, size_t bytes,
                             size_t max_bytes) {
  return absl::InvalidArgumentError(
      absl::StrCat(where, " (", event_id, "): payload is ", bytes,
                   " bytes; the limit is ", max_bytes, " bytes"));
}

absl::Status OccurredAtOutOfRange(absl::string_view where) {
  return absl::InvalidArgumentError(
      absl::StrCat(where, ": occurred_at has out-of-range nanos"));
}

absl::Status EventIdTwiceInAppend(absl::string_view event_id) {
  return absl::InvalidArgumentError(
      absl::StrCat("event id ", event_id, " appears twice in one append"));
}

absl::Status CutPastLastEvent(uint64_t position, uint64_t last_position) {
  return absl::InvalidArgumentError(
      absl::StrCat("position ", position, " is past the backup's last event (",
                   last_position, ")"));
}

absl::Status CutInsideCommand(uint64_t position, uint64_t first_position,
                              uint64_t last_position) {
  return absl::InvalidArgumentError(
      absl::StrCat("position ", position, " is inside one command's events (",
                   first_position, "..", last_position, "); cut at ",
                   first_position - 1, " or ", last_position));
}

absl::Status AppendKeyReused(absl::string_view idempotency_key,
                             absl::string_view event_id,
                             uint64_t first_position, uint64_t last_position) {
  return absl::AlreadyExistsError(absl::StrCat(
      idempotency_key.empty()
          ? absl::StrCat("event id ", event_id)
          : absl::StrCat("idempotency key '", idempotency_key, "'"),
      " was already used for a different append (positions ", first_position,
      "-", last_position, "); use a new key for new content"));
}

absl::Status EventIdBeingAppended(absl::string_view event_id) {
  return absl::AlreadyExistsError(
      absl::StrCat("event id ", event_id, " is already being appended"));
}

absl::Status EventIdInLog(absl::string_view event_id, uint64_t position) {
  return absl::AlreadyExistsError(absl::StrCat(
      "event id ", event_id, " is already in the log at position ", position));
}

absl::Status VersionConflict(absl::string_view stream_id, uint64_t expected,
                             uint64_t actual) {
  std::string what;
  if (actual == 0) {
    what = absl::StrCat("stream '", stream_id,
                        "' does not exist yet, not the expected ", expected);
  } else if (expected == 0) {
    what = absl::StrCat("stream '", stream_id, "': its current version is ",
                        actual, ", but it was expected not to exist");
  } else {
    what = absl::StrCat("stream '", stream_id, "': its current version is ",
                        actual, ", not the expected ", expected);
  }
  absl::Status status =
      absl::AbortedError(absl::StrCat(what, "; re-read the stream and retry"));
  status.SetPayload(kActualVersionPayload, absl::Cord(std::to_string(actual)));
  return status;
}

absl::Status NoEventAtPosition(uint64_t position) {
  return absl::NotFoundError(absl::StrCat("no event at position ", position));
}

absl::Status NoBackupIn(absl::string_view backup_dir) {
  return absl::NotFoundError(
      absl::StrCat("'", backup_dir, "' holds no backup"));
}

absl::Status BackupNotFound(uint32_t backup_id, absl::string_view backup_dir) {
  return absl::NotFoundError(
      absl::StrCat("there is no backup ", backup_id, " in '", backup_dir, "'"));
}

absl::Status CannotCreateDirectory(absl::string_view dir,
                                   absl::string_view reason) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot create '", dir, "': ", reason));
}

absl::Status RestoreTargetExists(absl::string_view dir) {
  return absl::FailedPreconditionError(
      absl::StrCat("'", dir, "' exists; restore into a new directory"));
}

absl::Status VerifyPastHead(uint64_t to, uint64_t head) {
  return absl::OutOfRangeError(absl::StrCat("cannot verify up to position ", to,
                                            ": the log ends at ", head));
}

absl::Status LogClosing() {
  return absl::UnavailableError("event log is closing");
}

absl::Status SubscriptionCancelled() {
  return absl::CancelledError("subscription cancelled");
}

absl::Status LogHeadMalformed() {
  return absl::DataLossError("event log head record is malformed");
}

absl::Status StreamHeadMalformed(absl::string_view stream_id) {
  return absl::DataLossError(
      absl::StrCat("stream head of '", stream_id, "' is malformed"));
}

absl::Status IdempotencyRecordMalformed() {
  return absl::DataLossError("idempotency record is malformed");
}

absl::Status StreamIndexMalformed() {
  return absl::DataLossError("stream index entry is malformed");
}

absl::Status EventUndecodable(uint64_t position) {
  return absl::DataLossError(
      absl::StrCat("event at position ", position, " cannot be decoded"));
}

absl::Status EventAfterUndecodable(uint64_t position) {
  return absl::DataLossError(
      absl::StrCat("an event after position ", position, " cannot be decoded"));
}

absl::Status LogGap(uint64_t position) {
  return absl::DataLossError(
      absl::StrCat("event log has a gap at position ", position));
}

absl::Status LogMissingEvent(uint64_t position) {
  return absl::DataLossError(
      absl::StrCat("the log has no event at position ", position));
}

absl::Status StreamVersionNotIndexed(absl::string_view stream_id,
                                     uint64_t version) {
  return absl::DataLossError(absl::StrCat(
      "stream '", stream_id, "' has no version ", version, " in the index"));
}

absl::Status BackupManifestUnreadable(uint32_t backup_id) {
  return absl::DataLossError(
      absl::StrCat("backup ", backup_id, " has no readable Renkei manifest"));
}

absl::Status BackupDamaged(uint32_t backup_id, const rocksdb::Status& status) {
  return absl::DataLossError(
      absl::StrCat("backup ", backup_id, " is damaged: ", status.ToString()));
}

absl::Status RandomnessUnavailable(absl::string_view purpose, size_t bytes) {
  return absl::UnavailableError(
      absl::StrCat("cannot make ", purpose,
                   ": OpenSSL's RAND_bytes failed to "
                   "give ",
                   bytes, " random bytes (no entropy source?)"));
}

absl::Status LogWriteFailed(absl::string_view cause) {
  return absl::InternalError(absl::StrCat(
      "event log write failed: ", cause,
      "; the log takes no more appends until renkei-server is restarted "
      "(check the disk)"));
}

absl::Status BackupNotListed() {
  return absl::InternalError(
      "the backup was made but the backup engine does not list it");
}

}  // namespace renkei::storage::errors
