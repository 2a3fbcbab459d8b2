#!/usr/bin/env bash
# End-to-end test of the clients: starts the real renkei-server on a free
# loopback port with a temporary data directory, plays `renkei demo` twice,
# runs CLI commands (text and --json, errors, audit shortcuts) and the Python
# replay example, and checks their output.
# Usage: cli_end_to_end_test.sh RENKEI_SERVER_BINARY RENKEI_BINARY REPO_ROOT
set -euo pipefail

server_bin=$1
renkei_bin=$2
root=$3
python=/usr/bin/python3

work=$(mktemp -d)
# The server seals personal fields with data keys wrapped by this key.
export RENKEI_KEY_ENCRYPTION_KEY=${RENKEI_KEY_ENCRYPTION_KEY:-$(od -An -tx1 -N32 /dev/urandom | tr -d " \n")}
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  [[ -f "$work/out" ]] && { echo "--- last output:" >&2; cat "$work/out" >&2; }
  [[ -f "$work/err" ]] && { echo "--- last errors:" >&2; cat "$work/err" >&2; }
  echo "--- server log (tail):" >&2
  tail -20 "$work/server.log" >&2 || true
  exit 1
}

# Runs renkei; stdout in $work/out, stderr in $work/err, exit code in $code.
run() {
  set +e
  "$renkei_bin" --server "127.0.0.1:$port" "$@" >"$work/out" 2>"$work/err"
  code=$?
  set -e
}

expect_code() { [[ "$code" == "$1" ]] || fail "exit code $code, wanted $1: ${*:2}"; }
expect_out() { grep -qF -- "$1" "$work/out" || fail "output lacks '$1'"; }
expect_err() { grep -qF -- "$1" "$work/err" || fail "errors lack '$1'"; }

