// renkei: the command-line client of renkei-server.
#include <signal.h>

#include <atomic>
#include <string>
#include <vector>

#include "clients/cli/cli_app.h"

namespace {

std::atomic<bool> stop_requested{false};

void OnInterrupt(int) { stop_requested.store(true); }

}  // namespace

int main(int argc, char** argv) {
  struct sigaction action = {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  std::vector<std::string> args(argv, argv + argc);
  return renkei::cli::RunCli(args,
                             renkei::cli::DefaultEnvironment(&stop_requested));
}
