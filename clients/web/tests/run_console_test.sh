#!/usr/bin/env bash
# The console's browser tests against a real renkei-server: a fresh data
# directory with development TLS and its first administrator
# (deploy/dev-setup.sh), the server with the console on HTTPS, then
# Playwright (playwright-core driving Debian's chromium) from
# tests/console.test.mjs. Screenshots go to $RENKEI_SCREENSHOTS.
# Usage: run_console_test.sh RENKEI_SERVER_BINARY WEB_DIST SCREENSHOT_DIR
set -euo pipefail
server_bin=$1
dist=$2
shots=$3
web=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$web/../.." && pwd)
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

bash "$root/deploy/dev-setup.sh" "$server_bin" "$work/data" >"$work/setup.log" 2>&1 ||
  { cat "$work/setup.log"; exit 1; }
if [[ ! -f "$dist/index.html" ]]; then
  major=$(node --version 2>/dev/null | sed 's/^v\([0-9]*\).*/\1/')
  if [[ -z "$major" || "$major" -lt 20 ]]; then
    echo "SKIP: the console needs Node.js 20 or later to build (found ${major:-none})"
    exit 77
  fi
  echo "FAIL: $dist/index.html is missing: run deploy/build-web.sh"; exit 1
fi
# Both ports chosen by the server (0); the console's is read from its log.
"$server_bin" --listen "127.0.0.1:0" --data-dir "$work/data" \
  --tls-cert-file "$work/data/dev-tls/server.pem" \
  --tls-key-file "$work/data/dev-tls/server.key" \
  --key-encryption-key-file "$work/data.kek" \
  --web-listen "127.0.0.1:0" --web-root "$dist" \
  --password-hash minimum >"$work/server.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 400); do
  kill -0 "$server_pid" 2>/dev/null || { echo "renkei-server exited:"; cat "$work/server.log"; exit 1; }
  url=$(sed -n 's|.*console on \(https://127.0.0.1:[0-9]*\)/.*|\1|p' "$work/server.log" | head -1)
  [[ -n "$url" ]] && curl -sf --cacert "$work/data/dev-tls/ca.pem" "$url/" -o /dev/null && break
  url=""
  sleep 0.05
done
[[ -n "$url" ]] || { echo "FAIL: the console did not answer within 20 s"; cat "$work/server.log"; exit 1; }
mkdir -p "$shots"
set +e
RENKEI_URL="$url" RENKEI_ADMIN_PASSWORD_FILE="$work/data/admin-password" \
  RENKEI_SCREENSHOTS="$shots" NODE_EXTRA_CA_CERTS="$work/data/dev-tls/ca.pem" \
  node --test --test-concurrency=1 "$web/tests/console.test.mjs"
code=$?
set -e
if [[ $code -ne 0 ]]; then
  echo "--- server log (tail)"
  tail -30 "$work/server.log"
fi
exit $code
