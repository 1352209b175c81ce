import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { CommandExecutor } from '@tsunagi/platform';
import { FixedClock, RecordedEvent, SqliteEventStore, newId } from '@tsunagi/event-store';
import { notificationIdFor, notificationStreamId } from '@tsunagi/notifications';
import { NOTIFICATION_QUEUE } from '../../apps/worker/src/notifications/notification-job';
import { MAIL_FROM, REDIS_URL } from './support/harness';
import { TestSmtpServer } from './support/smtp';
import { World } from './support/world';

/**
 * The BUILT worker (dist/apps/worker/src/main.js) as a child process, SIGKILLed twenty times at random moments
 * while it sends 2,000 notifications, and started again each time. Every proposal's e-mail arrives (a job caught by
 * two kills in a row too); a resend happens only for a kill between the SMTP reply and the delivery record, under
 * the same Message-ID; every notification stream records one delivery.
 */
const WORKER = resolve(__dirname, '../../dist/apps/worker/src/main.js');
const PERSONS = 100;
const OPPORTUNITIES = 10; // 1,000 proposals: 1,000 e-mails + 1,000 inbox notifications
const KILLS = 20;
const CONCURRENCY = 5;
/** A killed worker's jobs are taken over after this long (NOTIFY_LOCK_MS; 30 s in production). */
const LOCK_MS = 2_000;
/** After the last kill, everything must be delivered within this long (a slow, shared CI machine included). */
const SETTLE_MS = 90_000;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('the built worker, SIGKILLed while it sends (real Redis, real SMTP)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagi-sigkill-'));
  const prefix = `sigkill-${newId()}`; // NOTIFY_QUEUE_PREFIX allows 50 characters
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(NOTIFICATION_QUEUE, { connection: redis, prefix });
  let store: SqliteEventStore;
  let smtp: TestSmtpServer;
  let child: ChildProcess | undefined;
  const output: string[] = [];

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first (this test runs the compiled worker)`);
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
    // Every message is held a moment before the SMTP reply, so kills land while sends are in flight.
    smtp = await new TestSmtpServer({ holdMs: 15 }).start();
    // A SIGKILLed client resets its SMTP connections; the server reports that as an 'error' event.
    (smtp as unknown as { server: NodeJS.EventEmitter }).server.on('error', () => undefined);
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    const leftovers = (await redis.keys(`${prefix}:*`)) as string[];
    if (leftovers.length) await redis.del(...leftovers);
    redis.disconnect();
    await smtp?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the worker; resolves once it logs that notifications run (or rejects when it exits first). */
  async function startWorker(): Promise<ChildProcess> {
    const proc = spawn(process.execPath, [WORKER], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'log',
        DATA_DIR: dir,
        EVENT_STORE: 'sqlite',
        EVENT_STORE_DURABILITY: 'normal',
        REDIS_URL,
        NOTIFY_QUEUE_PREFIX: prefix,
        SMTP_URL: smtp.url,
        MAIL_FROM,
        NOTIFY_CONCURRENCY: String(CONCURRENCY),
        NOTIFY_ATTEMPTS: '8',
        NOTIFY_BACKOFF_MS: '100',
        NOTIFY_LOCK_MS: String(LOCK_MS),

        // E-mail is sent whatever the hour the test runs at.
        QUIET_HOURS: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    await new Promise<void>((resolveReady, reject) => {
      let seen = '';
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        output.push(text);
        if (output.length > 400) output.splice(0, output.length - 400);
        seen += text;
        if (seen.includes('Notifications running')) resolveReady();
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before it was running:\n${output.join('').slice(-3000)}`)));
      setTimeout(() => reject(new Error(`worker not running within 15 s:\n${output.join('').slice(-3000)}`)), 15_000);
    });
    return proc;
  }

  async function kill(proc: ChildProcess): Promise<void> {
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  }

  it('delivers every notification exactly once in the store, resending only under the same Message-ID', async () => {
    // Proposals made now: their reminders and expiries (days away) do not fire during the test.
    const clock = new FixedClock(new Date());
    const world = new World(new CommandExecutor(store, clock));
    const org = await world.organisation({ name: 'NPO法人 なかはら子ども食堂', email: 'info@kodomo.example.jp' });
    const opportunities: string[] = [];
    for (let i = 0; i < OPPORTUNITIES; i++) opportunities.push(await world.opportunity(org, `子ども食堂の調理スタッフ ${i}`));
    const persons: { id: string; email: string }[] = [];
    for (let i = 0; i < PERSONS; i++) {
      const email = `person${i}@example.jp`;
      persons.push({ id: await world.person({ name: `参加者 ${i}`, email, language: i % 2 ? 'en' : 'ja' }), email });
    }

    const started = Date.now();
    const random = seeded(Number(process.env.FAULT_SEED ?? Date.now() % 100_000));
    // Proposals are appended while the worker is being killed, so every restart has new events and jobs in flight.
    const appending = (async () => {
      for (const opportunityId of opportunities) {
        for (const person of persons) {
          await world.propose(opportunityId, { type: 'person', id: person.id });
          if (random() < 0.05) await sleep(20);
        }
      }
    })();

    let kills = 0;
    let killsWhileSending = 0;
    let proc = await startWorker();
    while (kills < KILLS) {
      // Kill once this worker is sending (or after a few seconds with nothing to send), a moment into it.
      const before = smtp.started;
      for (const until = Date.now() + 5_000; smtp.started === before && Date.now() < until; ) await sleep(10);
      await sleep(random() * 300);
      if (smtp.started > before) killsWhileSending++;
      await kill(proc);
      kills++;
      proc = await startWorker();
    }
    await appending;
    const killPhaseEnded = Date.now() - started;

    // The last worker runs undisturbed; jobs left active by a kill come back once their lock expires (BullMQ's stalled check).
    const proposals = (await store.readAll({})).filter((e: RecordedEvent) => e.type === 'MatchProposed');
    expect(proposals).toHaveLength(PERSONS * OPPORTUNITIES);
    const addressOf = new Map(persons.map((p) => [p.id, p.email]));
    const expected = new Map<string, string>(); // e-mail notification id → address
    for (const e of proposals) {
      const { candidate } = e.data as { candidate: { type: 'person'; id: string } };
      expected.set(notificationIdFor(e.id, candidate, 'email'), addressOf.get(candidate.id)!);
    }
    const domain = MAIL_FROM.replace(/.*@|>.*/g, '');
    const idOf = (messageId: string) => /^<([0-9a-f-]{36})@/.exec(messageId)?.[1] ?? messageId;

    const deadline = Date.now() + SETTLE_MS;
    let delivered = new Map<string, RecordedEvent[]>();
    let allSentAt = 0;
    for (;;) {
      const events = await store.readAll({ filter: { streamPrefixes: ['notification-'] } });
      delivered = new Map();
      for (const e of events) delivered.set(e.streamId, [...(delivered.get(e.streamId) ?? []), e]);
      const received = new Set(smtp.received.map((m) => idOf(m.messageId)));
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
      const pending = counts.waiting + counts.active + counts.delayed + counts.prioritized;
      const allSent = [...expected.keys()].every((id) => received.has(id));
      if (allSent && !allSentAt) allSentAt = Date.now() - started;
      if (allSent && pending === 0 && delivered.size >= 2 * proposals.length) break;
      if (Date.now() > deadline) {
        const missing = [...expected.keys()].filter((id) => !received.has(id));
        // Where each missing notification is stuck: its job's state in Redis and what its stream recorded.
        const states = await Promise.all(
          missing.slice(0, 10).map(async (id) => {
            const job = await queue.getJob(id);
            const recorded = (delivered.get(notificationStreamId(id)) ?? []).map((e) => e.type).join('+') || 'no record';
            return `${id}: ${job ? `${await job.getState()} after ${job.attemptsMade} attempts${job.failedReason ? ` (${job.failedReason})` : ''}` : 'no job'}, ${recorded}`;
          }),
        );
        throw new Error(
          `not settled after ${kills} kills: ${missing.length} e-mails missing, queue ${JSON.stringify(counts)}, ${delivered.size} notification streams\n${states.join('\n')}\n${output.join('').slice(-2000)}`,
        );
      }
      await sleep(250);
    }
    await kill(proc);

    // Every expected (event, recipient) e-mail arrived, to the right address, with the notification's Message-ID.
    const byId = new Map<string, typeof smtp.received>();
    for (const m of smtp.received) byId.set(idOf(m.messageId), [...(byId.get(idOf(m.messageId)) ?? []), m]);
    for (const [id, address] of expected) {
      const copies = byId.get(id) ?? [];
      expect(copies.length).toBeGreaterThanOrEqual(1);
      for (const copy of copies) {
        expect(copy.to).toEqual([address]);
        expect(copy.messageId).toBe(`<${id}@${domain}>`);
      }
    }
    // No e-mail that was not expected.
    expect([...byId.keys()].filter((id) => !expected.has(id))).toEqual([]);
    // A duplicate needs a kill between the SMTP reply and the record: at most one per job in flight per kill.
    const duplicates = smtp.received.length - byId.size;
    expect(duplicates).toBeLessThanOrEqual(kills * CONCURRENCY);

    // Every notification stream (e-mail and inbox) records exactly one NotificationDelivered and no failure.
    expect(delivered.size).toBe(2 * proposals.length);
    for (const [streamId, events] of delivered) {
      const types = events.map((e) => e.type);
      if (types.filter((t) => t === 'NotificationDelivered').length !== 1 || types.includes('NotificationFailed')) {
        throw new Error(`${streamId}: ${types.join(', ')}`);
      }
    }
    expect((await queue.getJobCounts('failed')).failed).toBe(0);
    // Deliberately visible in the test output: how hard the run was.
    console.log(
      `sigkill fault: ${kills} kills (${killsWhileSending} while sending), ${smtp.received.length} e-mails for ${expected.size} expected, ${duplicates} resends; kills ended at ${killPhaseEnded} ms, all sent at ${allSentAt} ms, settled at ${Date.now() - started} ms`,
    );
    expect(killsWhileSending).toBeGreaterThanOrEqual(KILLS / 2);
  }, 240_000);
});
