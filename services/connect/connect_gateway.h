// ConnectGateway: the Connect protocol (unary JSON and binary protobuf, and
// server streaming) on an HTTP(S) port, for browsers, which cannot speak
// gRPC. Each call is forwarded over a channel to the gRPC services — in
// renkei-server the server's in-process channel — so a browser's call meets
// the same authentication, authorization, access decision and access log as
// a gRPC client's. The gateway holds no case content and decides nothing:
// it only maps requests and responses, turns the session cookie into the
// bearer token the services check, and enforces the browser's defences
// (CSRF token, same origin, Connect-Protocol-Version). It also serves the
// console's static files.
//
// Sign-in: a successful SessionService.SignIn or ChangePassword answers with
// the token removed from the body, set instead as an HttpOnly, Secure,
// SameSite=Strict cookie, beside a CSRF cookie the console must echo in the
// X-CSRF-Token header of every later call. SignOut expires both. A call may
// instead carry "Authorization: Bearer <token>" itself (no cookie, no CSRF
// check). No other request header reaches the services but the agency and
// request-id headers: in particular never renkei-staff-id.
//
// Thread-safety: Start() and the destructor from one thread; requests are
// served on the gateway's own bounded thread pool.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}

namespace renkei::connect {

struct GatewayOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  // HTTPS with this certificate chain and key (PEM); plain HTTP when both
  // are empty (the caller allows that on loopback only).
  std::string tls_cert_file;
  std::string tls_key_file;
  // The console's built files (index.html and assets/); none when empty.
  std::string web_root;
  size_t max_request_bytes = 4 << 20;
  // Calls without Connect-Timeout-Ms get this deadline; streams at most
  // kMaxStreamDuration.
  absl::Duration default_timeout = absl::Seconds(30);
  // Server streams open at once (each holds a thread): beyond it,
  // RESOURCE_EXHAUSTED.
  int max_streams = 4;
  int threads = 16;
  // The clock for cookie lifetimes.
  std::function<absl::Time()> clock;
};

inline constexpr absl::Duration kMaxStreamDuration = absl::Hours(1);

class ConnectGateway {
 public:
  // Binds and starts serving. UNAVAILABLE when the address is taken,
  // FAILED_PRECONDITION when the TLS files cannot be loaded.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<ConnectGateway>> Start(
      const GatewayOptions& options, std::shared_ptr<grpc::Channel> channel);
  // Ends open streams, stops accepting and waits for the threads.
  ~ConnectGateway();

  int port() const { return port_; }
  bool tls() const { return tls_; }

 private:
  ConnectGateway() = default;
  class Handler;

  std::unique_ptr<Handler> handler_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
  bool tls_ = false;
};

}  // namespace renkei::connect
