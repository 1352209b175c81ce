import { Redis, RedisOptions } from 'ioredis';

/**
 * `worker` connections block for jobs and must never give up a command (BullMQ requires
 * maxRetriesPerRequest: null); `client` connections fail fast so a request or producer gets a clear error
 * while Redis is down. Both reconnect forever with a capped backoff.
 */
export function createRedisConnection(url: string, purpose: 'worker' | 'client', name = 'tsunagi'): Redis {
  const options: RedisOptions = {
    connectionName: `${name}-${purpose}`,
    lazyConnect: false,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
    ...(purpose === 'worker' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
  };
  const redis = new Redis(url, options);
  redis.on('error', () => undefined); // state is reported by /health; ioredis logs nothing useful per retry
  return redis;
}

/**
 * Resolves once the connection is ready (a fail-fast client refuses commands until then), or rejects after
 * `timeoutMs`: a request arriving while the API is still connecting waits a moment instead of failing.
 */
export async function whenReady(redis: Redis, timeoutMs = 1_000): Promise<void> {
  if (redis.status === 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  let onReady: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      onReady = resolve;
      redis.once('ready', onReady);
      timer = setTimeout(() => reject(new Error(`Redis not ready within ${timeoutMs} ms`)), timeoutMs);
    });
  } finally {
    clearTimeout(timer);
    if (onReady) redis.off('ready', onReady);
  }
}

export async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<void> {
  const started = Date.now();
  await whenReady(redis, timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), Math.max(1, timeoutMs - (Date.now() - started)));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where Redis is, without credentials, for logs and health output. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'redis://(unparseable)';
  }
}
