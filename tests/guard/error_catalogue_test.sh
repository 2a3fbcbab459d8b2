#!/usr/bin/env bash
# Every error Renkei's services, storage and clients mint comes from a layer's
# catalogue (an errors.cc). Fails on any absl::XxxError( call in another
# non-test source file, printing file:line of each. Tests (*_test.cc, tests/,
# testing/ helpers) may mint errors freely.
# Usage: error_catalogue_test.sh SOURCE_DIR
set -euo pipefail
cd "$1"

offenders=$(grep -rnE 'absl::[A-Za-z]+Error\(' \
    --include='*.cc' --include='*.h' storage services clients |
  grep -vE '^[^:]*(_test\.cc|/errors\.cc|/testing/[^:]*):' || true)

if [[ -n "$offenders" ]]; then
  echo "errors minted outside a layer's errors.cc catalogue:" >&2
  cut -d: -f1,2 <<<"$offenders" >&2
  echo "add a constructor to the layer's errors.{h,cc} and call it instead" >&2
  exit 1
fi
echo "every error comes from a catalogue"
