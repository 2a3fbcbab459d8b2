#!/usr/bin/env bash
# `cmake --install` into a scratch prefix: the binaries, the systemd unit and
# the README land where the unit expects them, and the installed binaries run.
# Usage: install_test.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >"$prefix.log" 2>&1 || {
  echo "FAIL: cmake --install:"; cat "$prefix.log"; rm -f "$prefix.log"; exit 1; }
rm -f "$prefix.log"
for f in bin/renkei-server bin/renkei; do
  [[ -x "$prefix/$f" ]] || { echo "FAIL: $f is not installed"; exit 1; }
done
for f in lib/systemd/system/renkei-server.service share/doc/renkei/README.md; do
  [[ -f "$prefix/$f" ]] || { echo "FAIL: $f is not installed"; exit 1; }
done
# The unit starts the binary where a default prefix installs it.
grep -q "^ExecStart=/usr/local/bin/renkei-server " \
  "$prefix/lib/systemd/system/renkei-server.service" ||
  { echo "FAIL: the unit does not start bin/renkei-server"; exit 1; }
help=$("$prefix/bin/renkei-server" --help) ||
  { echo "FAIL: the installed renkei-server does not run"; exit 1; }
grep -q -- "--data-dir" <<<"$help" ||
  { echo "FAIL: the installed renkei-server's --help lacks --data-dir"; exit 1; }
"$prefix/bin/renkei" --help >/dev/null 2>&1 ||
  { echo "FAIL: the installed renkei does not run"; exit 1; }
echo "PASS"
