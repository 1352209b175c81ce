import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@tsunagi/event-store';
import { AppConfig, IssueTokenRequest, TokenService, loadConfig } from '@tsunagi/platform';
import { createApiApp } from '../../apps/api/src/create-api-app';

export interface TestApi {
  app: NestFastifyApplication;
  config: AppConfig;
  store: EventStore;
  /** A bearer header value for a token with this role and scopes. */
  bearer(request: IssueTokenRequest): string;
  close(): Promise<void>;
}

/** The real API on a fresh data directory (SQLite event store, real Redis from REDIS_URL or localhost). */
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsunagi-api-'));
  const config = loadConfig({
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    DATA_DIR: dataDir,
    EVENT_STORE_DURABILITY: 'normal',
    LOG_LEVEL: 'error',
    NODE_ENV: 'test',
    ...env,
  });
  const app = await createApiApp(config);
  const tokens = TokenService.fromConfig(config);
  return {
    app,
    config,
    store: app.get<EventStore>(EVENT_STORE),
    bearer: (request) => `Bearer ${tokens.issue(request)}`,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
