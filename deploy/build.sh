#!/usr/bin/env bash
# Installs what is missing, then configures and builds Renkei.
# Build directory: $RENKEI_BUILD_DIR, default ./build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RENKEI_BUILD_DIR:-$root/build}

bash "$root/deploy/install-deps.sh"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" -j "$(nproc)" "$@"
# The browser console (served by renkei-server with --web-root).
bash "$root/deploy/build-web.sh"
