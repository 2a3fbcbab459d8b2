// renkei-server: serves Renkei's gRPC API on an embedded RocksDB store.
#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "services/privacy/data_key_store.h"
#include "services/privacy/key_encryption_key.h"
#include "services/server/backup.h"
#include "services/server/errors.h"
#include "services/server/health_probe.h"
#include "services/server/key_setup.h"
#include "services/server/log_format.h"
#include "services/server/renkei_server.h"
#include "services/server/server_options.h"

// `renkei-server init-admin`: the first administrator, offline.
int InitAdmin(int argc, char** argv) {
  auto request = renkei::server::ParseInitAdmin(argc, argv);
  if (!request.ok()) {
    if (renkei::server::errors::IsHelpShown(request.status())) return 0;
    std::fprintf(stderr, "%s\n",
                 std::string(request.status().message()).c_str());
    return 2;
  }
  // The password file is claimed before anything is written, so that a
  // generated password is never lost to a file that cannot be written.
  int fd = -1;
  const std::string& path = request->generate_password_file;
  if (!path.empty()) {
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
      std::fprintf(stderr,
                   "init-admin: cannot create '%s' (it exists, or the "
                   "directory is not writable); nothing written\n",
                   path.c_str());
      return 1;
    }
  }
  auto created = renkei::server::BootstrapAdministrator(*request);
  if (!created.ok() || !*created) {
    if (fd >= 0) {
      ::close(fd);
      ::unlink(path.c_str());
    }
  }
  if (!created.ok()) {
    std::fprintf(stderr, "init-admin: %s\n",
                 created.status().ToString().c_str());
    return 1;
  }
  std::printf(*created ? "init-admin: administrator '%s' of agency '%s' "
                         "created in %s\n"
                       : "init-admin: %s/%s: the directory in %s already has "
                         "an administrator; nothing written\n",
              request->admin.staff_id().c_str(),
              request->agency.agency_id().c_str(), request->data_dir.c_str());
  if (*created && fd >= 0) {
    const std::string line = request->password + "\n";
    const bool written = ::write(fd, line.data(), line.size()) ==
                             static_cast<ssize_t>(line.size()) &&
                         ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
      std::fprintf(stderr,
                   "init-admin: cannot write the password to '%s'; the "
                   "administrator exists without a known password: remove "
                   "the data directory and run again\n",
                   path.c_str());
      return 1;
    }
    std::printf("init-admin: the administrator's password is in %s\n",
                path.c_str());
  }
  return 0;
}

int Restore(int argc, char** argv) {
  renkei::server::RestoreRequest request;
  CLI::App app{
      "renkei-server restore: restores a backup (AdminService.Backup, "
      "`renkei admin backup`) into a new data directory, verifying every file, "
      "the whole hash chain and the head against the backup's manifest; read "
      "models are rebuilt at the first start"};
  app.add_option("--backup-dir", request.backup_dir, "The backup directory")
      ->required();
  app.add_option("--backup-id", request.backup_id,
                 "Which backup (default: the latest)");
  app.add_option("--data-dir", request.data_dir,
                 "The new data directory (must not exist or be empty)")
      ->required();
  app.add_option("--to-position", request.to_position,
                 "Point in time: keep events up to this position only");
  std::string kek_file;
  app.add_option("--key-encryption-key-file", kek_file,
                 "The key the data keys are wrapped with (default: "
                 "RENKEI_KEY_ENCRYPTION_KEY): every sealed event is then "
                 "opened to verify the restored keys");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (!kek_file.empty() ||
      std::getenv(renkei::privacy::kKeyEncryptionKeyEnv) != nullptr) {
    auto kek = renkei::server::LoadKeyEncryptionKey("", kek_file, "");
    if (!kek.ok()) {
      std::fprintf(stderr, "restore: %s\n",
                   std::string(kek.status().message()).c_str());
      return 1;
    }
    request.kek = std::move(*kek);
  } else {
    std::fprintf(stderr,
                 "restore: no key-encryption key given; the data keys are "
                 "restored but not opened\n");
  }
  auto restored = renkei::server::RestoreDataDir(request);
  if (!restored.ok()) {
    std::fprintf(stderr, "restore: %s\n", restored.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "restore: backup %u verified and restored into %s: %llu events, chain "
      "intact, head as in the manifest (or the position asked for)\n",
      restored->backup_id, request.data_dir.c_str(),
      static_cast<unsigned long long>(restored->position));
  return 0;
}

// `renkei-server generate-key FILE`: a new key-encryption key.
int GenerateKey(int argc, char** argv) {
  std::string file;
  CLI::App app{
      "renkei-server generate-key: writes a new random key-encryption key "
      "(64 hex digits, mode 0600) to FILE, which must not exist; keep it "
      "outside the data directory and its backups"};
  app.add_option("file", file, "Where to write it")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (absl::Status s = renkei::privacy::GenerateKeyEncryptionKeyFile(file);
      !s.ok()) {
    std::fprintf(stderr, "generate-key: %s\n",
                 std::string(s.message()).c_str());
    return 1;
  }
  std::printf("generate-key: a new key-encryption key is in %s\n",
              file.c_str());
  return 0;
}

// `renkei-server rotate-key`: re-wraps the data keys with a new
// key-encryption key (the server stopped).
int RotateKey(int argc, char** argv) {
  std::string data_dir, old_file, new_file;
  CLI::App app{
      "renkei-server rotate-key: re-wraps every data key of a stopped "
      "server's data directory with a new key-encryption key; events are "
      "not rewritten. Start the server with the new key afterwards"};
  app.add_option("--data-dir", data_dir, "The data directory")->required();
  app.add_option("--key-encryption-key-file", old_file,
                 "The key in use (default: RENKEI_KEY_ENCRYPTION_KEY)");
  app.add_option("--new-key-encryption-key-file", new_file,
                 "The new key (renkei-server generate-key FILE)")
      ->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  auto old_kek = renkei::server::LoadKeyEncryptionKey("", old_file, data_dir);
  auto new_kek = renkei::privacy::ReadKeyEncryptionKeyFile(new_file, data_dir);
  absl::Status status = old_kek.status();
  if (status.ok()) status = new_kek.status();
  std::unique_ptr<renkei::privacy::DataKeyStore> store;
  if (status.ok()) {
    auto opened = renkei::privacy::DataKeyStore::Open(
        (std::filesystem::path(data_dir) / renkei::server::kDataKeysDir)
            .string(),
        std::move(*old_kek), nullptr);
    status = opened.status();
    if (opened.ok()) store = std::move(*opened);
  }
  if (status.ok()) status = store->Rotate(std::move(*new_kek));
  if (!status.ok()) {
    std::fprintf(stderr, "rotate-key: %s\n",
                 std::string(status.message()).c_str());
    return 1;
  }
  std::printf(
      "rotate-key: the data keys of %s are wrapped with the new key "
      "(version %u); start the server with it\n",
      data_dir.c_str(), store->kek_version());
  return 0;
}

// `renkei-server --check-config FILE [flags]`: validates the config file
// (and flags) and prints the effective settings.
int CheckConfig(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: renkei-server --check-config FILE [flags]\n");
    return 2;
  }
  std::vector<char*> args = {argv[0], const_cast<char*>("--config"), argv[2]};
  for (int i = 3; i < argc; ++i) args.push_back(argv[i]);
  std::string effective;
  auto options = renkei::server::ParseServerOptions(
      static_cast<int>(args.size()), args.data(), &effective);
  absl::Status status = options.status();
  if (status.ok()) status = renkei::server::CheckServerOptions(*options);
  if (!status.ok()) {
    std::fprintf(stderr, "renkei-server: %s is not valid: %s\n", argv[2],
                 std::string(status.message()).c_str());
    return 2;
  }
  std::printf("# %s is valid; the settings in force:\n%s", argv[2],
              effective.c_str());
  return 0;
}

