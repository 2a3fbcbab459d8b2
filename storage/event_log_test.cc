#include "storage/event_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "rocksdb/db.h"
#include "storage/chain.h"
#include "storage/layout.h"
#include "storage/test_util.h"

namespace renkei::storage {
namespace {

using ::renkei::storage::testing::TempDir;
using ::renkei::storage::testing::TestEvent;
using ::renkei::storage::testing::TestUuid;
using ::testing::HasSubstr;

class EventLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    log_.reset();
    EventLogOptions options;
    options.path = dir_.Sub("log");
    options.max_payload_bytes = max_payload_;
    if (clock_) options.clock = clock_;
    auto log = EventLog::Open(options);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
  }

  AppendRequest Request(const std::string& stream, std::vector<int> ids,
                        ExpectedVersion expected = ExpectedVersion::Any(),
                        const std::string& type = "test.Happened") {
    AppendRequest r;
    r.stream_id = stream;
    r.expected_version = expected;
    for (int id : ids) r.events.push_back(TestEvent(TestUuid(id), type));
    return r;
  }

  AppendResult MustAppend(AppendRequest r) {
    auto result = log_->Append(std::move(r));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : AppendResult{};
  }

  TempDir dir_;
  size_t max_payload_ = 1 << 20;
  std::function<absl::Time()> clock_;
  std::unique_ptr<EventLog> log_;
};

TEST_F(EventLogTest, AppendAssignsPositionsVersionsAndChain) {
  AppendResult a = MustAppend(Request("case-1", {1, 2}));
  AppendResult b = MustAppend(Request("case-2", {3}));
  AppendResult c = MustAppend(Request("case-1", {4}));
  EXPECT_EQ(a.first_position, 1u);
  EXPECT_EQ(a.last_position, 2u);
  EXPECT_EQ(a.stream_version, 2u);
  EXPECT_EQ(b.first_position, 3u);
  EXPECT_EQ(b.stream_version, 1u);
  EXPECT_EQ(c.first_position, 4u);
  EXPECT_EQ(c.stream_version, 3u);
  EXPECT_EQ(log_->Head(), 4u);

  auto all = log_->ReadAll({});
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 4u);
  std::string prev = ZeroHash();
  for (size_t i = 0; i < all->size(); ++i) {
    const auto& e = (*all)[i];
    EXPECT_EQ(e.position(), i + 1);
    EXPECT_EQ(e.event_id(), TestUuid(i + 1));
    EXPECT_EQ(e.prev_hash(), prev);
    EXPECT_EQ(e.hash(), ChainHash(prev, e));
    EXPECT_EQ(e.actor().staff_id(), "staff-1");
    // occurred_at defaults to the commit time when the writer gave none.
    EXPECT_EQ(e.occurred_at().seconds(), e.recorded_at().seconds());
    prev = e.hash();
  }
  EXPECT_EQ(log_->HeadHash(), prev);
  EXPECT_EQ((*all)[3].stream_id(), "case-1");
  EXPECT_EQ((*all)[3].stream_version(), 3u);
}

TEST_F(EventLogTest, OccurredAtIsKeptAsGiven) {
  AppendRequest r = Request("case-1", {1});
  r.events[0].mutable_occurred_at()->set_seconds(1700000000);
  MustAppend(r);
  auto all = log_->ReadAll({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)[0].occurred_at().seconds(), 1700000000);
  EXPECT_GT((*all)[0].recorded_at().seconds(), 1700000000);
}

TEST_F(EventLogTest, RecordedAtNeverDecreasesWhenTheClockGoesBack) {
  std::atomic<int64_t> now{2000000000};
  clock_ = [&now] { return absl::FromUnixSeconds(now.load()); };
  Reopen();
  MustAppend(Request("s", {1}));
  now = 1000000000;  // the clock jumps back
  MustAppend(Request("s", {2}));
  auto all = log_->ReadAll({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)[0].recorded_at().seconds(), 2000000000);
  EXPECT_EQ((*all)[1].recorded_at().seconds(), 2000000000);
  // Also across a restart: the tip's time is durable.
  Reopen();
  MustAppend(Request("s", {3}));
  all = log_->ReadAll({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)[2].recorded_at().seconds(), 2000000000);
}