port=$("$python" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()')

# The first administrator ("admin"), offline, as a city creates it.
"$server_bin" init-admin --data-dir "$work/data" >"$work/init.log" 2>&1 ||
  fail "renkei-server init-admin: $(cat "$work/init.log")"
"$server_bin" --listen "127.0.0.1:$port" --data-dir "$work/data" \
  --dev-header-identity >"$work/server.log" 2>&1 &
server_pid=$!

# Wait for the server to answer (any reply but UNAVAILABLE).
for _ in $(seq 1 100); do
  run --as probe --timeout 1 directory list-agencies
  grep -q UNAVAILABLE "$work/err" || break
  kill -0 "$server_pid" 2>/dev/null || fail "renkei-server exited"
  sleep 0.1
done
grep -q UNAVAILABLE "$work/err" && fail "renkei-server did not answer within 10 s"

# The demo: the whole story, then the same run again (every step a retry),
# then a second run beside it.
run demo --run-id e2e1
expect_code 0 demo
for text in "Step 1." "Step 9." "OpenCase" "RefuseConsent" "MakeReferral" \
    "== Timeline, as " "ConsentRefused" \
    "k5-refused" "e6-statement" "ReferralFeedbackGiven" "== Consents ==" \
    "== Stage-lead history ==" "refusals standing 1"; do
  expect_out "$text"
done
# Step 10 and the rotation: every step is played.
grep -q "^  (not played" "$work/out" && fail "the demo left steps unplayed"
grep -q "(skipped" "$work/out" && fail "the demo skipped a part of the story"
for text in "ScheduleConference" "AssignStageLead" "CompleteHandover" \
    "== The successor's briefing packet" "e6-statement" \
    "counsellor2-e2e1" "transferred" "handover h-2026-e2e1" \
    "== Who led each stage"; do
  expect_out "$text"
done
grep -qE "^2026-04-02 +before-handover +counsellor-e2e1 " "$work/out" ||
  fail "the lead as known before the handover"
grep -qE "^2026-04-02 +now +counsellor2-e2e1 " "$work/out" ||
  fail "the lead after the handover"
run demo --run-id e2e1
expect_code 0 demo again
expect_out "(already done)"
grep -q "position [0-9]*)$" "$work/out" && fail "a retried step wrote again"
run demo --run-id e2e2
expect_code 0 second demo
expect_out "1 registered now, 25 already there"
expect_out "case-demo-e2e2"

# No personal data in the server's log: the story's names and free texts
# never appear there (request ids, methods, staff and stream ids do).
for secret in "母 (30代)" "長女" "長男" "lateness, dirty clothes" "the mother drinks from the morning" "how to assess the mother" \
  "母子世帯"; do
  if grep -qF -- "$secret" "$work/server.log"; then
    fail "the server log holds personal data: '$secret'"
  fi
done

# Commands in text and JSON.
run --as cw case get-case-summary --case-id demo-e2e1
expect_code 0 summary
expect_out "title:"
expect_out "母子世帯 (alcohol)"
expect_out "SUBJECT_ID"
run --as cw --json case get-case-summary --case-id demo-e2e1
expect_code 0 summary json
"$python" - "$work/out" <<'EOF' || fail "summary JSON"
import json, sys
summary = json.load(open(sys.argv[1]))
assert summary["caseId"] == "demo-e2e1", summary
assert summary["kind"] == "CASE_KIND_HOUSEHOLD", summary
assert {s["subjectId"] for s in summary["subjects"]} == {"mother", "daughter", "son"}
EOF
run --as cw referral list-referrals --direction outgoing
expect_code 0 referrals
expect_out "REFERRAL_ID"
expect_out "r-consult"
run --as cw case record-entry --case-id demo-e2e1 --entry-id e-cli \
  --subject-ids mother --categories daily-life --channel phone \
  --counterpart-subject-ids mother --contact-summary "called; she is keeping appointments" \
  --occurred-at 2024-05-01T10:00:00+09:00 --idempotency-key cli-e2e-1
expect_code 0 record entry
expect_out "stream_id:"
expect_out "case-demo-e2e1"
run --as cw --json case record-entry --case-id demo-e2e1 --entry-id e-cli \
  --subject-ids mother --categories daily-life --channel phone \
  --counterpart-subject-ids mother --contact-summary "called; she is keeping appointments" \
  --occurred-at 2024-05-01T10:00:00+09:00 --idempotency-key cli-e2e-1
expect_code 0 record entry retry
expect_out '"duplicate": true'

# Telling a household member: the check, then the record.
run --as cw consent check-subject-disclosure --case-id demo-e2e1 --entry-id e-cli \
  --subject-id mother
expect_code 0 check subject disclosure
expect_out "subject_access"
expect_out "'mother' may be told information about themselves."
run --as cw consent record-subject-disclosure --case-id demo-e2e1 \
  --disclosure-id d-cli --subject-id mother --entry-ids e-cli \
  --summary "went through the contact with her" --channel phone \
  --idempotency-key cli-e2e-2
expect_code 0 record subject disclosure
expect_out "case-demo-e2e1"
run --as cw consent check-subject-disclosure --case-id demo-e2e1 \
  --entry-id e6-statement --subject-id mother
expect_code 0 check a withheld entry
expect_out "denial_reason:"

# Errors: the server's code name and exit 1; usage errors exit 2.
run --as cw case get-case-summary --case-id no-such-case
expect_code 1 unknown case
grep -qE '^error: [A-Z_]+: ' "$work/err" || fail "no code name for an unknown case"
run --as cw case open-case --case-id x --kind family
expect_code 2 bad enum
expect_err "is not a CaseKind"

# Audit shortcuts.
run --as auditor audit verify
expect_code 0 verify
expect_out "chain ok: positions 1.."
run --as auditor audit tail --from 1 --count 3
expect_code 0 tail
[[ $(wc -l <"$work/out") == 3 ]] || fail "tail printed other than 3 lines"
expect_out "directory@1"
# Live: a tail from the next position prints the event appended after it,
# and the record of the tail itself (a subscription is an audited read).
run --as auditor --json audit get-head
head=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["position"])' "$work/out")
"$renkei_bin" --server "127.0.0.1:$port" --as auditor audit tail \
  --from $((head + 1)) --count 2 >"$work/tail" 2>&1 &
