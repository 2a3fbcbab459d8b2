// Who is calling: every RPC but SessionService.SignIn runs as an identified
// staff member, proven by one of
//  - a client certificate (mutual TLS) naming the staff member as the SAN
//    URI "renkei:staff:<staff id>" (services, the CLI);
//  - a session token from SignIn, sent as "authorization: Bearer <token>"
//    (people: browser front-ends, the CLI after `renkei login`);
//  - in development mode only (--dev-header-identity, loopback), the
//    renkei-staff-id header.
// Whether the staff member may act is decided afterwards, from the
// directory (app::DomainRuntime::IdentifyFor*, through IdentifyFor* here).
#pragma once

#include <grpcpp/grpcpp.h>

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "renkei/v1/directory.pb.h"
#include "renkei/v1/session_service.pb.h"
#include "services/app/caller.h"
#include "services/app/runtime/domain_runtime.h"
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
[[nodiscard]] absl::StatusOr<app::Caller> CallerFromMetadata(
    const grpc::CallbackServerContext& context, bool header_identity,
    const identity::IdentityStore* sessions, absl::Time now);

// A fresh random request id (UUID form); UNAVAILABLE when OpenSSL cannot give
// the random bytes (never a predictable id).
[[nodiscard]] absl::StatusOr<std::string> NewRequestId();

// The caller of a command (of a query): proven by the call's metadata
// (CallerFromMetadata, with the runtime's sessions and header policy), then
// identified in the directory (app::DomainRuntime::IdentifyForCommand,
// IdentifyForQuery).
[[nodiscard]] absl::StatusOr<app::Caller> IdentifyForCommand(
    app::DomainRuntime& rt, const grpc::CallbackServerContext& context);
[[nodiscard]] absl::StatusOr<app::Caller> IdentifyForQuery(
    app::DomainRuntime& rt, const grpc::CallbackServerContext& context);

}  // namespace renkei::server
