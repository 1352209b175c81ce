import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { CommandExecutor, createRedisConnection } from '@tsunagi/platform';
import { FixedClock, RecordedEvent, SqliteEventStore, newId } from '@tsunagi/event-store';
import { notificationIdFor } from '@tsunagi/notifications';
import { NOTIFICATION_QUEUE } from '../../apps/worker/src/notifications/notification-job';
import { NotificationPipeline } from '../../apps/worker/src/notifications/notification-pipeline';
import { MAIL_FROM } from './support/harness';
import { TestSmtpServer } from './support/smtp';
import { World } from './support/world';
import { freePort } from '../support/free-port';

/**
 * Redis stops in the middle of a run (SIGTERM, with an append-only file in a temporary directory) and comes back on
 * the same port. While it is down a fail-fast producer gets a clear error at once; afterwards the same pipeline
 * (no process restart) carries on, and every notification is delivered and recorded once.
 */
class OwnRedis {
  private proc?: ChildProcess;
  log = '';
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    proc.stdout!.on('data', (c: Buffer) => (this.log += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (this.log += c.toString()));
    const deadline = Date.now() + 10_000;
    while (!/Ready to accept connections/.test(this.log)) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited:\n${this.log}`);
      if (Date.now() > deadline) throw new Error(`redis-server not ready:\n${this.log}`);
      await sleep(20);
    }
    this.log = '';
  }

  /** SIGTERM: Redis flushes the append-only file and exits. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  }
}

describe('Redis stopped and started again mid-run (own redis-server, append-only file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagi-redis-restart-'));
  const prefix = `redis-restart-${newId()}`;
  let redis: OwnRedis;
  let store: SqliteEventStore;
  let smtp: TestSmtpServer;
  let pipeline: NotificationPipeline | undefined;

  beforeAll(async () => {
    redis = new OwnRedis(await freePort(), dir);
    await redis.start();
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
    smtp = await new TestSmtpServer({ holdMs: 40 }).start();
  });

  afterAll(async () => {
    await pipeline?.close();
    await redis.stop();
    await smtp.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails producers fast while Redis is down, then resumes without a restart and loses nothing', async () => {
    const clock = new FixedClock('2026-04-01T09:00:00+09:00');
    const world = new World(new CommandExecutor(store, clock));
    pipeline = new NotificationPipeline(store, clock, {
      redisUrl: redis.url,
      prefix,
      smtpUrl: smtp.url,
      mailFrom: MAIL_FROM,
      concurrency: 4,
      delivery: { attempts: 8, backoffMs: 100 },
      checkpointPath: join(dir, 'worker.sqlite'),
    });
    await pipeline.start();

    const org = await world.organisation({ name: 'NPO法人 なかはら子ども食堂', email: 'info@kodomo.example.jp' });
    const opportunityId = await world.opportunity(org, '子ども食堂の調理スタッフ');
    const persons: { id: string; email: string }[] = [];
    const propose = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const email = `person${persons.length}@example.jp`;
        const id = await world.person({ name: `参加者 ${persons.length}`, email, language: 'ja' });
        persons.push({ id, email });
        await world.propose(opportunityId, { type: 'person', id });
      }
    };
    // A producer outside the pipeline, as the API holds one: created and connected while Redis is up.
    const client = createRedisConnection(redis.url, 'client', 'tsunagi-test-producer');
    const producer = new Queue(NOTIFICATION_QUEUE, { connection: client, prefix });
    producer.on('error', () => undefined);
    await producer.waitUntilReady();
    await propose(60);

    // Stop Redis once some e-mails went out and others are still queued or in flight.
    const deadline = Date.now() + 10_000;
    while (smtp.received.length < 10) {
      if (Date.now() > deadline) throw new Error(`no e-mails before the stop (${smtp.received.length})`);
      await sleep(10);
    }
    await redis.stop();
    const sentBeforeStop = smtp.received.length;
    expect(sentBeforeStop).toBeLessThan(60);

    // A fail-fast producer (the API's client connection, connected before the outage) gets a clear error at once.
    const t0 = Date.now();
    const error = await Promise.race([
      producer.add('probe', {}, { jobId: newId() }).then(
        () => undefined,
        (e: Error) => e,
      ),
      sleep(5_000).then(() => new Error('HUNG: the producer neither succeeded nor failed within 5 s')),
    ]);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).not.toMatch(/HUNG/);
    expect(error!.message).toMatch(/writeable|Connection is closed|ECONNREFUSED|not ready|offline/i);
    const failedInMs = Date.now() - t0;
    expect(failedInMs).toBeLessThan(3_000);

    // Events keep arriving while Redis is down: the dispatcher's adds wait for it.
    await propose(20);
    await sleep(1_000);

    await redis.start();
    // Fail-fast connections reconnect on their own too.
    const t1 = Date.now();
    for (;;) {
      const ok = await producer.getJobCounts('waiting').then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (Date.now() - t1 > 10_000) throw new Error('the client connection did not come back');
      await sleep(100);
    }
    await producer.close();
    client.disconnect();

    // Same pipeline, no restart: every proposal's e-mail arrives and every notification records one delivery.
    const proposals = (await store.readAll({})).filter((e: RecordedEvent) => e.type === 'MatchProposed');
    expect(proposals).toHaveLength(80);
    const addressOf = new Map(persons.map((p) => [p.id, p.email]));
    const expected = new Map<string, string>();
    for (const e of proposals) {
      const { candidate } = e.data as { candidate: { type: 'person'; id: string } };
      expected.set(notificationIdFor(e.id, candidate, 'email'), addressOf.get(candidate.id)!);
    }
    const idOf = (messageId: string) => /^<([0-9a-f-]{36})@/.exec(messageId)?.[1] ?? messageId;
    const settleBy = Date.now() + 60_000;
    let streams = new Map<string, string[]>();
    for (;;) {
      streams = new Map();
      for (const e of await store.readAll({ filter: { streamPrefixes: ['notification-'] } })) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e.type]);
      const received = new Set(smtp.received.map((m) => idOf(m.messageId)));
      const done = [...expected.keys()].every((id) => received.has(id)) && streams.size === 2 * proposals.length;
      if (done && [...streams.values()].every((types) => types.includes('NotificationDelivered'))) break;
      if (Date.now() > settleBy) {
        const missing = [...expected.keys()].filter((id) => !received.has(id)).length;
        throw new Error(`not resumed: ${missing} e-mails missing, ${streams.size} notification streams, counts ${JSON.stringify(await pipeline.queue.getJobCounts())}`);
      }
      await sleep(200);
    }
    for (const [id, address] of expected) {
      const copies = smtp.received.filter((m) => idOf(m.messageId) === id);
      expect(copies.length).toBeGreaterThanOrEqual(1);
      for (const copy of copies) expect(copy.to).toEqual([address]);
    }
    for (const [streamId, types] of streams) {
      if (types.filter((t) => t === 'NotificationDelivered').length !== 1 || types.includes('NotificationFailed')) throw new Error(`${streamId}: ${types.join(', ')}`);
    }
    const counts = await pipeline.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    expect(counts).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    // The queue survived the restart (append-only file): every job is there, completed.
    expect(counts.completed).toBe(2 * proposals.length);
    console.log(`redis restart fault: ${sentBeforeStop} e-mails before the stop, ${smtp.received.length} in all for ${expected.size} expected; producer failed in ${failedInMs} ms: ${error!.message}`);
  }, 90_000);
});
