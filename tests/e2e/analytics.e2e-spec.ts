import request from 'supertest';
import { DEFAULT_LADDER_RULES, computeIndicators, factsOfHistory, generateHistory, stageHistory } from '@tsunagi/analytics';
import { seededRandom } from '@tsunagi/domain';
import { TestApi, startTestApi } from '../support/test-api';
import { personBody } from '../support/fixtures';
import type Database from 'better-sqlite3';
import { ProjectionsService, READ_MODELS } from '../../apps/api/src/projections/projections.service';

/**
 * The analysts' API through HTTP (real SQLite store, real Redis): a generated city history is appended to the event
 * store as the deciders would have written it, then read back through the API as analysts, coordinators and others.
 */
describe('analytics through the API', () => {
  let api: TestApi;
  const http = () => request(api.app.getHttpServer());
  let head = 0;
  const START = Date.parse('2025-04-01T00:00:00+09:00');
  const history = generateHistory({ people: 100, organisations: 8, events: 900, startMs: START, days: 400 }, seededRandom(5));
  const analyst = () => api.bearer({ role: 'analyst', subject: 'city-analyst' });
  const coordinator = () => api.bearer({ role: 'coordinator', subject: 'c-nakahara', wards: ['nakahara'] });
  const get = (url: string, token = analyst(), language = 'en') =>
    http().get(`${url}${url.includes('?') ? '&' : '?'}minPosition=${head}`).set('Authorization', token).set('Accept-Language', language);

  beforeAll(async () => {
    // A short wait for a model that is not caught up, so the 503 cases below answer quickly.
    api = await startTestApi({ ANALYTICS_MIN_COUNT: '5', READ_WAIT_MAX_MS: '300' });
    for (const e of history) head = (await api.store.append(e.streamId, [{ id: e.id, type: e.type, data: e.data }])).position;
  });
  afterAll(() => api?.close());

  it('shows the ladder in force', async () => {
    const res = await get('/api/analytics/ladder').expect(200);
    expect(res.body.ruleSet).toMatchObject({ id: DEFAULT_LADDER_RULES.id, effectiveFrom: DEFAULT_LADDER_RULES.effectiveFrom, regular: { occasions: 3, withinDays: 180 } });
    expect(res.body.stages.map((s: { ja: string }) => s.ja)).toEqual(['登録', '参加者', '継続参加者', '担い手', '企画者', 'つなぎ手']);
  });

  it('answers the indicators as of a day, naming the rule set, equal to computing them from the events', async () => {
    const res = await get('/api/analytics/indicators?ward=nakahara&from=2025-06-01&to=2025-12-31&asOf=2026-01-31').expect(200);
    expect(res.body).toMatchObject({ ruleSet: { id: DEFAULT_LADDER_RULES.id }, ward: 'nakahara', from: '2025-06-01', to: '2025-12-31', asOf: '2026-01-31' });
    const recorded = (await api.store.readAll()).filter((e) => !e.streamId.startsWith('$'));
    const expected = computeIndicators(
      factsOfHistory(recorded),
      { fromMs: Date.parse('2025-06-01T00:00:00+09:00'), toMs: Date.parse('2026-01-01T00:00:00+09:00') - 1, asOfMs: Date.parse('2026-02-01T00:00:00+09:00') - 1, ward: 'nakahara' },
      DEFAULT_LADDER_RULES,
    );
    expect(res.body.indicators).toEqual(expected);
    expect(res.body.indicators.ladder.reachedInPeriod.participant).toBeGreaterThan(0);
  });

  it('groups by month, and sdc is the same filter as ward', async () => {
    const byMonth = await get('/api/analytics/indicators?sdc=tama&from=2025-05-01&to=2025-07-31&asOf=2026-03-31&groupBy=month').expect(200);
    expect(byMonth.body.months.map((m: { month: string }) => m.month)).toEqual(['2025-05', '2025-06', '2025-07']);
    const byWard = await get('/api/analytics/indicators?ward=tama&from=2025-05-01&to=2025-07-31&asOf=2026-03-31&groupBy=month').expect(200);
    expect(byMonth.body).toEqual(byWard.body);
  });

  it('gives the ward × month funnel, nested from registered to connector', async () => {
    const res = await get('/api/analytics/funnel?ward=saiwai&from=2025-04-01&to=2026-03-31&asOf=2026-04-30').expect(200);
    expect(res.body.months).toHaveLength(12);
    for (const { reached } of res.body.months) {
      const values = Object.values(reached) as number[];
      expect(values.every((n, i) => i === 0 || n <= values[i - 1])).toBe(true);
    }
    expect(res.body.months[11].reached.registered).toBeGreaterThan(0);
  });

  it('exports CSV that Excel on a Japanese PC opens: BOM, CRLF, Japanese headers, small counts suppressed', async () => {
    const res = await get('/api/analytics/indicators?ward=nakahara&from=2025-04-01&to=2026-03-31&asOf=2026-03-31&format=csv', analyst(), 'ja,en;q=0.5')
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.split('\r\n').slice(0, -1);
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    expect(lines[0]).toBe('期間,区,基準日,ルールセット,区分,指標,指標名,内訳,値');
    const rows = lines.slice(1).map((line) => line.split(','));
    const value = (metric: string, breakdown = '') => rows.find((r) => r[5] === metric && r[7] === breakdown)?.[8];
    // With ANALYTICS_MIN_COUNT=5: counts of 1 to 4 are hidden, 0 and 5+ shown.
    for (const r of rows) {
      if (r[8] === '秘匿' || r[8] === '') continue;
      if (['people_at_stage', 'reached_in_period', 'attendances', 'newcomers', 'proposed', 'accepted', 'meetings_held'].includes(r[5])) {
        expect(Number(r[8]) === 0 || Number(r[8]) >= 5).toBe(true);
      }
    }
    expect(rows.some((r) => r[8] === '秘匿')).toBe(true);
    expect(rows.some((r) => /^\d+$/.test(r[8]) && Number(r[8]) >= 5)).toBe(true);
    expect(value('people_at_stage', 'registered')).toBeDefined();
    expect(rows.every((r) => r[1] === 'nakahara' && r[2] === '2026-03-31' && r[3] === DEFAULT_LADDER_RULES.id)).toBe(true);
  });

  it('has English headers for English readers', async () => {
    const res = await get('/api/analytics/indicators?format=csv&asOf=2026-03-31', analyst(), 'en').expect(200);
    expect(res.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('period,ward,as_of,rule_set,section,metric,label,breakdown,value');
  });

  it('shows no person ids, names or contact details in any answer', async () => {
    const answers = await Promise.all([
      get('/api/analytics/ladder'),
      get('/api/analytics/indicators?asOf=2026-03-31&groupBy=month'),
      get('/api/analytics/indicators?asOf=2026-03-31&format=csv'),
      get('/api/analytics/funnel?asOf=2026-03-31'),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/person-\d|@example\.jp|川崎 花子|org-\d|match-\d|meeting-\d|spinoff-\d/);
    }
  });

  it('lets coordinators read the wards they coordinate, and no one else but analysts and admins', async () => {
    await get('/api/analytics/indicators?ward=nakahara&asOf=2026-03-31', coordinator()).expect(200);
    await get('/api/analytics/funnel?sdc=nakahara&asOf=2026-03-31', coordinator()).expect(200);
    const other = await get('/api/analytics/indicators?ward=asao&asOf=2026-03-31', coordinator(), 'ja').expect(403);
    expect(other.body).toMatchObject({ code: 'auth.forbidden' });
    await get('/api/analytics/indicators?asOf=2026-03-31', coordinator()).expect(403);
    await get('/api/analytics/indicators', api.bearer({ role: 'admin', subject: 'a' })).expect(200);
    await get('/api/analytics/indicators', api.bearer({ role: 'volunteer', personId: 'person-1' })).expect(403);
    await get('/api/analytics/ladder', api.bearer({ role: 'organisation', subject: 'o', organisationIds: ['org-1'] })).expect(403);
    await http().get('/api/analytics/ladder').expect(401);
  });

  it('refuses bad questions with problem+json, never echoing them', async () => {
    const cases: [string, number, string][] = [
      ['/api/analytics/indicators?asOf=2026-02-30', 400, 'validation.failed'],
      ['/api/analytics/indicators?ward=osaka', 400, 'validation.failed'],
      ['/api/analytics/indicators?format=xlsx', 400, 'validation.failed'],
      ['/api/analytics/indicators?groupBy=week', 400, 'validation.failed'],
      ['/api/analytics/funnel?format=xlsx', 400, 'validation.failed'],
      ['/api/analytics/funnel?groupBy=month', 400, 'validation.failed'],
      ['/api/analytics/indicators?personId=x', 400, 'validation.failed'],
      ['/api/analytics/indicators?from=2026-03-01&to=2026-02-01&asOf=2026-03-31', 422, 'analytics.period_invalid'],
      ['/api/analytics/indicators?to=2026-04-01&asOf=2026-03-31', 422, 'analytics.period_invalid'],
      ['/api/analytics/funnel?from=2000-01-01&asOf=2026-03-31', 422, 'analytics.period_invalid'],
      ['/api/analytics/funnel?ward=tama&sdc=asao', 400, 'analytics.ward_conflict'],
    ];
    for (const [url, status, code] of cases) {
      const res = await get(url, analyst(), 'ja');
      expect([url, res.status, res.body.code]).toEqual([url, status, code]);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.text).not.toContain('osaka');
    }
  });

  it('follows new events live: a person registered through the API counts at once', async () => {
    const before = await get('/api/analytics/funnel?ward=kawasaki').expect(200);
    const { position } = (await http().post('/api/people').set('Authorization', api.bearer({ role: 'admin', subject: 'a' })).send(personBody({ ward: 'kawasaki' })).expect(201)).body;
    head = position;
    const after = await get('/api/analytics/funnel?ward=kawasaki').expect(200);
    const last = (res: request.Response) => res.body.months[res.body.months.length - 1].reached.registered;
    expect(last(after)).toBe(last(before) + 1);
  });
  it('exports the funnel as CSV too: the JSON answer\'s counts, small ones suppressed', async () => {
    const url = '/api/analytics/funnel?ward=saiwai&from=2025-04-01&to=2026-03-31&asOf=2026-04-30';
    const json = (await get(url).expect(200)).body;
    const res = await get(`${url}&format=csv`, analyst(), 'en').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="tsunagi-funnel-saiwai-2026-04-30.csv"');
    const rows = res.text.replace(/^\uFEFF/, '').split('\r\n').slice(1, -1).map((line) => line.split(','));
    const reached = (month: string, stage: string) => rows.find((r) => r[0] === month && r[5] === 'reached_by_month_end' && r[7] === stage)![8];
    expect(rows).toHaveLength(12 * 12);
    for (const m of json.months as { month: string; reached: Record<string, number> }[]) {
      for (const [stage, n] of Object.entries(m.reached)) expect(reached(m.month, stage)).toBe(n > 0 && n < 5 ? 'suppressed' : String(n));
    }
  });

  it('names the position of $all each answer counts up to', async () => {
    const storeHead = await api.store.headPosition();
    for (const url of ['/api/analytics/indicators?asOf=2026-03-31', '/api/analytics/funnel?asOf=2026-03-31']) {
      const { position } = (await get(url).expect(200)).body;
      expect(position).toBeGreaterThanOrEqual(head);
      expect(position).toBeLessThanOrEqual(storeHead);
    }
  });

  it('answers 503 read_model.not_ready, never a partial count, until the model has caught up; then answers again', async () => {
    const { runner } = api.app.get(ProjectionsService);
    await runner.stop();
    try {
      for (const url of ['/api/analytics/indicators?asOf=2026-03-31', '/api/analytics/funnel?asOf=2026-03-31']) {
        const res = await get(url, analyst(), 'ja').expect(503);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.body).toMatchObject({ code: 'read_model.not_ready', projection: 'analytics', state: 'stopped', headPosition: await api.store.headPosition() });
        expect(res.body.detail).toContain('再計算中');
      }
    } finally {
      await runner.start();
    }
    await get('/api/analytics/indicators?asOf=2026-03-31').expect(200);
  });

  it('answers 503 read_model.failed when the model stopped at an event, until it is rebuilt', async () => {
    const { runner } = api.app.get(ProjectionsService);
    // The model's table is gone, so the next analytics event cannot be applied: the projection stops there.
    api.app.get<Database.Database>(READ_MODELS).exec('DROP TABLE analytics_applied');
    const registered = await http().post('/api/people').set('Authorization', api.bearer({ role: 'admin', subject: 'a' })).send(personBody()).expect(201);
    for (let i = 0; i < 100 && (await runner.status()).find((s) => s.name === 'analytics')!.state !== 'failed'; i++) await new Promise((r) => setTimeout(r, 20));
    const res = await http().get('/api/analytics/indicators?asOf=2026-03-31').set('Authorization', analyst()).expect(503);
    expect(res.headers['retry-after']).toBe('60');
    expect(res.body).toMatchObject({ code: 'read_model.failed', projection: 'analytics', state: 'failed', position: expect.any(Number) });
    expect(res.body.position).toBeLessThan(registered.body.position);

    await runner.rebuild('analytics');
    const answer = await get('/api/analytics/indicators?asOf=2026-03-31').expect(200);
    expect(answer.body.position).toBeGreaterThanOrEqual(registered.body.position);
  });
});

