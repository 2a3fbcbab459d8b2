#!/usr/bin/env bash
# renkei-server --check-config (a valid file prints the settings in force; an
# unknown key, a missing file or an unsafe setting is refused with exit 2),
# and --log-format json (every log line is one JSON object).
# Usage: server_config_test.sh RENKEI_SERVER_BINARY
set -euo pipefail
server_bin=$1
work=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

printf 'listen = "127.0.0.1:50999"\nlog-format = "json"\nsession-minutes = 60\n' >"$work/ok.toml"
"$server_bin" --check-config "$work/ok.toml" >"$work/out" 2>&1 || fail "valid config refused: $(cat "$work/out")"
grep -qx 'listen="127.0.0.1:50999"' "$work/out" || fail "effective listen missing: $(cat "$work/out")"
grep -qx 'session-minutes=60' "$work/out" || fail "effective session-minutes missing"
grep -qx 'lock-after-failures=5' "$work/out" || fail "defaults are not printed"

check_refused() {  # file-content expected-message
  printf '%s\n' "$1" >"$work/bad.toml"
  set +e
  "$server_bin" --check-config "$work/bad.toml" >"$work/out" 2>&1
  local code=$?
  set -e
  [[ $code == 2 ]] || fail "'$1' exit $code, wanted 2"
  grep -qF -- "$2" "$work/out" || fail "'$1': message lacks '$2': $(cat "$work/out")"
}
check_refused 'lissten = "127.0.0.1:1"' "lissten"
check_refused 'listen = "0.0.0.0:50999"' "without TLS"
check_refused 'listen = "127.attacker.example:1"' "IP literal"
check_refused 'dev-header-identity = true
listen = "[::]:50999"
tls-cert-file = "/nonexistent.pem"
tls-key-file = "/nonexistent.key"' "loopback development only"
set +e
"$server_bin" --check-config "$work/missing.toml" >"$work/out" 2>&1
code=$?
set -e
[[ $code == 2 ]] || fail "a missing config file: exit $code"

# JSON logs: start, wait for the serving line, stop; every line parses.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$server_bin" --listen "127.0.0.1:$port" --data-dir "$work/data" --log-format json \
  --password-hash minimum >"$work/log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q '"message":"serving on port' "$work/log" && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited: $(cat "$work/log")"
  sleep 0.1
done
kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
python3 - "$work/log" <<'PY' || fail "a log line is not JSON: $(cat "$work/log")"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
assert lines, "no log"
for line in lines:
    if line.startswith(("E", "W", "I")) and not line.startswith("{"):
        continue  # gRPC's own stderr lines
    record = json.loads(line)
    assert {"time", "level", "service", "message"} <= set(record), record
assert any("serving on port" in json.loads(l)["message"] for l in lines if l.startswith("{"))
PY
echo "PASS"
