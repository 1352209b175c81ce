import request, { Response } from 'supertest';
import { EventStoreUnavailableError, newId } from '@tsunagi/event-store';
import { sdcOrganisationId } from '@tsunagi/meetings';
import { TestApi, startTestApi } from '../support/test-api';
import { heldMeetingBody, registerPerson } from '../support/fixtures';

const meetingBody = heldMeetingBody;

const spinOffBody = (origins: { meetingId: string; outcomeId: string }[], initiators: string[], overrides: Record<string, unknown> = {}) => ({
  origins,
  title: '中原こども食堂',
  purpose: '土曜の朝、保護者が運営する子ども食堂。\n地域の農家から食材を。',
  wards: ['nakahara'],
  themes: ['child_rearing', 'welfare'],
  initiators,
  ...overrides,
});

const roleBody = (overrides: Record<string, unknown> = {}) => ({
  title: ' 調理　スタッフ ',
  description: '土曜の朝、調理と配膳を手伝ってください。',
  places: 2,
  requiredSkills: ['料理'],
  schedule: { days: ['weekend'], timeBands: ['morning'] },
  ...overrides,
});

/**
 * Spin-off projects driven through HTTP as the people who use tsunagi would: the Nakahara SDC's coordinator who
 * holds and closes a meeting, the residents who start a project from its outcomes and run it, the volunteers who
 * join it or are matched to its roles, and an analyst who reads the lineage meeting → spin-off → roles → people.
 */
