import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventStore, FixedClock, RecordedEvent, SqliteEventStore, newId } from '@tsunagi/event-store';
import { FollowUpSettings, NotificationEvent } from '@tsunagi/notifications';
import { CommandExecutor } from '@tsunagi/platform';
import { Mailer, SmtpMailer } from '../../../apps/worker/src/notifications/mailer';
import { NOTIFICATION_QUEUE, NotificationJobData } from '../../../apps/worker/src/notifications/notification-job';
import { NotificationPipeline } from '../../../apps/worker/src/notifications/notification-pipeline';
import type { QuietHoursSettings } from '../../../apps/worker/src/notifications/notification-processor';
import { SmtpBehaviour, TestSmtpServer } from './smtp';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MAIL_FROM = 'つなぎ <noreply@tsunagi.test>';

export interface HarnessOptions {
  smtp?: SmtpBehaviour;
  attempts?: number;
  backoffMs?: number;
  concurrency?: number;
  /** Wraps the event store the pipeline uses (to inject faults); the test itself writes through the real one. */
  wrapStore?: (store: EventStore) => EventStore;
  mailer?: (defaultMailer: Mailer) => Mailer;
  /** Reminders and expiries (short, in tests); none when absent. */
  followUps?: FollowUpSettings;
  /** Quiet hours (read on the harness's fixed clock); none when absent. */
  quietHours?: QuietHoursSettings;
}

type Delivered = Extract<NotificationEvent, { type: 'NotificationDelivered' }>['data'];
type Failed = Extract<NotificationEvent, { type: 'NotificationFailed' }>['data'];

/**
 * One isolated world per test: a fresh SQLite event store and worker.sqlite in a temporary directory, a fresh
 * BullMQ prefix on the real Redis (obliterated afterwards, like BullMQ's own tests), and a real SMTP server.
 */
export class Harness {
  readonly dir = mkdtempSync(join(tmpdir(), 'tsunagi-worker-'));
  readonly prefix = `test-notify-${newId()}`;
  readonly clock = new FixedClock('2026-04-01T09:00:00+09:00');
  readonly store = new SqliteEventStore({ path: join(this.dir, 'events.sqlite'), durability: 'normal' });
  readonly executor = new CommandExecutor(this.store, this.clock);
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  /** A second handle on the queue, for inspection (counts, jobs, obliteration). */
  readonly queue = new Queue<NotificationJobData>(NOTIFICATION_QUEUE, { connection: this.redis, prefix: this.prefix });
  smtp!: TestSmtpServer;
  pipeline!: NotificationPipeline;

  private constructor(private readonly options: HarnessOptions) {}

  static async create(options: HarnessOptions = {}): Promise<Harness> {
    const harness = new Harness(options);
    harness.smtp = await new TestSmtpServer(options.smtp).start();
    harness.pipeline = harness.newPipeline();
    return harness;
  }

  /** A pipeline as the worker process builds it (a second one simulates a restarted process). */
  newPipeline(): NotificationPipeline {
    const store = this.options.wrapStore ? this.options.wrapStore(this.store) : this.store;
    const concurrency = this.options.concurrency ?? 4;
    const smtp = new SmtpMailer({ url: this.smtp.url, from: MAIL_FROM, maxConnections: concurrency });
    return new NotificationPipeline(
      store,
      this.clock,
      {
        redisUrl: REDIS_URL,
        prefix: this.prefix,
        smtpUrl: this.smtp.url,
        mailFrom: MAIL_FROM,
        concurrency,
        delivery: { attempts: this.options.attempts ?? 3, backoffMs: this.options.backoffMs ?? 20 },
        checkpointPath: join(this.dir, 'worker.sqlite'),
        ...(this.options.followUps ? { followUps: this.options.followUps } : {}),
        ...(this.options.quietHours ? { quietHours: this.options.quietHours } : {}),
      },
      this.options.mailer ? this.options.mailer(smtp) : smtp,
    );
  }

  get emails() {
    return this.smtp.received;
  }

  /** Waits until the dispatcher has read everything stored and no job is waiting, delayed or running. */
  async settle(timeoutMs = 15_000, pipeline = this.pipeline): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const head = await this.store.headPosition();
    if (!(await pipeline.dispatcher.waitForPosition(head, timeoutMs))) throw new Error(`dispatcher did not reach ${head} (at ${pipeline.dispatcher.position})`);
    for (;;) {
      const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`jobs still pending: ${JSON.stringify(counts)}`);
      await sleep(20);
    }
  }

  /** Polls until `check` holds (for what happens on delayed jobs' own time). */
  async until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 8_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(20);
    }
  }

  async counts() {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
  }

  /** Every job hash under this test's prefix, as Redis holds it. */
  async jobHashes(): Promise<Record<string, string>[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}:${NOTIFICATION_QUEUE}:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const hashes: Record<string, string>[] = [];
    for (const key of keys) {
      if ((await this.redis.type(key)) === 'hash' && /:[0-9a-f-]{36}$/.test(key)) hashes.push(await this.redis.hgetall(key));
    }
    return hashes;
  }

  /** Every key under this test's prefix, whatever its type, with its contents. */
  async dumpRedis(): Promise<string> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const parts: string[] = [];
    for (const key of keys) {
      const type = await this.redis.type(key);
      if (type === 'hash') parts.push(JSON.stringify(await this.redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await this.redis.lrange(key, 0, -1)));
      else if (type === 'zset') parts.push(JSON.stringify(await this.redis.zrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await this.redis.smembers(key)));
      else if (type === 'string') parts.push(String(await this.redis.get(key)));
      else if (type === 'stream') parts.push(JSON.stringify(await this.redis.xrange(key, '-', '+')));
      parts.push(key);
    }
    return parts.join('\n');
  }

  async notificationEvents(): Promise<RecordedEvent[]> {
    return this.store.readAll({ filter: { streamPrefixes: ['notification-'] } });
  }

  async delivered(): Promise<Delivered[]> {
    return (await this.notificationEvents()).filter((e) => e.type === 'NotificationDelivered').map((e) => e.data as Delivered);
  }

  async failures(): Promise<Failed[]> {
    return (await this.notificationEvents()).filter((e) => e.type === 'NotificationFailed').map((e) => e.data as Failed);
  }

  async inbox(recipient: { type: string; id: string }): Promise<Delivered[]> {
    return (await this.delivered()).filter((d) => d.channel === 'inbox' && d.recipient.type === recipient.type && d.recipient.id === recipient.id);
  }

  emailsTo(address: string) {
    return this.emails.filter((e) => e.to.includes(address));
  }

  async close(): Promise<void> {
    await this.pipeline.close();
    await this.queue.obliterate({ force: true }).catch(() => undefined);
    await this.queue.close();
    const leftovers = (await this.redis.keys(`${this.prefix}:*`)) as string[];
    if (leftovers.length) await this.redis.del(...leftovers);
    this.redis.disconnect();
    await this.smtp.close();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
