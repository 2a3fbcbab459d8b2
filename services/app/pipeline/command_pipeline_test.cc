#include "services/app/pipeline/command_pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "storage/test_util.h"

namespace renkei::app {
namespace {

class CommandPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::EventLogOptions options;
    options.path = dir_.Sub("log");
    auto log = storage::EventLog::Open(options);
    ASSERT_TRUE(log.ok());
    log_ = std::move(*log);
    pipeline_ = std::make_unique<CommandPipeline>(log_.get());
  }

  // A command on `stream` that decides one event against the stream's head.
  // `body` stands for the rest of the request the caller sent.
  CommandRequest Command(const std::string& stream, const std::string& key,
                         const std::string& body = "") {
    CommandRequest r;
    r.stream_id = stream;
    r.caller.staff_id = "staff-1";
    r.caller.agency_id = "agency-1";
    r.caller.request_id = "req-1";
    r.options.set_idempotency_key(key);
    v1::CommandOptions request = r.options;
    request.set_correlation_id(absl::StrCat(stream, "/", body));
    r.fingerprint = CommandPipeline::RequestFingerprint("Test", request);
    r.decide = [this, stream]() -> absl::StatusOr<Decision> {
      ++decisions_;
      auto head = log_->GetStreamHead(stream);
      if (!head.ok()) return head.status();
      Decision d;
      d.base_version = head->version;
      v1::ProposedEvent e;
      e.set_event_type("test.Done");
      d.events.push_back(e);
      return d;
    };
    return r;
  }

  absl::StatusOr<v1::CommandReply> Run(CommandRequest r) {
    std::promise<absl::StatusOr<v1::CommandReply>> p;
    pipeline_->Run(std::move(r), [&p](absl::StatusOr<v1::CommandReply> reply) {
      p.set_value(std::move(reply));
    });
    return p.get_future().get();
  }

  storage::testing::TempDir dir_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<CommandPipeline> pipeline_;
  std::atomic<int> decisions_{0};
};

TEST_F(CommandPipelineTest, AppendsAndRepliesWithVersionAndPositions) {
  auto first = Run(Command("case-1", "k1"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->stream_id(), "case-1");
  EXPECT_EQ(first->stream_version(), 1u);
  EXPECT_EQ(first->first_position(), 1u);
  EXPECT_FALSE(first->duplicate());
  auto second = Run(Command("case-1", "k2"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->stream_version(), 2u);
  auto events = log_->ReadAll({});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].event_id(),
            CommandPipeline::DeriveEventId("staff-1/k1", 0));
  EXPECT_EQ((*events)[0].correlation_id(), "req-1");
}

TEST_F(CommandPipelineTest,
       TheCommittedHookRunsOnceWithTheRecordedTimeBeforeTheStreamsNextCommand) {
  // Each command notes when its hook ran and what its decision saw; the
  // second one, queued behind the first on the same stream, must see the
  // first's hook already run.
  std::atomic<int> hooks{0};
  std::vector<int> seen_at_decision;
  std::vector<std::string> recorded;
  absl::Mutex mu;
  auto command = [&](const std::string& key) {
    CommandRequest r = Command("case-1", key);
    auto decide = r.decide;
    r.decide = [&, decide]() -> absl::StatusOr<Decision> {
      {
        absl::MutexLock lock(&mu);
        seen_at_decision.push_back(hooks.load());
      }
      auto d = decide();
      if (!d.ok()) return d;
      d->committed = [&](const google::protobuf::Timestamp& at) {
        absl::MutexLock lock(&mu);
        recorded.push_back(at.DebugString());
        ++hooks;
      };
      return d;
    };
    return r;
  };
  std::promise<void> both;
  std::atomic<int> left{2};
  for (const char* key : {"k1", "k2"}) {
    pipeline_->Run(command(key), [&](absl::StatusOr<v1::CommandReply> reply) {
      EXPECT_TRUE(reply.ok()) << reply.status();
      if (--left == 0) both.set_value();
    });
  }
  both.get_future().wait();
  EXPECT_EQ(hooks, 2);
  EXPECT_EQ(seen_at_decision, (std::vector<int>{0, 1}));
  auto events = log_->ReadAll({});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0], (*events)[0].recorded_at().DebugString());
  EXPECT_EQ(recorded[1], (*events)[1].recorded_at().DebugString());

  // A retry answered from the idempotency record runs no hook.
  auto retry = Run(command("k1"));
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate());
  EXPECT_EQ(hooks, 2);
}

