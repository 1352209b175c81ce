import request from 'supertest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { newId } from '@tsunagi/event-store';
import { TestApi, startTestApi } from '../support/test-api';

/** GET /metrics is not in the OpenAPI document (so not in the permission matrix): its authorization is checked here. */
describe('GET /metrics (admin only, Prometheus text of the queues)', () => {
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

  it('is not in the OpenAPI document', async () => {
    const doc = await http().get('/docs/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).not.toContain('/metrics');
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
});
