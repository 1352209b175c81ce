#!/usr/bin/env node
// Makes sure Redis answers at REDIS_URL (default redis://127.0.0.1:6379). When nothing answers at a local
// default address and redis-server is installed, starts one for this machine; otherwise says how to get one.
// Prints the URL to use on stdout (and nothing else there).
const { spawnSync } = require('node:child_process');
const { Redis } = require('ioredis');

const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

async function answers(target) {
  const redis = new Redis(target, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function hasRedisServer() {
  return spawnSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status === 0;
}

async function main() {
  if (await answers(url)) return console.log(url);
  const parsed = new URL(url);
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(parsed.hostname);
  if (local && !process.env.REDIS_URL_NO_AUTOSTART && hasRedisServer()) {
    const port = parsed.port || '6379';
    console.error(`No Redis answered at ${url}; starting redis-server on 127.0.0.1:${port}`);
    const started = spawnSync('redis-server', ['--port', port, '--bind', '127.0.0.1', '--daemonize', 'yes', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (started.status === 0) {
      for (let i = 0; i < 50; i++) {
        if (await answers(url)) return console.log(url);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  console.error(
    `Redis is needed and did not answer at ${url}.\n` +
      '  - on Debian/Ubuntu: apt-get install redis-server (this script then starts it for you), or\n' +
      '  - with Docker: docker run -d -p 6379:6379 redis:7, or\n' +
      '  - point REDIS_URL at a Redis you have (redis://host:port).',
  );
  process.exit(1);
}

main();
