#include "services/server/server_options.h"

#include <CLI/CLI.hpp>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace renkei::server {

absl::StatusOr<ServerOptions> ParseServerOptions(int argc, char** argv) {
  ServerOptions o;
  CLI::App app{"renkei-server: Renkei's case-conference workflow server"};
  app.set_config("--config", "", "Config file with the same keys as the flags");
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
  app.add_option("--shutdown-grace-seconds", o.shutdown_grace_seconds,
                 "How long in-flight calls may finish on shutdown")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  app.add_flag("--rebuild-read-models", o.rebuild_read_models,
               "Rebuild the read models from the whole log before serving");
  app.add_option("--log-level", o.log_level, "trace|debug|info|warn|error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return absl::NotFoundError("");
  } catch (const CLI::ParseError& e) {
    std::ostringstream out;
    app.exit(e, out, out);
    return absl::InvalidArgumentError(out.str());
  }
  if (o.default_page_size > o.max_page_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--default-page-size (", o.default_page_size,
        ") cannot exceed --max-page-size (", o.max_page_size, ")"));
  }
  if (o.data_dir.empty()) {
    return absl::InvalidArgumentError("--data-dir must not be empty");
  }
  return o;
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return absl::NotFoundError("");
  } catch (const CLI::ParseError& e) {
    std::ostringstream out;
    app.exit(e, out, out);
    return absl::InvalidArgumentError(out.str());
  }
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

bool IsLoopback(const std::string& host_port) {
  std::string host = host_port;
  if (absl::StartsWith(host, "[")) {
    host = host.substr(1, host.find(']') - 1);
  } else if (auto colon = host.rfind(':'); colon != std::string::npos) {
    host = host.substr(0, colon);
  }
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

}  // namespace renkei::server