tail_pid=$!
run --as cw case record-entry --case-id demo-e2e1 --entry-id e-live \
  --subject-ids son --categories child-rearing --channel in-person \
  --counterpart-subject-ids son --contact-summary "picked up on time"
expect_code 0 live entry
for _ in $(seq 1 50); do
  kill -0 "$tail_pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$tail_pid" 2>/dev/null && { kill "$tail_pid"; fail "tail did not see the new event"; }
wait "$tail_pid" || fail "tail failed: $(cat "$work/tail")"
grep -q "EntryRecorded.*entry_id=e-live" "$work/tail" || fail "tail printed: $(cat "$work/tail")"
grep -q "access-audit@.*AuditLogRead.*query=Subscribe" "$work/tail" ||
  fail "tail's own read is not recorded: $(cat "$work/tail")"

run --as auditor audit replay demo-e2e1 --as-of 2024-04-07 --axis occurred
expect_code 0 replay
expect_out "(occurred time): "
expect_out " events applied, last position "
expect_out "refusals_standing: 1"

# The Python example, as an auditor.
set +e
"$python" "$root/clients/python/replay_case.py" --server "127.0.0.1:$port" \
  --as auditor demo-e2e1 --as-of 2024-04-13T12:00:00Z --axis occurred \
  >"$work/out" 2>"$work/err"
code=$?
set -e
expect_code 0 python replay
expect_out "case demo-e2e1 as of 2024-04-13T12:00:00Z (occurred time)"
expect_out "ConsentRefused"
expect_out "ConsentGiven"
grep -q "k8-clinic\|ReferralAccepted.*r-clinic" "$work/out" && fail "python replay shows the future"
set +e
"$python" "$root/clients/python/replay_case.py" --server "127.0.0.1:$port" \
  --as cw demo-e2e1 --as-of 2024-04-13 >"$work/out" 2>"$work/err"
code=$?
set -e
expect_code 1 python replay as a non-auditor
expect_err "error: PERMISSION_DENIED"

# The same data served with mutual TLS: the CLI connects with the CA and a
# staff certificate (RENKEI_TLS_*), and a plaintext client gets nothing.
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""
bash "$root/deploy/issue-cert.sh" "$work/certs" server >/dev/null
bash "$root/deploy/issue-cert.sh" "$work/certs" staff cw >/dev/null
"$server_bin" --listen "127.0.0.1:$port" --data-dir "$work/data" \
  --tls-cert-file "$work/certs/server.pem" --tls-key-file "$work/certs/server.key" \
  --tls-client-ca-file "$work/certs/ca.pem" >>"$work/server.log" 2>&1 &
server_pid=$!
export RENKEI_TLS_CA="$work/certs/ca.pem" RENKEI_TLS_CERT="$work/certs/staff-cw.pem" \
  RENKEI_TLS_KEY="$work/certs/staff-cw.key"
for _ in $(seq 1 100); do
  set +e
  "$renkei_bin" --server "localhost:$port" --as cw --timeout 1 directory list-agencies \
    >"$work/out" 2>"$work/err"
  code=$?
  set -e
  grep -q UNAVAILABLE "$work/err" || break
  kill -0 "$server_pid" 2>/dev/null || fail "renkei-server with TLS exited"
  sleep 0.1
done
expect_code 0 list-agencies over mutual TLS as the certificate staff member
expect_out "city-pa"
unset RENKEI_TLS_CA RENKEI_TLS_CERT RENKEI_TLS_KEY
set +e
"$renkei_bin" --server "127.0.0.1:$port" --as cw --timeout 2 directory list-agencies \
  >"$work/out" 2>"$work/err"
code=$?
set -e
[[ "$code" != 0 ]] || fail "a plaintext client was answered by the TLS port"
expect_err "UNAVAILABLE"