TEST_F(CommandPipelineTest,
       DestroyingThePipelineAnswersEveryAcceptedCommandFirst) {
  // Commands on a few streams, several queued behind each other and some
  // still in the log's queue when the pipeline goes: each is answered
  // exactly once, before the destructor returns, and none after.
  constexpr int kCommands = 64;
  std::atomic<int> answered{0}, ok{0}, twice{0};
  std::vector<std::atomic<int>> calls(kCommands);
  for (int i = 0; i < kCommands; ++i) {
    pipeline_->Run(Command(absl::StrCat("case-", i % 4), absl::StrCat("k", i)),
                   [&, i](absl::StatusOr<v1::CommandReply> reply) {
                     if (++calls[i] > 1) ++twice;
                     if (reply.ok()) ++ok;
                     ++answered;
                   });
  }
  pipeline_.reset();
  EXPECT_EQ(answered, kCommands);
  EXPECT_EQ(twice, 0);
  EXPECT_EQ(ok, kCommands) << "an accepted command was dropped";
  EXPECT_EQ(log_->Head(), static_cast<uint64_t>(kCommands));
}

TEST_F(CommandPipelineTest, ACommandAfterShutdownBeganIsRefusedNotWritten) {
  // A command keeps one worker deciding while the pipeline is destroyed on
  // another thread: the destructor waits for it, and a command sent once
  // the destruction began is refused, with nothing written.
  absl::Notification deciding, release;
  CommandRequest slow = Command("case-1", "slow");
  auto decide = slow.decide;
  slow.decide = [&, decide]() -> absl::StatusOr<Decision> {
    deciding.Notify();
    release.WaitForNotification();
    return decide();
  };
  std::atomic<bool> slow_ok{false};
  pipeline_->Run(std::move(slow),
                 [&](absl::StatusOr<v1::CommandReply> r) { slow_ok = r.ok(); });
  deciding.WaitForNotification();
  CommandPipeline* pipeline = pipeline_.get();  // alive until `release`
  std::thread destroyer([this] { pipeline_.reset(); });
  struct Answer {
    std::atomic<bool> called{false};
    absl::Status status;
  };
  std::atomic<int> accepted_ok{0};
  absl::Status refused;
  std::string refused_key;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  for (int i = 0; refused.ok() && absl::Now() < deadline; ++i) {
    auto answer = std::make_shared<Answer>();
    const std::string key = absl::StrCat("late-", i);
    pipeline->Run(Command("case-2", key),
                  [answer, &accepted_ok](absl::StatusOr<v1::CommandReply> r) {
                    answer->status = r.status();
                    answer->called = true;
                    if (r.ok()) ++accepted_ok;
                  });
    // A refusal is answered before Run returns; an accepted command later.
    if (answer->called && !answer->status.ok()) {
      refused = answer->status;
      refused_key = key;
    }
  }
  release.Notify();
  destroyer.join();
  EXPECT_TRUE(slow_ok);
  ASSERT_FALSE(refused.ok()) << "no command was refused once shutdown began";
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable);
  auto written = log_->FindAppend(absl::StrCat("staff-1/", refused_key));
  ASSERT_TRUE(written.ok());
  EXPECT_FALSE(written->has_value()) << "a refused command was written";
  // Every accepted command was written and answered before the destructor
  // returned.
  EXPECT_EQ(log_->Head(), static_cast<uint64_t>(accepted_ok + 1));
}

TEST_F(CommandPipelineTest, ARetryReturnsTheOriginalReplyWithoutDecidingAgain) {
  auto first = Run(Command("case-1", "k1"));
  ASSERT_TRUE(first.ok());
  Run(Command("case-1", "k2")).IgnoreError();
  const int decided = decisions_;
  auto retry = Run(Command("case-1", "k1"));
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate());
  EXPECT_EQ(retry->stream_version(), first->stream_version());
  EXPECT_EQ(retry->first_position(), first->first_position());
  EXPECT_EQ(decisions_, decided);
  EXPECT_EQ(log_->Head(), 2u);
}

