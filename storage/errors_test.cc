// Each catalogued storage error carries the status code its kind calls for
// and names what it is about; RocksDB statuses map to one code each.
#include "storage/errors.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storage/event_log.h"

namespace renkei::storage::errors {
namespace {

struct Case {
  absl::Status status;
  absl::StatusCode code;
  std::string names;  // a part of the message naming the argument
};

TEST(StorageErrorsTest, CodesFollowTheKindOfError) {
  using absl::StatusCode;
  const std::vector<Case> cases = {
      {EmptyLogPath(), StatusCode::kInvalidArgument, "path"},
      {EmptyStreamId(), StatusCode::kInvalidArgument, "stream id"},
      {EmptyIdempotencyKey(), StatusCode::kInvalidArgument, "idempotency key"},
      {FieldTooLong("the-field", 300, 256), StatusCode::kInvalidArgument,
       "the-field is 300 bytes"},
      {FieldHasControlCharacter("the-field"), StatusCode::kInvalidArgument,
       "the-field"},
      {FieldNotUtf8("the-field"), StatusCode::kInvalidArgument, "the-field"},
      {NoEventsToAppend(), StatusCode::kInvalidArgument, "at least one"},
      {TooManyEvents(10, 11), StatusCode::kInvalidArgument, "got 11"},
      {ExpectedVersionZero(), StatusCode::kInvalidArgument, "version 0"},
      {BadRequestDigest(7), StatusCode::kInvalidArgument, "got 7"},
      {EventIdNotUuid("event 1 of 2", "e-x"), StatusCode::kInvalidArgument,
       "'e-x'"},
      {EventTypeMissing("event 1 of 2", "e-x"), StatusCode::kInvalidArgument,
       "e-x"},
      {PayloadTooLarge("event 1 of 2", "e-x", 99, 10),
       StatusCode::kInvalidArgument, "payload is 99 bytes"},
      {OccurredAtOutOfRange("event 1 of 2"), StatusCode::kInvalidArgument,
       "event 1 of 2"},
      {EventIdTwiceInAppend("e-x"), StatusCode::kInvalidArgument, "e-x"},
      {CutPastLastEvent(9, 4), StatusCode::kInvalidArgument, "position 9"},
      {CutInsideCommand(5, 4, 6), StatusCode::kInvalidArgument, "4..6"},
      {AppendKeyReused("k-x", "e-x", 1, 2), StatusCode::kAlreadyExists,
       "idempotency key 'k-x'"},
      {AppendKeyReused("", "e-x", 1, 2), StatusCode::kAlreadyExists,
       "event id e-x"},
      {EventIdBeingAppended("e-x"), StatusCode::kAlreadyExists, "e-x"},
      {EventIdInLog("e-x", 7), StatusCode::kAlreadyExists, "position 7"},
      {VersionConflict("s-x", 1, 2), StatusCode::kAborted,
       "current version is 2, not the expected 1"},
      {VersionConflict("s-x", 0, 2), StatusCode::kAborted,
       "expected not to exist"},
      {VersionConflict("s-x", 1, 0), StatusCode::kAborted,
       "'s-x' does not exist yet"},
      {NoEventAtPosition(7), StatusCode::kNotFound, "position 7"},
      {NoBackupIn("d-x"), StatusCode::kNotFound, "'d-x'"},
      {BackupNotFound(3, "d-x"), StatusCode::kNotFound, "backup 3"},
      {CannotCreateDirectory("d-x", "why"), StatusCode::kFailedPrecondition,
       "'d-x': why"},
      {RestoreTargetExists("d-x"), StatusCode::kFailedPrecondition, "'d-x'"},
      {VerifyPastHead(9, 4), StatusCode::kOutOfRange, "position 9"},
      {LogClosing(), StatusCode::kUnavailable, "closing"},
      {SubscriptionCancelled(), StatusCode::kCancelled, "cancelled"},
      {LogHeadMalformed(), StatusCode::kDataLoss, "head"},
      {StreamHeadMalformed("s-x"), StatusCode::kDataLoss, "'s-x'"},
      {IdempotencyRecordMalformed(), StatusCode::kDataLoss, "idempotency"},
      {StreamIndexMalformed(), StatusCode::kDataLoss, "stream index"},
      {EventUndecodable(7), StatusCode::kDataLoss, "position 7"},
      {EventAfterUndecodable(7), StatusCode::kDataLoss, "after position 7"},
      {LogGap(7), StatusCode::kDataLoss, "gap at position 7"},
      {LogMissingEvent(7), StatusCode::kDataLoss, "position 7"},
      {StreamVersionNotIndexed("s-x", 3), StatusCode::kDataLoss,
       "'s-x' has no version 3"},
      {BackupManifestUnreadable(3), StatusCode::kDataLoss, "backup 3"},
      {BackupDamaged(3, rocksdb::Status::Corruption("bad block")),
       StatusCode::kDataLoss, "bad block"},
      {RandomnessUnavailable("the-thing", 32), StatusCode::kUnavailable,
       "the-thing"},
      {BackupNotListed(), StatusCode::kInternal, "backup"},
      {LogWriteFailed("IO error: no space"), StatusCode::kInternal, "no space"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.status;
    EXPECT_NE(c.status.message().find(c.names), std::string::npos)
        << c.status << " should name " << c.names;
  }
}

TEST(StorageErrorsTest, VersionConflictCarriesTheActualVersion) {
  EXPECT_EQ(ActualVersionFromStatus(VersionConflict("s", 1, 5)), 5u);
  EXPECT_EQ(ActualVersionFromStatus(VersionConflict("s", 1, 0)), 0u);
}

struct RocksCase {
  rocksdb::Status rocks;
  absl::StatusCode code;
};

TEST(StorageErrorsTest, RocksDbStatusesMapToOneCodeEach) {
  using absl::StatusCode;
  const std::vector<RocksCase> cases = {
      {rocksdb::Status::NotFound("k"), StatusCode::kNotFound},
      {rocksdb::Status::Corruption("bad block"), StatusCode::kDataLoss},
      {rocksdb::Status::IOError("disk full"), StatusCode::kUnavailable},
      {rocksdb::Status::IOError("While lock file: /x/LOCK",
                                "Resource temporarily unavailable"),
       StatusCode::kFailedPrecondition},
      {rocksdb::Status::Busy("busy"), StatusCode::kUnavailable},
      {rocksdb::Status::TryAgain("later"), StatusCode::kUnavailable},
      {rocksdb::Status::TimedOut("slow"), StatusCode::kUnavailable},
      {rocksdb::Status::ShutdownInProgress("closing"),
       StatusCode::kUnavailable},
      // Never ABORTED: that is a version conflict, which callers retry.
      {rocksdb::Status::Aborted("aborted"), StatusCode::kInternal},
      // A path that merely contains "lock" is not the lock file.
      {rocksdb::Status::IOError("/mnt/blockstore/000012.log", "read error"),
       StatusCode::kUnavailable},
      {rocksdb::Status::InvalidArgument("no such column family"),
       StatusCode::kInternal},
      {rocksdb::Status::NotSupported("nope"), StatusCode::kInternal},
      {rocksdb::Status::Incomplete("partial"), StatusCode::kInternal},
  };
  for (const RocksCase& c : cases) {
    absl::Status status = FromRocksDb(c.rocks, "cannot do-x");
    EXPECT_EQ(status.code(), c.code) << c.rocks.ToString();
    EXPECT_NE(status.message().find("cannot do-x"), std::string::npos)
        << status;
    EXPECT_NE(status.message().find(c.rocks.ToString()), std::string::npos)
        << status;
  }
  EXPECT_TRUE(FromRocksDb(rocksdb::Status::OK(), "cannot do-x").ok());
}

}  // namespace
}  // namespace renkei::storage::errors
