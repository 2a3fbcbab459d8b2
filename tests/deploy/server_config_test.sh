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

# The key-encryption key: none, a world-readable file, one inside the data
# directory and a wrong one all refuse to start, each saying why.
unset RENKEI_KEY_ENCRYPTION_KEY
start_refused() {  # expected-message args...
  local want=$1; shift
  set +e
  "$server_bin" --listen 127.0.0.1:0 "$@" >"$work/out" 2>&1
  local code=$?
  set -e
  [[ $code != 0 ]] || fail "started with $*"
  grep -qF -- "$want" "$work/out" || fail "message lacks '$want': $(cat "$work/out")"
}
start_refused "no key-encryption key" --data-dir "$work/nokey"
"$server_bin" generate-key "$work/kek" >/dev/null
[[ $(stat -c %a "$work/kek") == 600 ]] || fail "generate-key: mode $(stat -c %a "$work/kek")"
"$server_bin" generate-key "$work/kek" >"$work/out" 2>&1 && fail "generate-key overwrote a key"
"$server_bin" generate-key "$work/other-kek" >/dev/null
cp "$work/kek" "$work/open-kek"; chmod 644 "$work/open-kek"
start_refused "readable by others" --data-dir "$work/nokey" --key-encryption-key-file "$work/open-kek"
mkdir -p "$work/data" && chmod 700 "$work/data" && cp "$work/kek" "$work/data/kek"
start_refused "inside the data directory" --data-dir "$work/data" --key-encryption-key-file "$work/data/kek"
rm "$work/data/kek"
RENKEI_KEY_ENCRYPTION_KEY=abc start_refused "64 hexadecimal digits" --data-dir "$work/nokey"
export RENKEI_KEY_ENCRYPTION_KEY=$(tr -d '\n' <"$work/kek")

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
# The data directory now belongs with its key: another key does not open it.
start_refused "does not open the data keys" --data-dir "$work/data" \
  --key-encryption-key-file "$work/other-kek"
# Rotation: the stopped server's data keys move to the other key, which then
# opens them while the old one no longer does.
"$server_bin" rotate-key --data-dir "$work/data" --new-key-encryption-key-file "$work/other-kek" \
  >"$work/out" 2>&1 || fail "rotate-key: $(cat "$work/out")"
start_refused "does not open the data keys" --data-dir "$work/data" \
  --key-encryption-key-file "$work/kek"
"$server_bin" --listen "127.0.0.1:$port" --data-dir "$work/data" --password-hash minimum \
  --key-encryption-key-file "$work/other-kek" >"$work/log2" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q 'serving on port' "$work/log2" && break
  kill -0 "$server_pid" 2>/dev/null || fail "the rotated server exited: $(cat "$work/log2")"
  sleep 0.1
done
grep -q 'serving on port' "$work/log2" || fail "the rotated server did not serve"
kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""

# --help prints the usage and exits 0 (it is not an error).
"$server_bin" --help >"$work/help" 2>&1 || fail "--help exited non-zero"
grep -q -- '--listen' "$work/help" || fail "--help printed no usage: $(cat "$work/help")"
"$server_bin" init-admin --help >"$work/help" 2>&1 || fail "init-admin --help exited non-zero"
grep -q -- '--password-file' "$work/help" || fail "init-admin --help printed no usage"
echo "PASS"