// `renkei-server probe`: exit 0 when the server's service is SERVING.
int ProbeCommand(int argc, char** argv) {
  renkei::server::ProbeRequest request;
  double timeout_seconds = 5;
  CLI::App app{
      "renkei-server probe: asks a running server's gRPC health service; exit "
      "0 when SERVING (for container probes)"};
  app.add_option("--target", request.target, "HOST:PORT")
      ->capture_default_str();
  app.add_option("--tls-ca-file", request.ca_file,
                 "The server's CA bundle (TLS); plaintext when not given");
  app.add_option("--service", request.service,
                 "renkei.ready (readiness) or \"\" (liveness)")
      ->capture_default_str();
  app.add_option("--timeout", timeout_seconds, "Seconds")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  request.timeout = absl::Seconds(timeout_seconds);
  absl::Status status = renkei::server::Probe(request);
  if (!status.ok()) {
    std::fprintf(stderr, "probe: %s\n", std::string(status.message()).c_str());
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "probe") {
    return ProbeCommand(argc - 1, argv + 1);
  }
  if (argc > 1 && std::string(argv[1]) == "--check-config") {
    return CheckConfig(argc, argv);
  }
  if (argc > 1 && std::string(argv[1]) == "init-admin") {
    return InitAdmin(argc - 1, argv + 1);
  }
  if (argc > 1 && std::string(argv[1]) == "restore") {
    return Restore(argc - 1, argv + 1);
  }
  if (argc > 1 && std::string(argv[1]) == "generate-key") {
    return GenerateKey(argc - 1, argv + 1);
  }
  if (argc > 1 && std::string(argv[1]) == "rotate-key") {
    return RotateKey(argc - 1, argv + 1);
  }
  auto options = renkei::server::ParseServerOptions(argc, argv);
  if (!options.ok()) {
    if (renkei::server::errors::IsHelpShown(options.status())) return 0;
    std::fprintf(stderr, "%s\n",
                 std::string(options.status().message()).c_str());
    return 2;
  }
  spdlog::set_level(spdlog::level::from_str(options->log_level));
  spdlog::set_formatter(renkei::server::LogFormatter(options->log_format));

  // Block the stop signals before any thread starts, then wait for them here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto server = renkei::server::RenkeiServer::Start(*options);
  if (!server.ok()) {
    spdlog::error("cannot start: {}", server.status().ToString());
    return 1;
  }
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("received signal {}; shutting down gracefully", signal_number);
  (*server)->Shutdown();
  return 0;
}
