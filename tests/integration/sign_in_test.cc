// People sign in: passwords, session tokens, delays and lockout, revocation,
// and the security log auditors read, through the real server in its
// default mode (no header identity). Every fixture call here travels with a
// session token (ServerFixture::Token).
#include <gtest/gtest.h>

#include "renkei/v1/security.pb.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

using Code = grpc::StatusCode;
using Directory = v1::DirectoryService::Stub;

class SignInTest : public ServerFixture {
 protected:
  SignInTest() { dev_header_identity_ = false; }

  grpc::Status SignIn(const std::string& staff, const std::string& password,
                      v1::SignInResponse* resp = nullptr) {
    v1::SignInRequest req;
    req.set_staff_id(staff);
    req.set_password(password);
    v1::SignInResponse ignored;
    grpc::ClientContext ctx;
    return sessions_->SignIn(&ctx, req, resp == nullptr ? &ignored : resp);
  }

  grpc::Status WhoAmI(const std::string& token, v1::WhoAmIResponse* resp) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    return sessions_->WhoAmI(&ctx, v1::WhoAmIRequest(), resp);
  }

  grpc::Status SetPassword(const std::string& as, const std::string& staff,
                           const std::string& password) {
    v1::SetStaffPasswordRequest req;
    req.set_staff_id(staff);
    req.set_password(password);
    v1::SetStaffPasswordResponse resp;
    return Call(directory_.get(), &Directory::SetStaffPassword, as, req, &resp);
  }

  // The security log as the auditor reads it.
  v1::ReadEventsResponse SecurityLog() {
    v1::ReadStreamRequest req;
    req.set_stream_id("security");
    req.set_limit(200);
    v1::ReadEventsResponse resp;
    grpc::Status s = Call(audit_.get(), &v1::AuditService::Stub::ReadStream,
                          "auditor", req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  static int Count(const v1::ReadEventsResponse& log, const std::string& type) {
    int n = 0;
    for (const auto& e : log.events()) n += e.event_type() == type;
    return n;
  }
};

// The observed attack: anyone who reached the port acted as anyone by
// naming them in a header.
TEST_F(SignInTest, AHeaderOrNothingIdentifiesNobody) {
  for (const char* header : {"admin", "cw", ""}) {
    grpc::ClientContext ctx;
    if (*header != '\0') ctx.AddMetadata("renkei-staff-id", header);
    v1::ListAgenciesResponse resp;
    const grpc::Status s =
        directory_->ListAgencies(&ctx, v1::ListAgenciesRequest(), &resp);
    EXPECT_EQ(s.error_code(), Code::UNAUTHENTICATED) << header;
    EXPECT_NE(s.error_message().find("sign in"), std::string::npos);
    EXPECT_EQ(resp.agencies_size(), 0);
  }
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer rks_forged");
  v1::ListAgenciesResponse resp;
  EXPECT_EQ(directory_->ListAgencies(&ctx, v1::ListAgenciesRequest(), &resp)
                .error_code(),
            Code::UNAUTHENTICATED);
  // A session and a header naming someone else disagree.
  grpc::ClientContext both;
  both.AddMetadata("authorization", absl::StrCat("Bearer ", Token("cw")));
  both.AddMetadata("renkei-staff-id", "admin");
  EXPECT_EQ(directory_->ListAgencies(&both, v1::ListAgenciesRequest(), &resp)
                .error_code(),
            Code::UNAUTHENTICATED);
}

TEST_F(SignInTest, ASessionIdentifiesItsStaffMemberAndRoles) {
  v1::WhoAmIResponse me;
  ASSERT_TRUE(WhoAmI(Token("supervisor"), &me).ok());
  EXPECT_EQ(me.staff_id(), "supervisor");
  EXPECT_EQ(me.agency_id(), "city-pa");
  EXPECT_EQ(me.method(), v1::AUTHENTICATION_METHOD_SESSION);
  ASSERT_EQ(me.roles_size(), 1);
  EXPECT_EQ(me.roles(0), v1::STAFF_ROLE_SUPERVISOR);
  EXPECT_FALSE(me.session_id().empty());
}

TEST_F(SignInTest, WrongPasswordsAreDelayedThenLockTheAccount) {
  (void)Token("teacher");  // the administrator set a password
  const grpc::Status wrong = SignIn("teacher", "not the password");
  EXPECT_EQ(wrong.error_code(), Code::UNAUTHENTICATED);
  // An unknown id gets the same answer as a wrong password.
  const grpc::Status unknown = SignIn("no-such-person", "not the password");
  EXPECT_EQ(unknown.error_code(), wrong.error_code());
  EXPECT_EQ(unknown.error_message(), wrong.error_message());
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(SignIn("teacher", "not the password").error_code(),
              Code::UNAUTHENTICATED);
  }
  const grpc::Status hurried = SignIn("teacher", Password("teacher"));
  EXPECT_EQ(hurried.error_code(), Code::RESOURCE_EXHAUSTED);
  EXPECT_NE(hurried.error_message().find("wait"), std::string::npos);
  AdvanceServerTime(clock_.Now() + absl::Seconds(2));
  EXPECT_EQ(SignIn("teacher", "guess one").error_code(), Code::UNAUTHENTICATED);
  AdvanceServerTime(clock_.Now() + absl::Seconds(4));
  EXPECT_EQ(SignIn("teacher", "guess two").error_code(), Code::UNAUTHENTICATED);
  // Locked: even the right password fails until the lockout ends or an
  // administrator sets a new password.
  AdvanceServerTime(clock_.Now() + absl::Minutes(1));
  const grpc::Status locked = SignIn("teacher", Password("teacher"));
  EXPECT_EQ(locked.error_code(), Code::FAILED_PRECONDITION);
  EXPECT_NE(locked.error_message().find("locked"), std::string::npos);
  ASSERT_TRUE(SetPassword("admin", "teacher", "a fresh password 2").ok());
  v1::SignInResponse in;
  ASSERT_TRUE(SignIn("teacher", "a fresh password 2", &in).ok());
  EXPECT_EQ(in.staff_id(), "teacher");
  EXPECT_EQ(in.agency_id(), "nursery");

  // The auditor sees each failure, the lockout and the reset; no password
  // or token is in the log.
  const v1::ReadEventsResponse log = SecurityLog();
  // The wrong passwords of the real account are kept; the unknown id, the
  // hurried and the locked attempts cost their caller nothing and are not
  // written to the permanent log (warnings and metrics only).
  EXPECT_EQ(Count(log, "renkei.v1.SignInFailed"), 5);
  EXPECT_EQ(Count(log, "renkei.v1.AccountLocked"), 1);
  EXPECT_GE(Count(log, "renkei.v1.PasswordSet"), 2);
  EXPECT_GE(Count(log, "renkei.v1.SignInSucceeded"), 3);
  const std::string bytes = log.SerializeAsString();
  for (const std::string& secret :
       {Password("teacher"), std::string("a fresh password 2"),
        std::string("guess one"), in.token(), Token("cw")}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
  bool locked_seen = false;
  for (const auto& e : log.events()) {
    v1::AccountLocked record;
    if (e.payload().UnpackTo(&record) &&
        e.event_type() == "renkei.v1.AccountLocked") {
      EXPECT_EQ(record.staff_id(), "teacher");
      EXPECT_EQ(record.consecutive_failures(), 5u);
      locked_seen = true;
    }
  }
  EXPECT_TRUE(locked_seen);
}

// Nobody grows the permanent log by calling SignIn in a loop.
TEST_F(SignInTest, FreeRefusalsWriteNothingToTheLog) {
  (void)Token("teacher");
  const uint64_t head = server_->log().Head();
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(
        SignIn(absl::StrCat("nobody-", i), "whatever password").error_code(),
        Code::UNAUTHENTICATED);
    EXPECT_EQ(SignIn("", "").error_code(), Code::UNAUTHENTICATED);
  }
  EXPECT_EQ(server_->log().Head(), head);
}

