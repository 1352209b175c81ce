# Shared by scripts/start.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null; then
  echo "tsunagi needs Node.js 20.19 or newer (found: $(node --version 2>/dev/null || echo none)). Install the current LTS from your package manager or nodejs.org." >&2
  exit 1
fi

# Installs dependencies on a fresh clone, and again whenever package-lock.json changed since the last install.
install_dependencies() {
  local stamp=node_modules/.tsunagi-installed
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    echo "Installing dependencies (better-sqlite3 may compile for a minute or two)..." >&2
    # Not `npm ci`: it refuses a lock whose other-platform optional packages the registry mirror lacks.
    # `install --no-save` follows the lock just the same and never rewrites it.
    npm install --no-save --no-audit --no-fund --loglevel=error >&2
    touch "$stamp"
  fi
}

build() {
  npm run --silent build >&2
}

ensure_redis() {
  REDIS_URL=$(node scripts/ensure-redis.js)
  export REDIS_URL
}
