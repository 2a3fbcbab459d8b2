#!/usr/bin/env bash
# Installs, builds and runs every Renkei test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RENKEI_BUILD_DIR:-$root/build}

bash "$root/deploy/build.sh"
cd "$build"
ctest --output-on-failure --timeout 900 -j "$(nproc)"
