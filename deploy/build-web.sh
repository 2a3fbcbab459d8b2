#!/usr/bin/env bash
# Builds the browser console into clients/web/dist: installs its npm
# packages from the lockfile when they changed (npm ci), generates the
# TypeScript messages from proto/, type-checks and bundles (npm run build).
set -euo pipefail
web=$(cd "$(dirname "$0")/../clients/web" && pwd)
cd "$web"
major=$(node --version 2>/dev/null | sed 's/^v\([0-9]*\).*/\1/')
if [[ -z "$major" || "$major" -lt 20 ]]; then
  # Vite and protoc-gen-es need Node.js 20; Debian 12's own is 18.
  echo "deploy: skipping the browser console: it needs Node.js 20 or later" \
    "(found ${major:-none}); the server runs without it" >&2
  exit 0
fi
if ! [[ node_modules/.installed -nt package-lock.json ]]; then
  npm ci --no-audit --no-fund
  touch node_modules/.installed
fi
npm run build --silent
