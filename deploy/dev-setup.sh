#!/usr/bin/env bash
# Prepares a development data directory once: a development CA and a server
# certificate for localhost/127.0.0.1 in DATA_DIR/dev-tls, and the first
# administrator ("admin" of city-it) with a generated password in
# DATA_DIR/admin-password (mode 0600), and the key-encryption key that wraps
# the data keys of personal data in DATA_DIR.kek, beside the data directory
# and never inside it. Idempotent: what exists is kept.
# Usage: deploy/dev-setup.sh RENKEI_SERVER_BINARY DATA_DIR
set -euo pipefail
server_bin=${1:?usage: dev-setup.sh RENKEI_SERVER_BINARY DATA_DIR}
data_dir=${2:?usage: dev-setup.sh RENKEI_SERVER_BINARY DATA_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
umask 077
mkdir -p "$data_dir"
chmod 700 "$data_dir"
kek_file="${data_dir%/}.kek"
if [[ ! -f "$kek_file" ]]; then
  "$server_bin" generate-key "$kek_file" >/dev/null
fi
if [[ ! -f "$data_dir/dev-tls/server.pem" ]]; then
  bash "$root/deploy/issue-cert.sh" "$data_dir/dev-tls" server localhost 127.0.0.1 >/dev/null
fi
if [[ -f "$data_dir/admin-password" ]]; then
  # Set up before: the administrator (if missing) gets the password kept.
  "$server_bin" init-admin --data-dir "$data_dir" --password-file "$data_dir/admin-password"
else
  "$server_bin" init-admin --data-dir "$data_dir" \
    --generate-password-file "$data_dir/admin-password"
fi
