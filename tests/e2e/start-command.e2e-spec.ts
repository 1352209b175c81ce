import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { TokenClaims } from '@tsunagi/domain';
import { newId } from '@tsunagi/event-store';
import { freePort } from '../support/free-port';

/**
 * The README's start command, exactly as a newcomer runs it (`npm start` is `bash scripts/start.sh`), on an empty
 * data directory: it loads a (small) demo city, starts the API and the worker, and prints tokens that work. Started
 * again on the same directory it keeps the data and loads nothing.
 */
const ROOT = resolve(__dirname, '../..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('npm start on a fresh data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsunagi-start-'));
  const prefix = `start-${newId()}`;
  let child: ChildProcess | undefined;
  let port = 0;

  afterAll(async () => {
    // The script's API, worker and mail catcher are in its process group: none may outlive the test.
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('notifications', { connection: redis, prefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs the start script until it prints that it is running; resolves with what it printed. */
  async function start(): Promise<string> {
    port = await freePort();
    const proc = spawn('bash', ['scripts/start.sh'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        MAIL_CATCHER_PORT: String(await freePort()),
        SMTP_URL: '',
        NOTIFY_QUEUE_PREFIX: prefix,
        REDIS_URL,
        DEMO_CITY_ARGS: '--people 300 --organisations 30 --months 4 --seed 5',
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child = proc;
    let output = '';
    return new Promise((resolveRunning, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl-C stops the API and the worker.')) resolveRunning(output);
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`the start command exited (${code}) before it was running:\n${output.slice(-3000)}`)));
    });
  }

  async function stop(): Promise<void> {
    const proc = child!;
    if (proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }

  const tokenFor = (output: string, role: string) => new RegExp(`^\\s+${role}\\s+(\\S+)$`, 'm').exec(output)?.[1] ?? '';
  const get = async (path: string, token?: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { items?: Record<string, unknown>[] } };
  };

  it('loads the demo city, serves it with the printed tokens, and keeps it on the next start', async () => {
    const first = await start();
    expect(first).toMatch(/Loaded in .* 300 people, 30 organisations/);
    expect(first).toContain(`http://localhost:${port}/docs`);
    const health = await get('/health');
    expect(health.status).toBe(200);
    const head = (health.body.eventStore as { headPosition: number }).headPosition;
    expect(head).toBeGreaterThan(1_000);

    // Each printed token works for its role, on the demo city's data.
    // Read-your-writes: the API's projections may still be catching up with the loaded history.
    const people = await get(`/api/people?ward=nakahara&limit=5&minPosition=${head}`, tokenFor(first, 'coordinator'));
    expect(people.status).toBe(200);
    expect(people.body.items!.length).toBeGreaterThan(0);
    const volunteer = tokenFor(first, 'volunteer');
    const own = await get(`/api/matches?limit=50&minPosition=${head}`, volunteer);
    expect(own.status).toBe(200);
    expect(own.body.items!.length).toBeGreaterThan(0);
    const { person } = JSON.parse(Buffer.from(volunteer.split('.')[1], 'base64url').toString()) as TokenClaims;
    expect(own.body.items!.every((m) => (m.candidate as { id: string }).id === person)).toBe(true);
    expect((await get('/api/sdcs', tokenFor(first, 'analyst'))).status).toBe(200);
    await stop();

    // The same data directory again: nothing reloaded, nothing lost.
    const second = await start();
    expect(second).toContain('is loaded already');
    expect(second).not.toMatch(/Loaded in/);
    const again = await get('/health');
    expect((again.body.eventStore as { headPosition: number }).headPosition).toBe(head);
    await stop();
  }, 180_000);
});
