// Event-log benchmark: durable append throughput and latency against the raw
// RocksDB synced-put floor on the same disk, and full-log replay against raw
// iteration. Prints `figure <name> <value>` lines; compares only figures
// measured in the same run.
//
// Usage: renkei_log_bench [--seconds S] [--dir DIR] [--replay-events N]
//                         [--raw-put-threads T]
// With --raw-put-threads, runs only the raw synced-put floor at T threads and
// prints raw_put_eps_tT, raw_put_p50_ms_tT and raw_put_p99_ms_tT.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "rocksdb/db.h"
#include "storage/event_log.h"
#include "storage/layout.h"
#include "storage/test_util.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kStreams = 1000;
constexpr size_t kPayloadBytes = 300;

struct RunResult {
  double eps = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  uint64_t ops = 0;
};

// Runs `op(thread, i)` on `threads` threads for `seconds`; times every call.
template <typename Op>
RunResult TimedRun(int threads, double seconds, Op op) {
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(threads);
  std::vector<std::thread> workers;
  const auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        const auto begin = Clock::now();
        op(t, i);
        latencies[t].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - begin)
                .count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  const double elapsed =
      std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  RunResult r;
  r.ops = all.size();
  r.eps = all.size() / elapsed;
  if (!all.empty()) {
    r.p50_ms = all[all.size() / 2];
    r.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return r;
}

std::string Payload() { return std::string(kPayloadBytes, 'p'); }

