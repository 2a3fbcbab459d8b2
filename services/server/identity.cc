#include "services/server/identity.h"

#include <grpc/grpc_security_constants.h>
#include <openssl/rand.h>

#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storage/validation.h"

namespace renkei::server {
namespace {

std::string Header(const grpc::CallbackServerContext& context,
                   const char* name) {
  const auto& md = context.client_metadata();
  auto it = md.find(name);
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

std::string NewRequestId() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) {
    // OpenSSL's generator failed (it logs why): the operating system's,
    // so an id is never left predictable or zero.
    std::random_device os;
    for (unsigned char& byte : b) byte = static_cast<unsigned char>(os());
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return absl::StrFormat(
      "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
      b[12], b[13], b[14], b[15]);
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
      return absl::UnauthenticatedError(
          "the client certificate names more than one staff member; issue one "
          "certificate per staff member");
    }
    staff_id = value.substr(std::string(kStaffUriPrefix).size());
  }
  if (staff_id.has_value()) return staff_id;
  return absl::UnauthenticatedError(absl::StrCat(
      "the client certificate names no staff member: it needs the SAN URI ",
      kStaffUriPrefix, "<staff id> (see deploy/issue-cert.sh)"));
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
      return absl::UnauthenticatedError(
          "the authorization header must be 'Bearer <session token>' from "
          "SessionService.SignIn");
    }
    auto session = sessions->Authenticate(token, now);
    if (!session.ok()) return session.status();
    if (proven.has_value() && *proven != session->staff_id) {
      return absl::UnauthenticatedError(
          absl::StrCat("the client certificate names staff member '", *proven,
                       "' but the session is '", session->staff_id, "'s"));
    }
    if (!proven.has_value()) caller.method = v1::AUTHENTICATION_METHOD_SESSION;
    caller.session = *session;
    proven = session->staff_id;
  }
  if (proven.has_value()) {
    if (!caller.staff_id.empty() && caller.staff_id != *proven) {
      return absl::UnauthenticatedError(absl::StrCat(
          "the call is proven to come from staff member '", *proven, "', not '",
          caller.staff_id, "' of the ", kStaffIdHeader, " header"));
    }
    caller.staff_id = *proven;
  } else if (!header_identity) {
    return absl::UnauthenticatedError(
        "sign in first (SessionService.SignIn, or `renkei login`) and send "
        "'authorization: Bearer <token>', or connect with a staff client "
        "certificate (mutual TLS, see deploy/issue-cert.sh)");
  } else {
    caller.method = v1::AUTHENTICATION_METHOD_DEVELOPMENT_HEADER;
  }
  if (caller.staff_id.empty()) {
    return absl::UnauthenticatedError(absl::StrFormat(
        "every call must name the acting staff member in the '%s' metadata "
        "header (the CLI's --as flag)",
        kStaffIdHeader));
  }
  if (caller.staff_id.size() > 128 ||
      !storage::ValidateStreamId(caller.staff_id).ok()) {
    return absl::UnauthenticatedError(
        absl::StrFormat("'%s' is not a valid staff id", kStaffIdHeader));
  }
  caller.agency_id = Header(context, kAgencyIdHeader);
  if (!caller.agency_id.empty() &&
      (caller.agency_id.size() > 128 ||
       !storage::ValidateStreamId(caller.agency_id).ok())) {
    return absl::UnauthenticatedError(
        absl::StrFormat("'%s' is not a valid agency id", kAgencyIdHeader));
  }
  caller.request_id = Header(context, kRequestIdHeader);
  if (caller.request_id.empty() || caller.request_id.size() > 64 ||
      !storage::ValidateStreamId(caller.request_id).ok()) {
    caller.request_id = NewRequestId();
  }
  return caller;
}

}  // namespace renkei::server
