#!/usr/bin/env bash
# Renkei beside the log a user would pick instead, in the same run on the
# same machine: the NATS JetStream optimistic-append benchmark of
# ../shared/peers/nats (one read of a subject's last sequence and one publish
# expecting it, per append; no fsync per write) and renkei_load_gen against a
# spawned renkei-server with the default deployment's security (TLS,
# session tokens): the commands mix (one durable command per RPC) and the
# RecordEntry-only mix (the closest equal of one append). Interleaved, REPS
# repetitions of SECONDS each, at 16 and 64 clients. Prints every sample and
#   figure cmd_ratio_vs_nats_c16 / _c64        commands mix ÷ NATS
#   figure entry_ratio_vs_nats_c16 / _c64      RecordEntry mix ÷ NATS
#   figure server_cpu_us_per_cmd_c16 / _c64    the commands mix
# (means over the repetitions). Installs nats-server and libnats-dev when
# missing. Usage: tests/bench/peers.sh [SECONDS=15] [REPS=2] [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-15}
reps=${2:-2}
build=${3:-${RENKEI_BUILD_DIR:-$root/build}}
peers=${RENKEI_PEERS_DIR:-$root/../shared/peers}
[[ -f "$peers/nats/run.sh" ]] || { echo "no NATS benchmark at $peers/nats" >&2; exit 1; }
if ! command -v nats-server >/dev/null || ! [[ -f /usr/include/nats/nats.h || -f /usr/include/nats.h ]]; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nats-server libnats-dev
fi
load_gen=$build/tests/bench/load/renkei_load_gen
server=$build/services/server/renkei-server
[[ -x "$load_gen" && -x "$server" ]] || { echo "build first (deploy/build.sh)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | head -1; }
figure() { sed -n "s/^figure $1 \([0-9.]*\)$/\1/p" | head -1; }

for rep in $(seq "$reps"); do
  for c in 16 64; do
    nats=$(bash "$peers/nats/run.sh" "$secs" 1 "$c" 2>&1 | grep "appends_per_s=" | tail -1)
    echo "rep=$rep c=$c nats: $nats"
    echo "$nats" | field appends_per_s >>"$out/nats_$c"
    for mix in commands entries; do
      res=$("$load_gen" --spawn-server "$server" --secure --mix "$mix" \
        --concurrency "$c" --duration "$secs" --cases 1000 2>&1)
      eps=$(echo "$res" | figure "cmd_eps_c$c")
      p99=$(echo "$res" | figure "cmd_p99_ms_c$c")
      cpu=$(echo "$res" | figure "server_cpu_us_per_rpc_c$c")
      echo "rep=$rep c=$c renkei $mix (TLS, sessions): commands_per_s=$eps p99_ms=$p99 server_cpu_us_per_rpc=$cpu"
      echo "$eps" >>"$out/${mix}_$c"
      [[ $mix == commands ]] && echo "$cpu" >>"$out/cpu_$c"
    done
  done
done

mean() { awk '{s += $1; n++} END {if (n) printf "%.1f", s / n; else print "0"}' "$1"; }
for c in 16 64; do
  n=$(mean "$out/nats_$c")
  printf 'figure nats_appends_per_s_c%s %s\n' "$c" "$n"
  printf 'figure renkei_cmd_per_s_c%s %s\n' "$c" "$(mean "$out/commands_$c")"
  printf 'figure renkei_entry_per_s_c%s %s\n' "$c" "$(mean "$out/entries_$c")"
  awk -v r="$(mean "$out/commands_$c")" -v n="$n" -v c="$c" 'BEGIN {printf "figure cmd_ratio_vs_nats_c%s %.2f\n", c, (n > 0 ? r / n : 0)}'
  awk -v r="$(mean "$out/entries_$c")" -v n="$n" -v c="$c" 'BEGIN {printf "figure entry_ratio_vs_nats_c%s %.2f\n", c, (n > 0 ? r / n : 0)}'
  printf 'figure server_cpu_us_per_cmd_c%s %s\n' "$c" "$(mean "$out/cpu_$c")"
done
