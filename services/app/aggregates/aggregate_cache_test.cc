#include "services/app/aggregates/aggregate_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/app/pipeline/command_pipeline.h"
#include "storage/test_util.h"

namespace renkei::app {
namespace {

// A folded state that is easy to check: the event types in stream order.
struct Folded {
  std::vector<std::string> types;
};

absl::Status Apply(Folded& state, const v1::EventEnvelope& e) {
  if (e.stream_version() != state.types.size() + 1) {
    return absl::InternalError(absl::StrCat("event ", e.stream_version(),
                                            " applied to a state at ",
                                            state.types.size()));
  }
  state.types.push_back(e.event_type());
  return absl::OkStatus();
}

// The type of the `version`-th event of a stream in these tests.
std::string TypeOf(uint64_t version) { return absl::StrCat("t", version); }

// True when `state` is the fold of events 1..version.
bool IsFoldOf(const Folded& state, uint64_t version) {
  if (state.types.size() != version) return false;
  for (uint64_t v = 1; v <= version; ++v) {
    if (state.types[v - 1] != TypeOf(v)) return false;
  }
  return true;
}

class AggregateCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::EventLogOptions options;
    options.path = dir_.Sub("log");
    auto log = storage::EventLog::Open(options);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    cache_ = std::make_unique<AggregateCache<Folded>>(log_.get(), Apply);
  }

  // Appends `n` events to `stream`, typed by their stream versions.
  void Append(const std::string& stream, int n) {
    for (int i = 0; i < n; ++i) {
      auto head = log_->GetStreamHead(stream);
      ASSERT_TRUE(head.ok());
      storage::AppendRequest append;
      append.stream_id = stream;
      v1::ProposedEvent& e = append.events.emplace_back();
      e.set_event_id(CommandPipeline::DeriveEventId(
          absl::StrCat(stream, "/", head->version + 1), 0));
      e.set_event_type(TypeOf(head->version + 1));
      auto appended = log_->Append(std::move(append));
      ASSERT_TRUE(appended.ok()) << appended.status();
    }
  }

  AggregateCache<Folded>::Snapshot Load(const std::string& stream) {
    auto snapshot = cache_->Load(stream);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status();
    return snapshot.ok() ? *snapshot : AggregateCache<Folded>::Snapshot{};
  }

  storage::testing::TempDir dir_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<AggregateCache<Folded>> cache_;
};

TEST_F(AggregateCacheTest, AStreamThatDoesNotExistIsEmpty) {
  auto snapshot = Load("none");
  EXPECT_EQ(snapshot.version, 0u);
  ASSERT_NE(snapshot.state, nullptr);
  EXPECT_TRUE(snapshot.state->types.empty());
}

TEST_F(AggregateCacheTest, AHeldSnapshotIsUnchangedByLaterLoads) {
  Append("s", 3);
  const auto held = Load("s");
  ASSERT_EQ(held.version, 3u);
  const Folded* address = held.state.get();
  for (int i = 0; i < 5; ++i) {
    Append("s", 2);
    auto later = Load("s");
    EXPECT_EQ(later.version, 3u + 2 * (i + 1));
    EXPECT_TRUE(IsFoldOf(*later.state, later.version));
    EXPECT_NE(later.state.get(), address);
  }
  EXPECT_EQ(held.version, 3u);
  EXPECT_TRUE(IsFoldOf(*held.state, 3));
}

TEST_F(AggregateCacheTest, AStateNobodyHoldsIsCaughtUpInPlace) {
  Append("s", 2);
  const Folded* address = Load("s").state.get();
  Append("s", 3);
  auto later = Load("s");
  EXPECT_EQ(later.state.get(), address);
  EXPECT_EQ(later.version, 5u);
  EXPECT_TRUE(IsFoldOf(*later.state, 5));
  // Held now: the next catch-up copies it.
  Append("s", 1);
  auto next = Load("s");
  EXPECT_NE(next.state.get(), address);
  EXPECT_TRUE(IsFoldOf(*later.state, 5));
  EXPECT_TRUE(IsFoldOf(*next.state, 6));
}

// What the pipeline does after an append: the events it decided, applied
// to the cached state without reading them back.
void ApplyTypes(Folded& state, uint64_t from, uint64_t to) {
  for (uint64_t v = from + 1; v <= to; ++v) state.types.push_back(TypeOf(v));
}

TEST_F(AggregateCacheTest, AnAdvanceMovesTheCachedStateOnWithoutReadingTheLog) {
  Append("s", 2);
  ASSERT_EQ(Load("s").version, 2u);
  const uint64_t misses = cache_->misses();
  Append("s", 3);
  cache_->Advance("s", 2, 5, [](Folded& f) { ApplyTypes(f, 2, 5); });
  EXPECT_EQ(cache_->advances(), 1u);
  auto later = Load("s");
  EXPECT_EQ(later.version, 5u);
  EXPECT_TRUE(IsFoldOf(*later.state, 5));
  EXPECT_EQ(cache_->misses(), misses) << "the events were read back";
}

