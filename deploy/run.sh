#!/usr/bin/env bash
# Installs, builds and starts renkei-server on 127.0.0.1:50051 with its data
# in ./renkei-data, and builds the `renkei` CLI. On the first start it creates
# (deploy/dev-setup.sh) a development CA and server certificate in
# renkei-data/dev-tls and the directory's first administrator ("admin" of
# city-it) with a generated password in renkei-data/admin-password. The
# server speaks TLS; callers sign in with a password (`renkei login`) or
# present a client certificate from that CA (deploy/issue-cert.sh). Personal
# data is sealed with data keys wrapped by the key in renkei-data.kek (made
# once, beside the data directory; keep it with the same care). The browser
# console is served on https://127.0.0.1:8443/ ($RENKEI_WEB_LISTEN). Extra
# arguments go to the server (see --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RENKEI_BUILD_DIR:-$root/build}

bash "$root/deploy/build.sh" --target renkei-server --target renkei
cd "$root"
web_listen=${RENKEI_WEB_LISTEN:-127.0.0.1:8443}
data_dir=renkei-data
for ((i = 1; i <= $#; i++)); do
  if [[ "${!i}" == "--data-dir" ]]; then j=$((i + 1)); data_dir=${!j}; fi
  if [[ "${!i}" == --data-dir=* ]]; then data_dir=${!i#--data-dir=}; fi
done
bash "$root/deploy/dev-setup.sh" "$build/services/server/renkei-server" "$data_dir"
cat <<EOT
renkei-server starting (TLS, development CA in $data_dir/dev-tls).
The console: https://$web_listen/ (sign in as a staff member once the
administrator — password in $data_dir/admin-password — has set theirs with
\`renkei directory set-staff-password\`; the browser warns about the
development CA unless you import $data_dir/dev-tls/ca.pem).
In another terminal, from $root:
  $build/clients/renkei login --as admin --password-file $data_dir/admin-password
  $build/clients/renkei demo
  $build/clients/renkei session who-am-i
(the CLI finds the development CA of ./renkei-data itself for 127.0.0.1:50051;
otherwise set RENKEI_DATA_DIR=$data_dir or RENKEI_TLS_CA=$data_dir/dev-tls/ca.pem)
EOT
exec "$build/services/server/renkei-server" \
  --tls-cert-file "$data_dir/dev-tls/server.pem" \
  --tls-key-file "$data_dir/dev-tls/server.key" \
  --tls-client-ca-file "$data_dir/dev-tls/ca.pem" \
  --key-encryption-key-file "${data_dir%/}.kek" \
  --web-listen "$web_listen" --web-root "$root/clients/web/dist" "$@"
