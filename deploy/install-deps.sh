#!/usr/bin/env bash
# Installs the Debian 12 packages Renkei needs to build, run and test
# (clang and its runtime libraries, with libFuzzer, for deploy/fuzz.sh;
# Node.js, npm and chromium with Japanese fonts for the browser console).
# Idempotent: when everything is present it only runs dpkg-query and exits.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  librocksdb-dev libspdlog-dev libfmt-dev libabsl-dev libssl-dev openssl
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libsodium-dev
  libcpp-httplib-dev
  python3-grpcio systemd curl
  clang libclang-rt-14-dev
  chromium fonts-noto-cjk
)
# The browser console is built with Node.js and npm (Debian's, unless the
# machine already has a Node.js with npm of its own).
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(nodejs npm); fi

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "deploy: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "deploy: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
