// Every RPC of every service × every role, through the real server in its
// default mode (sessions, no header identity): the role gate answers first,
// before anything of the request is read. Each cell sends the method's
// empty request as a caller of one role; a role the method refuses gets
// PERMISSION_DENIED naming the role rule; a role it admits gets past the
// gate (the empty request is then refused for what it lacks, never for who
// sent it); no credentials at all is UNAUTHENTICATED.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <set>

#include "google/protobuf/descriptor.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

using Code = grpc::StatusCode;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

enum class Access { kSignIn, kSignedIn, kAdmin, kCaseRead, kCaseWrite, kAudit };

// The roles a caller can have, as personas of the fixture's directory.
struct Persona {
  const char* role;
  const char* staff;  // "" = no credentials
};
const Persona kPersonas[] = {
    {"unauthenticated", ""},        {"administrator", "admin"},
    {"practitioner", "counsellor"}, {"supervisor", "supervisor"},
    {"coordinating body", "cw"},    {"auditor", "auditor"},
};

// What the method admits, by the service and what it answers with (written
// here from the API, independently of the server's code).
Access ExpectedAccess(const MethodDescriptor& method) {
  const std::string service = method.service()->name();
  const std::string name = method.name();
  const bool command = method.output_type()->name() == "CommandReply";
  if (service == "SessionService") {
    return name == "SignIn" ? Access::kSignIn : Access::kSignedIn;
  }
  if (service == "AuditService") return Access::kAudit;
  if (service == "AdminService") return Access::kAdmin;
  if (service == "PrivacyService") {
    // The person's records are case content (auditors); holds, erasure and
    // the schedule carry ids and dates only (administrators).
    return name == "GetDisclosureRecord" || name == "ExportSubjectRecord"
               ? Access::kAudit
               : Access::kAdmin;
  }
  if (service == "DirectoryService") {
    return command || name == "SetStaffPassword" ? Access::kAdmin
                                                 : Access::kSignedIn;
  }
  return command ? Access::kCaseWrite : Access::kCaseRead;
}

bool Admits(Access access, const std::string& role) {
  switch (access) {
    case Access::kSignIn:
    case Access::kSignedIn:
      return true;
    case Access::kAdmin:
      return role == "administrator";
    case Access::kCaseRead:
      return role != "administrator";
    case Access::kCaseWrite:
      return role != "administrator" && role != "auditor";
    case Access::kAudit:
      return role == "auditor";
  }
  return false;
}

// The word the refusal must name: the role rule that failed.
std::string RuleWord(Access access, const std::string& role) {
  if (role == "administrator") return "administrator";
  if (access == Access::kCaseWrite && role == "auditor") return "auditor";
  if (access == Access::kAudit) return "auditor";
  return "administrator";  // kAdmin: only administrators ...
}

class RoleMatrixTest : public ServerFixture {
 protected:
  RoleMatrixTest() { dev_header_identity_ = false; }

  void SetUp() override {
    ServerFixture::SetUp();
    // city-pa is 要対協's coordinating body: cw is its member.
    v1::CommandReply reply;
    const grpc::Status s =
        Call(directory_.get(),
             &v1::DirectoryService::Stub::DesignateCoordinatingBody, "admin",
             Cmd<v1::DesignateCoordinatingBodyRequest>(
                 "",
                 "framework: FRAMEWORK_YOTAIKYO agency_id: 'city-pa' "
                 "review_interval_days: 90"),
             &reply);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const Persona& p : kPersonas) {
      if (*p.staff != '\0') (void)Token(p.staff);
    }
  }

  // Calls `method` with its empty request as `staff` (no credentials when
  // empty); a server stream is read until its first message or its end.
  grpc::Status Invoke(const MethodDescriptor& method, const std::string& staff,
                      const std::string& token) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    if (!token.empty()) {
      ctx.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    }
    (void)staff;
    const std::string path =
        absl::StrCat("/", method.service()->full_name(), "/", method.name());
    grpc::GenericStub stub(channel_);
    grpc::CompletionQueue cq;
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    void* tag = nullptr;
    bool ok = false;
    if (!method.server_streaming()) {
      auto call = stub.PrepareUnaryCall(&ctx, path, request, &cq);
      call->StartCall();
      grpc::ByteBuffer response;
      grpc::Status status;
      call->Finish(&response, &status, reinterpret_cast<void*>(1));
      EXPECT_TRUE(cq.Next(&tag, &ok));
      return status;
    }
    auto call = stub.PrepareCall(&ctx, path, &cq);
    call->StartCall(reinterpret_cast<void*>(1));
    EXPECT_TRUE(cq.Next(&tag, &ok));
    call->Write(request, grpc::WriteOptions().set_last_message(),
                reinterpret_cast<void*>(2));
    EXPECT_TRUE(cq.Next(&tag, &ok));
    grpc::ByteBuffer first;
    call->Read(&first, reinterpret_cast<void*>(3));
    EXPECT_TRUE(cq.Next(&tag, &ok));
    const bool got_message = ok;
    if (got_message) ctx.TryCancel();
    grpc::Status status;
    call->Finish(&status, reinterpret_cast<void*>(4));
    EXPECT_TRUE(cq.Next(&tag, &ok));
    // A stream that delivered a message was admitted (cancelled by us).
    return got_message ? grpc::Status::OK : status;
  }
};

