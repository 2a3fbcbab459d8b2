// Who is calling: every RPC runs as an identified staff member, named in the
// request metadata. Accepted only because the server listens on loopback
// (see RenkeiServer::Start); mutual TLS replaces this later.
#pragma once

#include <grpcpp/grpcpp.h>

#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "renkei/v1/directory.pb.h"

namespace renkei::server {

inline constexpr char kStaffIdHeader[] = "renkei-staff-id";
inline constexpr char kAgencyIdHeader[] = "renkei-agency-id";
inline constexpr char kRequestIdHeader[] = "x-request-id";
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

  [[nodiscard]] bool Has(v1::StaffRole role) const {
    return roles.contains(role);
  }
};

// The staff member a client certificate names (mutual TLS); nullopt when the
// connection has no client certificate; UNAUTHENTICATED when it has one that
// names none.
[[nodiscard]] absl::StatusOr<std::optional<std::string>> CertificateStaffId(
    const grpc::CallbackServerContext& context);

// The caller: the client certificate's staff member when there is one (a
// renkei-staff-id header must then agree), else the header. UNAUTHENTICATED
// when neither names one, or they disagree, or the id is malformed.
// Without `header_identity` a call with no client certificate is
// UNAUTHENTICATED.
[[nodiscard]] absl::StatusOr<Caller> CallerFromMetadata(
    const grpc::CallbackServerContext& context, bool header_identity);

// A fresh random request id (UUID form).
std::string NewRequestId();

}  // namespace renkei::server
