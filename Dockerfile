# syntax=docker/dockerfile:1
# One image for the tsunagi API and the worker; docker-compose.yml picks the command.
# Builds on the current Node LTS. The code also runs on Node 20.19+ and 22 (package.json "engines").
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: install everything, compile, then drop the dev dependencies -------------------------------
FROM ${NODE_IMAGE} AS build
# better-sqlite3 (and msgpackr-extract, under BullMQ) compile from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled code and production dependencies only, run as the unprivileged `node` user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only to the app user: the process can write only to /data.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Fail the build, not the first request, if the native SQLite binding does not load on this Node.
RUN node -e "new (require('better-sqlite3'))(':memory:').close()" \
 && mkdir -p /data \
 && chown node:node /data
USER node
# DATA_DIR: the embedded event store (EVENT_STORE=sqlite) and this instance's read models.
VOLUME ["/data"]
ENV DATA_DIR=/data
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
