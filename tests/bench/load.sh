#!/usr/bin/env bash
# Load benchmark: starts renkei-server on a fresh data directory and a free
# loopback port, drives it with renkei_load_gen at 1, 16 and 64 concurrent
# sessions, stops it, then measures the raw RocksDB synced-put floor at 64
# threads on the same disk and prints
#   figure cmd_ratio_vs_raw_c64 <gRPC commands/s at c64 / raw synced puts/s at t64>
#
# Usage: tests/bench/load.sh [seconds per run, default 10]
# Environment:
#   RENKEI_BUILD_DIR      build directory (default ./build); built if needed
#   RENKEI_LOAD_CASES     cases per run (default 1000)
#   RENKEI_LOAD_MIX       story | commands | queries (default story)
#   RENKEI_LOAD_LOG_LEVEL server log level (default info; the log goes to a file)
#   TMPDIR                where the data directories are made
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${RENKEI_BUILD_DIR:-$root/build}"
seconds="${1:-10}"
cases="${RENKEI_LOAD_CASES:-1000}"
mix="${RENKEI_LOAD_MIX:-story}"
log_level="${RENKEI_LOAD_LOG_LEVEL:-info}"

server_bin="$build/services/server/renkei-server"
gen_bin="$build/tests/bench/load/renkei_load_gen"
bench_bin="$build/tests/bench/renkei_log_bench"

targets=(renkei-server renkei_load_gen renkei_log_bench)
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  echo "load.sh: configuring and building in $build" >&2
  RENKEI_BUILD_DIR="$build" bash "$root/deploy/build.sh" --target "${targets[@]}" >&2
else
  # Brings the three programs up to date (cheap when nothing changed).
  cmake --build "$build" -j "$(nproc)" --target "${targets[@]}" >&2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/renkei-load.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A free loopback port: nothing answers on it.
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 30000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port="$candidate"
    break
  fi
done
[[ -n "$port" ]] || { echo "load.sh: no free port" >&2; exit 1; }
target="127.0.0.1:$port"

"$server_bin" --listen "$target" --data-dir "$work/data" \
  --log-level "$log_level" >"$work/server.log" 2>&1 &
server_pid=$!

# Health: the generator waits until the server answers a query, or gives up.
if ! "$gen_bin" --target "$target" --wait-only --connect-timeout 30 >/dev/null; then
  echo "load.sh: the server did not become ready; its log:" >&2
  tail -n 20 "$work/server.log" >&2
  exit 1
fi

echo "host: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
figures="$work/figures"
: >"$figures"
for c in 1 16 64; do
  echo "--- $c concurrent sessions, $seconds s"
  "$gen_bin" --target "$target" --server-pid "$server_pid" --concurrency "$c" \
    --duration "$seconds" --cases "$cases" --mix "$mix" | tee -a "$figures"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
done

kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""

echo "--- raw RocksDB synced puts, 64 threads, $seconds s (same disk)"
"$bench_bin" --seconds "$seconds" --dir "$work/raw" --raw-put-threads 64 |
  tee -a "$figures"

awk '
  $1 == "figure" { v[$2] = $3 }
  END {
    raw = v["raw_put_eps_t64"]; cmd = v["cmd_eps_c64"]
    printf "figure cmd_ratio_vs_raw_c64 %.3f\n", (raw > 0 ? cmd / raw : 0)
  }' "$figures"
