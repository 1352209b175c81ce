import request from 'supertest';
import { personStreamId } from '@tsunagi/participants';
import { TestApi, startTestApi } from '../support/test-api';
import { registerPerson } from '../support/fixtures';

/**
 * A person's notification preferences and follows through HTTP (real SQLite store and Redis): stored as person
 * events, readable and changeable by the person themself only, bad input answered as problem+json.
 */
describe('notification preferences and follows through the API', () => {
  let api: TestApi;
  let personId: string;
  const http = () => request(api.app.getHttpServer());
  const self = () => api.bearer({ role: 'volunteer', personId });
  const url = () => `/api/people/${personId}/notification-preferences`;

  beforeAll(async () => {
    api = await startTestApi({ QUIET_HOURS: '22:00-07:00' });
  });
  beforeEach(async () => {
    personId = await registerPerson(api, { ward: 'nakahara' });
  });
  afterAll(() => api?.close());

  const personEvents = async () => (await api.store.readStream(personStreamId(personId))).map((e) => e.type);

  it('starts with every channel for every kind and the deployment’s quiet hours', async () => {
    const res = await http().get(url()).set('Authorization', self()).expect(200);
    expect(res.body.channels.match_proposed).toEqual(['email', 'inbox']);
    expect(res.body.channels.meeting_reminder).toEqual(['email', 'inbox']);
    expect(res.body).toMatchObject({ personId, quietHours: { start: '22:00', end: '07:00' }, quietHoursAreDefault: true, follows: [] });
  });

  it('the person sets channels per kind and quiet hours: one event, read back as set; the same again records nothing', async () => {
    const body = { channels: { match_reminder: ['inbox'], meeting_announced: [], match_proposed: ['inbox', 'email'] }, quietHours: { start: '21:30', end: '06:45' } };
    const put = await http().put(url()).set('Authorization', self()).send(body).expect(200);
    expect(put.body).toMatchObject({ personId });
    const res = await http().get(url()).set('Authorization', self()).expect(200);
    expect(res.body.channels).toMatchObject({ match_reminder: ['inbox'], meeting_announced: [], match_proposed: ['email', 'inbox'], match_expired: ['email', 'inbox'] });
    expect(res.body).toMatchObject({ quietHours: { start: '21:30', end: '06:45' }, quietHoursAreDefault: false });
    await http().put(url()).set('Authorization', self()).send(body).expect(200);
    expect((await personEvents()).filter((t) => t === 'NotificationPreferencesSet')).toHaveLength(1);

    // null: no quiet hours at all.
    await http().put(url()).set('Authorization', self()).send({ channels: {}, quietHours: null }).expect(200);
    expect((await http().get(url()).set('Authorization', self()).expect(200)).body).toMatchObject({ quietHours: null, quietHoursAreDefault: false });
  });

  it('refuses unknown kinds, channels and fields, and bad times, as problem+json, storing nothing', async () => {
    for (const body of [
      { channels: { match_gossip: ['email'] } },
      { channels: { match_proposed: ['webhook'] } },
      { channels: { match_proposed: 'email' } },
      { channels: {}, quietHours: { start: '24:00', end: '07:00' } },
      { channels: {}, quietHours: { start: '21:00' } },
      { channels: {}, extra: true },
      {},
    ]) {
      const res = await http().put(url()).set('Authorization', self()).send(body);
      expect([400, 422]).toContain(res.status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toMatch(/^(validation\.failed|person\.invalid)$/);
    }
    const same = await http().put(url()).set('Authorization', self()).send({ channels: {}, quietHours: { start: '07:00', end: '07:00' } }).expect(422);
    expect(same.body.code).toBe('person.invalid');
    expect(await personEvents()).toEqual(['PersonRegistered']);
  });

  it('only the person themself and admins: not their coordinator, another volunteer or an analyst', async () => {
    const body = { channels: { match_proposed: ['inbox'] } };
    for (const bearer of [
      api.bearer({ role: 'coordinator', subject: 'c-nakahara', wards: ['nakahara'] }),
      api.bearer({ role: 'volunteer', personId: '0190a0b0-0000-7000-8000-000000000001' }),
      api.bearer({ role: 'analyst', subject: 'an', personId }),
    ]) {
      expect((await http().put(url()).set('Authorization', bearer).send(body).expect(403)).body.code).toBe('auth.forbidden');
      expect((await http().get(url()).set('Authorization', bearer).expect(403)).body.code).toBe('auth.forbidden');
      expect((await http().post(`/api/people/${personId}/follow`).set('Authorization', bearer).send({ type: 'sdc', ward: 'nakahara' }).expect(403)).body.code).toBe('auth.forbidden');
    }
    await http().put(url()).expect(401);
    await http().put(url()).set('Authorization', api.bearer({ role: 'admin', subject: 'admin-1' })).send(body).expect(200);
    expect(await personEvents()).toEqual(['PersonRegistered', 'NotificationPreferencesSet']);
  });

  it('follows and unfollows SDCs and themes', async () => {
    await http().post(`/api/people/${personId}/follow`).set('Authorization', self()).send({ type: 'sdc', ward: 'nakahara' }).expect(200);
    await http().post(`/api/people/${personId}/follow`).set('Authorization', self()).send({ type: 'theme', theme: 'elderly' }).expect(200);
    await http().post(`/api/people/${personId}/follow`).set('Authorization', self()).send({ type: 'sdc', ward: 'nakahara' }).expect(200);
    await http().post(`/api/people/${personId}/unfollow`).set('Authorization', self()).send({ type: 'sdc', ward: 'nakahara' }).expect(200);
    expect((await http().get(url()).set('Authorization', self()).expect(200)).body.follows).toEqual([{ type: 'theme', theme: 'elderly' }]);
    expect(await personEvents()).toEqual(['PersonRegistered', 'PersonFollowed', 'PersonFollowed', 'PersonUnfollowed']);
    for (const body of [{ type: 'sdc', ward: 'shibuya' }, { type: 'sdc' }, { type: 'theme', theme: 'gossip' }, { type: 'person', id: personId }]) {
      const res = await http().post(`/api/people/${personId}/follow`).set('Authorization', self()).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