std::unique_ptr<renkei::storage::EventLog> OpenLog(const std::string& path) {
  renkei::storage::EventLogOptions options;
  options.path = path;
  auto log = renkei::storage::EventLog::Open(options);
  if (!log.ok()) {
    std::fprintf(stderr, "cannot open log: %s\n",
                 log.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(*log);
}

RunResult BenchAppend(const std::string& path, int threads, double seconds) {
  auto log = OpenLog(path);
  const std::string payload = Payload();
  std::atomic<uint64_t> failures{0};
  RunResult r = TimedRun(threads, seconds, [&](int t, uint64_t i) {
    renkei::storage::AppendRequest req;
    const uint64_t n = (static_cast<uint64_t>(t) << 40) | i;
    req.stream_id = absl::StrFormat("case-%d", (n * 2654435761u) % kStreams);
    req.events.push_back(renkei::storage::testing::TestEvent(
        renkei::storage::testing::TestUuid(n, threads), "bench.Recorded",
        payload));
    if (!log->Append(std::move(req)).ok()) ++failures;
  });
  if (failures) std::fprintf(stderr, "append failures: %lu\n", failures.load());
  return r;
}

std::unique_ptr<rocksdb::DB> OpenRaw(const std::string& path) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(options, path, &raw);
  if (!s.ok()) {
    std::fprintf(stderr, "cannot open raw db: %s\n", s.ToString().c_str());
    std::exit(1);
  }
  return std::unique_ptr<rocksdb::DB>(raw);
}

RunResult BenchRawPut(const std::string& path, int threads, double seconds) {
  auto db = OpenRaw(path);
  const std::string payload = Payload();
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return TimedRun(threads, seconds, [&](int t, uint64_t i) {
    std::string key;
    renkei::storage::layout::AppendBigEndian64(
        key, (static_cast<uint64_t>(t) << 40) | i);
    db->Put(sync, key, payload).PermitUncheckedError();
  });
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3.0;
  uint64_t replay_events = 200000;
  int raw_put_threads = 0;
  std::string base;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seconds")
      seconds = std::atof(argv[i + 1]);
    else if (flag == "--dir")
      base = argv[i + 1];
    else if (flag == "--replay-events")
      replay_events = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--raw-put-threads")
      raw_put_threads = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  renkei::storage::testing::TempDir temp;
  if (base.empty()) base = temp.path();
  std::filesystem::create_directories(base);

  if (raw_put_threads > 0) {
    // Only the floor, e.g. to compare with a whole server measured elsewhere
    // on the same disk.
    const std::string raw_dir =
        absl::StrFormat("%s/raw-t%d", base, raw_put_threads);
    RunResult raw = BenchRawPut(raw_dir, raw_put_threads, seconds);
    std::filesystem::remove_all(raw_dir);
    std::printf("%-28s %10.0f %10.3f %10.3f\n",
                absl::StrFormat("raw synced put t%d", raw_put_threads).c_str(),
                raw.eps, raw.p50_ms, raw.p99_ms);
    std::printf("figure raw_put_eps_t%d %.3f\n", raw_put_threads, raw.eps);
    std::printf("figure raw_put_p50_ms_t%d %.3f\n", raw_put_threads,
                raw.p50_ms);
    std::printf("figure raw_put_p99_ms_t%d %.3f\n", raw_put_threads,
                raw.p99_ms);
    return 0;
  }

  std::printf("%-28s %10s %10s %10s\n", "run", "ops/s", "p50 ms", "p99 ms");
  std::vector<std::pair<std::string, double>> figures;
  double append_t1 = 0;
  for (int threads : {1, 16, 64}) {
    const std::string log_dir = absl::StrFormat("%s/log-t%d", base, threads);
    const std::string raw_dir = absl::StrFormat("%s/raw-t%d", base, threads);
    RunResult append = BenchAppend(log_dir, threads, seconds);
    RunResult raw = BenchRawPut(raw_dir, threads, seconds);
    std::printf("%-28s %10.0f %10.3f %10.3f\n",
                absl::StrFormat("append t%d", threads).c_str(), append.eps,
                append.p50_ms, append.p99_ms);
    std::printf("%-28s %10.0f %10.3f %10.3f\n",
                absl::StrFormat("raw synced put t%d", threads).c_str(), raw.eps,
                raw.p50_ms, raw.p99_ms);
    figures.emplace_back(absl::StrFormat("append_eps_t%d", threads),
                         append.eps);
    figures.emplace_back(absl::StrFormat("append_p50_ms_t%d", threads),
                         append.p50_ms);
    figures.emplace_back(absl::StrFormat("append_p99_ms_t%d", threads),
                         append.p99_ms);
    figures.emplace_back(absl::StrFormat("raw_put_eps_t%d", threads), raw.eps);
    figures.emplace_back(absl::StrFormat("append_ratio_vs_raw_t%d", threads),
                         raw.eps > 0 ? append.eps / raw.eps : 0);
    if (threads == 1) append_t1 = append.eps;
    if (threads > 1) {
      // How much group commit gains over one fsync per append.
      figures.emplace_back(absl::StrFormat("append_gain_vs_t1_t%d", threads),
                           append_t1 > 0 ? append.eps / append_t1 : 0);
    }
    std::filesystem::remove_all(raw_dir);
    std::filesystem::remove_all(log_dir);
  }

  // Replay: fill a log, then decode every envelope in order vs raw iteration.
  const std::string replay_dir = base + "/replay";
  {
    auto log = OpenLog(replay_dir);
    const std::string payload = Payload();
    constexpr int kBatch = 500;
    for (uint64_t n = 0; n < replay_events; n += kBatch) {
      renkei::storage::AppendRequest req;
      req.stream_id = absl::StrFormat("case-%d", (n / kBatch) % kStreams);
      for (int k = 0; k < kBatch; ++k) {
        req.events.push_back(renkei::storage::testing::TestEvent(
            renkei::storage::testing::TestUuid(n + k, 99), "bench.Recorded",
            payload));
      }
      if (!log->Append(std::move(req)).ok()) return 1;
    }
  }
  auto log = OpenLog(replay_dir);
  auto start = Clock::now();
  uint64_t decoded = 0;
  auto replayed =
      log->Replay(1, [&decoded](const renkei::v1::EventEnvelope& e) {
        decoded += e.position() > 0;
        return true;
      });
  if (!replayed.ok()) {
    std::fprintf(stderr, "replay failed: %s\n", replayed.ToString().c_str());
    return 1;
  }
  const double replay_eps = decoded / Seconds(start);
  log.reset();

  // Raw: iterate the same keys and values with no decoding.
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const char* name : {rocksdb::kDefaultColumnFamilyName.c_str(),
                           renkei::storage::layout::kEventsCf,
                           renkei::storage::layout::kStreamIndexCf,
                           renkei::storage::layout::kStreamHeadsCf,
                           renkei::storage::layout::kEventIdsCf,
                           renkei::storage::layout::kIdempotencyCf,
                           renkei::storage::layout::kMetaCf}) {
    cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  if (!rocksdb::DB::Open(rocksdb::Options(), replay_dir, cfs, &handles, &raw_db)
           .ok())
    return 1;
  start = Clock::now();
  uint64_t iterated = 0, bytes = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(
        raw_db->NewIterator(rocksdb::ReadOptions(), handles[1]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      bytes += it->key().size() + it->value().size();
      ++iterated;
    }
  }
  const double raw_iter_eps = iterated / Seconds(start);
  for (auto* h : handles)
    raw_db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  delete raw_db;
  std::printf("%-28s %10.0f  (%lu events)\n", "replay (decode)", replay_eps,
              decoded);
  std::printf("%-28s %10.0f  (%lu events, %lu bytes)\n", "raw iteration",
              raw_iter_eps, iterated, bytes);
  figures.emplace_back("replay_eps", replay_eps);
  figures.emplace_back("raw_iter_eps", raw_iter_eps);
  figures.emplace_back("replay_ratio_vs_raw",
                       raw_iter_eps > 0 ? replay_eps / raw_iter_eps : 0);

  for (const auto& [name, value] : figures) {
    std::printf("figure %s %.3f\n", name.c_str(), value);
  }
  return 0;
}