describe('spin-off projects through the API (real SQLite store and Redis)', () => {
  let api: TestApi;
  let coordinator: string;
  let analyst: string;
  const http = () => request(api.app.getHttpServer());
  const volunteer = (personId: string) => api.bearer({ role: 'volunteer', personId });
  const sdcOrganisation = sdcOrganisationId('nakahara');

  beforeAll(async () => {
    api = await startTestApi();
    coordinator = api.bearer({ role: 'coordinator', subject: 'coordinator-nakahara', wards: ['nakahara'] });
    analyst = api.bearer({ role: 'analyst', subject: 'analyst-1' });
  });
  afterAll(() => api.close());

  /** A meeting of the Nakahara SDC, held (these people checked in) and closed with these outcomes. */
  async function closedMeeting(outcomes: string[], attendees: string[] = []) {
    const scheduled = await http().post('/api/sdcs/nakahara/meetings/scheduled').set('Authorization', coordinator).send(meetingBody()).expect(201);
    const meetingId: string = scheduled.body.meetingId;
    for (const personId of attendees) await http().post(`/api/meetings/${meetingId}/check-ins`).set('Authorization', coordinator).send({ personId }).expect(201);
    const closed = await http()
      .post(`/api/meetings/${meetingId}/close`)
      .set('Authorization', coordinator)
      .send({ minutes: '子どもの食について意見交換した。', contributions: [], outcomes: outcomes.map((text) => ({ kind: 'idea', text })), anonymousAttendees: 0 })
      .expect(200);
    const outcomeIds: string[] = closed.body.outcomes.map((o: { outcomeId: string }) => o.outcomeId);
    return { meetingId, outcomeIds, origins: outcomeIds.map((outcomeId) => ({ meetingId, outcomeId })) };
  }

  const step = (spinOffId: string, action: string, as: string, body: object = {}) => http().post(`/api/spinoffs/${spinOffId}/${action}`).set('Authorization', as).send(body);

  /** A project proposed by a resident from a closed meeting, acknowledged and launched. */
  async function launchedSpinOff() {
    const initiator = await registerPerson(api);
    const { origins } = await closedMeeting(['マルシェを開きたい']);
    const proposed = await http().post('/api/spinoffs').set('Authorization', volunteer(initiator)).send(spinOffBody(origins, [initiator])).expect(201);
    const spinOffId: string = proposed.body.spinOffId;
    await step(spinOffId, 'acknowledge', coordinator).expect(200);
    await step(spinOffId, 'launch', volunteer(initiator)).expect(200);
    return { spinOffId, initiator };
  }

  it('meeting → spin-off → role filled through matching → lineage, milestones, exit strategy, completion', async () => {
    const initiator = await registerPerson(api);
    const member = await registerPerson(api);
    const helper = await registerPerson(api);

    // The SDC holds a meeting; two of its outcomes become one project.
    const meeting = await closedMeeting(['子ども食堂を始めたい', '地域の農家と組みたい', '次回も開く'], [initiator]);
    const origins = meeting.origins.slice(0, 2);
    const proposed = await http().post('/api/spinoffs').set('Authorization', volunteer(initiator)).send(spinOffBody(origins, [initiator])).expect(201);
    expect(proposed.body).toEqual({ spinOffId: expect.any(String), position: expect.any(Number), revision: 0 });
    const { spinOffId } = proposed.body;

    // Launched by an initiator, but only once a coordinator acknowledged it.
    const early = await step(spinOffId, 'launch', volunteer(initiator));
    expect([early.status, early.body.code]).toEqual([409, 'spinoff.not_acknowledged']);
    await step(spinOffId, 'acknowledge', coordinator).expect(200);
    const launched = await step(spinOffId, 'launch', volunteer(initiator)).expect(200);
    expect(launched.body).toEqual({ spinOffId, position: expect.any(Number), revision: 2 });

    // A resident joins; a role is opened as a volunteer-role opportunity of the SDC.
    const joined = await step(spinOffId, 'members', volunteer(member), { personId: member, role: 'staff' }).expect(201);
    expect(joined.body).toMatchObject({ spinOffId, personId: member });
    const role = await step(spinOffId, 'roles', volunteer(initiator), roleBody()).expect(201);
    expect(role.body).toEqual({ spinOffId, roleId: expect.any(String), opportunityId: expect.any(String), position: expect.any(Number), revision: expect.any(Number) });
    const { roleId, opportunityId } = role.body;
    const listed = await http().get(`/api/opportunities?organisationId=${sdcOrganisation}&minPosition=${role.body.position}`).set('Authorization', volunteer(helper)).expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        opportunityId,
        organisationId: sdcOrganisation,
        kind: 'volunteer_role',
        ward: 'nakahara',
        title: '調理 スタッフ',
        themes: ['child_rearing', 'welfare'],
        places: 2,
        status: 'open',
        details: expect.objectContaining({ requiredSkills: ['cooking'], schedule: { days: ['weekend'], timeBands: ['morning'] } }),
      }),
    ]);

    // The coordinator proposes a volunteer for the role, through matching; the volunteer accepts.
    const match = await http()
      .post(`/api/opportunities/${opportunityId}/matches`)
      .set('Authorization', coordinator)
      .send({ candidate: { type: 'person', id: helper }, message: '土曜の調理をお願いできませんか？' })
      .expect(201);
    const accepted = await http().post(`/api/opportunities/${opportunityId}/matches/${match.body.matchId}/accept`).set('Authorization', volunteer(helper)).send({}).expect(200);

    // The lineage: this meeting → the project → its role → the people who stepped up (recorded, never inferred).
    const lineage = await http().get(`/api/meetings/${meeting.meetingId}/lineage?minPosition=${accepted.body.position}`).set('Authorization', coordinator).expect(200);
    expect(lineage.body).toEqual({
      meetingId: meeting.meetingId,
      spinOffs: [
        {
          spinOffId,
          title: '中原こども食堂',
          status: 'launched',
          wards: ['nakahara'],
          outcomeIds: origins.map((o) => o.outcomeId),
          exitStrategy: null,
          roles: [{ roleId, opportunityId, title: '調理 スタッフ', status: 'open', matches: [{ matchId: match.body.matchId, status: 'accepted', personId: helper }] }],
          peopleWhoSteppedUp: [helper, member].sort(),
        },
      ],
    });
    // Analysts see the same lineage with counts instead of people.
    const counted = await http().get(`/api/meetings/${meeting.meetingId}/lineage`).set('Authorization', analyst).expect(200);
    expect(counted.body.spinOffs[0]).toMatchObject({ spinOffId, peopleWhoSteppedUp: 2, roles: [{ roleId, matches: [{ matchId: match.body.matchId, status: 'accepted' }] }] });
    for (const personId of [initiator, member, helper]) expect(JSON.stringify(counted.body)).not.toContain(personId);
    const asVolunteer = await http().get(`/api/meetings/${meeting.meetingId}/lineage`).set('Authorization', volunteer(helper)).expect(200);
    expect(asVolunteer.body.spinOffs[0].peopleWhoSteppedUp).toBe(2);

    // Milestones, an exit strategy, and the end.
    const milestone = await step(spinOffId, 'milestones', volunteer(initiator), { title: '会場を決める', dueOn: '2026-06-30' }).expect(201);
    expect(milestone.body).toMatchObject({ spinOffId, milestoneId: expect.any(String) });
    await step(spinOffId, `milestones/${milestone.body.milestoneId}/reach`, volunteer(initiator)).expect(200);
    const premature = await step(spinOffId, 'complete', volunteer(initiator), { summary: 'まだ早い' });
    expect([premature.status, premature.body.code]).toEqual([409, 'spinoff.exit_strategy_required']);
    await step(spinOffId, 'exit-strategy', coordinator, { strategy: 'runs_on_its_own', note: '保護者会で運営する' }).expect(200);
    const done = await step(spinOffId, 'complete', volunteer(initiator), { summary: '保護者会の自主運営に移行した' }).expect(200);
    // An ended project takes no more people: its role's opportunity is closed with it.
    const ended = await api.store.readStream(`opportunity-${opportunityId}`);
    expect(ended.at(-1)).toMatchObject({ type: 'OpportunityClosed', data: { reason: 'spin-off completed' } });

    const view = await http().get(`/api/spinoffs/${spinOffId}?minPosition=${done.body.position}`).set('Authorization', analyst).expect(200);
    expect(view.body).toMatchObject({
      spinOffId,
      status: 'completed',
      title: '中原こども食堂',
      wards: ['nakahara'],
      initiators: [initiator],
      origins,
      members: [
        { personId: initiator, role: 'organiser', initiator: true },
        { personId: member, role: 'staff', initiator: false },
      ],
      roles: [{ roleId, opportunityId, title: '調理 スタッフ', places: 2, placesTaken: 1, requiredSkills: ['cooking'], status: 'open' }],
      milestones: [{ milestoneId: milestone.body.milestoneId, title: '会場を決める', dueOn: '2026-06-30', reached: true }],
      exitStrategy: { strategy: 'runs_on_its_own', note: '保護者会で運営する' },
      summary: '保護者会の自主運営に移行した',
    });
    const after = await step(spinOffId, 'milestones', volunteer(initiator), { title: 'もう一つ' });
    expect([after.status, after.body.code]).toEqual([409, 'spinoff.ended']);

    // Where it came from: the outcomes, with what was said; who proposed the meeting only for those who run it.
    const origin = await http().get(`/api/spinoffs/${spinOffId}/origin?minPosition=${done.body.position}`).set('Authorization', analyst).expect(200);
    expect(origin.body).toEqual({
      spinOffId,
      meetings: [
        { meetingId: meeting.meetingId, outcomeId: origins[0].outcomeId, title: 'YORIAI 子育てと食', sdc: 'nakahara', outcome: { kind: 'idea', text: '子ども食堂を始めたい' }, closedAt: expect.any(String) },
        { meetingId: meeting.meetingId, outcomeId: origins[1].outcomeId, title: 'YORIAI 子育てと食', sdc: 'nakahara', outcome: { kind: 'idea', text: '地域の農家と組みたい' }, closedAt: expect.any(String) },
      ],
    });
    const originForCoordinator = await http().get(`/api/spinoffs/${spinOffId}/origin`).set('Authorization', coordinator).expect(200);
    expect(originForCoordinator.body.meetings[0].proposer).toEqual({ subject: 'coordinator-nakahara' });

    // Lists: by ward and status, and a person's projects (themself, coordinators, admins).
    const completed = await http().get('/api/spinoffs?ward=nakahara&status=completed&limit=500').set('Authorization', analyst).expect(200);
    expect(completed.body.items.map((s: { spinOffId: string }) => s.spinOffId)).toContain(spinOffId);
    const elsewhere = await http().get('/api/spinoffs?ward=asao').set('Authorization', analyst).expect(200);
    expect(elsewhere.body.items).toEqual([]);
    const mine = await http().get(`/api/people/${member}/spinoffs`).set('Authorization', volunteer(member)).expect(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ spinOff: expect.objectContaining({ spinOffId, status: 'completed' }), initiator: false, memberRole: 'staff' })]);
    const theirs = await http().get(`/api/people/${initiator}/spinoffs`).set('Authorization', coordinator).expect(200);
    expect(theirs.body.items).toEqual([expect.objectContaining({ initiator: true, memberRole: 'organiser' })]);
    const nosy = await http().get(`/api/people/${member}/spinoffs`).set('Authorization', volunteer(helper));
    expect([nosy.status, nosy.body.code]).toEqual([404, 'person.not_found']);
    await http().get(`/api/people/${member}/spinoffs`).set('Authorization', analyst).expect(403);
  });

  it('refuses origins that are not outcomes of closed meetings, people who are not registered, and callers who may not write', async () => {
    const initiator = await registerPerson(api);
    const { meetingId, outcomeIds, origins } = await closedMeeting(['防災ネットワークを作りたい']);
    const propose = (body: object, as = volunteer(initiator)) => http().post('/api/spinoffs').set('Authorization', as).send(body);
    const open = await http().post('/api/sdcs/nakahara/meetings/scheduled').set('Authorization', coordinator).send(meetingBody()).expect(201);
    const someoneElse = await registerPerson(api);
    const before = await api.store.headPosition();

    const wrongOutcome = await propose(spinOffBody([...origins, { meetingId, outcomeId: 'not-an-outcome' }], [initiator]));
    expect([wrongOutcome.status, wrongOutcome.body.code]).toEqual([422, 'spinoff.origin_invalid']);
    expect(wrongOutcome.body.detail).toContain('not-an-outcome');
    expect(wrongOutcome.body.detail).toContain(meetingId);
    const noMeeting = await propose(spinOffBody([{ meetingId: '0190f2a4-0000-7000-8000-000000000000', outcomeId: outcomeIds[0] }], [initiator]));
    expect([noMeeting.status, noMeeting.body.code]).toEqual([404, 'meeting.not_found']);
    const notClosed = await propose(spinOffBody([{ meetingId: open.body.meetingId, outcomeId: outcomeIds[0] }], [initiator]));
    expect([notClosed.status, notClosed.body.code]).toEqual([422, 'spinoff.origin_invalid']);
    const twice = await propose(spinOffBody([origins[0], origins[0]], [initiator]));
    expect([twice.status, twice.body.code]).toEqual([422, 'spinoff.invalid']);
    const tooMany = await propose(spinOffBody(Array.from({ length: 11 }, (_, i) => ({ meetingId, outcomeId: `o${i}` })), [initiator]));
    expect(tooMany.status).toBe(400);
    const stranger = await propose(spinOffBody(origins, [initiator, '0190f2a4-0000-7000-8000-000000000001']));
    expect([stranger.status, stranger.body.code]).toEqual([404, 'person.not_found']);

    // Analysts never write; a resident proposes only as one of its initiators; representatives have no say.
    const byAnalyst = await propose(spinOffBody(origins, [initiator]), analyst);
    expect([byAnalyst.status, byAnalyst.body.code]).toEqual([403, 'auth.forbidden']);
    const onBehalf = await propose(spinOffBody(origins, [initiator]), volunteer(someoneElse));
    expect([onBehalf.status, onBehalf.body.code]).toEqual([403, 'auth.forbidden']);
    const byRepresentative = await propose(spinOffBody(origins, [initiator]), api.bearer({ role: 'organisation', organisationIds: [sdcOrganisation] }));
    expect([byRepresentative.status, byRepresentative.body.code]).toEqual([403, 'auth.forbidden']);
    const elsewhere = await propose(spinOffBody(origins, [initiator]), api.bearer({ role: 'coordinator', wards: ['asao'] }));
    expect([elsewhere.status, elsewhere.body.code]).toEqual([403, 'auth.forbidden']);
    expect(await api.store.headPosition()).toBe(before);

    // On a real project too: analysts are refused whatever they try, as are coordinators of other wards.
    const proposed = await propose(spinOffBody(origins, [initiator])).expect(201);
    const spinOffId = proposed.body.spinOffId;
    for (const [action, body] of [
      ['acknowledge', {}],
      ['milestones', { title: 'm' }],
      ['exit-strategy', { strategy: 'ends' }],
      ['close', { reason: 'r' }],
    ] as const) {
      const refused = await step(spinOffId, action, analyst, body);
      expect([action, refused.status, refused.body.code]).toEqual([action, 403, 'auth.forbidden']);
    }
    const otherWard = await step(spinOffId, 'acknowledge', api.bearer({ role: 'coordinator', wards: ['asao'] }));
    expect([otherWard.status, otherWard.body.code]).toEqual([403, 'auth.forbidden']);
    // Roles need a launched project; nothing (no opportunity either) is written when refused.
    const head = await api.store.headPosition();
    const tooEarly = await step(spinOffId, 'roles', volunteer(initiator), roleBody());
    expect([tooEarly.status, tooEarly.body.code]).toEqual([409, 'spinoff.invalid_transition']);
    expect(await api.store.headPosition()).toBe(head);
    const missing = await step('0190f2a4-0000-7000-8000-000000000002', 'acknowledge', coordinator);
    expect([missing.status, missing.body.code]).toEqual([404, 'spinoff.not_found']);
    await http().get('/api/spinoffs/0190f2a4-0000-7000-8000-000000000002').set('Authorization', analyst).expect(404);
    const noLineage = await http().get('/api/meetings/0190f2a4-0000-7000-8000-000000000003/lineage').set('Authorization', analyst);
    expect([noLineage.status, noLineage.body.code]).toEqual([404, 'meeting.not_found']);
  });

  it('members join and leave; only organisers and coordinators make organisers; the last organiser stays', async () => {
    const { spinOffId, initiator } = await launchedSpinOff();
    const someone = await registerPerson(api);
    const takeover = await step(spinOffId, 'members', volunteer(someone), { personId: someone, role: 'organiser' });
    expect([takeover.status, takeover.body.code]).toEqual([403, 'auth.forbidden']);
    await step(spinOffId, 'members', volunteer(initiator), { personId: someone, role: 'organiser' }).expect(201);
    const last = await http().delete(`/api/spinoffs/${spinOffId}/members/${someone}`).set('Authorization', volunteer(someone)).expect(200);
    expect(last.body).toMatchObject({ spinOffId, personId: someone });
    const alone = await http().delete(`/api/spinoffs/${spinOffId}/members/${initiator}`).set('Authorization', volunteer(initiator));
    expect([alone.status, alone.body.code]).toEqual([409, 'spinoff.last_organiser']);
    const view = await http().get(`/api/spinoffs/${spinOffId}?minPosition=${last.body.position}`).set('Authorization', coordinator).expect(200);
    expect(view.body.members.map((m: { personId: string }) => m.personId)).toEqual([initiator]);
  });

  it('closing a role closes its opportunity', async () => {
    const { spinOffId, initiator } = await launchedSpinOff();
    const role = await step(spinOffId, 'roles', volunteer(initiator), roleBody({ places: 1, schedule: undefined })).expect(201);
    const { roleId, opportunityId } = role.body;
    const closed = await step(spinOffId, `roles/${roleId}/close`, coordinator).expect(200);
    expect(closed.body).toMatchObject({ spinOffId, roleId, opportunityId });
    const opportunity = await http().get(`/api/opportunities/${opportunityId}?minPosition=${closed.body.position}`).set('Authorization', coordinator).expect(200);
    expect(opportunity.body).toMatchObject({ status: 'closed', details: expect.objectContaining({ schedule: {} }) });
    const view = await http().get(`/api/spinoffs/${spinOffId}?minPosition=${closed.body.position}`).set('Authorization', coordinator).expect(200);
    expect(view.body.roles).toEqual([expect.objectContaining({ roleId, status: 'closed', closedAt: expect.any(String) })]);
    const again = await step(spinOffId, `roles/${roleId}/close`, coordinator);
    expect([again.status, again.body.code]).toEqual([409, 'spinoff.role_closed']);
    const refused = await http()
      .post(`/api/opportunities/${opportunityId}/matches`)
      .set('Authorization', coordinator)
      .send({ candidate: { type: 'person', id: initiator }, message: 'x' });
    expect([refused.status, refused.body.code]).toEqual([409, 'opportunity.closed']);
  });

  it('opening a role is retry-safe: a crash between its opportunity and the role is repaired by the retry', async () => {
    const { spinOffId, initiator } = await launchedSpinOff();
    const store = api.store;
    const append = store.append.bind(store);
    let crashed = false;
    const crash = jest.spyOn(store, 'append').mockImplementation(async (streamId, events, options) => {
      if (!crashed && streamId.startsWith('spinoff-')) {
        crashed = true;
        throw new EventStoreUnavailableError('the process died between the two writes');
      }
      return append(streamId, events, options);
    });
    const send = () =>
      step(spinOffId, 'roles', volunteer(initiator), roleBody()).set('Idempotency-Key', `open-role-${spinOffId}`).set('X-Correlation-Id', `corr-${spinOffId}`);
    try {
      const first = await send();
      expect([first.status, first.body.code]).toEqual([503, 'service.unavailable']);
    } finally {
      crash.mockRestore();
    }
    const retry = await send().expect(201);
    const replayed = await send().expect(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(retry.body);

    // One opportunity, opened by the system for the spin-off, in the request's correlation; one role naming it.
    const { opportunityId, roleId } = retry.body;
    const opportunityEvents = await store.readStream(`opportunity-${opportunityId}`);
    expect(opportunityEvents.map((e) => [e.type, e.metadata?.actor, e.metadata?.correlationId])).toEqual([
      ['OpportunityOpened', { role: 'admin', id: 'system' }, `corr-${spinOffId}`],
    ]);
    const roleEvents = (await store.readStream(`spinoff-${spinOffId}`)).filter((e) => e.type === 'SpinOffRoleOpened');
    expect(roleEvents.map((e) => [(e.data as { roleId: string }).roleId, (e.data as { opportunityId: string }).opportunityId, e.metadata?.correlationId])).toEqual([
      [roleId, opportunityId, `corr-${spinOffId}`],
    ]);
    const listed = await http().get(`/api/opportunities?organisationId=${sdcOrganisation}&minPosition=${retry.body.position}&limit=500`).set('Authorization', coordinator).expect(200);
    expect(listed.body.items.filter((o: { opportunityId: string }) => o.opportunityId === opportunityId)).toHaveLength(1);
  });

  it('a role the spin-off can no longer take (closed between the two writes) leaves its opportunity closed', async () => {
    const { spinOffId, initiator } = await launchedSpinOff();
    const store = api.store;
    const append = store.append.bind(store);
    let opportunityStream: string | undefined;
    const interfere = jest.spyOn(store, 'append').mockImplementation(async (streamId, events, options) => {
      if (streamId.startsWith('opportunity-')) opportunityStream ??= streamId;
      if (streamId.startsWith('spinoff-') && events[0].type === 'SpinOffRoleOpened') {
        interfere.mockRestore();
        // A coordinator closes the project between the opportunity and the role.
        await append(streamId, [{ id: newId(), type: 'SpinOffClosed', data: { spinOffId, reason: '会場がない', by: 'coordinator-nakahara', at: new Date().toISOString() } }]);
      }
      return append(streamId, events, options);
    });
    let refused: Response;
    try {
      refused = await step(spinOffId, 'roles', volunteer(initiator), roleBody());
    } finally {
      interfere.mockRestore();
    }
    expect([refused.status, refused.body.code]).toEqual([409, 'spinoff.ended']);
    const events = await store.readStream(opportunityStream!);
    expect(events.map((e) => [e.type, e.metadata?.actor?.id])).toEqual([
      ['OpportunityOpened', 'system'],
      ['OpportunityClosed', 'system'],
    ]);
    const roles = (await store.readStream(`spinoff-${spinOffId}`)).filter((e) => e.type === 'SpinOffRoleOpened');
    expect(roles).toEqual([]);
  });
});
