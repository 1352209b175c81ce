import request from 'supertest';
import { TestApi, startTestApi } from '../support/test-api';
import { organisationBody, personBody, volunteerRoleBody } from '../support/fixtures';

/**
 * Suggestions through HTTP: a coordinator of Nakahara asks who to ask for a cooking role, a volunteer asks what
 * to do; consent, pauses, proposals and wards decide who appears; explanations come in the caller's language.
 */
describe('suggestions through the API (real SQLite store and Redis)', () => {
  let api: TestApi;
  let head = 0;
  const http = () => request(api.app.getHttpServer());
  const admin = () => api.bearer({ role: 'admin' });
  const nakahara = () => api.bearer({ role: 'coordinator', subject: 'coordinator-nakahara', wards: ['nakahara'] });
  const asao = () => api.bearer({ role: 'coordinator', subject: 'coordinator-asao', wards: ['asao'] });

  async function post(url: string, body: object, token = admin()) {
    const res = await http().post(url).set('Authorization', token).send(body);
    if (res.status >= 300) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    head = Math.max(head, res.body.position ?? 0);
    return res.body;
  }
  const person = async (overrides: Record<string, unknown>) => (await post('/api/people', personBody(overrides))).personId as string;

  let cook: string;
  let neighbour: string;
  let gardener: string;
  let silent: string;
  let hidden: string;
  let paused: string;
  let organisationId: string;
  let role: string;

  beforeAll(async () => {
    api = await startTestApi();
    const open = { mayBeContacted: true, visibleToOtherWards: false };
    cook = await person({ displayName: '調理 さん', skills: ['料理'], consents: open });
    neighbour = await person({ displayName: '隣の区 さん', ward: 'saiwai', skills: ['cooking'], consents: { mayBeContacted: true, visibleToOtherWards: true } });
    gardener = await person({ displayName: '園芸 さん', skills: ['園芸'], consents: open });
    silent = await person({ displayName: '連絡不可 さん', skills: ['調理'], consents: { mayBeContacted: false, visibleToOtherWards: true } });
    hidden = await person({ displayName: '非公開 さん', ward: 'asao', skills: ['調理'], consents: { mayBeContacted: true, visibleToOtherWards: false } });
    paused = await person({ displayName: '休止中 さん', skills: ['調理'], consents: open });
    await post(`/api/people/${paused}/pause`, {});
    organisationId = (await post('/api/organisations', organisationBody())).organisationId;
    role = (await post('/api/opportunities', volunteerRoleBody(organisationId, 2, { details: { kind: 'volunteer_role', places: 2, schedule: {}, requiredSkills: ['調理'], optionalSkills: [] } }))).opportunityId;
  });
  afterAll(() => api.close());

  const suggestions = (url: string, token: string, language = 'en') => http().get(`${url}${url.includes('?') ? '&' : '?'}minPosition=${head}`).set('Authorization', token).set('Accept-Language', language);

  it('ranks the people a coordinator may ask, best first, with explanations that add up, and nothing they may not have', async () => {
    const res = await suggestions(`/api/opportunities/${role}/suggestions`, nakahara()).expect(200);
    expect(res.body.policy).toBe('default@1');
    const ids = res.body.items.map((i: { personId: string }) => i.personId);
    // 料理 and cooking are the role's 調理; the gardener has no skill it needs; the neighbour lives next door.
    expect(ids).toEqual([cook, neighbour, gardener]);
    for (const item of res.body.items) {
      expect(item).not.toHaveProperty('contactEmail');
      const sum = item.explanation.components.reduce((total: number, c: { contribution: number }) => total + c.contribution, 0);
      expect(sum).toBeCloseTo(item.score, 12);
    }
    expect(res.body.items[0].explanation.components[0]).toEqual({ component: 'skills', label: 'skill coverage (required and optional)', value: 1, weight: 0.35, contribution: 0.35 });
    const ja = await suggestions(`/api/opportunities/${role}/suggestions`, nakahara(), 'ja').expect(200);
    expect(ja.body.items[0].explanation.components[0].label).toBe('スキルの一致（必須・任意）');
    // Admins see everyone who may be contacted, the Asao person who is hidden from other wards too.
    const all = await suggestions(`/api/opportunities/${role}/suggestions`, admin()).expect(200);
    expect(all.body.items.map((i: { personId: string }) => i.personId).sort()).toEqual([cook, neighbour, gardener, hidden].sort());
  });

  it('filters by ward, skill and theme, and pages with a cursor', async () => {
    const bySkill = await suggestions(`/api/opportunities/${role}/suggestions?skill=${encodeURIComponent('クッキング')}`, nakahara()).expect(200);
    expect(bySkill.body.items.map((i: { personId: string }) => i.personId)).toEqual([cook, neighbour]);
    const byWard = await suggestions(`/api/opportunities/${role}/suggestions?ward=saiwai`, nakahara()).expect(200);
    expect(byWard.body.items.map((i: { personId: string }) => i.personId)).toEqual([neighbour]);
    const byTheme = await suggestions(`/api/opportunities/${role}/suggestions?theme=elderly`, nakahara()).expect(200);
    expect(byTheme.body.items).toEqual([]);
    const first = await suggestions(`/api/opportunities/${role}/suggestions?limit=2`, nakahara()).expect(200);
    const second = await suggestions(`/api/opportunities/${role}/suggestions?limit=2&after=${first.body.nextCursor}`, nakahara()).expect(200);
    expect([...first.body.items, ...second.body.items].map((i: { personId: string }) => i.personId)).toEqual([cook, neighbour, gardener]);
    expect(second.body.nextCursor).toBeUndefined();
  });

  it('never suggests someone already proposed, and reflects it on the next read (read-your-writes)', async () => {
    const proposed = await post(`/api/opportunities/${role}/matches`, { candidate: { type: 'person', id: cook }, message: 'いかがですか' }, nakahara());
    const res = await http().get(`/api/opportunities/${role}/suggestions?minPosition=${proposed.position}`).set('Authorization', nakahara()).expect(200);
    expect(res.body.items.map((i: { personId: string }) => i.personId)).toEqual([neighbour, gardener]);
    await post(`/api/opportunities/${role}/matches/${proposed.matchId}/decline`, { reason: 'no_time' }, api.bearer({ role: 'volunteer', personId: cook }));
    const after = await suggestions(`/api/opportunities/${role}/suggestions`, nakahara()).expect(200);
    expect(after.body.items.map((i: { personId: string }) => i.personId)).not.toContain(cook);
  });

  it('offers a volunteer open roles, and coordinators only people they may see', async () => {
    const mine = await suggestions(`/api/people/${gardener}/suggestions`, api.bearer({ role: 'volunteer', personId: gardener })).expect(200);
    expect(mine.body.items.map((i: { opportunityId: string }) => i.opportunityId)).toEqual([role]);
    await suggestions(`/api/people/${gardener}/suggestions`, api.bearer({ role: 'volunteer', personId: neighbour })).expect(404);
    await suggestions(`/api/people/${hidden}/suggestions`, nakahara()).expect(404);
    expect((await suggestions(`/api/people/${neighbour}/suggestions`, nakahara()).expect(200)).body.items).toHaveLength(1);
    expect((await suggestions(`/api/people/${silent}/suggestions`, nakahara()).expect(200)).body.items).toEqual([]);
    expect((await suggestions(`/api/people/${paused}/suggestions`, admin()).expect(200)).body.items).toEqual([]);
  });

  it('answers problem+json: another ward’s role, roles not allowed, a closed role, bad filters and cursors', async () => {
    const other = await suggestions(`/api/opportunities/${role}/suggestions`, asao(), 'ja').expect(403);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(other.body.code).toBe('auth.forbidden');
    await suggestions(`/api/opportunities/${role}/suggestions`, api.bearer({ role: 'analyst' })).expect(403);
    await suggestions(`/api/opportunities/${role}/suggestions?ward=tokyo`, nakahara()).expect(400);
    await suggestions(`/api/opportunities/${role}/suggestions?colour=red`, nakahara()).expect(400);
    await suggestions(`/api/opportunities/${role}/suggestions?limit=501`, nakahara()).expect(400);
    await suggestions(`/api/opportunities/not-a-uuid/suggestions`, nakahara()).expect(400);
    await suggestions(`/api/people/${gardener}/suggestions?theme=cooking`, admin()).expect(400);
    const cursor = await suggestions(`/api/opportunities/${role}/suggestions?after=bm9wZQ`, nakahara()).expect(400);
    expect(cursor.body.code).toBe('validation.failed');
    await suggestions(`/api/opportunities/00000000-0000-4000-8000-000000000000/suggestions`, nakahara()).expect(404);
    const closedRole = (await post('/api/opportunities', volunteerRoleBody(organisationId))).opportunityId;
    await post(`/api/opportunities/${closedRole}/close`, {});
    expect((await suggestions(`/api/opportunities/${closedRole}/suggestions`, nakahara()).expect(409)).body.code).toBe('opportunity.closed');
    expect((await suggestions(`/api/people/${gardener}/suggestions`, admin()).expect(200)).body.items.map((i: { opportunityId: string }) => i.opportunityId)).not.toContain(closedRole);
  });

  it('suggests organisations for a collaboration, the best partner first, never the one that posted it', async () => {
    const partner = (await post('/api/organisations', organisationBody({ name: '中原町内会', type: 'neighbourhood_association' }))).organisationId;
    const collaboration = (
      await post('/api/opportunities', {
        organisationId,
        title: '会場を探しています',
        description: '',
        ward: 'nakahara',
        themes: ['child_rearing'],
        details: { kind: 'collaboration', direction: 'sought', resources: ['venue'], places: 1 },
      })
    ).opportunityId;
    const res = await suggestions(`/api/opportunities/${collaboration}/suggestions`, nakahara()).expect(200);
    // The partner serves the role's ward and shares its theme; the seven SDCs' organisations follow.
    const ids = res.body.items.map((i: { organisationId: string }) => i.organisationId);
    expect(ids[0]).toBe(partner);
    expect(ids).not.toContain(organisationId);
    expect(res.body.items[0]).not.toHaveProperty('contactEmail');
  });
});
