#!/usr/bin/env bash
# Installs, builds and starts renkei-server on 127.0.0.1:50051 with its data
# in ./renkei-data. Extra arguments go to the server (see --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RENKEI_BUILD_DIR:-$root/build}

bash "$root/deploy/build.sh" --target renkei-server
cd "$root"
exec "$build/services/server/renkei-server" "$@"
