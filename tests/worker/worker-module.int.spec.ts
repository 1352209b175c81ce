import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { loadConfig } from '@tsunagi/platform';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { NotificationsService } from '../../apps/worker/src/notifications/notifications.module';
import { DispatchCheckpoints } from '../../apps/worker/src/notifications/dispatch-checkpoint';
import { FOLLOW_UP_QUEUE, followUpIdFor } from '../../apps/worker/src/notifications/follow-up-job';
import { Harness, MAIL_FROM, REDIS_URL } from './support/harness';

const DAY = 24 * 3_600_000;
import { World } from './support/world';

/** The worker process as main.ts builds it: settings from the environment, the pipeline started and closed by Nest. */
describe('worker module', () => {
  let h: Harness;
  let app: INestApplicationContext | undefined;

  beforeEach(async () => {
    h = await Harness.create({ smtp: { holdMs: 300 } });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await h.close();
  });

  it('delivers from the configured event store to the configured SMTP server, and on close finishes the job in flight', async () => {
    const config = loadConfig({
      DATA_DIR: h.dir,
      REDIS_URL,
      SMTP_URL: h.smtp.url,
      MAIL_FROM,
      NOTIFY_QUEUE_PREFIX: h.prefix,
      NOTIFY_BACKOFF_MS: '20',
      // E-mail is sent whatever the hour the test runs at.
      QUIET_HOURS: 'off',
      NODE_ENV: 'test',
    });
    expect(config.workerDatabasePath).toBe(`${h.dir}/worker.sqlite`);
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
    await app.init();
    const notifications = app.get(NotificationsService);
    expect(notifications.pipeline.settings.prefix).toBe(h.prefix);

    // Written by "the API" (another connection to the same SQLite file); the worker's subscription sees it. Dated
    // now, so that the proposal's reminder and expiry (the default 3 and 14 days) are still ahead.
    h.clock.set(new Date());
    const world = new World(h.executor);
    const personId = await world.person({ name: 'Lucy Brown', email: 'lucy@example.jp', language: 'en' });
    const org = await world.organisation({ name: '中原商店会', email: 'office@shotenkai.example.jp' });
    const opportunityId = await world.opportunity(org, 'Morning market helpers');
    await world.propose(opportunityId, { type: 'person', id: personId });
    const deadline = Date.now() + 10_000;
    while (h.smtp.started === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(h.smtp.started).toBe(1);

    await app.close(); // what SIGTERM runs (main.ts enables the shutdown hooks)
    app = undefined;

    expect(h.emails.map((e) => [e.to, e.subject])).toEqual([[['lucy@example.jp'], 'You have been proposed for "Morning market helpers"']]);
    expect((await h.delivered()).find((d) => d.channel === 'email')?.messageId).toBe(h.emails[0].messageId);
    const checkpoints = new DispatchCheckpoints(config.workerDatabasePath);
    const [proposed] = await h.store.readAll({ filter: { eventTypes: ['MatchProposed'] } });
    expect(checkpoints.get('notifications')).toBeGreaterThanOrEqual(proposed.position);
    checkpoints.close();
    // The follow-ups of the proposal wait, delayed as configured (the defaults) from the proposal's time.
    for (const [followUp, days] of [['match_reminder', 3], ['match_expiry', 14]] as const) {
      const job = await h.redis.hgetall(`${h.prefix}:${FOLLOW_UP_QUEUE}:${followUpIdFor(followUp, proposed.id)}`);
      expect(Number(job.timestamp) + Number(job.delay)).toBeCloseTo(Date.parse(String(proposed.metadata.occurredAt)) + days * DAY, -4);
    }
  });
});
