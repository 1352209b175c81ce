import request from 'supertest';
import { newId } from '@tsunagi/event-store';
import { TestApi, startTestApi } from '../support/test-api';
import { registerOrganisation, volunteerRoleBody } from '../support/fixtures';

describe('Idempotency-Key on writes', () => {
  let api: TestApi;
  let coordinator: string;
  let organisationId: string;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    api = await startTestApi();
    coordinator = api.bearer({ role: 'coordinator', subject: 'c-idem', wards: ['nakahara'] });
    organisationId = await registerOrganisation(api);
  });
  afterAll(() => api.close());

  it('the same key and body returns the same response and writes nothing new', async () => {
    const key = newId();
    const first = await http().post('/api/opportunities').set('Authorization', coordinator).set('Idempotency-Key', key).send(volunteerRoleBody(organisationId)).expect(201);
    const head = await api.store.headPosition();
    const again = await http().post('/api/opportunities').set('Authorization', coordinator).set('Idempotency-Key', key).send(volunteerRoleBody(organisationId)).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await api.store.headPosition()).toBe(head);
  });

  it('the same key with another body is 422, and writes nothing', async () => {
    const key = newId();
    await http().post('/api/opportunities').set('Authorization', coordinator).set('Idempotency-Key', key).send(volunteerRoleBody(organisationId)).expect(201);
    const head = await api.store.headPosition();
    const other = await http()
      .post('/api/opportunities')
      .set('Authorization', coordinator)
      .set('Idempotency-Key', key)
      .send(volunteerRoleBody(organisationId, 5))
      .expect(422);
    expect(other.body.code).toBe('idempotency.key_reused');
    expect(await api.store.headPosition()).toBe(head);
  });

  it('a retry after the stored outcome was lost finds the events it wrote (derived ids), not a second opportunity', async () => {
    const key = newId();
    const first = await http().post('/api/opportunities').set('Authorization', coordinator).set('Idempotency-Key', key).send(volunteerRoleBody(organisationId)).expect(201);
    // As if the process died before answering: its stored outcome is gone (only this key's: Redis is shared with other tests).
    const { REDIS, idempotencyRedisKey, idempotencyScope } = await import('@tsunagi/platform');
    expect(await api.app.get<import('ioredis').Redis>(REDIS).del(idempotencyRedisKey(idempotencyScope('c-idem', key)))).toBe(1);
    const head = await api.store.headPosition();
    const retry = await http().post('/api/opportunities').set('Authorization', coordinator).set('Idempotency-Key', key).send(volunteerRoleBody(organisationId)).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(await api.store.headPosition()).toBe(head);
  });

  it('keys are per caller, and a malformed key is refused', async () => {
    const key = newId();
    const mine = await http().post('/api/opportunities').set('Authorization', coordinator).set('Idempotency-Key', key).send(volunteerRoleBody(organisationId)).expect(201);
    const colleague = api.bearer({ role: 'coordinator', subject: 'c-other', wards: ['nakahara'] });
    const theirs = await http().post('/api/opportunities').set('Authorization', colleague).set('Idempotency-Key', key).send(volunteerRoleBody(organisationId)).expect(201);
    expect(theirs.body.opportunityId).not.toBe(mine.body.opportunityId);
    const bad = await http().post('/api/opportunities').set('Authorization', coordinator).set('Idempotency-Key', 'with space').send(volunteerRoleBody(organisationId)).expect(400);
    expect(bad.body.code).toBe('idempotency.key_invalid');
  });
});
