#include "services/server/server_options.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/server/errors.h"

namespace renkei::server {

absl::StatusOr<ServerOptions> ParseServerOptions(int argc, char** argv,
                                                 std::string* effective) {
  ServerOptions o;
  CLI::App app{"renkei-server: Renkei's case-conference workflow server"};
  app.set_config("--config", "", "Config file with the same keys as the flags");
  // A key the server does not know is a mistake, not something to ignore.
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.add_option("--listen", o.listen, "Address to serve gRPC on (HOST:PORT)")
      ->capture_default_str();
  app.add_option("--data-dir", o.data_dir, "Directory of the RocksDB store")
      ->capture_default_str();
  app.add_option("--max-payload-bytes", o.max_payload_bytes,
                 "Largest event payload accepted")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{64} << 20));
  app.add_option("--max-page-size", o.max_page_size,
                 "Most events one read RPC may return")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_option("--default-page-size", o.default_page_size,
                 "Events returned when a read gives no limit")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_option("--max-message-bytes", o.max_message_bytes,
                 "Largest gRPC message accepted")
      ->capture_default_str()
      ->check(CLI::Range(1024, 256 << 20));
  app.add_option("--max-subscriptions", o.max_subscriptions,
                 "Most audit Subscribe streams open at once (one thread "
                 "serves them all)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--shutdown-grace-seconds", o.shutdown_grace_seconds,
                 "How long in-flight calls may finish on shutdown")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  app.add_option("--tls-cert-file", o.tls_cert_file,
                 "Server certificate chain (PEM); with --tls-key-file turns on "
                 "TLS, reloaded when the files change");
  app.add_option("--tls-key-file", o.tls_key_file, "Server private key (PEM)");
  app.add_option("--tls-client-ca-file", o.tls_client_ca_file,
                 "CA bundle (PEM): a client certificate it issued identifies "
                 "its staff member (mutual TLS)");
  app.add_flag("--require-client-certificate", o.require_client_certificate,
               "Refuse connections without a client certificate (no "
               "password sign-in)");
  app.add_option("--tls-crl-dir", o.tls_crl_dir,
                 "Directory of CRLs (openssl rehash); revoked client "
                 "certificates are refused");
  app.add_option("--tls-reload-seconds", o.tls_reload_seconds,
                 "How often the TLS files are checked for changes")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  app.add_flag("--dev-header-identity", o.dev_header_identity,
               "Development only, loopback only: accept the renkei-staff-id "
               "header as the caller (anyone can forge it)");
  app.add_option("--password-hash", o.password_hash,
                 "Argon2id cost: interactive|moderate|minimum (tests only)")
      ->capture_default_str()
      ->check(CLI::IsMember({"interactive", "moderate", "minimum"}));
  app.add_option("--session-minutes", o.session_minutes,
                 "How long a session lasts from sign-in")
      ->capture_default_str()
      ->check(CLI::Range(1, 7 * 24 * 60));
  app.add_option("--lock-after-failures", o.lock_after_failures,
                 "Failed sign-ins in a row that lock an account")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--lockout-minutes", o.lockout_minutes,
                 "How long a locked account stays locked")
      ->capture_default_str()
      ->check(CLI::Range(1, 7 * 24 * 60));
  app.add_option("--key-encryption-key-file", o.key_encryption_key_file,
                 "The key that wraps the data keys of personal data (64 hex "
                 "digits, mode 0600, outside the data directory); default: "
                 "the RENKEI_KEY_ENCRYPTION_KEY environment variable");
  app.add_option("--retention-administrator", o.retention_administrator,
                 "Run the retention sweep as this administrator: every closed "
                 "case whose retention ran out, and that no legal hold keeps, "
                 "is erased; off when empty");
  app.add_option("--retention-sweep-hours", o.retention_sweep_hours,
                 "Hours between retention sweeps")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 31));
  app.add_option("--metrics-listen", o.metrics_listen,
                 "Serve Prometheus metrics on HOST:PORT (GET /metrics); off "
                 "when empty");
  app.add_option("--web-listen", o.web_listen,
                 "Serve the browser console (Connect protocol, HTTPS with the "
                 "--tls-cert-file certificate) on HOST:PORT; off when empty");
  app.add_option("--web-root", o.web_root,
                 "The console's built files (clients/web/dist) served on "
                 "--web-listen; empty: the Connect API only");
  app.add_flag("--rebuild-read-models", o.rebuild_read_models,
               "Rebuild the read models from the whole log before serving");
  app.add_option("--log-level", o.log_level, "trace|debug|info|warn|error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.add_option("--log-format", o.log_format,
                 "text, or json (one object per line, for log shippers)")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return errors::HelpShown();
  } catch (const CLI::ParseError& e) {
    std::ostringstream out;
    app.exit(e, out, out);
    return errors::BadCommandLine(out.str());
  }
  if (effective != nullptr) {
    *effective = app.config_to_str(/*default_also=*/true,
                                   /*write_description=*/false);
  }
  if (o.default_page_size > o.max_page_size) {
    return errors::DefaultPageOverMax(o.default_page_size, o.max_page_size);
  }
  if (o.data_dir.empty()) {
    return errors::EmptyDataDir();
  }
  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    return errors::TlsPairIncomplete();
  }
  if (!o.tls_client_ca_file.empty() && o.tls_cert_file.empty()) {
    return errors::ClientCaNeedsTls();
  }
  if ((o.require_client_certificate || !o.tls_crl_dir.empty()) &&
      o.tls_client_ca_file.empty()) {
    return errors::ClientCertificateNeedsCa();
  }
  if (auto address = ParseListenAddress(o.listen); !address.ok()) {
    return address.status();
  }
  if (!o.metrics_listen.empty()) {
    if (auto address = ParseListenAddress(o.metrics_listen); !address.ok()) {
      return address.status();
    }
  }
  if (!o.web_listen.empty()) {
    if (auto address = ParseListenAddress(o.web_listen); !address.ok()) {
      return address.status();
    }
  } else if (!o.web_root.empty()) {
    return errors::WebRootNeedsWebListen();
  }
  return o;
}