TEST_F(AggregateCacheTest, AnAdvanceFromAnotherVersionIsIgnored) {
  Append("s", 2);
  ASSERT_EQ(Load("s").version, 2u);
  Append("s", 2);
  // Stale (the cache is at 2, not 3), and a stream the cache does not hold.
  bool applied = false;
  cache_->Advance("s", 3, 4, [&](Folded&) { applied = true; });
  cache_->Advance("other", 1, 2, [&](Folded&) { applied = true; });
  EXPECT_FALSE(applied);
  EXPECT_EQ(cache_->advances(), 0u);
  // The next load reads the log as usual.
  auto later = Load("s");
  EXPECT_EQ(later.version, 4u);
  EXPECT_TRUE(IsFoldOf(*later.state, 4));
  auto other = Load("other");
  EXPECT_EQ(other.version, 0u);
}

TEST_F(AggregateCacheTest, AStreamCreatedByTheAppendIsAddedByItsAdvance) {
  Append("new", 2);
  cache_->Advance("new", 0, 2, [](Folded& f) { ApplyTypes(f, 0, 2); });
  EXPECT_EQ(cache_->advances(), 1u);
  auto loaded = Load("new");
  EXPECT_EQ(loaded.version, 2u);
  EXPECT_TRUE(IsFoldOf(*loaded.state, 2));
  EXPECT_EQ(cache_->misses(), 0u) << "the events were read back";
}

TEST_F(AggregateCacheTest, AnAdvanceCopiesAStateASnapshotHolds) {
  Append("s", 2);
  const auto held = Load("s");
  Append("s", 1);
  cache_->Advance("s", 2, 3, [](Folded& f) { ApplyTypes(f, 2, 3); });
  EXPECT_EQ(held.version, 2u);
  EXPECT_TRUE(IsFoldOf(*held.state, 2));
  auto later = Load("s");
  EXPECT_NE(later.state.get(), held.state.get());
  EXPECT_TRUE(IsFoldOf(*later.state, 3));
}

TEST_F(AggregateCacheTest, AForgottenStreamIsNotBroughtBackByAnAdvance) {
  Append("s", 2);
  ASSERT_EQ(Load("s").version, 2u);
  cache_->Forget("s");
  bool applied = false;
  cache_->Advance("s", 2, 3, [&](Folded&) { applied = true; });
  EXPECT_FALSE(applied);
}

TEST_F(AggregateCacheTest, ManyAppendsFoldAsFromScratch) {
  for (int round = 0; round < 50; ++round) {
    Append("a", 1 + round % 3);
    Append("b", 1);
    if (round % 4 == 0) {
      (void)Load("a");  // sometimes several events per catch-up
    }
    auto b = Load("b");
    EXPECT_TRUE(IsFoldOf(*b.state, b.version));
  }
  auto a = Load("a");
  // A fresh cache folds the stream from scratch.
  AggregateCache<Folded> fresh(log_.get(), Apply);
  auto scratch = fresh.Load("a");
  ASSERT_TRUE(scratch.ok());
  EXPECT_EQ(a.version, scratch->version);
  EXPECT_EQ(a.state->types, scratch->state->types);
  EXPECT_TRUE(IsFoldOf(*a.state, a.version));
}

TEST_F(AggregateCacheTest, EvictedStreamsAreRebuiltFromTheLog) {
  AggregateCache<Folded> small(log_.get(), Apply, /*max_entries=*/2);
  for (int round = 0; round < 5; ++round) {
    for (const char* stream : {"x", "y", "z"}) {
      Append(stream, 1);
      auto snapshot = small.Load(stream);
      ASSERT_TRUE(snapshot.ok());
      EXPECT_EQ(snapshot->version, static_cast<uint64_t>(round + 1));
      EXPECT_TRUE(IsFoldOf(*snapshot->state, snapshot->version));
    }
  }
}

TEST_F(AggregateCacheTest, ConcurrentLoadsWhileAppendingAreConsistent) {
  constexpr int kLoaders = 4;
  constexpr int kEvents = 300;
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::atomic<uint64_t> loads{0};
  std::vector<std::vector<AggregateCache<Folded>::Snapshot>> held(kLoaders);
  std::vector<std::thread> loaders;
  for (int t = 0; t < kLoaders; ++t) {
    loaders.emplace_back([&, t] {
      uint64_t last = 0;
      for (uint64_t n = 0; !done.load() || n == 0; ++n) {
        auto snapshot = cache_->Load("shared");
        if (!snapshot.ok()) {
          ++bad;
          ADD_FAILURE() << snapshot.status();
          return;
        }
        ++loads;
        // Consistent, and never older than what this thread saw before.
        if (!IsFoldOf(*snapshot->state, snapshot->version) ||
            snapshot->version < last) {
          ++bad;
        }
        last = snapshot->version;
        // Some loaders keep some snapshots, so both paths (in place and
        // copy) are taken.
        if (t % 2 == 0 && n % 5 == 0) held[t].push_back(*snapshot);
      }
    });
  }
  Append("shared", kEvents);
  done = true;
  for (auto& t : loaders) t.join();
  EXPECT_EQ(bad, 0);
  EXPECT_GT(loads, 0u);
  for (const auto& snapshots : held) {
    for (const auto& s : snapshots) {
      EXPECT_TRUE(IsFoldOf(*s.state, s.version)) << "held at " << s.version;
    }
  }
  auto final = Load("shared");
  EXPECT_EQ(final.version, static_cast<uint64_t>(kEvents));
  EXPECT_TRUE(IsFoldOf(*final.state, kEvents));
}

}  // namespace
}  // namespace renkei::app
