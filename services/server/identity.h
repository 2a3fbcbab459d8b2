// Who is calling: every RPC runs as an identified staff member, named in the
// request metadata. Accepted only because the server listens on loopback
// (see RenkeiServer::Start); mutual TLS replaces this later.
#pragma once

#include <grpcpp/grpcpp.h>

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "renkei/v1/directory.pb.h"

namespace renkei::server {

inline constexpr char kStaffIdHeader[] = "renkei-staff-id";
inline constexpr char kAgencyIdHeader[] = "renkei-agency-id";
inline constexpr char kRequestIdHeader[] = "x-request-id";

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

// UNAUTHENTICATED when the staff id header is missing or malformed.
[[nodiscard]] absl::StatusOr<Caller> CallerFromMetadata(
    const grpc::CallbackServerContext& context);

// A fresh random request id (UUID form).
std::string NewRequestId();

}  // namespace renkei::server
