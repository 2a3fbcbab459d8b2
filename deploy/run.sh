#!/usr/bin/env bash
# Installs, builds and starts renkei-server on 127.0.0.1:50051 with its data
# in ./renkei-data, and builds the `renkei` CLI. Staff of the agency
# "audit-office" (the demo's verification committee) may use the audit
# service. Extra arguments go to the server (see --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RENKEI_BUILD_DIR:-$root/build}

bash "$root/deploy/build.sh" --target renkei-server --target renkei
cd "$root"
echo "renkei-server starting; in another terminal try: $build/clients/renkei demo"
exec "$build/services/server/renkei-server" --auditor-agencies audit-office "$@"