TEST_F(SignInTest, OnlyAuditorsReadTheSecurityLog) {
  v1::ReadStreamRequest req;
  req.set_stream_id("security");
  v1::ReadEventsResponse resp;
  for (const char* who : {"cw", "supervisor", "admin"}) {
    const grpc::Status s = Call(
        audit_.get(), &v1::AuditService::Stub::ReadStream, who, req, &resp);
    EXPECT_EQ(s.error_code(), Code::PERMISSION_DENIED) << who;
  }
}

TEST_F(SignInTest, ASessionExpires) {
  const std::string token = Token("cw");
  v1::WhoAmIResponse me;
  AdvanceServerTime(clock_.Now() + absl::Hours(7));
  ASSERT_TRUE(WhoAmI(token, &me).ok());
  AdvanceServerTime(clock_.Now() + absl::Hours(1));
  const grpc::Status expired = WhoAmI(token, &me);
  EXPECT_EQ(expired.error_code(), Code::UNAUTHENTICATED);
  EXPECT_NE(expired.error_message().find("expired"), std::string::npos);
}

TEST_F(SignInTest, DepartureEndsTheLeaversSessions) {
  const std::string token = Token("doctor");
  v1::WhoAmIResponse me;
  ASSERT_TRUE(WhoAmI(token, &me).ok());
  v1::CommandReply reply;
  ASSERT_TRUE(Call(directory_.get(), &Directory::RecordStaffDeparture, "admin",
                   Cmd<v1::RecordStaffDepartureRequest>(
                       "", "staff_id: 'doctor' reason: 'moved'"),
                   &reply)
                  .ok());
  EXPECT_EQ(WhoAmI(token, &me).error_code(), Code::UNAUTHENTICATED);
  const grpc::Status again = SignIn("doctor", Password("doctor"));
  EXPECT_EQ(again.error_code(), Code::PERMISSION_DENIED);
  EXPECT_NE(again.error_message().find("has left"), std::string::npos);
  // The administrator cannot give a leaver a password either.
  EXPECT_EQ(SetPassword("admin", "doctor", "a password for later").error_code(),
            Code::FAILED_PRECONDITION);
  bool revoked = false;
  const v1::ReadEventsResponse log = SecurityLog();
  for (const auto& e : log.events()) {
    v1::SessionsRevoked record;
    if (e.event_type() == "renkei.v1.SessionsRevoked" &&
        e.payload().UnpackTo(&record)) {
      revoked |= record.staff_id() == "doctor" &&
                 record.reason() == "departure" && record.sessions() == 1;
    }
  }
  EXPECT_TRUE(revoked);
}

