import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { REDIS } from '@tsunagi/platform';
import { TestApi, startTestApi } from '../support/test-api';
import { personBody, registerPerson } from '../support/fixtures';

const HOUR = 3600_000;

/** A proposal to an SDC, as a resident would write it. */
const proposalBody = (overrides: Record<string, unknown> = {}) => ({
  title: 'YORIAI 子育てと防災',
  themes: ['child_rearing', 'disaster_prevention'],
  purpose: '子育て世帯の防災について話しましょう',
  preferredDates: ['2026-06-18', '2026-06-25'],
  format: { mode: 'in_person', venue: '中原市民館' },
  capacity: 20,
  newcomersWelcome: true,
  ...overrides,
});

/** Times relative to now (the API runs on the real clock): ISO-8601 in UTC, which the API stores in Tokyo time. */
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const scheduleBody = (capacity: number, startsIn = -HOUR / 2, overrides: Record<string, unknown> = {}) => ({
  startsAt: at(startsIn),
  endsAt: at(startsIn + 2 * HOUR),
  format: { mode: 'hybrid', venue: '中原市民館 第1会議室', url: 'https://meet.example.jp/yoriai' },
  capacity,
  ...overrides,
});

/**
 * SDC meetings driven through HTTP as the people who use tsunagi would: a resident who proposes a meeting to the
 * Nakahara SDC, its coordinator, and the volunteers who register, wait, cancel and come.
 */
