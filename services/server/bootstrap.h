// The first administrator of a new directory, created offline on the server
// machine (`renkei-server init-admin`), never by a call: the log is opened
// directly, so the server must not be running on the data directory.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "renkei/v1/directory.pb.h"
#include "services/identity/password_hash.h"

namespace renkei::server {

struct BootstrapRequest {
  std::string data_dir;
  v1::Agency agency;      // registered unless it exists
  v1::StaffMember admin;  // in `agency`
  // The clock the events are stamped with (the system clock when unset).
  std::function<absl::Time()> clock;
  // The administrator's sign-in password (none when empty), hashed at
  // `cost` into the data directory's identity store.
  std::string password;
  identity::HashCost cost = identity::HashCost::Interactive();
  std::string cost_name = "interactive";  // as given to init-admin
  // init-admin writes a generated `password` here (0600) once created.
  std::string generate_password_file;
};

// Appends the administrator to the directory in `data_dir`'s log and sets
// their password. Returns false (and writes nothing) when the directory
// already has an administrator; an error when the log cannot be opened or
// the request is malformed (a password out of bounds included).
[[nodiscard]] absl::StatusOr<bool> BootstrapAdministrator(
    const BootstrapRequest& request);

}  // namespace renkei::server