// An open audit subscription does not outlive its subscriber's session.
TEST_F(SignInTest, DepartureEndsAnOpenSubscription) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", Token("auditor")));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::SubscribeRequest req;
  req.set_from_position(1);
  auto reader = audit_->Subscribe(&ctx, req);
  v1::EventEnvelope event;
  ASSERT_TRUE(reader->Read(&event));  // streaming
  v1::CommandReply reply;
  ASSERT_TRUE(Call(directory_.get(), &Directory::RecordStaffDeparture, "admin",
                   Cmd<v1::RecordStaffDepartureRequest>(
                       "", "staff_id: 'auditor' reason: 'term ended'"),
                   &reply)
                  .ok());
  while (reader->Read(&event)) {
  }
  const grpc::Status ended = reader->Finish();
  EXPECT_EQ(ended.error_code(), Code::UNAUTHENTICATED) << ended.error_message();
}

TEST_F(SignInTest, SessionsSurviveARestartAndEndAtSignOut) {
  const std::string token = Token("cw");
  RestartServer();
  v1::WhoAmIResponse me;
  ASSERT_TRUE(WhoAmI(token, &me).ok());
  EXPECT_EQ(me.staff_id(), "cw");
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  v1::SignOutResponse out;
  ASSERT_TRUE(sessions_->SignOut(&ctx, v1::SignOutRequest(), &out).ok());
  EXPECT_EQ(WhoAmI(token, &me).error_code(), Code::UNAUTHENTICATED);
}

TEST_F(SignInTest, ChangingOnesPasswordEndsOtherSessions) {
  const std::string old_token = Token("counsellor");
  v1::ChangePasswordRequest req;
  req.set_current_password("not my password");
  req.set_new_password("counsellor's new password");
  v1::SignInResponse resp;
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", absl::StrCat("Bearer ", old_token));
    EXPECT_EQ(sessions_->ChangePassword(&ctx, req, &resp).error_code(),
              Code::PERMISSION_DENIED);
  }
  req.set_current_password(Password("counsellor"));
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", absl::StrCat("Bearer ", old_token));
    ASSERT_TRUE(sessions_->ChangePassword(&ctx, req, &resp).ok());
  }
  v1::WhoAmIResponse me;
  EXPECT_EQ(WhoAmI(old_token, &me).error_code(), Code::UNAUTHENTICATED);
  EXPECT_TRUE(WhoAmI(resp.token(), &me).ok());
  EXPECT_EQ(SignIn("counsellor", Password("counsellor")).error_code(),
            Code::UNAUTHENTICATED);
  EXPECT_TRUE(SignIn("counsellor", "counsellor's new password").ok());
}

TEST_F(SignInTest, OnlyAdministratorsSetPasswords) {
  (void)Token("teacher");
  const grpc::Status s = SetPassword("cw", "teacher", "cw chose this one");
  EXPECT_EQ(s.error_code(), Code::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("administrator"), std::string::npos);
  EXPECT_EQ(
      SetPassword("supervisor", "cw", "the supervisor's pick").error_code(),
      Code::PERMISSION_DENIED);
  EXPECT_EQ(SetPassword("admin", "nobody", "a long password").error_code(),
            Code::NOT_FOUND);
  const grpc::Status short_one = SetPassword("admin", "teacher", "short");
  EXPECT_EQ(short_one.error_code(), Code::INVALID_ARGUMENT);
  EXPECT_NE(short_one.error_message().find("at least 12"), std::string::npos);
  // Nothing changed: the teacher's password is the administrator's.
  EXPECT_TRUE(SignIn("teacher", Password("teacher")).ok());
  EXPECT_EQ(SignIn("teacher", "cw chose this one").error_code(),
            Code::UNAUTHENTICATED);
}

}  // namespace
}  // namespace renkei::testing
