// The catalogue of every storage error: the event log, its validation, its
// backups and the RocksDB status conversion every store above shares. One
// constructor per error, so codes and wording stay consistent and testable.
#ifndef RENKEI_STORAGE_ERRORS_H_
#define RENKEI_STORAGE_ERRORS_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace renkei::storage::errors {

// The payload of a VersionConflict: the stream's actual version, in decimal.
inline constexpr char kActualVersionPayload[] = "renkei.storage/actual_version";

// Converts a RocksDB status, prefixing its text with `what` (the operation
// that failed, e.g. "cannot read event"). OK stays OK; NotFound is NOT_FOUND;
// Corruption is DATA_LOSS; an IOError over the database lock is
// FAILED_PRECONDITION (another process holds the directory), any other IOError
// and Busy, TryAgain, TimedOut and ShutdownInProgress are UNAVAILABLE (the
// disk or the database may recover; retry later); Aborted is ABORTED;
// InvalidArgument, NotSupported and everything else are INTERNAL (Renkei
// asked RocksDB for something it should not have: a bug, not the caller's).
[[nodiscard]] absl::Status FromRocksDb(const rocksdb::Status& status,
                                       absl::string_view what);

// INVALID_ARGUMENT: an append, a read or a cut that cannot be carried out as
// asked; nothing is written.
[[nodiscard]] absl::Status EmptyLogPath();
[[nodiscard]] absl::Status EmptyStreamId();
[[nodiscard]] absl::Status EmptyIdempotencyKey();
[[nodiscard]] absl::Status FieldTooLong(absl::string_view field, size_t bytes,
                                        size_t max_bytes);
[[nodiscard]] absl::Status FieldHasControlCharacter(absl::string_view field);
[[nodiscard]] absl::Status FieldNotUtf8(absl::string_view field);
[[nodiscard]] absl::Status NoEventsToAppend();
[[nodiscard]] absl::Status TooManyEvents(size_t max_events, size_t given);
[[nodiscard]] absl::Status ExpectedVersionZero();
[[nodiscard]] absl::Status BadRequestDigest(size_t bytes);
// `where` names the event in its append, e.g. "event 2 of 3".
[[nodiscard]] absl::Status EventIdNotUuid(absl::string_view where,
                                          absl::string_view event_id);
[[nodiscard]] absl::Status EventTypeMissing(absl::string_view where,
                                            absl::string_view event_id);
[[nodiscard]] absl::Status PayloadTooLarge(absl::string_view where,
                                           absl::string_view event_id,
                                           size_t bytes, size_t max_bytes);
[[nodiscard]] absl::Status OccurredAtOutOfRange(absl::string_view where);
[[nodiscard]] absl::Status EventIdTwiceInAppend(absl::string_view event_id);
[[nodiscard]] absl::Status CutPastLastEvent(uint64_t position,
                                            uint64_t last_position);
[[nodiscard]] absl::Status CutInsideCommand(uint64_t position,
                                            uint64_t first_position,
                                            uint64_t last_position);

// ALREADY_EXISTS: the log already holds (or is writing) what was sent.
// An empty `idempotency_key` means the key was derived from `event_id`.
[[nodiscard]] absl::Status AppendKeyReused(absl::string_view idempotency_key,
                                           absl::string_view event_id,
                                           uint64_t first_position,
                                           uint64_t last_position);
[[nodiscard]] absl::Status EventIdBeingAppended(absl::string_view event_id);
[[nodiscard]] absl::Status EventIdInLog(absl::string_view event_id,
                                        uint64_t position);

// ABORTED: optimistic concurrency. `expected` is the version the writer
// expected, 0 for "the stream does not exist yet"; `actual` likewise, and
// travels as the kActualVersionPayload payload.
[[nodiscard]] absl::Status VersionConflict(absl::string_view stream_id,
                                           uint64_t expected, uint64_t actual);

// NOT_FOUND: a position or a backup that is not there.
[[nodiscard]] absl::Status NoEventAtPosition(uint64_t position);
[[nodiscard]] absl::Status NoBackupIn(absl::string_view backup_dir);
[[nodiscard]] absl::Status BackupNotFound(uint32_t backup_id,
                                          absl::string_view backup_dir);

// FAILED_PRECONDITION: the file system is not as the operation needs.
[[nodiscard]] absl::Status CannotCreateDirectory(absl::string_view dir,
                                                 absl::string_view reason);
[[nodiscard]] absl::Status RestoreTargetExists(absl::string_view dir);

// OUT_OF_RANGE: a position past the end of the log.
[[nodiscard]] absl::Status VerifyPastHead(uint64_t to, uint64_t head);

// UNAVAILABLE: the log is going away.
[[nodiscard]] absl::Status LogClosing();

// CANCELLED: the subscriber went away.
[[nodiscard]] absl::Status SubscriptionCancelled();

// DATA_LOSS: what is on disk is not what the log wrote.
[[nodiscard]] absl::Status LogHeadMalformed();
[[nodiscard]] absl::Status StreamHeadMalformed(absl::string_view stream_id);
[[nodiscard]] absl::Status IdempotencyRecordMalformed();
[[nodiscard]] absl::Status StreamIndexMalformed();
[[nodiscard]] absl::Status EventUndecodable(uint64_t position);
[[nodiscard]] absl::Status EventAfterUndecodable(uint64_t position);
[[nodiscard]] absl::Status LogGap(uint64_t position);
[[nodiscard]] absl::Status LogMissingEvent(uint64_t position);
[[nodiscard]] absl::Status StreamVersionNotIndexed(absl::string_view stream_id,
                                                   uint64_t version);
[[nodiscard]] absl::Status BackupManifestUnreadable(uint32_t backup_id);
[[nodiscard]] absl::Status BackupDamaged(uint32_t backup_id,
                                         const rocksdb::Status& status);

// UNAVAILABLE: OpenSSL could not give `bytes` random bytes for `purpose` (e.g.
// "the pseudonym key"); shared by every layer that draws randomness.
[[nodiscard]] absl::Status RandomnessUnavailable(absl::string_view purpose,
                                                 size_t bytes);

// INTERNAL: a synced write of the log failed; the log takes no more appends
// until the server restarts (an event may not be durable).
[[nodiscard]] absl::Status LogWriteFailed(absl::string_view cause);

// INTERNAL: RocksDB did not do what it reported.
[[nodiscard]] absl::Status BackupNotListed();

}  // namespace renkei::storage::errors

#endif  // RENKEI_STORAGE_ERRORS_H_
