import request from 'supertest';
import { TestApi, startTestApi } from '../support/test-api';
import { registerOrganisation, registerPerson, volunteerRoleBody } from '../support/fixtures';

/**
 * The whole life of each kind of match, driven through HTTP as the people who use tsunagi would:
 * a coordinator of Nakahara ward, volunteers, and the organisations' representatives.
 */
describe('matching through the API (real SQLite store and Redis)', () => {
  let api: TestApi;
  let coordinator: string;
  let organisationId: string;
  let representative: string;
  const http = () => request(api.app.getHttpServer());
  const volunteer = (personId: string) => api.bearer({ role: 'volunteer', personId });

  beforeAll(async () => {
    api = await startTestApi();
    coordinator = api.bearer({ role: 'coordinator', subject: 'coordinator-nakahara', wards: ['nakahara'] });
    organisationId = await registerOrganisation(api);
    representative = api.bearer({ role: 'organisation', subject: 'rep-1', organisationIds: [organisationId] });
  });
  afterAll(() => api.close());

  async function openRole(places = 2, overrides: Record<string, unknown> = {}) {
    const res = await http().post('/api/opportunities').set('Authorization', coordinator).send(volunteerRoleBody(organisationId, places, overrides)).expect(201);
    expect(res.body).toMatchObject({ opportunityId: expect.any(String), position: expect.any(Number) });
    return res.body.opportunityId as string;
  }

  async function propose(opportunityId: string, candidate: { type: string; id: string }, as = coordinator) {
    return http().post(`/api/opportunities/${opportunityId}/matches`).set('Authorization', as).send({ candidate, message: '土曜の調理をお願いできませんか？' });
  }

  const step = (opportunityId: string, matchId: string, action: string, as: string, body: object = {}) =>
    http().post(`/api/opportunities/${opportunityId}/matches/${matchId}/${action}`).set('Authorization', as).send(body);

  it('volunteer role: propose → accept → confirm → start → hours → approve → complete', async () => {
    const personId = await registerPerson(api);
    const opportunityId = await openRole();
    const proposed = await propose(opportunityId, { type: 'person', id: personId });
    expect(proposed.status).toBe(201);
    const { matchId } = proposed.body;

    const mine = await http().get(`/api/matches?minPosition=${proposed.body.position}`).set('Authorization', volunteer(personId)).expect(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ matchId, opportunityId, status: 'proposed', candidate: { type: 'person', id: personId } })]);

    await step(opportunityId, matchId, 'accept', volunteer(personId)).expect(200);
    await step(opportunityId, matchId, 'confirm', representative).expect(200);
    await step(opportunityId, matchId, 'start', representative).expect(200);
    const logged = await step(opportunityId, matchId, 'hours', volunteer(personId), { date: '2026-05-02', hours: 3.5, note: '配膳' }).expect(201);
    await step(opportunityId, matchId, `hours/${logged.body.entryId}/approve`, representative).expect(200);
    const done = await step(opportunityId, matchId, 'complete', coordinator).expect(200);

    const view = await http().get(`/api/matches/${matchId}?minPosition=${done.body.position}`).set('Authorization', coordinator).expect(200);
    expect(view.body).toMatchObject({ status: 'completed', hoursLogged: 3.5, hoursApproved: 3.5, origin: 'coordinator' });
    const opportunity = await http().get(`/api/opportunities/${opportunityId}`).set('Authorization', representative).expect(200);
    expect(opportunity.body).toMatchObject({ placesTaken: 1, places: 2, filled: false });
    expect(opportunity.body.matches).toHaveLength(1);
  });

  it('a volunteer’s interest becomes a proposal; a decline keeps its reason', async () => {
    const personId = await registerPerson(api);
    const opportunityId = await openRole();
    const interest = await http().post(`/api/opportunities/${opportunityId}/interest`).set('Authorization', volunteer(personId)).send({ message: '料理が好きです' }).expect(201);
    const { matchId } = interest.body;
    await http()
      .post(`/api/opportunities/${opportunityId}/matches/${matchId}/propose`)
      .set('Authorization', coordinator)
      .send({ candidate: { type: 'person', id: personId }, message: 'ぜひ' })
      .expect(200);
    const declined = await step(opportunityId, matchId, 'decline', volunteer(personId), { reason: 'no_time', text: '今月は忙しい' }).expect(200);
    const view = await http().get(`/api/matches/${matchId}?minPosition=${declined.body.position}`).set('Authorization', volunteer(personId)).expect(200);
    expect(view.body).toMatchObject({ status: 'declined', declineReason: 'no_time', origin: 'interest' });
  });

  it('pro-bono project: a professional is proposed, accepts, the organisation confirms, it ends early with a reason', async () => {
    const personId = await registerPerson(api, { proBono: { offers: true, professions: ['design'] } });
    const res = await http()
      .post('/api/opportunities')
      .set('Authorization', representative)
      .send({
        organisationId,
        title: 'ウェブサイト改修',
        description: 'Redesign our website',
        ward: 'nakahara',
        themes: ['child_rearing'],
        details: { kind: 'pro_bono_project', deliverable: '新しいウェブサイト', teamSize: 1, durationWeeks: 12, hoursPerWeek: 4, professions: ['design'] },
      })
      .expect(201);
    const opportunityId = res.body.opportunityId;
    const { body } = await propose(opportunityId, { type: 'person', id: personId });
    await step(opportunityId, body.matchId, 'accept', volunteer(personId)).expect(200);
    await step(opportunityId, body.matchId, 'confirm', representative).expect(200);
    await step(opportunityId, body.matchId, 'start', coordinator).expect(200);
    const ended = await step(opportunityId, body.matchId, 'end-early', volunteer(personId), { reason: 'health' }).expect(200);
    const view = await http().get(`/api/matches/${body.matchId}?minPosition=${ended.body.position}`).set('Authorization', representative).expect(200);
    expect(view.body).toMatchObject({ kind: 'pro_bono_project', status: 'ended_early', endReason: 'health' });
  });

  it('collaboration: an organisation is proposed to another, accepts, and it starts without confirmation', async () => {
    const partnerId = await registerOrganisation(api, { name: '株式会社 川崎テック', type: 'company', contactEmail: 'csr@kawasaki-tech.example.jp' });
    const partner = api.bearer({ role: 'organisation', subject: 'rep-2', organisationIds: [partnerId] });
    const res = await http()
      .post('/api/opportunities')
      .set('Authorization', coordinator)
      .send({
        organisationId,
        title: '会場の提供を求めています',
        description: 'A venue for a monthly café',
        ward: 'nakahara',
        themes: ['town_making'],
        details: { kind: 'collaboration', direction: 'sought', resources: ['venue'], places: 1 },
      })
      .expect(201);
    const opportunityId = res.body.opportunityId;
    const refused = await propose(opportunityId, { type: 'person', id: partnerId });
    expect([refused.status, refused.body.code]).toEqual([404, 'person.not_found']);
    const { body } = await propose(opportunityId, { type: 'organisation', id: partnerId });
    expect(body.matchId).toBeDefined();
    await step(opportunityId, body.matchId, 'accept', partner).expect(200);
    const confirm = await step(opportunityId, body.matchId, 'confirm', representative);
    expect([confirm.status, confirm.body.code]).toEqual([409, 'match.invalid_transition']);
    await step(opportunityId, body.matchId, 'start', representative).expect(200);
    const partnerView = await http().get(`/api/matches?opportunityId=${opportunityId}`).set('Authorization', partner).expect(200);
    expect(partnerView.body.items.map((m: { status: string }) => m.status)).toEqual(['started']);
  });

  it('a volunteer sees and answers only their own proposals', async () => {
    const alice = await registerPerson(api);
    const bob = await registerPerson(api);
    const opportunityId = await openRole();
    const { body } = await propose(opportunityId, { type: 'person', id: alice });
    const stolen = await step(opportunityId, body.matchId, 'accept', volunteer(bob));
    expect([stolen.status, stolen.body.code]).toEqual([403, 'auth.forbidden']);
    await http().get(`/api/matches/${body.matchId}?minPosition=${body.position}`).set('Authorization', volunteer(bob)).expect(404);
    const bobs = await http().get('/api/matches').set('Authorization', volunteer(bob)).expect(200);
    expect(bobs.body.items).toEqual([]);
    const forged = await http()
      .post(`/api/opportunities/${opportunityId}/interest`)
      .set('Authorization', volunteer(bob))
      .send({ organisationId })
      .expect(403);
    expect(forged.body.code).toBe('auth.forbidden');
  });

  it('a coordinator acts only in their wards; analysts never write', async () => {
    const elsewhere = api.bearer({ role: 'coordinator', wards: ['asao'] });
    const refused = await http().post('/api/opportunities').set('Authorization', elsewhere).send(volunteerRoleBody(organisationId)).expect(403);
    expect(refused.body.code).toBe('auth.forbidden');
    const opportunityId = await openRole();
    const personId = await registerPerson(api);
    expect((await propose(opportunityId, { type: 'person', id: personId }, elsewhere)).status).toBe(403);
    const analyst = api.bearer({ role: 'analyst' });
    expect((await propose(opportunityId, { type: 'person', id: personId }, analyst)).status).toBe(403);
    await http().post(`/api/opportunities/${opportunityId}/close`).set('Authorization', analyst).send({}).expect(403);
  });

  it('withdrawn, expired and closed: the rules hold and the answers are clear', async () => {
    const personId = await registerPerson(api);
    const opportunityId = await openRole(1);
    const first = await propose(opportunityId, { type: 'person', id: personId });
    const twice = await propose(opportunityId, { type: 'person', id: personId });
    expect([twice.status, twice.body.code]).toEqual([409, 'match.duplicate']);
    await step(opportunityId, first.body.matchId, 'expire', coordinator).expect(200);
    const again = await propose(opportunityId, { type: 'person', id: personId });
    expect(again.status).toBe(201);
    await step(opportunityId, again.body.matchId, 'withdraw', coordinator, { reason: 'role changed' }).expect(200);
    const late = await step(opportunityId, again.body.matchId, 'accept', volunteer(personId));
    expect([late.status, late.body.code, late.body.detail]).toEqual([409, 'match.invalid_transition', 'A match that is withdrawn cannot do AcceptMatch.']);
    await http().post(`/api/opportunities/${opportunityId}/close`).set('Authorization', coordinator).send({ reason: '終了' }).expect(200);
    const closed = await propose(opportunityId, { type: 'person', id: personId });
    expect([closed.status, closed.body.code]).toEqual([409, 'opportunity.closed']);
    const list = await http().get(`/api/opportunities?status=closed&ward=nakahara&minPosition=${again.body.position}`).set('Authorization', api.bearer({ role: 'analyst' })).expect(200);
    expect(list.body.items.map((o: { opportunityId: string }) => o.opportunityId)).toContain(opportunityId);
  });

  it('a coordinator proposes only people they may see: their wards, or others who agreed to be visible', async () => {
    const opportunityId = await openRole();
    const hidden = await registerPerson(api, { ward: 'asao', consents: { mayBeContacted: true, visibleToOtherWards: false } });
    const visible = await registerPerson(api, { ward: 'asao', consents: { mayBeContacted: true, visibleToOtherWards: true } });
    const refused = await propose(opportunityId, { type: 'person', id: hidden });
    expect([refused.status, refused.body.code]).toEqual([404, 'person.not_found']);
    expect((await propose(opportunityId, { type: 'person', id: visible })).status).toBe(201);
    const own = await http().post(`/api/opportunities/${opportunityId}/interest`).set('Authorization', volunteer(hidden)).send({}).expect(201);
    expect(own.body.matchId).toBeDefined();
  });

  it('finds opportunities by skill whatever the width of the characters, and by a synonym in either language', async () => {
    const free = await openRole(1, { details: { kind: 'volunteer_role', places: 1, schedule: {}, requiredSkills: ['ＬＥＤ工作'], optionalSkills: [] } });
    const byWidth = await http().get(`/api/opportunities?skill=${encodeURIComponent('led工作')}`).set('Authorization', volunteer('someone')).expect(200);
    expect(byWidth.body.items.map((o: { opportunityId: string }) => o.opportunityId)).toEqual([free]);
    const cooking = await openRole(1, { details: { kind: 'volunteer_role', places: 1, schedule: {}, requiredSkills: ['料理'], optionalSkills: [] } });
    const bySynonym = await http().get('/api/opportunities?skill=cooking&limit=500').set('Authorization', volunteer('someone')).expect(200);
    expect(bySynonym.body.items.map((o: { opportunityId: string }) => o.opportunityId)).toContain(cooking);
    expect(bySynonym.body.items.find((o: { opportunityId: string }) => o.opportunityId === cooking).details.requiredSkills).toEqual(['cooking']);
  });
});