TEST_F(CommandPipelineTest, AKeyReusedForAnotherCommandIsRefusedNotAnswered) {
  auto first = Run(Command("case-1", "k1", "entry A"));
  ASSERT_TRUE(first.ok());
  const int decided = decisions_;

  // Same key, same stream, other content: not a retry.
  auto other_content = Run(Command("case-1", "k1", "entry B"));
  EXPECT_EQ(other_content.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(other_content.status().message().find("idempotency key 'k1'"),
            std::string::npos);
  // Same key on another stream: not a retry either.
  auto other_stream = Run(Command("case-2", "k1", "entry A"));
  EXPECT_EQ(other_stream.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(decisions_, decided);
  EXPECT_EQ(log_->Head(), 1u);

  // The very same request is still answered as the retry it is.
  auto retry = Run(Command("case-1", "k1", "entry A"));
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate());
  EXPECT_EQ(retry->first_position(), first->first_position());
}

TEST_F(CommandPipelineTest, AFingerprintDistinguishesMethodAndRequestBytes) {
  v1::CommandOptions a;
  a.set_idempotency_key("k");
  v1::CommandOptions b = a;
  b.set_correlation_id("x");
  EXPECT_EQ(CommandPipeline::RequestFingerprint("M", a).size(), 32u);
  EXPECT_EQ(CommandPipeline::RequestFingerprint("M", a),
            CommandPipeline::RequestFingerprint("M", a));
  EXPECT_NE(CommandPipeline::RequestFingerprint("M", a),
            CommandPipeline::RequestFingerprint("N", a));
  EXPECT_NE(CommandPipeline::RequestFingerprint("M", a),
            CommandPipeline::RequestFingerprint("M", b));
}

TEST_F(CommandPipelineTest, KeysAreScopedToTheCaller) {
  ASSERT_TRUE(Run(Command("case-1", "k1")).ok());
  CommandRequest other = Command("case-1", "k1");
  other.caller.staff_id = "staff-2";
  auto reply = Run(std::move(other));
  ASSERT_TRUE(reply.ok());
  EXPECT_FALSE(reply->duplicate());
  EXPECT_EQ(reply->stream_version(), 2u);
}

TEST_F(CommandPipelineTest, OptionsAreValidated) {
  EXPECT_EQ(Run(Command("case-1", "")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Run(Command("case-1", "bad\nkey")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log_->Head(), 0u);
}

TEST_F(CommandPipelineTest, AnExpectedVersionMismatchIsAborted) {
  ASSERT_TRUE(Run(Command("case-1", "k1")).ok());
  CommandRequest stale = Command("case-1", "k2");
  stale.options.set_expected_version(0);
  auto reply = Run(std::move(stale));
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kAborted);
  EXPECT_NE(reply.status().message().find("current version is 1"),
            std::string::npos);
  CommandRequest current = Command("case-1", "k3");
  current.options.set_expected_version(1);
  EXPECT_TRUE(Run(std::move(current)).ok());
}

TEST_F(CommandPipelineTest, DecisionErrorsPassThroughAndWriteNothing) {
  CommandRequest r = Command("case-1", "k1");
  r.decide = []() -> absl::StatusOr<Decision> {
    return absl::FailedPreconditionError("case is closed");
  };
  auto reply = Run(std::move(r));
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(log_->Head(), 0u);
}

TEST_F(CommandPipelineTest, ConcurrentCommandsOnOneStreamAreRedecided) {
  constexpr int kThreads = 4;
  constexpr int kEach = 20;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto reply = Run(Command("shared", absl::StrCat("t", t, "-", i)));
        if (!reply.ok()) {
          ++failures;
          ADD_FAILURE() << reply.status();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto head = log_->GetStreamHead("shared");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->version, static_cast<uint64_t>(kThreads * kEach));
}

// A writer outside the pipeline (another process on a shared log, say)
// appends to the stream after `decide` read its head, `times` times: each
// time the pipeline's append is stale.
CommandRequest WithConcurrentWriter(CommandRequest r, storage::EventLog* log,
                                    int times, std::atomic<int>* written) {
  auto decide = r.decide;
  r.decide = [decide, log, times, written]() -> absl::StatusOr<Decision> {
    auto d = decide();
    if (d.ok() && written->load() < times) {
      storage::AppendRequest other;
      other.stream_id = "case-1";
      other.events.push_back(storage::testing::TestEvent(
          storage::testing::TestUuid(1000 + written->load())));
      auto appended = log->Append(std::move(other));
      if (!appended.ok()) return appended.status();
      ++*written;
    }
    return d;
  };
  return r;
}

TEST_F(CommandPipelineTest, AStaleAppendIsDecidedAgainOnTheNewHead) {
  std::atomic<int> written{0};
  auto reply = Run(
      WithConcurrentWriter(Command("case-1", "k1"), log_.get(), 2, &written));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(written.load(), 2);
  EXPECT_EQ(decisions_.load(), 3);  // twice stale, then appended
  // The command's event comes after the other writer's two.
  EXPECT_EQ(reply->stream_version(), 3u);
  auto events = log_->ReadAll({});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[2].event_type(), "test.Done");
  EXPECT_EQ((*events)[2].event_id(),
            CommandPipeline::DeriveEventId("staff-1/k1", 0));
}

TEST_F(CommandPipelineTest, AStreamThatKeepsMovingIsAbortedAfterEightTries) {
  std::atomic<int> written{0};
  auto reply = Run(WithConcurrentWriter(Command("case-1", "k1"), log_.get(),
                                        1000, &written));
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kAborted)
      << reply.status();
  EXPECT_EQ(decisions_.load(), 8);
  // Only the other writer's events: the command wrote nothing.
  auto events = log_->ReadAll({});
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 8u);
  for (const auto& e : *events) EXPECT_NE(e.event_type(), "test.Done");
}

TEST_F(CommandPipelineTest, AStaleAppendWithAnExpectedVersionIsNotRedecided) {
  std::atomic<int> written{0};
  CommandRequest r = Command("case-1", "k1");
  r.options.set_expected_version(0);
  auto reply = Run(WithConcurrentWriter(std::move(r), log_.get(), 1, &written));
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kAborted)
      << reply.status();
  EXPECT_EQ(decisions_.load(), 1);
  EXPECT_EQ(log_->Head(), 1u);  // the other writer's event alone
}

}  // namespace
}  // namespace renkei::app
