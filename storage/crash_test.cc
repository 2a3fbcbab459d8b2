// Crash test: a child process appends with group commit and reports every
// acknowledged event; the parent SIGKILLs it at a random moment, reopens the
// store and checks that nothing acknowledged was lost, torn or reordered.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "storage/event_log.h"
#include "storage/test_util.h"

#ifndef RENKEI_CRASH_APPENDER
#error "RENKEI_CRASH_APPENDER must name the crash appender binary"
#endif

namespace renkei::storage {
namespace {

struct ChildRun {
  std::map<uint64_t, std::string> acknowledged;  // position -> event id
  int killed_after_ms = 0;
};

// Runs the appender, kills it after a random delay, returns what it acked.
ChildRun RunAndKill(const std::string& dir, int round, std::mt19937& rng) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    const std::string round_text = std::to_string(round);
    ::execl(RENKEI_CRASH_APPENDER, RENKEI_CRASH_APPENDER, dir.c_str(),
            round_text.c_str(), "8", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  ChildRun run;
  std::string buffer;
  std::thread reader([&] {
    char chunk[4096];
    for (;;) {
      const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
      if (n <= 0) break;
      buffer.append(chunk, static_cast<size_t>(n));
    }
  });
  run.killed_after_ms = std::uniform_int_distribution<int>(30, 400)(rng);
  std::this_thread::sleep_for(std::chrono::milliseconds(run.killed_after_ms));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  reader.join();  // the pipe closes once the child is gone
  ::close(fds[0]);
  EXPECT_TRUE(WIFSIGNALED(status))
      << "child exited early with status " << status;
  std::istringstream lines(buffer);
  uint64_t position;
  std::string id;
  while (lines >> position >> id) run.acknowledged[position] = id;
  return run;
}

TEST(CrashTest, AcknowledgedEventsSurviveSigkill) {
  testing::TempDir dir;
  const std::string path = dir.Sub("log");
  std::random_device seed;
  const unsigned int seed_value = seed();
  std::mt19937 rng(seed_value);
  RecordProperty("seed", static_cast<int>(seed_value));
  constexpr int kRounds = 20;
  uint64_t total_acked = 0;
  for (int round = 1; round <= kRounds; ++round) {
    ChildRun run = RunAndKill(path, round, rng);
    total_acked += run.acknowledged.size();

    EventLogOptions options;
    options.path = path;
    auto log = EventLog::Open(options);
    ASSERT_TRUE(log.ok()) << "round " << round << ": " << log.status();
    const uint64_t head = (*log)->Head();
    if (!run.acknowledged.empty()) {
      ASSERT_GE(head, run.acknowledged.rbegin()->first) << "round " << round;
    }
    // Every acknowledged event is present at its position, intact.
    for (const auto& [position, id] : run.acknowledged) {
      auto events = (*log)->ReadAll({position, 1, {}});
      ASSERT_TRUE(events.ok()) << events.status();
      ASSERT_EQ(events->size(), 1u) << "lost position " << position;
      EXPECT_EQ((*events)[0].event_id(), id) << "position " << position;
    }
    // The log is gapless and the chain verifies end to end.
    uint64_t expected = 1;
    for (uint64_t from = 1; from <= head; from += 5000) {
      auto page = (*log)->ReadAll({from, 5000, {}});
      ASSERT_TRUE(page.ok()) << page.status();
      for (const auto& e : *page) ASSERT_EQ(e.position(), expected++);
    }
    EXPECT_EQ(expected, head + 1);
    auto report = (*log)->VerifyChain(0, 0);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->ok)
        << "round " << round << ": position " << report->first_bad_position
        << ": " << report->reason;
  }
  RecordProperty("acknowledged", static_cast<int>(total_acked));
  EXPECT_GT(total_acked, 0u) << "the child never acknowledged anything";
}

}  // namespace
}  // namespace renkei::storage
