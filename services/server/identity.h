// Who is calling: every RPC but SessionService.SignIn runs as an identified
// staff member, proven by one of
//  - a client certificate (mutual TLS) naming the staff member as the SAN
//    URI "renkei:staff:<staff id>" (services, the CLI);
//  - a session token from SignIn, sent as "authorization: Bearer <token>"
//    (people: browser front-ends, the CLI after `renkei login`);
//  - in development mode only (--dev-header-identity, loopback), the
//    renkei-staff-id header.
// Whether the staff member may act is decided afterwards, from the
// directory (DomainRuntime::IdentifyFor*).
#pragma once

#include <grpcpp/grpcpp.h>

#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "renkei/v1/directory.pb.h"
#include "renkei/v1/session_service.pb.h"
#include "services/identity/identity_store.h"

namespace renkei::server {

inline constexpr char kStaffIdHeader[] = "renkei-staff-id";
inline constexpr char kAgencyIdHeader[] = "renkei-agency-id";
inline constexpr char kRequestIdHeader[] = "x-request-id";
inline constexpr char kAuthorizationHeader[] = "authorization";
inline constexpr char kBearerPrefix[] = "Bearer ";
// A client certificate names its staff member as the SAN URI
// "renkei:staff:<staff id>".
inline constexpr char kStaffUriPrefix[] = "renkei:staff:";

struct Caller {
  std::string staff_id;
  // The agency the caller acts for: from the header, or the staff member's
  // agency in the directory.
  std::string agency_id;
  std::string request_id;  // from x-request-id, or generated
  // The caller's directory roles (filled once identified in the directory).
  std::set<v1::StaffRole> roles;
  // How the identity was proven; for a session, which one.
  v1::AuthenticationMethod method = v1::AUTHENTICATION_METHOD_UNSPECIFIED;
  std::optional<identity::Session> session;

  [[nodiscard]] bool Has(v1::StaffRole role) const {
    return roles.contains(role);
  }
};

// The staff member a client certificate names (mutual TLS); nullopt when the
// connection has no client certificate; UNAUTHENTICATED when it has one that
// names none.
[[nodiscard]] absl::StatusOr<std::optional<std::string>> CertificateStaffId(
    const grpc::CallbackServerContext& context);

// The bearer token of "authorization: Bearer <token>"; "" when there is no
// such header.
std::string BearerToken(const grpc::CallbackServerContext& context);

// The caller: the client certificate's staff member when there is one, else
// the session of the bearer token (`sessions` may be null: none accepted),
// else (with `header_identity`) the renkei-staff-id header. Where more than
// one is given they must name the same staff member. UNAUTHENTICATED when
// none names one, they disagree, a token is unknown or expired, or an id is
// malformed.
[[nodiscard]] absl::StatusOr<Caller> CallerFromMetadata(
    const grpc::CallbackServerContext& context, bool header_identity,
    const identity::IdentityStore* sessions, absl::Time now);

// A fresh random request id (UUID form); UNAVAILABLE when OpenSSL cannot give
// the random bytes (never a predictable id).
[[nodiscard]] absl::StatusOr<std::string> NewRequestId();

}  // namespace renkei::server
