#include "services/server/directory_service.h"

#include "absl/strings/str_cat.h"
#include "services/server/errors.h"
#include "services/server/rpc_adapter.h"
#include "services/server/session_service.h"
#include "storage/status_macros.h"

namespace renkei::server {

using app::Caller;

grpc::ServerUnaryReactor* DirectoryServiceImpl::RegisterAgency(
    grpc::CallbackServerContext* ctx, const v1::RegisterAgencyRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::DirectoryCommand::mutable_register_agency>(
      rt_, ctx, *req, "", reply, "RegisterAgency");
}

grpc::ServerUnaryReactor* DirectoryServiceImpl::RegisterStaffMember(
    grpc::CallbackServerContext* ctx, const v1::RegisterStaffMemberRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::DirectoryCommand::mutable_register_staff_member>(
      rt_, ctx, *req, "", reply, "RegisterStaffMember");
}

grpc::ServerUnaryReactor* DirectoryServiceImpl::RecordStaffDeparture(
    grpc::CallbackServerContext* ctx,
    const v1::RecordStaffDepartureRequest* req, v1::CommandReply* reply) {
  // A departure ends the leaver's sessions at once.
  return RunCommand<&v1::DirectoryCommand::mutable_record_staff_departure>(
      rt_, ctx, *req, "", reply, "RecordStaffDeparture",
      [this](const Caller& caller, const v1::RecordStaffDepartureRequest& r) {
        if (rt_.identity() == nullptr) return;
        identity::Recorded<uint32_t> revoked =
            rt_.identity()->RevokeAll(r.command().staff_id(), "departure");
        if (absl::Status s = rt_.RecordSecurity(caller, revoked.records);
            !s.ok()) {
          spdlog::warn("departure: {}", s.ToString());
        }
      });
}

grpc::ServerUnaryReactor* DirectoryServiceImpl::SetStaffPassword(
    grpc::CallbackServerContext* ctx, const v1::SetStaffPasswordRequest* req,
    v1::SetStaffPasswordResponse* resp) {
  return RunQuery(
      rt_, ctx,
      [=, this](const Caller& caller) -> absl::Status {
        RENKEI_ASSIGN_OR_RETURN(uint32_t revoked,
                                server::SetStaffPassword(rt_, caller, *req));
        resp->set_sessions_revoked(revoked);
        return absl::OkStatus();
      },
      QueryScope::kDirectory);
}

grpc::ServerUnaryReactor* DirectoryServiceImpl::GrantStaffRole(
    grpc::CallbackServerContext* ctx, const v1::GrantStaffRoleRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::DirectoryCommand::mutable_grant_staff_role>(
      rt_, ctx, *req, "", reply, "GrantStaffRole");
}

grpc::ServerUnaryReactor* DirectoryServiceImpl::RevokeStaffRole(
    grpc::CallbackServerContext* ctx, const v1::RevokeStaffRoleRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::DirectoryCommand::mutable_revoke_staff_role>(
      rt_, ctx, *req, "", reply, "RevokeStaffRole");
}

grpc::ServerUnaryReactor* DirectoryServiceImpl::DesignateCoordinatingBody(
    grpc::CallbackServerContext* ctx,
    const v1::DesignateCoordinatingBodyRequest* req, v1::CommandReply* reply) {
  return RunCommand<&v1::DirectoryCommand::mutable_designate_coordinating_body>(
      rt_, ctx, *req, "", reply, "DesignateCoordinatingBody");
}

grpc::ServerUnaryReactor* DirectoryServiceImpl::ListAgencies(
    grpc::CallbackServerContext* ctx, const v1::ListAgenciesRequest*,
    v1::ListAgenciesResponse* resp) {
  return RunQuery(
      rt_, ctx,
      [=, this](const Caller&) -> absl::Status {
        RENKEI_ASSIGN_OR_RETURN(
            auto dir,
            rt_.directory().Load(std::string(domain::kDirectoryStreamId)));
        for (const auto& [id, agency] : dir.state->agencies) {
          *resp->add_agencies() = agency;
        }
        for (const auto& [framework, body] : dir.state->coordinating_bodies) {
          v1::CoordinatingBodyDesignated* listed =
              resp->add_coordinating_bodies();
          listed->set_framework(framework);
          listed->set_agency_id(body.agency_id);
          listed->set_review_interval_days(body.review_interval_days);
        }
        return absl::OkStatus();
      },
      QueryScope::kDirectory);
}

grpc::ServerUnaryReactor* DirectoryServiceImpl::ListStaff(
    grpc::CallbackServerContext* ctx, const v1::ListStaffRequest* req,
    v1::ListStaffResponse* resp) {
  return RunQuery(
      rt_, ctx,
      [=, this](const Caller&) -> absl::Status {
        RENKEI_ASSIGN_OR_RETURN(
            auto dir,
            rt_.directory().Load(std::string(domain::kDirectoryStreamId)));
        if (!req->agency_id().empty() &&
            !dir.state->FindAgency(req->agency_id())) {
          return errors::AgencyNotRegistered(req->agency_id());
        }
        for (const auto& [id, record] : dir.state->staff) {
          if (!req->agency_id().empty() &&
              record.staff.agency_id() != req->agency_id()) {
            continue;
          }
          if (record.HasLeft() && !req->include_left()) continue;
          auto* listing = resp->add_staff();
          *listing->mutable_staff() = record.staff;
          listing->set_has_left(record.HasLeft());
          for (v1::StaffRole role : record.roles) listing->add_roles(role);
          if (record.left_at) {
            listing->set_left_at(absl::FormatTime(
                absl::RFC3339_sec, *record.left_at, absl::UTCTimeZone()));
          }
        }
        return absl::OkStatus();
      },
      QueryScope::kDirectory);
}

}  // namespace renkei::server
