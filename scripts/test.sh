#!/usr/bin/env bash
# Every test: install if needed, build (cross-process tests run compiled code), find or start Redis, run Jest.
# Extra arguments go to Jest (e.g. npm test -- libs/event-store). Ends with the line "N passed, N failed".
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_dependencies
build
ensure_redis
mkdir -p .tmp
if [ -z "${EVENTSTORE_CONNECTION_STRING:-}" ]; then
  echo "Note: the EventStoreDB contract suite is skipped (no EventStoreDB here); set EVENTSTORE_CONNECTION_STRING=esdb://host:2113?tls=false to run it." >&2
fi
rm -f .tmp/jest-results.json
status=0
npx jest --json --outputFile=.tmp/jest-results.json "$@" || status=$?
node scripts/print-test-counts.js .tmp/jest-results.json || status=1
exit "$status"
