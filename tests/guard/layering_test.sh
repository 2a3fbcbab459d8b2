#!/usr/bin/env bash
# Dependencies flow one way. Each folder's sources (tests aside) may include
# only its own headers and those of the folders listed for it below; an
# include of any other Renkei folder fails, with file:line. Generated proto
# headers ("renkei/v1/...") and libraries are not checked here.
# Usage: layering_test.sh REPO_ROOT
set -euo pipefail
root=$1
cd "$root"

# folder -> the Renkei folders it may include (besides itself).
declare -A allowed=(
  [storage]=""
  [services/privacy]="storage"
  [services/identity]="storage"
  [services/domain]="storage services/privacy/personal_fields.h"
  [services/read_models]="storage services/domain"
  [services/app]="storage services/domain services/read_models services/privacy services/identity"
  [services/connect]="storage/errors.h"
  [services/server]="storage services/domain services/app services/read_models services/privacy services/identity services/connect"
  [clients]=""
)

failures=0
for folder in "${!allowed[@]}"; do
  while IFS= read -r hit; do
    file=${hit%%:*}
    rest=${hit#*:}
    line=${rest%%:*}
    target=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$rest")
    # Its own headers.
    [[ $target == "$folder"/* ]] && continue
    ok=0
    for dep in ${allowed[$folder]}; do
      if [[ $target == "$dep" || $target == "$dep"/* ]]; then ok=1; break; fi
    done
    if ((ok == 0)); then
      echo "FAIL: $file:$line: $folder may not include \"$target\"" \
        "(allowed: ${allowed[$folder]:-nothing outside itself})"
      failures=$((failures + 1))
    fi
  done < <(grep -rnE '^#include "(storage|services|clients|tests)/' "$folder" \
             --include='*.cc' --include='*.h' |
           grep -vE '^[^:]*(_test\.cc:|test_util\.h:|/testing/|/tests/)' || true)
done
# The application layer and everything under it know nothing of gRPC.
for folder in storage services/domain services/read_models services/app; do
  while IFS= read -r hit; do
    echo "FAIL: ${hit%:*}: $folder may not include gRPC (it is transport-free)"
    failures=$((failures + 1))
  done < <(grep -rnE '^#include [<"]grpc' "$folder" --include='*.cc' --include='*.h' |
             cut -d: -f1,2 || true)
done
# The storage layer links only the log's envelope, never the domain's or the
# services' messages (proto/CMakeLists.txt: renkei_event_proto).
while IFS= read -r hit; do
  echo "FAIL: storage/CMakeLists.txt:${hit%%:*}: storage links renkei_proto" \
    "(only renkei_event_proto, the envelope, is allowed)"
  failures=$((failures + 1))
done < <(grep -nwE 'renkei_proto' storage/CMakeLists.txt || true)
if ((failures > 0)); then
  echo "$failures include(s) or link(s) against the direction of dependencies"
  exit 1
fi
echo "PASS"