# As deploy/run.sh starts it: a development CA and server certificate, the
# first administrator with a generated password, TLS, and callers who sign
# in (no header identity).
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""
bash "$root/deploy/dev-setup.sh" "$server_bin" "$work/dev" >"$work/setup.log" 2>&1 ||
  fail "dev-setup.sh: $(cat "$work/setup.log")"
[[ "$(stat -c %a "$work/dev/admin-password")" == 600 ]] || fail "admin-password is not 0600"
"$server_bin" --listen "127.0.0.1:$port" --data-dir "$work/dev" \
  --tls-cert-file "$work/dev/dev-tls/server.pem" --tls-key-file "$work/dev/dev-tls/server.key" \
  --tls-client-ca-file "$work/dev/dev-tls/ca.pem" >>"$work/server.log" 2>&1 &
server_pid=$!
export RENKEI_TLS_CA="$work/dev/dev-tls/ca.pem" RENKEI_SESSION_FILE="$work/session"
srun() {  # renkei against the signed-in server
  set +e
  "$renkei_bin" --server "localhost:$port" "$@" >"$work/out" 2>"$work/err"
  code=$?
  set -e
}
for _ in $(seq 1 100); do
  srun --timeout 1 login --as admin --password-file "$work/dev/admin-password"
  grep -q UNAVAILABLE "$work/err" || break
  kill -0 "$server_pid" 2>/dev/null || fail "renkei-server (signed-in mode) exited"
  sleep 0.1
done
expect_code 0 login as admin
expect_out "signed in as admin of city-it"
[[ "$(stat -c %a "$work/session")" == 600 ]] || fail "the session file is not 0600"
# Container probes: readiness and liveness through gRPC health, over TLS.
"$server_bin" probe --target "localhost:$port" --tls-ca-file "$work/dev/dev-tls/ca.pem" \
  || fail "probe: not ready"
"$server_bin" probe --target "localhost:$port" --tls-ca-file "$work/dev/dev-tls/ca.pem" \
  --service "" || fail "probe: not live"
if "$server_bin" probe --target "localhost:$port" --tls-ca-file "$work/dev/dev-tls/ca.pem" \
  --service no.such.service 2>/dev/null; then
  fail "probe: an unknown service was reported serving"
fi
srun session who-am-i
expect_code 0 who-am-i
expect_out "method:             session"
# A header names nobody here.
srun --as cw directory list-agencies
expect_code 1 header identity refused
expect_err "UNAUTHENTICATED"
# The demo signs each staff member of the story in.
srun demo --run-id e2e-s
expect_code 0 demo with sessions
expect_out "case-demo-e2e-s"
srun directory set-staff-password --staff-id auditor --password "the auditor's password"
expect_code 0 set the auditor password
RENKEI_SESSION_FILE="$work/auditor-session" RENKEI_PASSWORD="the auditor's password" \
  srun login --as auditor
expect_code 0 login as auditor
set +e
RENKEI_SESSION_FILE="$work/auditor-session" "$python" "$root/clients/python/replay_case.py" \
  --server "localhost:$port" demo-e2e-s --as-of 2024-04-13T12:00:00Z --axis occurred \
  >"$work/out" 2>"$work/err"
code=$?
set -e
expect_code 0 python replay over TLS with the auditor session
expect_out "case demo-e2e-s as of 2024-04-13T12:00:00Z (occurred time)"
# An online backup through the CLI, then a verified restore offline.
srun admin backup --directory "$work/backups"
expect_code 0 backup
expect_out "backup_id:"
srun logout
expect_code 0 logout
expect_out "signed out admin"
srun directory list-agencies
expect_code 2 no session after logout
expect_err "renkei login"
unset RENKEI_TLS_CA RENKEI_SESSION_FILE
"$server_bin" restore --backup-dir "$work/backups" --data-dir "$work/restored" >"$work/out" 2>"$work/err" ||
  fail "restore: $(cat "$work/err")"
expect_out "verified and restored"
[[ -d "$work/restored/log" && -f "$work/restored/pseudonym.key" ]] || fail "restore left no log"

echo "PASS"
