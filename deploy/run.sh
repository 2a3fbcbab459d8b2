#!/usr/bin/env bash
# Installs, builds and starts renkei-server on 127.0.0.1:50051 with its data
# in ./renkei-data, and builds the `renkei` CLI. On the first start it creates
# the directory's first administrator ("admin" of city-it) with
# `renkei-server init-admin`; the administrator registers agencies, staff and
# roles (the demo does so for its story). Extra arguments go to the server
# (see --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RENKEI_BUILD_DIR:-$root/build}

bash "$root/deploy/build.sh" --target renkei-server --target renkei
cd "$root"
echo "renkei-server starting; in another terminal try: $build/clients/renkei demo"
data_dir=renkei-data
for ((i = 1; i <= $#; i++)); do
  if [[ "${!i}" == "--data-dir" ]]; then j=$((i + 1)); data_dir=${!j}; fi
  if [[ "${!i}" == --data-dir=* ]]; then data_dir=${!i#--data-dir=}; fi
done
"$build/services/server/renkei-server" init-admin --data-dir "$data_dir"
# Development: the demo acts as many staff members, so callers name
# themselves in a header (loopback only; the server warns). A deployment uses
# mutual TLS instead (see README, "Who is calling").
exec "$build/services/server/renkei-server" --dev-header-identity "$@"
