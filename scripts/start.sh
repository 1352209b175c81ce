#!/usr/bin/env bash
# One command on a fresh machine: install, build, find or start Redis, then run the API and the worker on the
# embedded SQLite event store under DATA_DIR (default ./data). Ctrl-C stops both.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_dependencies
build
ensure_redis
export DATA_DIR="${DATA_DIR:-./data}" PORT="${PORT:-3000}" HOST="${HOST:-127.0.0.1}"
if [ "${1:-}" = "--reset" ]; then
  echo "Resetting: removing ${DATA_DIR}" >&2
  rm -rf "${DATA_DIR}"
fi
mkdir -p "$DATA_DIR"

# On an empty data directory, a demo city (a year of a generated Kawasaki); DEMO_CITY=off starts empty.
if [ "${DEMO_CITY:-on}" != "off" ]; then
  # DEMO_CITY_ARGS sizes it (e.g. "--people 300 --months 3"); see `npm run cli -- demo load --help`.
  # shellcheck disable=SC2086
  node dist/apps/cli/src/main.js demo load --if-empty ${DEMO_CITY_ARGS:-}
fi

mail=""
if [ -z "${SMTP_URL:-}" ]; then
  # No mail relay configured: catch the worker's emails locally as .eml files.
  catcher_port="${MAIL_CATCHER_PORT:-1025}"
  node scripts/dev-mail-catcher.js "$catcher_port" "${DATA_DIR}/mail" &
  mail=$!
  export SMTP_URL="smtp://127.0.0.1:${catcher_port}"
fi

node dist/apps/worker/src/main.js &
worker=$!
node dist/apps/api/src/main.js &
api=$!
stop() { kill -TERM "$api" "$worker" $mail 2>/dev/null || true; wait "$api" "$worker" $mail 2>/dev/null || true; }
trap stop INT TERM

url="http://localhost:${PORT}"
for _ in $(seq 1 100); do
  if node -e "fetch('${url}/health').then(r=>process.exit(r.status<500?0:1)).catch(()=>process.exit(1))" 2>/dev/null; then break; fi
  if ! kill -0 "$api" 2>/dev/null; then echo "The API did not start; see the messages above." >&2; stop; exit 1; fi
  sleep 0.2
done

cat <<INFO

tsunagi is running (data in ${DATA_DIR}, Redis at ${REDIS_URL})
  API docs      ${url}/docs
  Queues        ${url}/admin/queues (admin token; bull-board)
  Health        ${url}/health
  Email         ${SMTP_URL}${mail:+ (caught locally: ${DATA_DIR}/mail/*.eml)}
Development tokens (12 h):
INFO
# With the demo city, the volunteer and organisation tokens belong to people in it (DATA_DIR/demo-city.json).
demo_id() { node -e "try{process.stdout.write(require(require('path').resolve(process.argv[1],'demo-city.json'))[process.argv[2]]||'')}catch{}" "$DATA_DIR" "$1"; }
token() { node dist/apps/cli/src/main.js tokens issue "$@"; }
volunteer=$(demo_id volunteerPersonId)
organisation=$(demo_id organisationId)
representative=$(demo_id representativePersonId)
printf '  %-13s %s\n' admin "$(token --role admin)"
printf '  %-13s %s\n' coordinator "$(token --role coordinator --ward nakahara --subject coordinator-nakahara-1)"
printf '  %-13s %s\n' volunteer "$(token --role volunteer ${volunteer:+--person "$volunteer"})"
printf '  %-13s %s\n' organisation "$(token --role organisation ${organisation:+--organisation "$organisation"} ${representative:+--person "$representative"})"
printf '  %-13s %s\n' analyst "$(token --role analyst)"
echo "Ctrl-C stops the API and the worker."

wait -n "$api" "$worker" || true
stop
