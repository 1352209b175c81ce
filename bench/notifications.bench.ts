/**
 * Notifications end to end against BullMQ's own ceiling, same run, same Redis, same concurrency.
 *
 * - subject `pipeline`: NotificationPipeline as the worker runs it (dispatcher reading the SQLite event store,
 *   BullMQ queue, processor, nodemailer to a real local SMTP server). Each round: N proposals to people with
 *   consent are appended while the pipeline is stopped (untimed), then a fresh pipeline on a fresh queue prefix
 *   starts at the position before them; timed until every job completed (each proposal makes 2 notifications:
 *   an e-mail and an inbox entry) and N e-mails reached the SMTP server.
 * - baseline `bullmq noop`: the same number of jobs (addBulk, like the dispatcher) processed by a BullMQ Worker
 *   whose processor does nothing, with the same concurrency, on a fresh prefix of the same Redis.
 *
 * Both rates are notifications (jobs) per second; e-mails per second are half the subject's rate. After the
 * rounds, a paced run appends proposals one by one into a running pipeline and measures event-to-delivery latency
 * (append returned → the SMTP server accepted the message); its p50/p95 are printed as notes. The pipeline's
 * start-up burst (its first e-mails open the SMTP connections) comes first and is reported apart.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FixedClock, SqliteEventStore, newId } from '@tsunagi/event-store';
import { notificationIdFor } from '@tsunagi/notifications';
import { CommandExecutor } from '@tsunagi/platform';
import { NOTIFICATION_QUEUE } from '../apps/worker/src/notifications/notification-job';
import { NotificationPipeline } from '../apps/worker/src/notifications/notification-pipeline';
import { TestSmtpServer } from '../tests/worker/support/smtp';
import { World } from '../tests/worker/support/world';
import { BenchContext, Benchmark, Sample, compare, formatMs, formatRate, interleave, percentile, scaled } from './harness';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MAIL_FROM = 'つなぎ <noreply@tsunagi.bench>';
const CONCURRENCY = 5;
const GOAL = 0.1;
const PROPOSALS_PER_ROUND = 500;
const PEOPLE = 100;
const ROUNDS = 5;
const LATENCY_EVENTS = 200;
const LATENCY_PACE_MS = 10;
const TIMEOUT_MS = 120_000;

async function waitFor(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

async function obliterate(redis: Redis, prefix: string): Promise<void> {
  const queue = new Queue(NOTIFICATION_QUEUE, { connection: redis, prefix });
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  const leftovers = (await redis.keys(`${prefix}:*`)) as string[];
  if (leftovers.length) await redis.del(...leftovers);
}

export const benchmark: Benchmark = {
  name: 'notifications',
  description: 'events → delivered e-mails (dispatcher, BullMQ, processor, SMTP) vs a BullMQ no-op worker',
  async run(ctx: BenchContext) {
    const perRound = scaled(ctx, PROPOSALS_PER_ROUND, 50);
    const rounds = ctx.rounds ?? ROUNDS;
    const store = new SqliteEventStore({ path: join(ctx.tmpDir, 'events.sqlite'), durability: 'normal' });
    const clock = new FixedClock('2026-04-01T09:00:00+09:00');
    const world = new World(new CommandExecutor(store, clock));
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const smtp = await new TestSmtpServer().start();
    (smtp as unknown as { server: NodeJS.EventEmitter }).server.on('error', () => undefined);
    const receivedAt = new Map<string, number>();
    const push = smtp.received.push.bind(smtp.received);
    smtp.received.push = (...emails) => {
      for (const email of emails) receivedAt.set(email.messageId, performance.now());
      return push(...emails);
    };
    const prefixes: string[] = [];
    const freshPrefix = () => {
      const prefix = `bench-notify-${newId()}`;
      prefixes.push(prefix);
      return prefix;
    };
    const newPipeline = (prefix: string, round: number) =>
      new NotificationPipeline(store, clock, {
        redisUrl: REDIS_URL,
        prefix,
        smtpUrl: smtp.url,
        mailFrom: MAIL_FROM,
        concurrency: CONCURRENCY,
        delivery: { attempts: 3, backoffMs: 50 },
        checkpointPath: join(ctx.tmpDir, `worker-${round}.sqlite`),
      });

    try {
      ctx.log(`notifications: ${PEOPLE} people, ${perRound} proposals per round, concurrency ${CONCURRENCY}`);
      const org = await world.organisation({ name: 'NPO法人 なかはら子ども食堂', email: 'info@kodomo.example.jp' });
      const people: string[] = [];
      for (let i = 0; i < PEOPLE; i++) people.push(await world.person({ name: `参加者 ${i}`, email: `person${i}@example.jp`, language: i % 2 ? 'en' : 'ja' }));
      /** Appends `n` proposals (each to a person with consent, on opportunities of PEOPLE places each). */
      let proposed = 0;
      let opportunity = '';
      const propose = async (n: number, onEach?: () => void) => {
        for (let i = 0; i < n; i++, proposed++) {
          if (proposed % PEOPLE === 0) opportunity = await world.opportunity(org, `調理スタッフ ${proposed}`);
          await world.propose(opportunity, { type: 'person', id: people[proposed % PEOPLE] });
          onEach?.();
        }
      };

      let round = 0;
      const pipelineSide = async (): Promise<Sample> => {
        const head = await store.headPosition();
        await propose(perRound);
        const prefix = freshPrefix();
        const pipeline = newPipeline(prefix, round++);
        pipeline.checkpoints.save('notifications', head);
        const emailsBefore = smtp.received.length;
        const started = performance.now();
        await pipeline.start();
        await waitFor(async () => {
          if (smtp.received.length - emailsBefore < perRound) return false;
          const counts = await pipeline.queue.getJobCounts('completed');
          return counts.completed >= 2 * perRound;
        }, 'the pipeline to deliver');
        const ms = performance.now() - started;
        await pipeline.close();
        await obliterate(redis, prefix);
        return { work: 2 * perRound, ms };
      };

      const noopSide = async (): Promise<Sample> => {
        const prefix = freshPrefix();
        const producer = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
        const consumer = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
        const queue = new Queue(NOTIFICATION_QUEUE, { connection: producer, prefix });
        let done = 0;
        const worker = new Worker(NOTIFICATION_QUEUE, async () => undefined, { connection: consumer, prefix, concurrency: CONCURRENCY, autorun: false });
        worker.on('completed', () => done++);
        await worker.waitUntilReady();
        const jobs = Array.from({ length: 2 * perRound }, () => {
          const id = newId();
          return { name: 'notify', data: { notificationId: id }, opts: { jobId: id, removeOnComplete: { age: 3600, count: 100_000 } } };
        });
        const started = performance.now();
        void worker.run();
        for (let i = 0; i < jobs.length; i += 200) await queue.addBulk(jobs.slice(i, i + 200));
        await waitFor(() => done >= jobs.length, 'the no-op worker');
        const ms = performance.now() - started;
        await worker.close();
        await queue.close();
        producer.disconnect();
        consumer.disconnect();
        await obliterate(redis, prefix);
        return { work: jobs.length, ms };
      };

      const name = `events → e-mails, ${perRound} proposals`;
      if (ctx.selected(name)) {
        const rates = await interleave({ pipeline: pipelineSide, noop: noopSide }, { rounds, warmup: 1, log: (m) => ctx.log(m), label: 'notifications' });
        ctx.record(
          compare({
            name,
            unit: 'notifications/s',
            goal: GOAL,
            subject: { label: `pipeline (dispatcher + BullMQ + processor + SMTP), concurrency ${CONCURRENCY}`, rates: rates.pipeline },
            baseline: { label: `BullMQ no-op worker, concurrency ${CONCURRENCY}`, rates: rates.noop },
          }),
        );
        const sorted = [...rates.pipeline].sort((a, b) => a - b);
        ctx.note(`e-mails delivered per second (half the notifications): median ${formatRate(sorted[sorted.length >> 1] / 2)}`);
      }

      const latencyName = `event-to-delivery latency, ${LATENCY_EVENTS} paced proposals`;
      if (ctx.selected(latencyName)) {
        const n = scaled(ctx, LATENCY_EVENTS, 20);
        const prefix = freshPrefix();
        const pipeline = newPipeline(prefix, round++);
        pipeline.checkpoints.save('notifications', await store.headPosition());
        await pipeline.start();
        /** Appends `count` proposals `paceMs` apart; resolves with each one's delivery latency once all arrived. */
        const deliveryLatencies = async (count: number, paceMs: number): Promise<number[]> => {
          const appendedAt: number[] = [];
          for (let i = 0; i < count; i++) {
            await propose(1);
            appendedAt.push(performance.now());
            if (paceMs) await sleep(paceMs);
          }
          // The e-mails' Message-IDs derive from the proposal events, read back in append order.
          const proposals = (await store.readAll({})).filter((e) => e.type === 'MatchProposed').slice(-count);
          const ids = proposals.map((e) => messageIdOf(e.id, (e.data as { candidate: { type: 'person'; id: string } }).candidate));
          await waitFor(() => ids.every((id) => receivedAt.has(id)), 'e-mails');
          return ids.map((id, i) => receivedAt.get(id)! - appendedAt[i]);
        };
        // A fresh pipeline opens its SMTP connections on its first e-mails (each a TCP connect, the server's
        // greeting, EHLO: ≈100–250 ms with this test server), and jobs wait for the connection they were given.
        // That start-up burst is measured apart; the paced run then measures a worker that is running.
        const cold = await deliveryLatencies(2 * CONCURRENCY, 0);
        const latencies = await deliveryLatencies(n, LATENCY_PACE_MS);
        await pipeline.close();
        await obliterate(redis, prefix);
        const p50 = percentile(latencies, 50);
        const p95 = percentile(latencies, 95);
        ctx.note(`event-to-delivery latency over ${n} proposals appended every ~${LATENCY_PACE_MS} ms: p50 ${formatMs(p50)}, p95 ${formatMs(p95)}, max ${formatMs(Math.max(...latencies))}`);
        ctx.note(`start-up burst (a fresh pipeline, ${cold.length} proposals at once, before the paced run): p50 ${formatMs(percentile(cold, 50))}, max ${formatMs(Math.max(...cold))}`);
        ctx.detail('latency', { events: n, paceMs: LATENCY_PACE_MS, p50Ms: p50, p95Ms: p95, maxMs: Math.max(...latencies), startUpBurst: { events: cold.length, p50Ms: percentile(cold, 50), maxMs: Math.max(...cold) } });
      }
    } finally {
      for (const prefix of prefixes) await obliterate(redis, prefix);
      redis.disconnect();
      await smtp.close();
      await store.close();
    }

    function messageIdOf(eventId: string, candidate: { type: 'person'; id: string }): string {
      return `<${notificationIdFor(eventId, candidate, 'email')}@tsunagi.bench>`;
    }
  },
};
