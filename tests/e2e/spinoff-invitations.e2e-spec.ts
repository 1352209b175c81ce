import request from 'supertest';
import { newId } from '@tsunagi/event-store';
import { TestApi, startTestApi } from '../support/test-api';
import { heldMeetingBody, registerPerson } from '../support/fixtures';

/**
 * The last trigger of issue 7 through HTTP: "a role opened in a spin-off → people the suggestions rank highest, only
 * if a coordinator chose to invite them". A coordinator of Nakahara opens a role in a launched spin-off, invites the
 * top people the suggestions rank for it (the same people, in the same order, as the suggestions route gives), or
 * people chosen by id; nobody is invited twice; volunteers, analysts and other wards' coordinators may not invite.
 */
describe('invitations to a spin-off role through the API (real SQLite store and Redis)', () => {
  let api: TestApi;
  let coordinator: string;
  const http = () => request(api.app.getHttpServer());
  const volunteer = (personId: string) => api.bearer({ role: 'volunteer', personId });
  const asao = () => api.bearer({ role: 'coordinator', subject: 'coordinator-asao', wards: ['asao'] });
  const analyst = () => api.bearer({ role: 'analyst', subject: 'analyst-1' });

  let initiator: string;
  let cooks: string[];
  let silent: string;
  let gardener: string;

  beforeAll(async () => {
    api = await startTestApi();
    coordinator = api.bearer({ role: 'coordinator', subject: 'coordinator-nakahara', wards: ['nakahara'] });
    initiator = await registerPerson(api, { skills: ['園芸'] });
    cooks = [];
    for (const skills of [['料理', '調理師'], ['cooking'], ['調理', '配膳']]) cooks.push(await registerPerson(api, { skills }));
    gardener = await registerPerson(api, { skills: ['園芸'], themes: [] });
    silent = await registerPerson(api, { skills: ['調理'], consents: { mayBeContacted: false, visibleToOtherWards: true } });
  });
  afterAll(() => api.close());

  const step = (spinOffId: string, action: string, as: string, body: object = {}) => http().post(`/api/spinoffs/${spinOffId}/${action}`).set('Authorization', as).send(body);

  /** A Nakahara spin-off from a closed meeting, launched by its initiator, with a cooking role opened by the coordinator. */
  async function launchedWithRole() {
    const meeting = await http()
      .post('/api/sdcs/nakahara/meetings/scheduled')
      .set('Authorization', coordinator)
      .send(heldMeetingBody())
      .expect(201);
    const meetingId: string = meeting.body.meetingId;
    const closed = await http()
      .post(`/api/meetings/${meetingId}/close`)
      .set('Authorization', coordinator)
      .send({ minutes: '子ども食堂の案が出た。', contributions: [], outcomes: [{ kind: 'idea', text: '子ども食堂' }], anonymousAttendees: 0 })
      .expect(200);
    const origins = [{ meetingId, outcomeId: closed.body.outcomes[0].outcomeId as string }];
    const proposed = await http()
      .post('/api/spinoffs')
      .set('Authorization', volunteer(initiator))
      .send({ origins, title: '中原こども食堂', purpose: '土曜の朝の子ども食堂', wards: ['nakahara'], themes: ['child_rearing'], initiators: [initiator] })
      .expect(201);
    const spinOffId: string = proposed.body.spinOffId;
    await step(spinOffId, 'acknowledge', coordinator).expect(200);
    await step(spinOffId, 'launch', volunteer(initiator)).expect(200);
    const role = await step(spinOffId, 'roles', coordinator, { title: '調理スタッフ', description: '調理と配膳', places: 3, requiredSkills: ['調理'] }).expect(201);
    return { spinOffId, roleId: role.body.roleId as string, opportunityId: role.body.opportunityId as string, position: role.body.position as number };
  }

  const invite = (spinOffId: string, roleId: string, body: object, as = coordinator) => step(spinOffId, `roles/${roleId}/invitations`, as, body);

  it('invites the top N the suggestions rank for the role, never twice; the invitation is an event with ids only', async () => {
    const { spinOffId, roleId, opportunityId, position } = await launchedWithRole();
    const suggested = await http().get(`/api/opportunities/${opportunityId}/suggestions?minPosition=${position}&limit=10`).set('Authorization', coordinator).expect(200);
    const ranking: string[] = suggested.body.items.map((item: { personId: string }) => item.personId);
    // The cooks lead (the role asks for 調理, and 料理 and cooking are the same); nobody who refused contact appears.
    expect(ranking.slice(0, 3).sort()).toEqual([...cooks].sort());
    expect(ranking).not.toContain(silent);

    const first = await invite(spinOffId, roleId, { top: 2 }).expect(201);
    expect(first.body).toMatchObject({ spinOffId, roleId, opportunityId, invited: ranking.slice(0, 2), alreadyInvited: [] });

    // The same request again invites nobody twice; asking for three invites only the third.
    const again = await invite(spinOffId, roleId, { top: 2 }).expect(201);
    expect(again.body).toMatchObject({ invited: [], alreadyInvited: ranking.slice(0, 2) });
    const three = await invite(spinOffId, roleId, { top: 3 }).expect(201);
    expect(three.body).toMatchObject({ invited: [ranking[2]], alreadyInvited: ranking.slice(0, 2) });

    // People chosen by id: the one not invited yet is, the one already invited is not.
    const chosen = await invite(spinOffId, roleId, { personIds: [gardener, ranking[0]] }).expect(201);
    expect(chosen.body).toMatchObject({ invited: [gardener], alreadyInvited: [ranking[0]] });

    const events = (await api.store.readStream(`spinoff-${spinOffId}`)).filter((e) => e.type === 'SpinOffRoleInvitationsSent');
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ spinOffId, roleId, opportunityId, personIds: ranking.slice(0, 2), by: 'coordinator-nakahara' }),
      expect.objectContaining({ personIds: [ranking[2]] }),
      expect.objectContaining({ personIds: [gardener] }),
    ]);
    expect(Object.keys(events[0].data as object).sort()).toEqual(['at', 'by', 'opportunityId', 'personIds', 'roleId', 'spinOffId']);

    // Who was asked, on the spin-off's page: for its coordinators and admins, in the order invited; for nobody else.
    const page = (as: string) => http().get(`/api/spinoffs/${spinOffId}?minPosition=${chosen.body.position}`).set('Authorization', as).expect(200);
    const invitedOn = (res: request.Response) => res.body.roles.find((r: { roleId: string }) => r.roleId === roleId).invitations;
    const expected = [...ranking.slice(0, 3), gardener].map((personId) => ({ personId, at: expect.any(String) }));
    expect(invitedOn(await page(coordinator))).toEqual(expected);
    expect(invitedOn(await page(api.bearer({ role: 'admin', subject: 'admin-1' })))).toEqual(expected);
    for (const other of [asao(), analyst(), volunteer(initiator), volunteer(ranking[0])]) expect(invitedOn(await page(other))).toBeUndefined();
  });

  it('a retried request with its Idempotency-Key gets the first answer and invites nobody again', async () => {
    const { spinOffId, roleId } = await launchedWithRole();
    const key = `invite-${newId()}`;
    const first = await step(spinOffId, `roles/${roleId}/invitations`, coordinator, { top: 1 }).set('Idempotency-Key', key).expect(201);
    const retried = await step(spinOffId, `roles/${roleId}/invitations`, coordinator, { top: 1 }).set('Idempotency-Key', key).expect(201);
    expect(retried.body).toEqual(first.body);
    expect(first.body.invited).toHaveLength(1);
    const events = (await api.store.readStream(`spinoff-${spinOffId}`)).filter((e) => e.type === 'SpinOffRoleInvitationsSent');
    expect(events).toHaveLength(1);
  });

  it('only coordinators of its wards and admins invite: volunteers (its organiser too), analysts and other wards get 403', async () => {
    const { spinOffId, roleId } = await launchedWithRole();
    for (const as of [volunteer(initiator), volunteer(cooks[0]), analyst(), asao()]) {
      const res = await invite(spinOffId, roleId, { top: 2 }, as);
      expect([res.status, res.body.code, res.headers['content-type']]).toEqual([403, 'auth.forbidden', expect.stringContaining('application/problem+json')]);
    }
    await invite(spinOffId, roleId, { personIds: [cooks[1]] }, api.bearer({ role: 'admin' })).expect(201);
    const events = (await api.store.readStream(`spinoff-${spinOffId}`)).filter((e) => e.type === 'SpinOffRoleInvitationsSent');
    expect(events.map((e) => (e.data as { personIds: string[] }).personIds)).toEqual([[cooks[1]]]);
  });

  it('refuses with problem+json: bad bodies, a role that is not there or closed, people who cannot be invited', async () => {
    const { spinOffId, roleId } = await launchedWithRole();
    const code = async (res: request.Test) => {
      const answer = await res;
      return [answer.status, answer.body.code];
    };
    for (const body of [{}, { top: 0 }, { top: 51 }, { top: 2, personIds: [cooks[0]] }, { personIds: [] }, { personIds: [cooks[0], cooks[0]] }, { personIds: ['not-a-uuid'] }, { top: 1, extra: true }]) {
      expect([JSON.stringify(body), ...(await code(invite(spinOffId, roleId, body)))]).toEqual([JSON.stringify(body), 400, 'validation.failed']);
    }
    const many = Array.from({ length: 51 }, () => newId());
    expect(await code(invite(spinOffId, roleId, { personIds: many }))).toEqual([400, 'validation.failed']);
    expect(await code(invite(spinOffId, newId(), { top: 1 }))).toEqual([404, 'spinoff.role_not_found']);
    expect(await code(invite(newId(), roleId, { top: 1 }))).toEqual([404, 'spinoff.not_found']);
    expect(await code(invite(spinOffId, roleId, { personIds: [newId()] }))).toEqual([404, 'person.not_found']);
    expect(await code(invite(spinOffId, roleId, { personIds: [silent] }))).toEqual([409, 'spinoff.person_not_contactable']);
    await http().post(`/api/people/${gardener}/pause`).set('Authorization', coordinator).send({}).expect(200);
    expect(await code(invite(spinOffId, roleId, { personIds: [gardener] }))).toEqual([409, 'person.inactive']);
    await http().post(`/api/people/${gardener}/resume`).set('Authorization', coordinator).send({}).expect(200);
    await step(spinOffId, `roles/${roleId}/close`, coordinator).expect(200);
    expect(await code(invite(spinOffId, roleId, { top: 1 }))).toEqual([409, 'spinoff.role_closed']);
    expect(await code(invite(spinOffId, roleId, { personIds: [cooks[0]] }))).toEqual([409, 'spinoff.role_closed']);
    expect((await api.store.readStream(`spinoff-${spinOffId}`)).filter((e) => e.type === 'SpinOffRoleInvitationsSent')).toEqual([]);
  });
});
