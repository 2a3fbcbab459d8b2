// The administered directory through the real server: only administrators
// change it, roles are directory facts (auditors, supervisors), and an
// administrator never reads or writes case content. Each case below was an
// attack that worked while any unknown caller could change the directory.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

using Directory = v1::DirectoryService::Stub;
using Code = grpc::StatusCode;

class DirectoryRolesTest : public ServerFixture {
 protected:
  void Ok(const grpc::Status& s) { ASSERT_TRUE(s.ok()) << s.error_message(); }
  v1::CommandReply reply_;
};

TEST_F(DirectoryRolesTest, AnUnknownCallerCannotRegisterAgenciesOrItself) {
  const uint64_t head = server_->log().Head();
  grpc::Status s = Call(
      directory_.get(), &Directory::RegisterAgency, "intruder",
      Cmd<v1::RegisterAgencyRequest>(
          "",
          "agency { agency_id: 'fake' name: 'fake' kind: AGENCY_KIND_OTHER "
          "scope: AGENCY_SCOPE_EXTERNAL formality: "
          "AGENCY_FORMALITY_FORMAL }"),
      &reply_);
  EXPECT_EQ(s.error_code(), Code::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("not in the directory"), std::string::npos);
  // Enrolling itself into the audit agency, naming that agency.
  auto ctx = As("intruder");
  ctx->AddMetadata("renkei-agency-id", "audit");
  s = directory_->RegisterStaffMember(
      ctx.get(),
      Cmd<v1::RegisterStaffMemberRequest>(
          "",
          "staff { staff_id: 'intruder' display_name: 'x' profession: "
          "PROFESSION_AUDITOR agency_id: 'audit' }"),
      &reply_);
  EXPECT_EQ(s.error_code(), Code::PERMISSION_DENIED);
  EXPECT_EQ(server_->log().Head(), head) << "nothing was written";
}

TEST_F(DirectoryRolesTest, APractitionerCannotRecordAnothersDeparture) {
  const grpc::Status s =
      Call(directory_.get(), &Directory::RecordStaffDeparture, "cw",
           Cmd<v1::RecordStaffDepartureRequest>(
               "", "staff_id: 'counsellor' reason: 'locked out'"),
           &reply_);
  EXPECT_EQ(s.error_code(), Code::PERMISSION_DENIED);
  v1::ListStaffRequest list;
  v1::ListStaffResponse staff;
  Ok(Call(directory_.get(), &Directory::ListStaff, "cw", list, &staff));
  for (const auto& listing : staff.staff()) {
    EXPECT_FALSE(listing.has_left()) << listing.staff().staff_id();
  }
}

TEST_F(DirectoryRolesTest, AuditorsAreADirectoryRole) {
  v1::ReadStreamRequest read;
  read.set_stream_id("directory");
  v1::ReadEventsResponse events;
  Ok(Call(audit_.get(), &v1::AuditService::Stub::ReadStream, "auditor", read,
          &events));
  // Without the role, staff of the same agency read nothing.
  Ok(Call(directory_.get(), &Directory::RevokeStaffRole, "admin",
          Cmd<v1::RevokeStaffRoleRequest>(
              "",
              "staff_id: 'auditor' role: STAFF_ROLE_AUDITOR reason: "
              "'committee ended'"),
          &reply_));
  EXPECT_EQ(Call(audit_.get(), &v1::AuditService::Stub::ReadStream, "auditor",
                 read, &events)
                .error_code(),
            Code::PERMISSION_DENIED);
  // Only an administrator grants it.
  EXPECT_EQ(Call(directory_.get(), &Directory::GrantStaffRole, "auditor",
                 Cmd<v1::GrantStaffRoleRequest>(
                     "",
                     "staff_id: 'auditor' role: STAFF_ROLE_AUDITOR "
                     "reason: 'myself'"),
                 &reply_)
                .error_code(),
            Code::PERMISSION_DENIED);
  v1::ListStaffResponse staff;
  v1::ListStaffRequest list;
  list.set_agency_id("city-pa");
  Ok(Call(directory_.get(), &Directory::ListStaff, "cw", list, &staff));
  bool listed = false;
  for (const auto& listing : staff.staff()) {
    if (listing.staff().staff_id() != "admin") continue;
    listed = true;
    ASSERT_EQ(listing.roles_size(), 1);
    EXPECT_EQ(listing.roles(0), v1::STAFF_ROLE_ADMINISTRATOR);
  }
  EXPECT_TRUE(listed);
}

TEST_F(DirectoryRolesTest, AnAdministratorNeverReadsOrWritesCases) {
  Ok(Call(
      cases_.get(), &v1::CaseService::Stub::OpenCase, "cw",
      Cmd<v1::OpenCaseRequest>("c1", R"pb(kind: CASE_KIND_HOUSEHOLD
                                          title: "household"
                                          intake {
                                            noticed_by_agency_id: "nursery"
                                            observation: "late"
                                          }
                                          registration: REGISTRATION_NONE)pb"),
      &reply_));
  v1::GetCaseSummaryRequest req;
  req.set_case_id("c1");
  v1::CaseSummary summary;
  // The administrator is of city-pa, the case's team agency.
  grpc::Status s = Call(cases_.get(), &v1::CaseService::Stub::GetCaseSummary,
                        "admin", req, &summary);
  EXPECT_EQ(s.error_code(), Code::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("manages the directory only"),
            std::string::npos);
  v1::ListCaseloadResponse caseload;
  EXPECT_EQ(Call(cases_.get(), &v1::CaseService::Stub::ListCaseload, "admin",
                 v1::ListCaseloadRequest(), &caseload)
                .error_code(),
            Code::PERMISSION_DENIED);
  s = Call(
      cases_.get(), &v1::CaseService::Stub::AddTeamAgency, "admin",
      Cmd<v1::AddTeamAgencyRequest>("c1", "agency_id: 'clinic' reason: 'x'"),
      &reply_);
  EXPECT_EQ(s.error_code(), Code::PERMISSION_DENIED);
  // Not even with the auditor role.
  Ok(Call(directory_.get(), &Directory::GrantStaffRole, "admin",
          Cmd<v1::GrantStaffRoleRequest>(
              "", "staff_id: 'admin' role: STAFF_ROLE_AUDITOR reason: 'x'"),
          &reply_));
  v1::ReadStreamRequest read;
  read.set_stream_id("case-c1");
  v1::ReadEventsResponse events;
  EXPECT_EQ(Call(audit_.get(), &v1::AuditService::Stub::ReadStream, "admin",
                 read, &events)
                .error_code(),
            Code::PERMISSION_DENIED);
  // The directory stays theirs.
  v1::ListAgenciesResponse agencies;
  Ok(Call(directory_.get(), &Directory::ListAgencies, "admin",
          v1::ListAgenciesRequest(), &agencies));
  EXPECT_EQ(agencies.agencies_size(), 5);
}

}  // namespace
}  // namespace renkei::testing
