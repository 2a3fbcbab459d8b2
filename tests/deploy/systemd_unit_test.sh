#!/usr/bin/env bash
# Verifies deploy/systemd/renkei-server.service with systemd-analyze (with
# ExecStart pointing at the built binary): no warning, and the hardening
# the README promises is there.
# Usage: systemd_unit_test.sh RENKEI_SERVER_BINARY REPO_ROOT
set -euo pipefail
server_bin=$1
root=$2
unit="$root/deploy/systemd/renkei-server.service"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze is missing"; exit 1; }
sed "s|/usr/local/bin/renkei-server|$server_bin|" "$unit" >"$work/renkei-server.service"
if ! systemd-analyze verify "$work/renkei-server.service" >"$work/out" 2>&1; then
  echo "FAIL: systemd-analyze verify:"; cat "$work/out"; exit 1
fi
if [[ -s "$work/out" ]]; then
  echo "FAIL: systemd-analyze warns:"; cat "$work/out"; exit 1
fi
for key in "User=renkei" "StateDirectory=renkei" "StateDirectoryMode=0700" \
  "ProtectSystem=strict" "NoNewPrivileges=yes" "ProtectHome=yes" "UMask=0077" \
  "CapabilityBoundingSet=" "KillSignal=SIGTERM" "ReadWritePaths=-/var/backups/renkei"; do
  grep -qx -- "$key" "$unit" || { echo "FAIL: the unit lacks $key"; exit 1; }
done
# The server accepts the flags the unit starts it with.
"$server_bin" --help | grep -q -- "--config" || { echo "FAIL: no --config flag"; exit 1; }
echo "PASS"
