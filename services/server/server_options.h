// renkei-server's settings, from flags and an optional config file with the
// same keys (TOML/INI syntax: `listen = "127.0.0.1:50051"`).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/identity/identity_store.h"
#include "services/server/bootstrap.h"

namespace renkei::server {

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  std::string data_dir = "renkei-data";
  uint64_t max_payload_bytes = 1 << 20;  // per event
  int32_t max_page_size = 1000;          // events per read RPC
  int32_t default_page_size = 100;
  int32_t max_message_bytes = 4 << 20;  // per gRPC message received
  int32_t shutdown_grace_seconds = 10;
  int32_t max_subscriptions = 32;  // audit Subscribe streams open at once
  std::string log_level = "info";
  std::string log_format = "text";  // or "json"
  // Delete the read models and rebuild them from position 1 before serving.
  bool rebuild_read_models = false;
  // TLS on the gRPC port: the server's certificate chain and key (PEM),
  // watched and reloaded without a restart; both or neither. Required for
  // any address but loopback.
  std::string tls_cert_file;
  std::string tls_key_file;
  // When set, a client certificate issued by these CAs identifies its
  // staff member (mutual TLS); callers without one sign in with a password.
  std::string tls_client_ca_file;
  // With --require-client-certificate, a connection without one is refused
  // in the TLS handshake (services-only deployments: no password sign-in).
  bool require_client_certificate = false;
  // A directory of CRL files (PEM, named by `openssl rehash`): a revoked
  // client certificate fails the handshake. Every CA of the client CA
  // bundle then needs a CRL there (deploy/issue-cert.sh DIR crl).
  std::string tls_crl_dir;
  int32_t tls_reload_seconds = 60;
  // Development only, loopback only: callers name themselves in the
  // renkei-staff-id header (forgeable). Off: identities come from client
  // certificates (mutual TLS) and session tokens only.
  bool dev_header_identity = false;
  // Password hashing cost: "interactive" (Argon2id, 64 MiB, the default),
  // "moderate" (256 MiB) or "minimum" (tests only; warned at start).
  std::string password_hash = "interactive";
  // A session's life from sign-in.
  int32_t session_minutes = 8 * 60;
  // Prometheus metrics over HTTP on HOST:PORT (GET /metrics); off when
  // empty. Method names and counts only, never case content.
  std::string metrics_listen;
  // The browser console: the Connect protocol and the console's static
  // files on HOST:PORT, HTTPS with the gRPC port's certificate (plain HTTP
  // only on loopback without TLS); off when empty.
  std::string web_listen;
  // The console's built files (clients/web/dist); empty: the API only.
  std::string web_root;
  // Failed sign-ins in a row that lock an account, and for how long.
  int32_t lock_after_failures = 5;
  int32_t lockout_minutes = 15;
  // The key-encryption key that wraps the data keys sealing personal
  // fields (privacy/key_encryption_key.h): a file outside the data
  // directory (mode 0600, 64 hex digits), else the environment variable
  // RENKEI_KEY_ENCRYPTION_KEY. Without one the server refuses to start.
  std::string key_encryption_key_file;
  // The daily retention sweep erases, as this administrator, every closed
  // case whose retention ran out (and no legal hold keeps); off when empty.
  std::string retention_administrator;
  int32_t retention_sweep_hours = 24;
  // The key itself (32 bytes), when the embedding program has it (tests);
  // takes precedence over the file and the environment.
  std::string key_encryption_key;
  // The server's clock (commit times, decision times, defaults of "now");
  // the system clock when unset. A seam for tests.
  std::function<absl::Time()> clock;
};

// The sign-in policy the options set.
[[nodiscard]] identity::SignInPolicy SignInPolicyOf(const ServerOptions& o);

// `renkei-server init-admin ...`: the first administrator (bootstrap.h).
// argv[0] is "init-admin". NOT_FOUND after printing --help.
[[nodiscard]] absl::StatusOr<BootstrapRequest> ParseInitAdmin(int argc,
                                                              char** argv);

// Parses argv. Returns the options, or an error (with the message to print);
// a NOT_FOUND status with an empty message means --help was printed.
// With `effective`, it receives the settings in force (every key, defaults
// included) in the config file's format.
[[nodiscard]] absl::StatusOr<ServerOptions> ParseServerOptions(
    int argc, char** argv, std::string* effective = nullptr);

// True when `host_port` names a loopback address (127.0.0.0/8, ::1 or
// localhost).
bool IsLoopback(const std::string& host_port);

struct ListenAddress {
  std::string host;  // an IP literal or "localhost"
  int port = 0;
  bool loopback = false;
};

// Parses HOST:PORT where HOST is an IPv4 literal, a bracketed IPv6 literal
// or `localhost` (never a name to resolve, never a prefix match) and PORT is
// 0..65535. INVALID_ARGUMENT otherwise.
[[nodiscard]] absl::StatusOr<ListenAddress> ParseListenAddress(
    const std::string& host_port);

}  // namespace renkei::server
