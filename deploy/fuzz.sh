#!/usr/bin/env bash
# Builds Renkei's libFuzzer targets (tests/fuzz/) with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer in a build directory of their own, and runs
# each for a fixed time on a copy of its seed corpus (tests/fuzz/corpus/), so
# the repository's corpus is never modified. Fails on the first crash, leak,
# sanitizer report or invariant failure; the reproducer is kept in
# $build/fuzz-artifacts/.
#
#   RENKEI_FUZZ_BUILD_DIR  build directory (default ./build-fuzz)
#   RENKEI_FUZZ_SECONDS    seconds per target (default 20)
#   RENKEI_FUZZ_TARGETS    targets to run (default: all three)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RENKEI_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${RENKEI_FUZZ_SECONDS:-20}
targets=${RENKEI_FUZZ_TARGETS:-"fuzz_command_decode fuzz_envelope_decode fuzz_decide_sequence"}
jobs=$(nproc)

bash "$root/deploy/install-deps.sh"

start=$(date +%s)
if [[ ! -f "$build/build.ninja" ]]; then
  # -O1 with line tables: quick to build, fast enough to fuzz, readable
  # stack traces; assertions stay on (no NDEBUG).
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja \
    -DRENKEI_FUZZ=ON -DCMAKE_BUILD_TYPE=Fuzz \
    -DCMAKE_C_FLAGS_FUZZ="-O1 -gline-tables-only" \
    -DCMAKE_CXX_FLAGS_FUZZ="-O1 -gline-tables-only"
fi
# shellcheck disable=SC2086
cmake --build "$build" --parallel "$jobs" --target $targets
echo "fuzz: built in $(($(date +%s) - start)) s"

artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for target in $targets; do
  corpus="$work/$target"
  mkdir -p "$corpus"
  if [[ -d "$root/tests/fuzz/corpus/$target" ]]; then
    cp "$root/tests/fuzz/corpus/$target"/* "$corpus"/ 2>/dev/null || true
  fi
  echo "fuzz: $target for ${seconds}s on $(find "$corpus" -type f | wc -l) seeds"
  "$build/tests/fuzz/$target" "$corpus" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$target-" 2>"$work/$target.log" || {
    tail -n 60 "$work/$target.log"
    echo "fuzz: $target FAILED; reproduce with: $build/tests/fuzz/$target $artifacts/$target-*" >&2
    exit 1
  }
  grep -E "^stat::(number_of_executed_units|new_units_added)|^#[0-9]+ *DONE" \
    "$work/$target.log" | sed "s/^/fuzz: $target: /" || true
done
echo "fuzz: all targets passed in $(($(date +%s) - start)) s"
