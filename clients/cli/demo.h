// `renkei demo`: plays the acceptance story of the domain (seed 000, a
// mother-child household with alcohol) against a running server as real RPCs,
// then prints the case timeline, the consents and the stage-lead history.
#pragma once

#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "clients/cli/transport.h"

namespace renkei::cli {

struct DemoOptions {
  // Makes the case id and the rotating staff ids unique; empty: from `now`.
  // Running again with the same id resumes (every step is idempotent).
  std::string run_id;
  absl::Duration timeout = absl::Seconds(30);
  absl::Time now;
  // The administrator's session token (`renkei login --as admin`): the demo
  // then gives each staff member of the story a password of its own and
  // signs them in. Empty: calls name their staff member in the
  // renkei-staff-id header (a server in --dev-header-identity mode).
  std::string admin_token;
};

// Agency ids the demo registers, and the one its auditor acts for (the demo
// grants the auditor the directory's auditor role).
inline constexpr char kDemoAuditorAgency[] = "audit-office";

// Returns an exit code (0, or 1 when a step fails).
int RunDemo(Transport& transport, const DemoOptions& options, std::ostream& out,
            std::ostream& err);

// The run id used when none is given: the time in base 36 (e.g. "sbx0q8").
std::string DefaultRunId(absl::Time now);

}  // namespace renkei::cli
