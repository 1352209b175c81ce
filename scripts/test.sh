#!/usr/bin/env bash
# Every test: install if needed, build (cross-process tests run compiled code), find or start Redis, run Jest.
# Extra arguments go to Jest (e.g. npm test -- libs/event-store). Ends with the line "N passed, N failed".
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_dependencies
build
ensure_redis
mkdir -p .tmp
rm -f .tmp/jest-results.json
status=0
npx jest --json --outputFile=.tmp/jest-results.json "$@" || status=$?
node scripts/print-test-counts.js .tmp/jest-results.json || status=1
exit "$status"
