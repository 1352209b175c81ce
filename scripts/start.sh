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

mail=""
if [ -z "${SMTP_URL:-}" ]; then
  # No mail relay configured: catch the worker's emails locally as .eml files.
  node scripts/dev-mail-catcher.js 1025 "${DATA_DIR}/mail" &
  mail=$!
  export SMTP_URL=smtp://127.0.0.1:1025
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
  Health        ${url}/health
  Email         ${SMTP_URL}${mail:+ (caught locally: ${DATA_DIR}/mail/*.eml)}
Development tokens (12 h):
INFO
for role in admin coordinator volunteer organisation analyst; do
  printf '  %-13s %s\n' "$role" "$(node dist/apps/cli/src/main.js tokens issue --role "$role" --ward kawasaki)"
done
echo "Ctrl-C stops the API and the worker."

wait -n "$api" "$worker" || true
stop
