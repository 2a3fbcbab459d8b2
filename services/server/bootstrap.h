// The first administrator of a new directory, created offline on the server
// machine (`renkei-server init-admin`), never by a call: the log is opened
// directly, so the server must not be running on the data directory.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "renkei/v1/directory.pb.h"

namespace renkei::server {

struct BootstrapRequest {
  std::string data_dir;
  v1::Agency agency;      // registered unless it exists
  v1::StaffMember admin;  // in `agency`
  // The clock the events are stamped with (the system clock when unset).
  std::function<absl::Time()> clock;
};

// Appends the administrator to the directory in `data_dir`'s log. Returns
// false (and writes nothing) when the directory already has an
// administrator; an error when the log cannot be opened or the request is
// malformed.
[[nodiscard]] absl::StatusOr<bool> BootstrapAdministrator(
    const BootstrapRequest& request);

}  // namespace renkei::server
