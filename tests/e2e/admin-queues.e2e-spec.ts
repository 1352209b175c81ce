import request from 'supertest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { newId } from '@tsunagi/event-store';
import { QUEUE_DASHBOARD_COOKIE, loadBullBoard } from '../../apps/api/src/admin-queues/queue-dashboard';
import { TestApi, startTestApi } from '../support/test-api';

/**
 * GET /metrics and the bull-board dashboard at /admin/queues are not in the OpenAPI document (so not in the
 * permission matrix): their authorization is checked here, against the real Redis. The dashboard's routes are
 * Fastify's, outside Nest's guard, with a guard of their own: page and API, header and cookie.
 */
describe('GET /metrics and /admin/queues (admin only)', () => {
  const prefix = `test-metrics-${newId()}`;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const queue = new Queue('notifications', { connection: redis, prefix });
  let api: TestApi;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    api = await startTestApi({ NOTIFY_QUEUE_PREFIX: prefix });
    await queue.add('n', {}, { jobId: newId() });
    await queue.add('n', {}, { jobId: newId() });
    await queue.add('n', {}, { jobId: newId(), delay: 60_000 });
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
    await api.close();
  });

  it('neither is in the OpenAPI document', async () => {
    const doc = await http().get('/docs/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).not.toContain('/metrics');
    expect(Object.keys(doc.body.paths).filter((p) => p.startsWith('/admin/queues'))).toEqual([]);
  });

  it('answers 401 problem+json without a token or with a bad one', async () => {
    for (const auth of [undefined, 'Bearer not-a-token', 'Basic YWRtaW46YWRtaW4=']) {
      const call = http().get('/metrics');
      if (auth) call.set('Authorization', auth);
      const res = await call.expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.text).not.toContain('tsunagi_queue_jobs');
    }
  });

  it.each(['analyst', 'coordinator', 'organisation', 'volunteer'] as const)('answers 403 problem+json to %s', async (role) => {
    const res = await http()
      .get('/metrics')
      .set('Authorization', api.bearer({ role, subject: `${role}-1`, wards: ['nakahara'], organisationIds: [newId()] }))
      .expect(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('auth.forbidden');
  });

  it('gives an admin the job counts per queue and state', async () => {
    const res = await http().get('/metrics').set('Authorization', api.bearer({ role: 'admin', subject: 'operator-1' })).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('# TYPE tsunagi_queue_jobs gauge');
    const value = (state: string) => Number(new RegExp(`^tsunagi_queue_jobs\\{queue="notifications",state="${state}"\\} (\\d+)$`, 'm').exec(res.text)?.[1]);
    expect({ waiting: value('waiting'), active: value('active'), delayed: value('delayed'), failed: value('failed'), completed: value('completed') }).toEqual({
      waiting: 2,
      active: 0,
      delayed: 1,
      failed: 0,
      completed: 0,
    });
  });

  describe('the bull-board dashboard at /admin/queues', () => {
    const admin = () => api.bearer({ role: 'admin', subject: 'operator-1' });

    it('is installed (package.json lists @bull-board/api and @bull-board/fastify: npm install)', () => {
      expect(loadBullBoard()).toBeDefined();
    });

    it.each(['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/index.js'])('%s: 401 problem+json without a token or with a bad one', async (path) => {
      for (const auth of [undefined, 'Bearer not-a-token', 'Basic YWRtaW46YWRtaW4=']) {
        const call = http().get(path);
        if (auth) call.set('Authorization', auth);
        const res = await call.expect(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      const forged = await http().get(path).set('Cookie', `${QUEUE_DASHBOARD_COOKIE}=forged.token.value`).expect(401);
      expect(forged.body.code).toBe('auth.invalid_token');
    });

    it.each(['analyst', 'coordinator', 'organisation', 'volunteer'] as const)('403 problem+json to %s, page and API, header or cookie', async (role) => {
      const bearer = api.bearer({ role, subject: `${role}-1`, wards: ['nakahara'], organisationIds: [newId()], personId: newId() });
      for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
        const res = await http().get(path).set('Authorization', bearer).expect(403);
        expect(res.body.code).toBe('auth.forbidden');
        const viaCookie = await http().get(path).set('Cookie', `${QUEUE_DASHBOARD_COOKIE}=${bearer.slice('Bearer '.length)}`).expect(403);
        expect(viaCookie.body.code).toBe('auth.forbidden');
      }
      // Mutations too: retrying or cleaning a queue is for admins only.
      await http().put('/admin/queues/api/queues/notifications/retry/failed').set('Authorization', bearer).expect(403);
    });

    it('gives an admin the dashboard, and a cookie for its own requests (HttpOnly, SameSite=Strict, this path only)', async () => {
      const page = await http().get('/admin/queues').set('Authorization', admin()).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('tsunagi queues');
      const cookie = String(page.headers['set-cookie']);
      expect(cookie).toMatch(new RegExp(`^${QUEUE_DASHBOARD_COOKIE}=[^;]+; Path=/admin/queues; HttpOnly; SameSite=Strict`));

      // The page's own requests carry only the cookie: the queues with their counts.
      const queues = await http().get('/admin/queues/api/queues').set('Cookie', cookie.split(';')[0]).expect(200);
      const notifications = queues.body.queues.find((q: { name: string }) => q.name === 'notifications');
      expect(notifications.counts).toMatchObject({ waiting: 2, delayed: 1, failed: 0 });
      expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['notification-follow-ups', 'notifications']);
    });
  });
});