TEST_F(EventLogTest, ExpectedVersionConflictsCarryTheActualVersion) {
  MustAppend(Request("s", {1, 2}, ExpectedVersion::NoStream()));

  auto again = log_->Append(Request("s", {3}, ExpectedVersion::NoStream()));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(again.status().message(), HasSubstr("current version is 2"));
  EXPECT_EQ(ActualVersionFromStatus(again.status()), 2u);

  auto stale = log_->Append(Request("s", {3}, ExpectedVersion::Exact(1)));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ActualVersionFromStatus(stale.status()), 2u);

  auto beyond = log_->Append(Request("s", {3}, ExpectedVersion::Exact(9)));
  EXPECT_EQ(beyond.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ActualVersionFromStatus(beyond.status()), 2u);

  auto missing = log_->Append(Request("t", {3}, ExpectedVersion::Exact(1)));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ActualVersionFromStatus(missing.status()), 0u);
  EXPECT_THAT(missing.status().message(), HasSubstr("does not exist"));

  EXPECT_EQ(log_->Head(), 2u);  // nothing written by the failures
  AppendResult ok = MustAppend(Request("s", {3}, ExpectedVersion::Exact(2)));
  EXPECT_EQ(ok.stream_version, 3u);
}

TEST_F(EventLogTest, BadInputIsRejectedAndNothingIsWritten) {
  max_payload_ = 64;
  Reopen();
  MustAppend(Request("s", {1}));
  const std::string head_hash = log_->HeadHash();

  struct Case {
    std::string name;
    std::function<void(AppendRequest&)> mutate;
    std::string message;
  };
  std::vector<Case> cases = {
      {"empty stream", [](AppendRequest& r) { r.stream_id = ""; }, "empty"},
      {"long stream",
       [](AppendRequest& r) { r.stream_id = std::string(257, 'x'); },
       "257 bytes"},
      {"control char", [](AppendRequest& r) { r.stream_id = "case\n1"; },
       "control character"},
      {"bad utf8", [](AppendRequest& r) { r.stream_id = "case\xff"; }, "UTF-8"},
      {"no type", [](AppendRequest& r) { r.events[0].clear_event_type(); },
       "no event type"},
      {"big payload",
       [](AppendRequest& r) {
         r.events[0].mutable_payload()->set_value(std::string(100, 'x'));
       },
       "limit is 64 bytes"},
      {"bad uuid",
       [](AppendRequest& r) { r.events[0].set_event_id("not-a-uuid"); },
       "not a UUID"},
      {"no events", [](AppendRequest& r) { r.events.clear(); }, "at least one"},
      {"duplicate id in request",
       [](AppendRequest& r) { r.events.push_back(r.events[0]); }, "twice"},
  };
  for (const auto& c : cases) {
    AppendRequest r = Request("s", {50});
    c.mutate(r);
    auto result = log_->Append(r);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
        << c.name;
    EXPECT_THAT(result.status().message(), HasSubstr(c.message)) << c.name;
  }
  EXPECT_EQ(log_->Head(), 1u);
  EXPECT_EQ(log_->HeadHash(), head_hash);
  auto verified = log_->VerifyChain(0, 0);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok);
}

TEST_F(EventLogTest, AnAppendIsAtomic) {
  MustAppend(Request("s", {7}));
  // The second event reuses an id already in the log: the whole call fails.
  auto r = log_->Append(Request("s", {8, 7, 9}));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(r.status().message(), HasSubstr("position 1"));
  EXPECT_EQ(log_->Head(), 1u);
  auto head = log_->GetStreamHead("s");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->version, 1u);
  // Event 8 was not written, so its id is still free.
  EXPECT_EQ(MustAppend(Request("s", {8})).first_position, 2u);
}

