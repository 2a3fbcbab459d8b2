// The renkei command line: global flags, one subcommand per RPC of every
// compiled-in service, the audit shortcuts (replay, verify, tail) and the
// demo. Everything it touches outside the process comes in through
// CliEnvironment, so tests run it against a fake transport.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clients/cli/transport.h"

namespace renkei::cli {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitServerError = 1;  // the call failed
inline constexpr int kExitUsage = 2;        // bad flags or request
inline constexpr int kExitChainBroken = 3;  // audit verify found a bad event

inline constexpr char kDefaultServer[] = "127.0.0.1:50051";

struct CliEnvironment {
  // Opens a transport to HOST:PORT.
  std::function<std::unique_ptr<Transport>(const std::string&)> connect;
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::function<std::string()> new_id;  // idempotency keys, request ids
  // Reads a secret (a password) after showing `prompt`; nullopt when there
  // is none. May be empty: no way to ask.
  std::function<std::optional<std::string>(const std::string& prompt)>
      read_secret;
  std::function<absl::Time()> now;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // Set (e.g. by SIGINT) to end a streaming command.
  const std::atomic<bool>* stop = nullptr;
};

// The real thing: gRPC, the process environment, random UUIDs, the clock,
// stdout and stderr.
CliEnvironment DefaultEnvironment(const std::atomic<bool>* stop);

// Runs one command line (args[0] is the program name); returns the exit code.
int RunCli(const std::vector<std::string>& args, const CliEnvironment& env);

}  // namespace renkei::cli