identity::SignInPolicy SignInPolicyOf(const ServerOptions& o) {
  identity::SignInPolicy policy;
  policy.cost = o.password_hash == "minimum" ? identity::HashCost::Minimum()
                : o.password_hash == "moderate"
                    ? identity::HashCost::Moderate()
                    : identity::HashCost::Interactive();
  policy.session_ttl = absl::Minutes(o.session_minutes);
  policy.lock_after = o.lock_after_failures;
  policy.free_failures = std::min(policy.free_failures, o.lock_after_failures);
  policy.lockout = absl::Minutes(o.lockout_minutes);
  return policy;
}

absl::StatusOr<BootstrapRequest> ParseInitAdmin(int argc, char** argv) {
  BootstrapRequest r;
  r.data_dir = "renkei-data";
  std::string staff_id = "admin", name = "administrator";
  std::string agency_id = "city-it", agency_name = "情報政策課";
  CLI::App app{
      "renkei-server init-admin: creates the directory's first administrator "
      "in the data directory (the server must not be running on it)"};
  app.add_option("--data-dir", r.data_dir, "Directory of the RocksDB store")
      ->capture_default_str();
  app.add_option("--staff-id", staff_id, "The administrator's staff id")
      ->capture_default_str();
  app.add_option("--name", name, "The administrator's display name")
      ->capture_default_str();
  app.add_option("--agency-id", agency_id,
                 "The administrator's agency (registered unless it exists)")
      ->capture_default_str();
  app.add_option("--agency-name", agency_name, "The agency's name")
      ->capture_default_str();
  std::string password_file, generate_password_file;
  app.add_option("--password-file", password_file,
                 "A file whose first line is the administrator's sign-in "
                 "password (at least 12 characters)");
  app.add_option("--generate-password-file", generate_password_file,
                 "Generate the administrator's password and write it to this "
                 "new file (mode 0600) once the administrator is created");
  app.add_option("--password-hash", r.cost_name,
                 "Argon2id cost: interactive|moderate|minimum (tests only)")
      ->capture_default_str()
      ->check(CLI::IsMember({"interactive", "moderate", "minimum"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return errors::HelpShown();
  } catch (const CLI::ParseError& e) {
    std::ostringstream out;
    app.exit(e, out, out);
    return errors::BadCommandLine(out.str());
  }
  if (!password_file.empty() && !generate_password_file.empty()) {
    return errors::PasswordFileConflict();
  }
  if (!password_file.empty()) {
    std::ifstream in(password_file);
    if (!in.good() || !std::getline(in, r.password)) {
      return errors::CannotReadPassword(password_file);
    }
  }
  r.generate_password_file = generate_password_file;
  if (!generate_password_file.empty()) {
    r.password = identity::RandomToken(18);  // 24 characters, 144 bits
  }
  r.cost = r.cost_name == "minimum"    ? identity::HashCost::Minimum()
           : r.cost_name == "moderate" ? identity::HashCost::Moderate()
                                       : identity::HashCost::Interactive();
  r.agency.set_agency_id(agency_id);
  r.agency.set_name(agency_name);
  r.agency.set_kind(v1::AGENCY_KIND_MUNICIPAL_DIVISION);
  r.agency.set_scope(v1::AGENCY_SCOPE_INTERNAL);
  r.agency.set_formality(v1::AGENCY_FORMALITY_FORMAL);
  r.admin.set_staff_id(staff_id);
  r.admin.set_display_name(name);
  r.admin.set_profession(v1::PROFESSION_OTHER);
  r.admin.set_agency_id(agency_id);
  return r;
}

absl::StatusOr<ListenAddress> ParseListenAddress(const std::string& host_port) {
  auto bad = [&](absl::string_view why) {
    return errors::BadListenAddress(host_port, why);
  };
  ListenAddress address;
  std::string port;
  if (absl::StartsWith(host_port, "[")) {
    const size_t close = host_port.find(']');
    if (close == std::string::npos || close + 1 >= host_port.size() ||
        host_port[close + 1] != ':') {
      return bad("has no ]:PORT after the IPv6 address");
    }
    address.host = host_port.substr(1, close - 1);
    port = host_port.substr(close + 2);
    in6_addr v6;
    if (inet_pton(AF_INET6, address.host.c_str(), &v6) != 1) {
      return bad("does not hold an IPv6 literal in brackets");
    }
    address.loopback = IN6_IS_ADDR_LOOPBACK(&v6);
  } else {
    const size_t colon = host_port.rfind(':');
    if (colon == std::string::npos) return bad("has no port");
    address.host = host_port.substr(0, colon);
    port = host_port.substr(colon + 1);
    in_addr v4;
    if (address.host == "localhost") {
      address.loopback = true;
    } else if (inet_pton(AF_INET, address.host.c_str(), &v4) == 1) {
      address.loopback = (ntohl(v4.s_addr) >> 24) == 127;
    } else {
      return bad(
          "does not name an IP literal or localhost (names are not "
          "resolved)");
    }
  }
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(),
                   [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoi(port) > 65535) {
    return bad("has no port between 0 and 65535");
  }
  address.port = std::stoi(port);
  return address;
}

bool IsLoopback(const std::string& host_port) {
  auto address = ParseListenAddress(host_port);
  return address.ok() && address->loopback;
}

}  // namespace renkei::server
