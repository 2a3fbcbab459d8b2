// How the CLI reaches the server: unary and server-streaming calls on any
// method named by its descriptor, with the caller's identity as metadata.
// A fake implements it in tests.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace renkei::cli {

struct CallOptions {
  // Sent as "authorization: Bearer <token>" when not empty (a session from
  // SessionService.SignIn, e.g. `renkei login`).
  std::string bearer_token;
  std::string staff_id;    // sent as renkei-staff-id when not empty
  std::string agency_id;   // sent as renkei-agency-id when not empty
  std::string request_id;  // sent as x-request-id when not empty
  absl::Duration timeout = absl::InfiniteDuration();
  // A streaming call ends (cancelled, OK) once this becomes true.
  const std::atomic<bool>* stop = nullptr;
};

// Thread-compatible: one call at a time.
class Transport {
 public:
  virtual ~Transport() = default;

  // The gRPC status, as absl::Status (the codes are the same numbers).
  [[nodiscard]] virtual absl::Status Unary(
      const google::protobuf::MethodDescriptor& method,
      const CallOptions& options, const google::protobuf::Message& request,
      google::protobuf::Message* response) = 0;

  // Calls `on_message` for each message until the stream ends, the callback
  // returns false, or options.stop is set; the last two cancel the call and
  // return OK. `scratch` (of the method's output type) receives each message.
  [[nodiscard]] virtual absl::Status ServerStream(
      const google::protobuf::MethodDescriptor& method,
      const CallOptions& options, const google::protobuf::Message& request,
      google::protobuf::Message* scratch,
      const std::function<bool(const google::protobuf::Message&)>&
          on_message) = 0;
};

// A plaintext gRPC channel to `target` (HOST:PORT).
// TLS to the server: the CA bundle that issued its certificate and, for
// mutual TLS, the client's certificate and key (PEM file paths). Plaintext
// when `ca_file` is empty.
struct TlsFiles {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};

// INVALID_ARGUMENT-like failures (unreadable files) surface as an
// unavailable transport: every call then fails with the reason.
std::unique_ptr<Transport> NewGrpcTransport(const std::string& target,
                                            const TlsFiles& tls = {});

// "/renkei.v1.CaseService/OpenCase".
std::string MethodPath(const google::protobuf::MethodDescriptor& method);

}  // namespace renkei::cli
