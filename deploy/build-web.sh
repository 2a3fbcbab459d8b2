#!/usr/bin/env bash
# Builds the browser console into clients/web/dist: installs its npm
# packages from the lockfile when they changed (npm ci), generates the
# TypeScript messages from proto/, type-checks and bundles (npm run build).
set -euo pipefail
web=$(cd "$(dirname "$0")/../clients/web" && pwd)
cd "$web"
if ! [[ node_modules/.installed -nt package-lock.json ]]; then
  npm ci --no-audit --no-fund
  touch node_modules/.installed
fi
npm run build --silent
