// Caller: the staff member a command or query runs as, once proven (by the
// transport: a client certificate, a session, or in development a header)
// and then identified in the directory (DomainRuntime::IdentifyFor*).
//
// Thread-safety: a value type.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "renkei/v1/directory.pb.h"
#include "renkei/v1/session_service.pb.h"
#include "services/identity/identity_store.h"

namespace renkei::app {

struct Caller {
  std::string staff_id;
  // The agency the caller acts for: as claimed, or the staff member's
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

}  // namespace renkei::app
