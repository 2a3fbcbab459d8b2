#!/usr/bin/env bash
# Issues TLS certificates with openssl from a certificate authority kept in
# DIR (created on first use: ca.pem, ca.key).
#
#   deploy/issue-cert.sh DIR server [HOST ...]   server.pem/server.key for
#       the listed names and IP addresses (default: localhost 127.0.0.1)
#   deploy/issue-cert.sh DIR staff STAFF_ID      staff-STAFF_ID.pem/.key, a
#       client certificate naming the staff member as the SAN URI
#       renkei:staff:STAFF_ID (for mutual TLS)
#   deploy/issue-cert.sh DIR revoke NAME         revokes DIR/NAME.pem (e.g.
#       staff-cw) and rewrites the CRL
#   deploy/issue-cert.sh DIR crl                 (re)writes the CA's CRL in
#       DIR/crl/, hashed for renkei-server --tls-crl-dir DIR/crl
#
# A municipality uses its own CA instead: give renkei-server its CA bundle
# with --tls-client-ca-file and issue the same SAN URIs from it.
set -euo pipefail
dir=${1:?usage: issue-cert.sh DIR server|staff|revoke|crl ...}
kind=${2:?usage: issue-cert.sh DIR server|staff|revoke|crl ...}
shift 2
mkdir -p "$dir"
umask 077
if [[ ! -f "$dir/ca.pem" ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Renkei development CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
fi
# The CA's revocation database, for `revoke` and `crl` (openssl ca).
ca_config() {
  if [[ ! -f "$dir/ca.cnf" ]]; then
    mkdir -p "$dir/issued" "$dir/crl"
    : >"$dir/index.txt"
    echo 01 >"$dir/crlnumber"
    cat >"$dir/ca.cnf" <<CNF
[ ca ]
default_ca = renkei
[ renkei ]
dir = $(cd "$dir" && pwd)
database = \$dir/index.txt
new_certs_dir = \$dir/issued
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
crlnumber = \$dir/crlnumber
default_md = sha256
default_days = 825
default_crl_days = 30
policy = any_name
unique_subject = no
rand_serial = yes
[ any_name ]
commonName = supplied
CNF
  fi
}
write_crl() {
  ca_config
  openssl ca -config "$dir/ca.cnf" -gencrl -out "$dir/crl/ca-crl.pem" 2>/dev/null
  openssl rehash "$dir/crl" 2>/dev/null
  echo "issue-cert: $dir/crl/ca-crl.pem (for --tls-crl-dir $dir/crl)"
}
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
  revoke)
    name=${1:?usage: issue-cert.sh DIR revoke NAME (e.g. staff-cw)}
    [[ -f "$dir/$name.pem" ]] || { echo "issue-cert: no $dir/$name.pem" >&2; exit 2; }
    ca_config
    openssl ca -config "$dir/ca.cnf" -revoke "$dir/$name.pem" 2>/dev/null
    echo "issue-cert: revoked $dir/$name.pem"
    write_crl
    ;;
  crl)
    write_crl
    ;;
  *)
    echo "issue-cert: unknown kind '$kind' (server, staff, revoke or crl)" >&2
    exit 2
    ;;
esac