TEST_F(EventLogTest, IdempotentRetryReturnsTheOriginalResult) {
  AppendRequest r = Request("s", {1, 2}, ExpectedVersion::NoStream());
  r.idempotency_key = "cmd-1";
  AppendResult first = MustAppend(r);
  AppendResult retry = MustAppend(r);
  EXPECT_FALSE(first.duplicate);
  EXPECT_TRUE(retry.duplicate);
  EXPECT_EQ(retry.first_position, first.first_position);
  EXPECT_EQ(retry.last_position, first.last_position);
  EXPECT_EQ(retry.stream_version, first.stream_version);
  EXPECT_EQ(log_->Head(), 2u);

  // Same key, different content: refused, and it says so.
  AppendRequest other = Request("s", {3});
  other.idempotency_key = "cmd-1";
  auto conflict = log_->Append(other);
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(conflict.status().message(),
              HasSubstr("idempotency key 'cmd-1' was already used"));

  auto found = log_->FindAppend("cmd-1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->result.first_position, 1u);
  EXPECT_EQ((*found)->result.stream_version, 2u);
  EXPECT_TRUE((*found)->result.duplicate);
  EXPECT_EQ((*found)->request_digest.size(), 32u);
  auto unknown = log_->FindAppend("cmd-unknown");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());

  // Survives a restart.
  Reopen();
  found = log_->FindAppend("cmd-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->result.last_position, 2u);
  AppendResult after = MustAppend(r);
  EXPECT_TRUE(after.duplicate);
  EXPECT_EQ(after.first_position, 1u);
  EXPECT_EQ(log_->Head(), 2u);
  EXPECT_EQ(log_->Append(other).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(EventLogTest, AGivenRequestDigestTellsARetryFromAReusedKey) {
  // The caller decides anew on a retry, so the events differ in bytes; the
  // request digest it passes is what identifies the append.
  const std::string digest_a = Sha256("request a");
  AppendRequest first = Request("s", {1}, ExpectedVersion::NoStream());
  first.idempotency_key = "cmd-d";
  first.request_digest = digest_a;
  EXPECT_FALSE(MustAppend(first).duplicate);

  AppendRequest redecided = Request("s", {2});
  redecided.idempotency_key = "cmd-d";
  redecided.request_digest = digest_a;
  AppendResult retry = MustAppend(redecided);
  EXPECT_TRUE(retry.duplicate);
  EXPECT_EQ(retry.first_position, 1u);

  AppendRequest reused = Request("s", {1});
  reused.idempotency_key = "cmd-d";
  reused.request_digest = Sha256("request b");
  EXPECT_EQ(log_->Append(reused).status().code(),
            absl::StatusCode::kAlreadyExists);
  auto found = log_->FindAppend("cmd-d");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->request_digest, digest_a);
  EXPECT_EQ(log_->Head(), 1u);

  AppendRequest malformed = Request("s", {3});
  malformed.request_digest = "short";
  EXPECT_EQ(log_->Append(malformed).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(EventLogTest, WithoutAKeyTheEventIdsIdentifyTheAppend) {
  AppendResult first = MustAppend(Request("s", {1}));
  AppendResult retry = MustAppend(Request("s", {1}));
  EXPECT_TRUE(retry.duplicate);
  EXPECT_EQ(retry.first_position, first.first_position);
  // Same event id with different content is not a retry.
  AppendRequest changed =
      Request("s", {1}, ExpectedVersion::Any(), "other.Type");
  EXPECT_EQ(log_->Append(changed).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(log_->Head(), 1u);
}

TEST_F(EventLogTest, ReadsStreamsForwardBackwardAndByType) {
  MustAppend(Request("a", {1, 2}, ExpectedVersion::Any(), "t.One"));
  MustAppend(Request("b", {3}, ExpectedVersion::Any(), "t.Two"));
  MustAppend(Request("a", {4, 5}, ExpectedVersion::Any(), "t.Two"));
  MustAppend(Request("ab", {6}, ExpectedVersion::Any(), "t.One"));

  auto versions = [](const std::vector<v1::EventEnvelope>& events) {
    std::vector<uint64_t> out;
    for (const auto& e : events) out.push_back(e.stream_version());
    return out;
  };
  auto fwd = log_->ReadStream({"a", 0, Direction::kForward, 100, {}});
  ASSERT_TRUE(fwd.ok());
  EXPECT_THAT(versions(*fwd), ::testing::ElementsAre(1, 2, 3, 4));
  auto from3 = log_->ReadStream({"a", 3, Direction::kForward, 1, {}});
  ASSERT_TRUE(from3.ok());
  EXPECT_THAT(versions(*from3), ::testing::ElementsAre(3));
  auto back = log_->ReadStream({"a", 0, Direction::kBackward, 3, {}});
  ASSERT_TRUE(back.ok());
  EXPECT_THAT(versions(*back), ::testing::ElementsAre(4, 3, 2));
  auto back2 = log_->ReadStream({"a", 2, Direction::kBackward, 10, {}});
  ASSERT_TRUE(back2.ok());
  EXPECT_THAT(versions(*back2), ::testing::ElementsAre(2, 1));
  auto typed = log_->ReadStream({"a", 0, Direction::kForward, 10, {"t.Two"}});
  ASSERT_TRUE(typed.ok());
  EXPECT_THAT(versions(*typed), ::testing::ElementsAre(3, 4));
  auto none = log_->ReadStream({"zzz", 0, Direction::kForward, 10, {}});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  auto all_one = log_->ReadAll({1, 100, {"t.One"}});
  ASSERT_TRUE(all_one.ok());
  std::vector<uint64_t> positions;
  for (const auto& e : *all_one) positions.push_back(e.position());
  EXPECT_THAT(positions, ::testing::ElementsAre(1, 2, 6));
  auto page = log_->ReadAll({3, 2, {}});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].position(), 3u);
  EXPECT_EQ((*page)[1].position(), 4u);
}

TEST_F(EventLogTest, ReplayVisitsEveryEventInOrderAndCanStop) {
  for (int i = 1; i <= 30; ++i)
    MustAppend(Request("s" + std::to_string(i % 4), {i}));
  std::vector<uint64_t> seen;
  ASSERT_TRUE(log_->Replay(5,
                           [&seen](const v1::EventEnvelope& e) {
                             seen.push_back(e.position());
                             return true;
                           })
                  .ok());
  ASSERT_EQ(seen.size(), 26u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i + 5);
  seen.clear();
  ASSERT_TRUE(log_->Replay(0,
                           [&seen](const v1::EventEnvelope& e) {
                             seen.push_back(e.position());
                             return e.position() < 3;
                           })
                  .ok());
  EXPECT_THAT(seen, ::testing::ElementsAre(1, 2, 3));
}

TEST_F(EventLogTest, EverythingSurvivesReopen) {
  MustAppend(Request("a", {1, 2}));
  MustAppend(Request("b", {3}));
  const std::string hash = log_->HeadHash();
  Reopen();
  EXPECT_EQ(log_->Head(), 3u);
  EXPECT_EQ(log_->HeadHash(), hash);
  auto head = log_->GetStreamHead("a");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->version, 2u);
  EXPECT_EQ(head->last_position, 2u);
  // Appends continue the same chain and the same stream.
  AppendResult next = MustAppend(Request("a", {4}, ExpectedVersion::Exact(2)));
  EXPECT_EQ(next.first_position, 4u);
  EXPECT_EQ(next.stream_version, 3u);
  auto report = log_->VerifyChain(0, 0);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->reason;
  EXPECT_EQ(report->checked_to, 4u);
}

TEST_F(EventLogTest, ASecondOpenOfTheSameDirectoryIsRefused) {
  EventLogOptions options;
  options.path = dir_.Sub("log");
  auto second = EventLog::Open(options);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition)
      << second.status();
}

TEST_F(EventLogTest, ConcurrentWritersWithExactVersionsGetOneWinnerEach) {
  constexpr int kThreads = 8;
  constexpr int kWinsPerThread = 25;
  std::atomic<int> conflicts{0};
  std::atomic<int> next_id{1};
  std::vector<std::thread> threads;
  std::mutex mu;
  std::map<uint64_t, int> winner_by_version;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      int wins = 0;
      while (wins < kWinsPerThread) {
        auto head = log_->GetStreamHead("shared");
        ASSERT_TRUE(head.ok());
        ExpectedVersion expected = head->version == 0
                                       ? ExpectedVersion::NoStream()
                                       : ExpectedVersion::Exact(head->version);
        auto r = log_->Append(Request("shared", {next_id++}, expected));
        if (r.ok()) {
          ++wins;
          std::lock_guard lock(mu);
          EXPECT_TRUE(winner_by_version.emplace(r->stream_version, t).second)
              << "two winners for version " << r->stream_version;
        } else {
          ASSERT_EQ(r.status().code(), absl::StatusCode::kAborted)
              << r.status();
          ++conflicts;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  constexpr uint64_t kTotal = kThreads * kWinsPerThread;
  ASSERT_EQ(winner_by_version.size(), kTotal);
  EXPECT_EQ(winner_by_version.begin()->first, 1u);
  EXPECT_EQ(winner_by_version.rbegin()->first, kTotal);
  EXPECT_EQ(log_->Head(), kTotal);
  auto events =
      log_->ReadStream({"shared", 0, Direction::kForward, kTotal, {}});
  ASSERT_TRUE(events.ok());
  for (uint64_t i = 0; i < kTotal; ++i) {
    EXPECT_EQ((*events)[i].stream_version(), i + 1);
    EXPECT_EQ((*events)[i].position(), i + 1);
  }
  RecordProperty("conflicts", conflicts.load());
}

TEST_F(EventLogTest, ConcurrentAppendsToManyStreamsStayGapless) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r =
            log_->Append(Request("s-" + std::to_string(t), {t * 1000 + i + 1}));
        ASSERT_TRUE(r.ok()) << r.status();
        ASSERT_EQ(r->stream_version, static_cast<uint64_t>(i + 1));
      }
    });
  }
  for (auto& t : threads) t.join();
  auto all = log_->ReadAll({1, 100000, {}});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), static_cast<size_t>(kThreads * kPerThread));
  std::map<std::string, uint64_t> last_version;
  for (size_t i = 0; i < all->size(); ++i) {
    const auto& e = (*all)[i];
    EXPECT_EQ(e.position(), i + 1);
    EXPECT_EQ(e.stream_version(), ++last_version[e.stream_id()]);
  }
  auto report = log_->VerifyChain(0, 0);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->reason;
}

