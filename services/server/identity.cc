#include "services/server/identity.h"

#include <grpc/grpc_security_constants.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/app/random_id.h"
#include "services/server/errors.h"
#include "storage/errors.h"
#include "storage/status_macros.h"
#include "storage/validation.h"

namespace renkei::server {

using app::Caller;
namespace {

std::string Header(const grpc::CallbackServerContext& context,
                   const char* name) {
  const auto& md = context.client_metadata();
  auto it = md.find(name);
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

absl::StatusOr<std::string> NewRequestId() {
  return app::NewRandomId("a request id");
}

absl::StatusOr<std::optional<std::string>> CertificateStaffId(
    const grpc::CallbackServerContext& context) {
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr ||
      auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME).empty()) {
    return std::nullopt;  // no client certificate on this connection
  }
  std::optional<std::string> staff_id;
  for (const grpc::string_ref& uri :
       auth->FindPropertyValues(GRPC_PEER_URI_PROPERTY_NAME)) {
    const std::string value(uri.data(), uri.size());
    if (!absl::StartsWith(value, kStaffUriPrefix)) continue;
    if (staff_id.has_value()) {
      return errors::CertificateNamesManyStaff();
    }
    staff_id = value.substr(std::string(kStaffUriPrefix).size());
  }
  if (staff_id.has_value()) return staff_id;
  return errors::CertificateNamesNoStaff(kStaffUriPrefix);
}

std::string BearerToken(const grpc::CallbackServerContext& context) {
  const std::string value = Header(context, kAuthorizationHeader);
  if (!absl::StartsWith(value, kBearerPrefix)) return "";
  return value.substr(sizeof kBearerPrefix - 1);
}

absl::StatusOr<Caller> CallerFromMetadata(
    const grpc::CallbackServerContext& context, bool header_identity,
    const identity::IdentityStore* sessions, absl::Time now) {
  Caller caller;
  caller.staff_id = Header(context, kStaffIdHeader);
  // A client certificate, when there is one, is the identity; a session or
  // the header may only repeat it.
  auto certified = CertificateStaffId(context);
  if (!certified.ok()) return certified.status();
  std::optional<std::string> proven;
  if (certified->has_value()) {
    proven = **certified;
    caller.method = v1::AUTHENTICATION_METHOD_CLIENT_CERTIFICATE;
  }
  const std::string authorization = Header(context, kAuthorizationHeader);
  if (!authorization.empty()) {
    const std::string token = BearerToken(context);
    if (token.empty() || sessions == nullptr) {
      return errors::MalformedAuthorization();
    }
    auto session = sessions->Authenticate(token, now);
    if (!session.ok()) return session.status();
    if (proven.has_value() && *proven != session->staff_id) {
      return errors::CertificateSessionMismatch(*proven, session->staff_id);
    }
    if (!proven.has_value()) caller.method = v1::AUTHENTICATION_METHOD_SESSION;
    caller.session = *session;
    proven = session->staff_id;
  }
  if (proven.has_value()) {
    if (!caller.staff_id.empty() && caller.staff_id != *proven) {
      return errors::HeaderIdentityMismatch(*proven, caller.staff_id,
                                            kStaffIdHeader);
    }
    caller.staff_id = *proven;
  } else if (!header_identity) {
    return errors::SignInRequired();
  } else {
    caller.method = v1::AUTHENTICATION_METHOD_DEVELOPMENT_HEADER;
  }
  if (caller.staff_id.empty()) {
    return errors::StaffHeaderMissing(kStaffIdHeader);
  }
  if (!storage::IsValidId(caller.staff_id)) {
    return errors::InvalidStaffIdHeader(kStaffIdHeader);
  }
  caller.agency_id = Header(context, kAgencyIdHeader);
  if (!caller.agency_id.empty() && !storage::IsValidId(caller.agency_id)) {
    return errors::InvalidAgencyIdHeader(kAgencyIdHeader);
  }
  caller.request_id = Header(context, kRequestIdHeader);
  if (!storage::IsValidId(caller.request_id)) {
    RENKEI_ASSIGN_OR_RETURN(caller.request_id, NewRequestId());
  }
  return caller;
}

absl::StatusOr<Caller> IdentifyForCommand(
    app::DomainRuntime& rt, const grpc::CallbackServerContext& context) {
  absl::StatusOr<Caller> proven = CallerFromMetadata(
      context, rt.header_identity(), rt.identity(), rt.Now());
  if (!proven.ok()) return proven.status();
  return rt.IdentifyForCommand(*std::move(proven));
}

absl::StatusOr<Caller> IdentifyForQuery(
    app::DomainRuntime& rt, const grpc::CallbackServerContext& context) {
  absl::StatusOr<Caller> proven = CallerFromMetadata(
      context, rt.header_identity(), rt.identity(), rt.Now());
  if (!proven.ok()) return proven.status();
  return rt.IdentifyForQuery(*std::move(proven));
}

}  // namespace renkei::server
