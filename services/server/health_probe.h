// `renkei-server probe`: asks a running server's gRPC health service
// (grpc.health.v1.Health/Check) whether a service is SERVING, for container
// probes and scripts: "" is liveness, "renkei.ready" readiness.
//
// Thread-safety: one call at a time.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace renkei::server {

struct ProbeRequest {
  std::string target = "localhost:50051";
  std::string ca_file;  // TLS: the server's CA bundle; plaintext when empty
  std::string service = "renkei.ready";
  absl::Duration timeout = absl::Seconds(5);
};

// OK when the service is SERVING; UNAVAILABLE naming the status or the
// failure otherwise.
[[nodiscard]] absl::Status Probe(const ProbeRequest& request);

}  // namespace renkei::server