// Rewrites the stored bytes of the event at `position` directly in RocksDB,
// as an attacker with file access would.
void TamperWithStoredEvent(const std::string& path, uint64_t position,
                           const std::function<void(std::string&)>& edit) {
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const char* name :
       {rocksdb::kDefaultColumnFamilyName.c_str(), layout::kEventsCf,
        layout::kStreamIndexCf, layout::kStreamHeadsCf, layout::kEventIdsCf,
        layout::kIdempotencyCf, layout::kMetaCf}) {
    cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(
      rocksdb::DB::Open(rocksdb::Options(), path, cfs, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string value;
  const std::string key = layout::PositionKey(position);
  ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), handles[1], key, &value).ok());
  edit(value);
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handles[1], key, value).ok());
  for (auto* h : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
  ASSERT_TRUE(db->Close().ok());
}

class TamperTest : public EventLogTest,
                   public ::testing::WithParamInterface<std::string> {};

TEST_P(TamperTest, VerifyChainNamesTheTamperedPosition) {
  for (int i = 1; i <= 10; ++i) MustAppend(Request("s", {i}));
  auto clean = log_->VerifyChain(0, 0);
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->ok);
  log_.reset();
  const std::string how = GetParam();
  TamperWithStoredEvent(dir_.Sub("log"), 6, [&how](std::string& bytes) {
    v1::EventEnvelope e;
    ASSERT_TRUE(e.ParseFromString(bytes));
    if (how == "raw byte") {
      bytes[bytes.size() / 2] ^= 0x01;
      return;
    }
    if (how == "payload") e.mutable_payload()->set_value("rewritten");
    if (how == "actor") e.mutable_actor()->set_staff_id("someone-else");
    if (how == "occurred_at") e.mutable_occurred_at()->set_seconds(1);
    if (how == "hash") (*e.mutable_hash())[31] ^= 0x01;
    bytes = e.SerializeAsString();
  });
  Reopen();
  auto report = log_->VerifyChain(0, 0);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_bad_position, 6u) << report->reason;
  EXPECT_FALSE(report->reason.empty());
  auto before = log_->VerifyChain(1, 5);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->ok) << before->reason;
}

INSTANTIATE_TEST_SUITE_P(Edits, TamperTest,
                         ::testing::Values("raw byte", "payload", "actor",
                                           "occurred_at", "hash"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == ' ') c = '_';
                           }
                           return name;
                         });

TEST_F(EventLogTest, VerifyChainRejectsARangeBeyondTheHead) {
  MustAppend(Request("s", {1}));
  EXPECT_EQ(log_->VerifyChain(1, 5).status().code(),
            absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace renkei::storage