/** A person's own ladder through the API: people need UUIDs there, so the generated city's person ids are mapped to some. */
describe('a person\'s ladder through the API', () => {
  let api: TestApi;
  const START = Date.parse('2025-04-01T00:00:00+09:00');
  const uuidOf = (n: string) => `00000000-0000-4000-8000-${n.padStart(12, '0')}`;
  const history = generateHistory({ people: 60, organisations: 6, events: 1500, startMs: START, days: 365 }, seededRandom(12)).map((e) => ({
    ...e,
    streamId: e.streamId.replace(/person-(\d+)$/, (_, n: string) => uuidOf(n)),
    data: JSON.parse(JSON.stringify(e.data).replace(/"person-(\d+)"/g, (_, n: string) => `"${uuidOf(n)}"`)),
  }));
  let head = 0;
  const get = (url: string, token: string) => request(api.app.getHttpServer()).get(`${url}?minPosition=${head}`).set('Authorization', token);

  beforeAll(async () => {
    api = await startTestApi();
    for (const e of history) head = (await api.store.append(e.streamId, [{ id: e.id, type: e.type, data: e.data }])).position;
  });
  afterAll(() => api?.close());

  it('shows a person their own way up the ladder, as the stage history derives it from their facts, and never to analysts', async () => {
    const facts = factsOfHistory((await api.store.readAll()).filter((e) => !e.streamId.startsWith('$')));
    const histories = new Map<string, typeof facts>();
    for (const fact of facts) if (fact.personId) histories.set(fact.personId, [...(histories.get(fact.personId) ?? []), fact]);
    const [personId, expected] = [...histories]
      .map(([id, own]) => [id, stageHistory(own, DEFAULT_LADDER_RULES)] as const)
      .reduce((best, next) => (next[1].length > best[1].length ? next : best));
    expect(expected.length).toBeGreaterThanOrEqual(4); // someone who went far: registered, participant, regular, bearer at least

    const admin = api.bearer({ role: 'admin', subject: 'a' });
    const res = await get(`/api/people/${personId}/ladder`, admin).expect(200);
    expect(res.body).toMatchObject({ personId, ruleSet: { id: DEFAULT_LADDER_RULES.id }, highest: { stage: expected.at(-1)!.stage } });
    expect(res.body.stages.map((s: { stage: number; reachedAt: string; via: string; eventId: string }) => [s.stage, s.reachedAt, s.via, s.eventId])).toEqual(
      expected.map((s) => [s.stage, new Date(s.atMs).toISOString(), s.via, s.eventId]),
    );
    expect(res.body.stages[0]).toMatchObject({ key: 'registered', ja: '登録' });
    await get(`/api/people/${personId}/ladder`, api.bearer({ role: 'volunteer', personId })).expect(200);
    expect((await get(`/api/people/${personId}/ladder`, api.bearer({ role: 'analyst', subject: 'x' })).expect(403)).body.code).toBe('auth.forbidden');
    expect((await get(`/api/people/${personId}/ladder`, api.bearer({ role: 'volunteer', personId: uuidOf('999999') })).expect(404)).body.code).toBe('person.not_found');
    await get(`/api/people/${uuidOf('999998')}/ladder`, admin).expect(404);
  });
});
