import request from 'supertest';
import { TokenService, loadConfig } from '@tsunagi/platform';
import { newId } from '@tsunagi/event-store';
import { TestApi, startTestApi } from '../support/test-api';

describe('operations API: health, stream catalogue, projections (HTTP, real SQLite store and Redis)', () => {
  let api: TestApi;
  let admin: string;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    api = await startTestApi();
    admin = api.bearer({ role: 'admin', subject: 'operator-1' });
  });
  afterAll(() => api.close());

  it('GET /health reports the event store, Redis and each projection with its position and lag', async () => {
    const { position } = await api.store.append(`health-${newId()}`, [{ id: newId(), type: 'Pinged', data: {} }]);
    await http().get(`/api/admin/streams/categories?minPosition=${position}`).set('Authorization', admin).expect(200);
    const res = await http().get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      eventStore: { status: 'up', adapter: 'sqlite', headPosition: position },
      redis: { status: 'up' },
      projections: expect.arrayContaining([expect.objectContaining({ name: 'stream-catalogue', state: 'live', position, lag: 0 })]),
    });
  });

  it('serves what it wrote once the projection reflects the position a write returned', async () => {
    const streamId = `match-${newId()}`;
    const { position } = await api.store.append(streamId, [
      { id: newId(), type: 'MatchProposed', data: {} },
      { id: newId(), type: 'MatchAccepted', data: {} },
    ]);
    const res = await http().get(`/api/admin/streams?category=match&minPosition=${position}`).set('Authorization', admin).expect(200);
    expect(res.body.streams).toContainEqual(
      expect.objectContaining({ streamId, category: 'match', eventCount: 2, lastRevision: 1, lastEventType: 'MatchAccepted', lastPosition: position }),
    );
  });

  it('paginates streams by cursor', async () => {
    const category = `page${Date.now()}`;
    for (let i = 0; i < 5; i++) await api.store.append(`${category}-${i}`, [{ id: newId(), type: 'Paged', data: { i } }]);
    const head = await api.store.headPosition();
    const first = await http().get(`/api/admin/streams?category=${category}&limit=2&minPosition=${head}`).set('Authorization', admin).expect(200);
    expect(first.body.streams.map((s: { streamId: string }) => s.streamId)).toEqual([`${category}-0`, `${category}-1`]);
    const rest = await http().get(`/api/admin/streams?category=${category}&limit=10&after=${first.body.nextCursor}`).set('Authorization', admin).expect(200);
    expect(rest.body.streams.map((s: { streamId: string }) => s.streamId)).toEqual([`${category}-2`, `${category}-3`, `${category}-4`]);
    expect(rest.body.nextCursor).toBeUndefined();
  });

  it('answers 503 read_model.behind when asked for a position it cannot reach in time', async () => {
    const slow = await startTestApi({ READ_WAIT_MAX_MS: '50' });
    try {
      const res = await request(slow.app.getHttpServer())
        .get('/api/admin/streams?minPosition=999999999')
        .set('Authorization', slow.bearer({ role: 'admin' }))
        .expect(503);
      expect(res.body.code).toBe('read_model.behind');
    } finally {
      await slow.close();
    }
  });

  it('rebuilds a projection on request and ends with the same read model', async () => {
    const head = await api.store.headPosition();
    const before = await http().get(`/api/admin/streams/categories?minPosition=${head}`).set('Authorization', admin).expect(200);
    await http().post('/api/admin/projections/stream-catalogue/rebuild').set('Authorization', admin).expect(202);
    const deadline = Date.now() + 10_000;
    let state = '';
    while (Date.now() < deadline) {
      const res = await http().get('/api/admin/projections').set('Authorization', admin).expect(200);
      state = res.body.projections.find((p: { name: string }) => p.name === 'stream-catalogue').state;
      if (state === 'live') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(state).toBe('live');
    const after = await http().get('/api/admin/streams/categories').set('Authorization', admin).expect(200);
    expect(after.body).toEqual(before.body);
    const unknown = await http().post('/api/admin/projections/nope/rebuild').set('Authorization', admin).expect(404);
    expect(unknown.body.code).toBe('projection.unknown');
  });

  describe('every route is guarded, and errors are problem+json with a stable code', () => {
    it('refuses a missing, forged or expired token with 401', async () => {
      const missing = await http().get('/api/admin/streams').expect(401);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(missing.body).toMatchObject({ status: 401, code: 'auth.missing_token', instance: '/api/admin/streams' });

      const forged = new TokenService('x'.repeat(40)).issue({ role: 'admin' });
      expect((await http().get('/api/admin/streams').set('Authorization', `Bearer ${forged}`).expect(401)).body.code).toBe('auth.invalid_token');

      const expired = TokenService.fromConfig(api.config).issue({ role: 'admin', expiresInSeconds: -10 });
      expect((await http().get('/api/admin/streams').set('Authorization', `Bearer ${expired}`).expect(401)).body.code).toBe('auth.invalid_token');
    });

    it.each(['coordinator', 'volunteer', 'organisation', 'analyst'] as const)('refuses the %s role on operator routes with 403', async (role) => {
      const bearer = api.bearer({ role });
      for (const [method, path] of [
        ['get', '/api/admin/streams'],
        ['get', '/api/admin/streams/categories'],
        ['get', '/api/admin/projections'],
        ['post', '/api/admin/projections/stream-catalogue/rebuild'],
      ] as const) {
        const res = await http()[method](path).set('Authorization', bearer);
        expect([res.status, res.body.code]).toEqual([403, 'auth.forbidden']);
      }
    });

    it('answers in Japanese or English by Accept-Language', async () => {
      const ja = await http().get('/api/admin/streams').set('Accept-Language', 'ja-JP,ja;q=0.9,en;q=0.8').expect(401);
      expect(ja.headers['content-language']).toBe('ja');
      expect(ja.body.detail).toBe('ログインが必要です（Bearerトークンがありません）。');
      const en = await http().get('/api/admin/streams').set('Accept-Language', 'en-GB').expect(401);
      expect(en.body.detail).toBe('Sign in: a bearer token is required.');
    });

    it('rejects unknown and malformed query parameters without echoing them', async () => {
      const unknown = await http().get('/api/admin/streams?evil=1').set('Authorization', admin).expect(400);
      expect(unknown.body).toMatchObject({ code: 'validation.failed', errors: [{ field: 'evil', rules: ['whitelistValidation'] }] });
      const wrong = await http().get('/api/admin/streams?limit=abc&category=%E5%B7%9D%27%3B').set('Authorization', admin).expect(400);
      expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['category', 'limit']);
      expect(JSON.stringify(wrong.body)).not.toContain('abc');
    });

    it('answers unknown routes with 404 problem+json', async () => {
      const res = await http().get('/api/nowhere').set('Authorization', admin).expect(404);
      expect(res.body.code).toBe('route.not_found');
    });

    it('serves the OpenAPI document without a token', async () => {
      const res = await http().get('/docs/openapi.json').expect(200);
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health', '/api/admin/streams', '/api/admin/projections/{name}/rebuild']));
    });
  });

  it('reports Redis down with 503 and keeps serving the event store', async () => {
    const noRedis = await startTestApi({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const res = await request(noRedis.app.getHttpServer()).get('/health').expect(503);
      expect(res.body).toMatchObject({ status: 'unhealthy', eventStore: { status: 'up' }, redis: { status: 'down' } });
    } finally {
      await noRedis.close();
    }
  });

  it('loads a valid configuration (sanity for the helper)', () => {
    expect(loadConfig({}).EVENT_STORE).toBe('sqlite');
  });
});