describe('SDC meetings through the API (real SQLite store and Redis)', () => {
  let api: TestApi;
  let coordinator: string;
  const http = () => request(api.app.getHttpServer());
  const volunteer = (personId: string) => api.bearer({ role: 'volunteer', personId });

  beforeAll(async () => {
    api = await startTestApi();
    coordinator = api.bearer({ role: 'coordinator', subject: 'coordinator-nakahara', wards: ['nakahara'] });
  });
  afterAll(() => api.close());

  async function propose(as: string, overrides: Record<string, unknown> = {}) {
    const res = await http().post('/api/sdcs/nakahara/meetings').set('Authorization', as).send(proposalBody(overrides));
    expect([res.status, res.body]).toEqual([201, { meetingId: expect.any(String), position: expect.any(Number), revision: 0 }]);
    return res.body.meetingId as string;
  }

  async function scheduled(capacity: number, startsIn?: number) {
    const res = await http()
      .post('/api/sdcs/nakahara/meetings/scheduled')
      .set('Authorization', coordinator)
      .send({ ...proposalBody(), schedule: scheduleBody(capacity, startsIn) })
      .expect(201);
    return res.body.meetingId as string;
  }

  const step = (meetingId: string, action: string, as: string, body: object = {}) => http().post(`/api/meetings/${meetingId}/${action}`).set('Authorization', as).send(body);
  const register = (meetingId: string, as: string, body: object = {}) => http().post(`/api/meetings/${meetingId}/registrations`).set('Authorization', as).send(body);
  const view = async (meetingId: string, as: string, position: number) =>
    (await http().get(`/api/meetings/${meetingId}?minPosition=${position}`).set('Authorization', as).expect(200)).body;

  it('propose → approve → register until full → waitlist → cancel promotes → check-in (and a walk-in) → close with outcomes', async () => {
    const proposerId = await registerPerson(api);
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => registerPerson(api)));

    // A resident proposes; anyone signed in sees it, but not who proposed it.
    const meetingId = await propose(volunteer(proposerId));
    const proposed = await view(meetingId, volunteer(a), 0);
    expect(proposed).toMatchObject({ meetingId, sdc: 'nakahara', status: 'proposed', capacity: 20, preferredDates: ['2026-06-18', '2026-06-25'], myRegistration: null });
    expect(proposed.proposer).toBeUndefined();
    expect((await view(meetingId, volunteer(proposerId), 0)).proposer).toEqual({ subject: proposerId, personId: proposerId });

    // The coordinator approves it with a schedule (in UTC here; stored in Tokyo time) and two places.
    const schedule = scheduleBody(2);
    const approved = await step(meetingId, 'approve', coordinator, schedule).expect(200);
    expect(approved.body).toEqual({ meetingId, position: expect.any(Number), revision: 1 });

    // Two volunteers take the places; two more wait, in order.
    const answers = [];
    for (const personId of [a, b, c, d]) answers.push((await register(meetingId, volunteer(personId)).expect(201)).body);
    expect(answers.map(({ personId, status, waitlistPosition }) => ({ personId, status, waitlistPosition }))).toEqual([
      { personId: a, status: 'registered', waitlistPosition: undefined },
      { personId: b, status: 'registered', waitlistPosition: undefined },
      { personId: c, status: 'waitlisted', waitlistPosition: 1 },
      { personId: d, status: 'waitlisted', waitlistPosition: 2 },
    ]);
    const twice = await register(meetingId, volunteer(a));
    expect([twice.status, twice.body.code]).toEqual([409, 'meeting.already_registered']);
    const forSomeoneElse = await register(meetingId, volunteer(a), { personId: b });
    expect([forSomeoneElse.status, forSomeoneElse.body.code]).toEqual([403, 'auth.forbidden']);

    const full = await view(meetingId, coordinator, answers[3].position);
    expect(full).toMatchObject({
      status: 'scheduled',
      startsAt: expect.stringMatching(/\+09:00$/),
      format: { mode: 'hybrid', url: 'https://meet.example.jp/yoriai' },
      registeredCount: 2,
      waitlistCount: 2,
      placesLeft: 0,
      registrations: { registered: [a, b], waitlist: [{ personId: c, waitlistPosition: 1 }, { personId: d, waitlistPosition: 2 }], cancelled: [] },
    });
    expect(Date.parse(full.startsAt)).toBe(Date.parse(schedule.startsAt));
    // A volunteer sees their own place in the queue, and nobody else's.
    const mine = await view(meetingId, volunteer(d), answers[3].position);
    expect(mine.myRegistration).toMatchObject({ personId: d, registration: 'waitlisted', waitlistPosition: 2 });
    expect(mine.registrations).toBeUndefined();

    // a cancels: the place goes to c, the first waiting, in the same decision; d moves up.
    const cancelled = await http().delete(`/api/meetings/${meetingId}/registrations/${a}`).set('Authorization', volunteer(a)).expect(200);
    expect(cancelled.body).toMatchObject({ meetingId, personId: a, wasWaitlisted: false, promoted: [c] });
    const promoted = await view(meetingId, coordinator, cancelled.body.position);
    expect(promoted.registrations).toEqual({ registered: [b, c], waitlist: [{ personId: d, waitlistPosition: 1 }], cancelled: [a] });
    expect((await view(meetingId, volunteer(c), cancelled.body.position)).myRegistration).toMatchObject({ registration: 'registered', wasWaitlisted: true });

    // At the door: b is checked in; a first-timer is registered as a person, then checked in as a walk-in.
    const checkedIn = await step(meetingId, 'check-ins', coordinator, { personId: b }).expect(201);
    expect(checkedIn.body).toMatchObject({ meetingId, personId: b, walkIn: false });
    const firstTimer = await http().post('/api/people').set('Authorization', coordinator).send(personBody({ displayName: '初参加 さん' })).expect(201);
    const walkIn = await step(meetingId, 'check-ins', coordinator, { personId: firstTimer.body.personId }).expect(201);
    expect(walkIn.body.walkIn).toBe(true);
    const again = await step(meetingId, 'check-ins', coordinator, { personId: b });
    expect([again.status, again.body.code]).toEqual([409, 'meeting.already_checked_in']);
    const nobody = await step(meetingId, 'check-ins', coordinator, { personId: '0190f2a4-0000-7000-8000-000000000000' });
    expect([nobody.status, nobody.body.code]).toEqual([404, 'person.not_found']);
    const byVolunteer = await step(meetingId, 'check-ins', volunteer(b), { personId: b });
    expect([byVolunteer.status, byVolunteer.body.code]).toEqual([403, 'auth.forbidden']);

    // The coordinator closes it: outcomes get ids; attendance is counted, not typed.
    const closed = await step(meetingId, 'close', coordinator, {
      minutes: '子育て世帯の防災について意見交換した。',
      contributions: ['なかはら子ども食堂の活動紹介'],
      outcomes: [
        { kind: 'idea', text: '親子防災ピクニックをやりたい' },
        { kind: 'action', text: '次回までに会場候補を探す' },
      ],
      anonymousAttendees: 3,
    }).expect(200);
    expect(closed.body).toEqual({
      meetingId,
      outcomes: [
        { outcomeId: expect.any(String), kind: 'idea', text: '親子防災ピクニックをやりたい' },
        { outcomeId: expect.any(String), kind: 'action', text: '次回までに会場候補を探す' },
      ],
      attendees: 2,
      noShows: 1,
      anonymousAttendees: 3,
      position: expect.any(Number),
      revision: expect.any(Number),
    });
    expect(new Set(closed.body.outcomes.map((o: { outcomeId: string }) => o.outcomeId)).size).toBe(2);
    const done = await view(meetingId, coordinator, closed.body.position);
    expect(done).toMatchObject({
      status: 'closed',
      outcomes: closed.body.outcomes,
      headcount: { attendees: 2, noShows: 1, anonymousAttendees: 3 },
      attendance: { checkedIn: [{ personId: b, walkIn: false }, { personId: firstTimer.body.personId, walkIn: true }], noShows: [c] },
    });
    const late = await register(meetingId, volunteer(d));
    expect([late.status, late.body.code]).toEqual([409, 'meeting.invalid_transition']);

    // Each person's meetings: proposed, held a place (and waited for it), attended.
    const history = (personId: string, as: string, query = '') => http().get(`/api/people/${personId}/meetings?minPosition=${closed.body.position}${query}`).set('Authorization', as);
    expect((await history(proposerId, volunteer(proposerId)).expect(200)).body.items).toEqual([expect.objectContaining({ proposed: true, attended: false })]);
    expect((await history(c, volunteer(c)).expect(200)).body.items).toEqual([
      expect.objectContaining({ meeting: expect.objectContaining({ meetingId }), registration: 'registered', wasWaitlisted: true, attended: false }),
    ]);
    expect((await history(b, coordinator, '&relation=attended').expect(200)).body.items).toHaveLength(1);
    expect((await history(b, coordinator, '&relation=waitlisted').expect(200)).body.items).toHaveLength(0);
    expect((await history(b, volunteer(c))).status).toBe(404);
    expect((await history(b, api.bearer({ role: 'coordinator', wards: ['asao'] }))).status).toBe(404);
    expect((await history(b, api.bearer({ role: 'analyst' }))).status).toBe(403);
  });

  it('a coordinator rejects a proposal with a reason; other SDCs’ coordinators and volunteers cannot', async () => {
    const meetingId = await propose(api.bearer({ role: 'organisation', subject: 'rep-1', organisationIds: ['0190f2a4-0000-7000-8000-000000000001'] }));
    const elsewhere = await step(meetingId, 'reject', api.bearer({ role: 'coordinator', wards: ['tama'] }), { reason: '対象外' });
    expect([elsewhere.status, elsewhere.body.code]).toEqual([403, 'auth.forbidden']);
    const volunteerTries = await step(meetingId, 'reject', volunteer(await registerPerson(api)), { reason: '嫌だ' });
    expect(volunteerTries.status).toBe(403);
    const noReason = await step(meetingId, 'reject', coordinator, {});
    expect([noReason.status, noReason.body.code]).toEqual([400, 'validation.failed']);
    const rejected = await step(meetingId, 'reject', coordinator, { reason: '日程が合わないため' }).expect(200);
    const seen = await view(meetingId, coordinator, rejected.body.position);
    expect(seen).toMatchObject({ status: 'rejected', reason: '日程が合わないため', proposer: { subject: 'rep-1' } });
    const approve = await step(meetingId, 'approve', coordinator, scheduleBody(10));
    expect([approve.status, approve.body.code, approve.body.detail]).toEqual([409, 'meeting.invalid_transition', 'A meeting that is rejected cannot do ApproveMeeting.']);
  });

  it('the proposer withdraws their proposal; someone else cannot', async () => {
    const proposerId = await registerPerson(api);
    const meetingId = await propose(volunteer(proposerId));
    const stranger = await step(meetingId, 'withdraw', volunteer(await registerPerson(api)), {});
    expect([stranger.status, stranger.body.code]).toEqual([403, 'auth.forbidden']);
    const withdrawn = await step(meetingId, 'withdraw', volunteer(proposerId), { reason: '都合がつかなくなった' }).expect(200);
    expect((await view(meetingId, volunteer(proposerId), withdrawn.body.position)).status).toBe('withdrawn');
    const twice = await step(meetingId, 'withdraw', volunteer(proposerId), {});
    expect([twice.status, twice.body.code]).toEqual([409, 'meeting.invalid_transition']);
  });

  it('rescheduling to more places promotes people waiting; never fewer places than registered', async () => {
    const meetingId = await scheduled(1, 7 * 24 * HOUR);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => registerPerson(api)));
    for (const personId of [a, b, c]) await register(meetingId, volunteer(personId)).expect(201);
    const fewer = await step(meetingId, 'reschedule', coordinator, { ...scheduleBody(1, 8 * 24 * HOUR), capacity: 0, reason: '小部屋' });
    expect(fewer.status).toBe(400);
    const noReason = await step(meetingId, 'reschedule', coordinator, scheduleBody(3, 8 * 24 * HOUR));
    expect(noReason.status).toBe(400);
    const moved = scheduleBody(3, 8 * 24 * HOUR);
    const rescheduled = await step(meetingId, 'reschedule', coordinator, { ...moved, reason: '大きな部屋へ' }).expect(200);
    const seen = await view(meetingId, coordinator, rescheduled.body.position);
    expect(seen).toMatchObject({ capacity: 3, reason: '大きな部屋へ', registrations: { registered: [a, b, c], waitlist: [] } });
    expect(Date.parse(seen.startsAt)).toBe(Date.parse(moved.startsAt));
    const smaller = await step(meetingId, 'reschedule', coordinator, { ...moved, capacity: 2, reason: '小部屋' });
    expect([smaller.status, smaller.body.code, smaller.body.params ?? smaller.body.detail]).toEqual([409, 'meeting.capacity_below_registered', 'Capacity cannot be fewer than the 3 people already registered.']);
  });

  it('a cancelled meeting takes no more registrations', async () => {
    const meetingId = await scheduled(10, 24 * HOUR);
    const personId = await registerPerson(api);
    await register(meetingId, volunteer(personId)).expect(201);
    expect((await step(meetingId, 'cancel', coordinator, {})).status).toBe(400);
    const cancelled = await step(meetingId, 'cancel', coordinator, { reason: '台風接近のため' }).expect(200);
    const seen = await view(meetingId, volunteer(personId), cancelled.body.position);
    expect(seen).toMatchObject({ status: 'cancelled', reason: '台風接近のため', myRegistration: { registration: 'registered' } });
    const late = await register(meetingId, volunteer(await registerPerson(api)));
    expect([late.status, late.body.code]).toEqual([409, 'meeting.invalid_transition']);
    const close = await step(meetingId, 'close', coordinator, { minutes: '', contributions: [], outcomes: [], anonymousAttendees: 0 });
    expect(close.status).toBe(409);
  });

  it('a coordinator may register someone who phones in; a meeting cannot close before it starts', async () => {
    const meetingId = await scheduled(5, 2 * 24 * HOUR);
    const personId = await registerPerson(api);
    const registered = await register(meetingId, coordinator, { personId }).expect(201);
    expect(registered.body).toEqual({ meetingId, personId, status: 'registered', position: expect.any(Number) });
    const noPerson = await register(meetingId, coordinator);
    expect([noPerson.status, noPerson.body.code]).toEqual([422, 'validation.failed']);
    const early = await step(meetingId, 'close', coordinator, { minutes: '', contributions: [], outcomes: [], anonymousAttendees: 0 });
    expect([early.status, early.body.code]).toEqual([409, 'meeting.not_started']);
    const gone = await http().delete(`/api/meetings/${meetingId}/registrations/${await registerPerson(api)}`).set('Authorization', coordinator);
    expect([gone.status, gone.body.code]).toEqual([404, 'meeting.not_registered']);
  });

  it('a monthly series on the 3rd Thursday: one meeting per month at the same Tokyo time; a retry creates nothing new', async () => {
    const body = {
      ...proposalBody({ title: 'YORIAI', format: { mode: 'online', url: 'https://meet.example.jp/yoriai' }, capacity: 40 }),
      // 2030-01-17 is the third Thursday of January 2030; 19:00 in Tokyo is 10:00 UTC.
      first: { startsAt: '2030-01-17T10:00:00Z', endsAt: '2030-01-17T12:00:00Z' },
      recurrence: { frequency: 'monthly_by_weekday', count: 3 },
    };
    const byVolunteer = await http().post('/api/sdcs/nakahara/meeting-series').set('Authorization', volunteer(await registerPerson(api))).send(body);
    expect(byVolunteer.status).toBe(403);
    const key = `series-${Date.now()}`;
    const send = () => http().post('/api/sdcs/nakahara/meeting-series').set('Authorization', coordinator).set('Idempotency-Key', key).send(body);
    const created = await send().expect(201);
    expect(created.body).toEqual({
      seriesId: expect.any(String),
      meetings: [
        { meetingId: expect.any(String), startsAt: '2030-01-17T19:00:00+09:00' },
        { meetingId: expect.any(String), startsAt: '2030-02-21T19:00:00+09:00' },
        { meetingId: expect.any(String), startsAt: '2030-03-21T19:00:00+09:00' },
      ],
      position: expect.any(Number),
    });
    const { seriesId, meetings } = created.body;
    expect(new Set(meetings.map((m: { meetingId: string }) => m.meetingId)).size).toBe(3);

    const head = await api.store.headPosition();
    const replayed = await send().expect(201);
    expect([replayed.body, replayed.headers['idempotent-replayed']]).toEqual([created.body, 'true']);
    // As if the process died before storing its answer: the retry finds each occurrence's events by their derived ids.
    const scope = createHash('sha256').update(`coordinator-nakahara\n${key}`).digest('hex');
    await api.app.get<Redis>(REDIS).del(`tsunagi:idempotency:${scope}`);
    const retried = await send().expect(201);
    expect(retried.body).toEqual(created.body);
    expect(await api.store.headPosition()).toBe(head);
    const listed = await http().get(`/api/meetings?seriesId=${seriesId}&upcoming=true&minPosition=${created.body.position}`).set('Authorization', api.bearer({ role: 'analyst' })).expect(200);
    expect(
      listed.body.items.map((m: { meetingId: string; startsAt: string; endsAt: string; status: string; series: unknown }) => [m.meetingId, m.startsAt, m.endsAt, m.status, m.series]),
    ).toEqual(meetings.map((m: { meetingId: string; startsAt: string }, i: number) => [m.meetingId, m.startsAt, m.startsAt.replace('T19:', 'T21:'), 'scheduled', { seriesId, occurrence: i + 1 }]));
    for (const m of meetings) expect(await api.store.readStream(`meeting-${m.meetingId}`)).toHaveLength(2);
    const elsewhere = await http().post('/api/sdcs/tama/meeting-series').set('Authorization', coordinator).send(body);
    expect([elsewhere.status, elsewhere.body.code]).toEqual([403, 'auth.forbidden']);
  });

  it('lists meetings by SDC, theme, status, dates and upcoming, a page at a time', async () => {
    const tama = api.bearer({ role: 'coordinator', wards: ['tama'] });
    const soon = await http()
      .post('/api/sdcs/tama/meetings/scheduled')
      .set('Authorization', tama)
      .send({ ...proposalBody({ themes: ['multicultural'] }), schedule: scheduleBody(10, 3 * 24 * HOUR) })
      .expect(201);
    const later = await http()
      .post('/api/sdcs/tama/meetings/scheduled')
      .set('Authorization', tama)
      .send({ ...proposalBody({ themes: ['multicultural'] }), schedule: scheduleBody(10, 2 * 24 * HOUR) })
      .expect(201);
    const past = await http()
      .post('/api/sdcs/tama/meetings/scheduled')
      .set('Authorization', tama)
      .send({ ...proposalBody({ themes: ['multicultural'] }), schedule: scheduleBody(10, -5 * 24 * HOUR) })
      .expect(201);
    const position = Math.max(soon.body.position, later.body.position, past.body.position);
    const list = async (query: string) =>
      (await http().get(`/api/meetings?minPosition=${position}&${query}`).set('Authorization', volunteer('someone')).expect(200)).body;
    const ids = (body: { items: { meetingId: string }[] }) => body.items.map((m) => m.meetingId);

    expect(ids(await list('ward=tama&theme=multicultural&upcoming=true'))).toEqual([later.body.meetingId, soon.body.meetingId]);
    expect(ids(await list('ward=tama&theme=multicultural')).sort()).toEqual([soon.body.meetingId, later.body.meetingId, past.body.meetingId].sort());
    const firstPage = await list('ward=tama&upcoming=true&limit=1');
    expect(ids(firstPage)).toEqual([later.body.meetingId]);
    expect(ids(await list(`ward=tama&upcoming=true&limit=1&after=${firstPage.nextCursor}`))).toEqual([soon.body.meetingId]);
    const day = (offset: number) => new Date(Date.now() + 9 * HOUR + offset).toISOString().slice(0, 10);
    expect(ids(await list(`ward=tama&from=${day(-6 * 24 * HOUR)}&to=${day(-4 * 24 * HOUR)}`))).toEqual([past.body.meetingId]);
    expect(ids(await list('ward=tama&status=closed'))).toEqual([]);
    const badCursor = await http().get('/api/meetings?upcoming=true&after=nope').set('Authorization', coordinator);
    expect([badCursor.status, badCursor.body.code]).toEqual([400, 'validation.failed']);
    const badDate = await http().get('/api/meetings?from=2026-02-30').set('Authorization', coordinator);
    expect(badDate.status).toBe(400);
    await http().get('/api/meetings').expect(401);
    const missing = await http().get('/api/meetings/0190f2a4-0000-7000-8000-000000000000').set('Authorization', coordinator);
    expect([missing.status, missing.body.code]).toEqual([404, 'meeting.not_found']);
  });

  it('refuses bad proposals clearly: analysts, unknown SDCs, http links, impossible dates', async () => {
    const analyst = await http().post('/api/sdcs/nakahara/meetings').set('Authorization', api.bearer({ role: 'analyst' })).send(proposalBody());
    expect([analyst.status, analyst.body.code]).toEqual([403, 'auth.forbidden']);
    const unknownSdc = await http().post('/api/sdcs/yokohama/meetings').set('Authorization', coordinator).send(proposalBody());
    expect([unknownSdc.status, unknownSdc.body.code]).toEqual([400, 'validation.failed']);
    const http_ = await http().post('/api/sdcs/nakahara/meetings').set('Authorization', coordinator).send(proposalBody({ format: { mode: 'online', url: 'http://meet.example.jp/x' } }));
    expect([http_.status, http_.body.errors]).toEqual([400, [{ field: 'format.url', rules: ['isUrl'] }]]);
    const noVenue = await http().post('/api/sdcs/nakahara/meetings').set('Authorization', coordinator).send(proposalBody({ format: { mode: 'hybrid', url: 'https://meet.example.jp/x' } }));
    expect(noVenue.status).toBe(400);
    const badDate = await http().post('/api/sdcs/nakahara/meetings').set('Authorization', coordinator).send(proposalBody({ preferredDates: ['2026-02-30'] }));
    expect([badDate.status, badDate.body.errors]).toEqual([400, [{ field: 'preferredDates', rules: ['isCalendarDate'] }]]);
    const blank = await http().post('/api/sdcs/nakahara/meetings').set('Authorization', coordinator).send(proposalBody({ title: '　' }));
    expect([blank.status, blank.body.code, blank.body.detail]).toEqual([422, 'meeting.invalid', 'The value of title is not valid.']);
    const meetingId = await propose(coordinator);
    const backwards = await step(meetingId, 'approve', coordinator, { ...scheduleBody(5), endsAt: at(-2 * HOUR) });
    expect([backwards.status, backwards.body.code]).toEqual([422, 'meeting.invalid']);
    const noOffset = await step(meetingId, 'approve', coordinator, { ...scheduleBody(5), startsAt: '2030-01-17T19:00:00' });
    expect([noOffset.status, noOffset.body.errors]).toEqual([400, [{ field: 'startsAt', rules: ['isInstant'] }]]);
    const japanese = await http().post(`/api/meetings/${meetingId}/approve`).set('Authorization', coordinator).set('Accept-Language', 'ja').send({ ...scheduleBody(5), endsAt: at(-2 * HOUR) });
    expect(japanese.body.detail).toBe('endsAt の値が正しくありません。');
  });
});
