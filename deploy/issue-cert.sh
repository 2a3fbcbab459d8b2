#!/usr/bin/env bash
# Issues TLS certificates with openssl from a certificate authority kept in
# DIR (created on first use: ca.pem, ca.key).
#
#   deploy/issue-cert.sh DIR server [HOST ...]   server.pem/server.key for
#       the listed names and IP addresses (default: localhost 127.0.0.1)
#   deploy/issue-cert.sh DIR staff STAFF_ID      staff-STAFF_ID.pem/.key, a
#       client certificate naming the staff member as the SAN URI
#       renkei:staff:STAFF_ID (for mutual TLS)
#
# A municipality uses its own CA instead: give renkei-server its CA bundle
# with --tls-client-ca-file and issue the same SAN URIs from it.
set -euo pipefail
dir=${1:?usage: issue-cert.sh DIR server|staff ...}
kind=${2:?usage: issue-cert.sh DIR server|staff ...}
shift 2
mkdir -p "$dir"
umask 077
if [[ ! -f "$dir/ca.pem" ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Renkei development CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
fi
issue() {  # name subject san
  local name=$1 subject=$2 san=$3
  openssl req -newkey rsa:2048 -nodes -subj "$subject" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\n' "$san" >"$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 825 -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
  echo "issue-cert: $dir/$name.pem ($san)"
}
case "$kind" in
  server)
    names=("$@")
    ((${#names[@]})) || names=(localhost 127.0.0.1)
    san=""
    for n in "${names[@]}"; do
      if [[ "$n" =~ ^[0-9.]+$ || "$n" == *:* ]]; then san+="IP:$n,"; else san+="DNS:$n,"; fi
    done
    issue server "/CN=${names[0]}" "${san%,}"
    ;;
  staff)
    id=${1:?usage: issue-cert.sh DIR staff STAFF_ID}
    if [[ ! "$id" =~ ^[A-Za-z0-9._-]+$ ]]; then
      echo "issue-cert: staff id '$id' may hold letters, digits, '.', '_' and '-' only" >&2
      exit 2
    fi
    issue "staff-$id" "/CN=$id" "URI:renkei:staff:$id"
    ;;
  *)
    echo "issue-cert: unknown kind '$kind' (server or staff)" >&2
    exit 2
    ;;
esac
