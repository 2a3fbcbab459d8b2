// Each catalogued server error carries the status code its kind calls for
// and names what it is about.
#include "services/server/errors.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace renkei::server::errors {
namespace {

struct Case {
  absl::Status status;
  absl::StatusCode code;
  std::string names;  // a part of the message naming an argument
};

TEST(ServerErrorsTest, CodesFollowTheKindOfError) {
  using absl::StatusCode;
  const std::vector<Case> cases = {
      {NegativeLimit(700), StatusCode::kInvalidArgument, "700"},
      {LimitOverMaxPage(700, 701), StatusCode::kInvalidArgument, "700"},
      {TimelineLimitOutOfRange(700, 701), StatusCode::kInvalidArgument, "700"},
      {FieldRequired("field-x"), StatusCode::kInvalidArgument, "field-x"},
      {InvalidTimeAxis(), StatusCode::kInvalidArgument, ""},
      {UnknownReadDirection(700), StatusCode::kInvalidArgument, "700"},
      {PositionsReversed(700, 701), StatusCode::kInvalidArgument, "700"},
      {UnknownSharingPurpose(700), StatusCode::kInvalidArgument, "700"},
      {NegativeExpiringWithin(), StatusCode::kInvalidArgument, ""},
      {InvalidReferralDirection(), StatusCode::kInvalidArgument, ""},
      {EraseAsOfInFuture(), StatusCode::kInvalidArgument, ""},
      {OccurredAtInFuture(absl::FromUnixSeconds(1700000000),
                          absl::FromUnixSeconds(1700000000), absl::Minutes(5)),
       StatusCode::kInvalidArgument, ""},
      {OccurredAtTooEarly(absl::FromUnixSeconds(1700000000),
                          absl::FromUnixSeconds(1700000000)),
       StatusCode::kInvalidArgument, ""},
      {BackupDirNotAbsolute("backup_dir-x"), StatusCode::kInvalidArgument,
       "backup_dir-x"},
      {BackupDirInsideDataDir("backup_dir-x"), StatusCode::kInvalidArgument,
       "backup_dir-x"},
      {RestorePastBackup(700, 701, 702), StatusCode::kInvalidArgument, "700"},
      {KeyEncryptionKeyWrongSize(), StatusCode::kInvalidArgument, ""},
      {BadCommandLine("explanation-x"), StatusCode::kInvalidArgument,
       "explanation-x"},
      {DefaultPageOverMax(700, 701), StatusCode::kInvalidArgument, "700"},
      {EmptyDataDir(), StatusCode::kInvalidArgument, ""},
      {TlsPairIncomplete(), StatusCode::kInvalidArgument, ""},
      {ClientCaNeedsTls(), StatusCode::kInvalidArgument, ""},
      {ClientCertificateNeedsCa(), StatusCode::kInvalidArgument, ""},
      {WebRootNeedsWebListen(), StatusCode::kInvalidArgument, ""},
      {PasswordFileConflict(), StatusCode::kInvalidArgument, ""},
      {CannotReadPassword("password_file-x"), StatusCode::kInvalidArgument,
       "password_file-x"},
      {BadListenAddress("host_port-x", "why-x"), StatusCode::kInvalidArgument,
       "host_port-x"},
      {CaseNotFound("case_id-x"), StatusCode::kNotFound, "case_id-x"},
      {NoEventsBy("case_id-x", true, absl::FromUnixSeconds(1700000000)),
       StatusCode::kNotFound, "case_id-x"},
      {StreamNotFound("stream_id-x"), StatusCode::kNotFound, "stream_id-x"},
      {ConferenceNotVisible("conference_id-x"), StatusCode::kNotFound,
       "conference_id-x"},
      {HandoverNotVisible("handover_id-x"), StatusCode::kNotFound,
       "handover_id-x"},
      {EntryNotOnCase("entry_id-x", "case_id-x"), StatusCode::kNotFound,
       "entry_id-x"},
      {NotCaseMember("subject_id-x", "case_id-x"), StatusCode::kNotFound,
       "subject_id-x"},
      {AgencyNotRegistered("agency_id-x"), StatusCode::kNotFound,
       "agency_id-x"},
      {NoSupportPlan("case_id-x"), StatusCode::kNotFound, "case_id-x"},
      {StageNotInPlan("stage_id-x", "case_id-x"), StatusCode::kNotFound,
       "stage_id-x"},
      {ConferenceAnonymised("conference_id-x"), StatusCode::kFailedPrecondition,
       "conference_id-x"},
      {CannotCreateBackupDir("backup_dir-x", "reason-x"),
       StatusCode::kFailedPrecondition, "backup_dir-x"},
      {RestoreTargetNotEmpty("data_dir-x"), StatusCode::kFailedPrecondition,
       "data_dir-x"},
      {CannotCreateDataDir("data_dir-x", "reason-x"),
       StatusCode::kFailedPrecondition, "data_dir-x"},
      {CannotReadDataDir("data_dir-x", "reason-x"),
       StatusCode::kFailedPrecondition, "data_dir-x"},
      {SecretReadableByOthers("path-x", 701), StatusCode::kFailedPrecondition,
       "path-x"},
      {CannotRestrictToOwner("path-x", "reason-x"),
       StatusCode::kFailedPrecondition, "path-x"},
      {CannotReadCaBundle("ca_file-x"), StatusCode::kFailedPrecondition,
       "ca_file-x"},
      {NoKeyEncryptionKey("env-x"), StatusCode::kFailedPrecondition, "env-x"},
      {RetentionAdministratorInactive("staff_id-x"),
       StatusCode::kFailedPrecondition, "staff_id-x"},
      {PseudonymKeyUnusable("path-x", "what-x"),
       StatusCode::kFailedPrecondition, "path-x"},
      {CannotCreatePseudonymKey("path-x", "step-x", "reason-x"),
       StatusCode::kFailedPrecondition, "path-x"},
      {PlaintextListenRefused("listen-x"), StatusCode::kFailedPrecondition,
       "listen-x"},
      {DevHeaderIdentityRefused("listen-x"), StatusCode::kFailedPrecondition,
       "listen-x"},
      {CrlDirNotDirectory("crl_dir-x"), StatusCode::kFailedPrecondition,
       "crl_dir-x"},
      {CannotReadTlsFile("file-x"), StatusCode::kFailedPrecondition, "file-x"},
      {PlaintextConsoleRefused("web_listen-x"), StatusCode::kFailedPrecondition,
       "web_listen-x"},
      {PasswordsWithClientCertificates(), StatusCode::kFailedPrecondition, ""},
      {NoSessionToEnd(), StatusCode::kFailedPrecondition, ""},
      {CertificateNamesManyStaff(), StatusCode::kUnauthenticated, ""},
      {CertificateNamesNoStaff("uri_prefix-x"), StatusCode::kUnauthenticated,
       "uri_prefix-x"},
      {MalformedAuthorization(), StatusCode::kUnauthenticated, ""},
      {CertificateSessionMismatch("certificate_staff_id-x",
                                  "session_staff_id-x"),
       StatusCode::kUnauthenticated, "certificate_staff_id-x"},
      {HeaderIdentityMismatch("proven_staff_id-x", "header_staff_id-x",
                              "header-x"),
       StatusCode::kUnauthenticated, "proven_staff_id-x"},
      {SignInRequired(), StatusCode::kUnauthenticated, ""},
      {StaffHeaderMissing("header-x"), StatusCode::kUnauthenticated,
       "header-x"},
      {InvalidStaffIdHeader("header-x"), StatusCode::kUnauthenticated,
       "header-x"},
      {InvalidAgencyIdHeader("header-x"), StatusCode::kUnauthenticated,
       "header-x"},
      {WrongCredentials(), StatusCode::kUnauthenticated, ""},
      {StaffLeftMayNotSignIn("staff_id-x"), StatusCode::kPermissionDenied,
       "staff_id-x"},
      {TooManySubscriptions(33), StatusCode::kResourceExhausted, "33"},
      {TooManyCompletions(700), StatusCode::kResourceExhausted, "700"},
      {AuditReadNotRecorded("query-x", absl::InternalError("cause-x")),
       StatusCode::kUnavailable, "query-x"},
      {PseudonymKeyNotCopied("reason-x"), StatusCode::kUnavailable, "reason-x"},
      {BackupCredentialsNotPlaced(700, "reason-x"), StatusCode::kUnavailable,
       "700"},
      {HealthCheckFailed("service-x", "target-x", "reason-x"),
       StatusCode::kUnavailable, "service-x"},
      {NotServing("service-x", "target-x"), StatusCode::kUnavailable,
       "service-x"},
      {CannotServeMetrics("host-x", 701), StatusCode::kUnavailable, "host-x"},
      {CannotListen("listen-x"), StatusCode::kUnavailable, "listen-x"},
      {NoAccountStores(), StatusCode::kUnimplemented, ""},
      {NoIdentityStore(), StatusCode::kUnimplemented, ""},
      {RowMalformed("what-x"), StatusCode::kDataLoss, "what-x"},
      {NoWholeBackup("backup_dir-x"), StatusCode::kDataLoss, "backup_dir-x"},
      {RestoredChainBroken(700, "reason-x"), StatusCode::kDataLoss, "700"},
      {RestoredHeadMismatch(700, "hash-x", 702, 703, "manifest_hash-x"),
       StatusCode::kDataLoss, "700"},
      {CutLogDoesNotVerify(700, "reason-x"), StatusCode::kDataLoss, "700"},
      {BackupPartNotCopied("what-x", "reason-x"), StatusCode::kDataLoss,
       "what-x"},
      {CannotWriteFile("path-x", "reason-x"), StatusCode::kInternal, "path-x"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.status;
    EXPECT_FALSE(c.status.message().empty()) << c.status;
    EXPECT_NE(c.status.message().find(c.names), std::string::npos)
        << c.status << " should name " << c.names;
  }
}

TEST(ServerErrorsTest, HelpIsToldApartFromEveryOtherStatus) {
  EXPECT_TRUE(IsHelpShown(HelpShown()));
  EXPECT_FALSE(HelpShown().ok());
  EXPECT_FALSE(IsHelpShown(absl::NotFoundError("")));
  EXPECT_FALSE(IsHelpShown(absl::CancelledError("help was shown")));
  EXPECT_FALSE(IsHelpShown(absl::OkStatus()));
}

}  // namespace
}  // namespace renkei::server::errors