TEST_F(RoleMatrixTest, EveryRpcAdmitsItsRolesAndRefusesTheOthers) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  const std::vector<std::string> services = {
      "AdminService",      "AuditService",   "CaseService",
      "ConferenceService", "ConsentService", "DirectoryService",
      "HandoverService",   "PlanService",    "PrivacyService",
      "ReferralService",   "ReviewService",  "SessionService"};
  int methods = 0, allowed = 0, denied = 0;
  for (const std::string& name : services) {
    const ServiceDescriptor* service =
        pool->FindServiceByName(absl::StrCat("renkei.v1.", name));
    ASSERT_NE(service, nullptr) << name;
    for (int m = 0; m < service->method_count(); ++m) {
      const MethodDescriptor& method = *service->method(m);
      // Their own test below: an empty sign-in is a failed one, and a
      // sign-out would end the persona's session.
      if (method.name() == "SignIn" || method.name() == "SignOut") continue;
      ++methods;
      const Access access = ExpectedAccess(method);
      int cell_allowed = 0, cell_denied = 0;
      for (const Persona& persona : kPersonas) {
        const std::string role = persona.role;
        const std::string token =
            *persona.staff == '\0' ? "" : Token(persona.staff);
        const grpc::Status s = Invoke(method, persona.staff, token);
        const std::string where =
            absl::StrCat(method.full_name(), " as ", role, ": ", s.error_code(),
                         " ", s.error_message());
        if (token.empty() && access != Access::kSignIn) {
          EXPECT_EQ(s.error_code(), Code::UNAUTHENTICATED) << where;
          ++cell_denied;
        } else if (token.empty() || Admits(access, role)) {
          EXPECT_NE(s.error_code(), Code::PERMISSION_DENIED) << where;
          EXPECT_NE(s.error_code(), Code::UNAUTHENTICATED) << where;
          ++cell_allowed;
        } else {
          EXPECT_EQ(s.error_code(), Code::PERMISSION_DENIED) << where;
          EXPECT_NE(s.error_message().find(RuleWord(access, role)),
                    std::string::npos)
              << where;
          ++cell_denied;
        }
      }
      allowed += cell_allowed;
      denied += cell_denied;
      // Every RPC has at least one role it admits and one it refuses.
      EXPECT_GT(cell_allowed, 0) << method.full_name();
      EXPECT_GT(cell_denied, 0) << method.full_name();
    }
  }
  EXPECT_GE(methods, 97);
  std::cout << "role matrix: " << methods << " RPCs x " << std::size(kPersonas)
            << " roles: " << allowed << " admitted, " << denied << " refused\n";
}

// SignIn itself: anyone may try; a wrong password or a departed staff
// member is refused. SignOut: only a session ends a session.
TEST_F(RoleMatrixTest, SignInAndSignOut) {
  v1::SignInRequest in;
  in.set_staff_id("teacher");
  in.set_password(Password("teacher"));
  v1::SignInResponse session;
  (void)Token("teacher");  // the administrator set the password
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->SignIn(&ctx, in, &session).ok());
  }
  grpc::ClientContext none;
  v1::SignOutResponse out;
  EXPECT_EQ(sessions_->SignOut(&none, v1::SignOutRequest(), &out).error_code(),
            Code::UNAUTHENTICATED);
  grpc::ClientContext with;
  with.AddMetadata("authorization", absl::StrCat("Bearer ", session.token()));
  EXPECT_TRUE(sessions_->SignOut(&with, v1::SignOutRequest(), &out).ok());
  in.set_password("not the password");
  grpc::ClientContext wrong;
  EXPECT_EQ(sessions_->SignIn(&wrong, in, &session).error_code(),
            Code::UNAUTHENTICATED);
}

}  // namespace
}  // namespace renkei::testing
