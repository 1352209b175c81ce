import request from 'supertest';
import type { MeetingEvent } from '@tsunagi/meetings';
import { TestApi, startTestApi } from '../support/test-api';
import { registerPerson } from '../support/fixtures';

const HOUR = 3600_000;

describe('30 volunteers register for the last place of a meeting at once', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('exactly one gets it; 29 wait at positions 1..29; the stream agrees; a cancellation promotes #1', async () => {
    const http = () => request(api.app.getHttpServer());
    const coordinator = api.bearer({ role: 'coordinator', wards: ['nakahara'] });
    const meeting = await http()
      .post('/api/sdcs/nakahara/meetings/scheduled')
      .set('Authorization', coordinator)
      .send({
        title: 'YORIAI 6月',
        themes: ['town_making'],
        purpose: 'まちの困りごとを話そう',
        preferredDates: [],
        format: { mode: 'in_person', venue: '中原市民館' },
        capacity: 2,
        newcomersWelcome: true,
        schedule: {
          startsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
          endsAt: new Date(Date.now() + 26 * HOUR).toISOString(),
          format: { mode: 'in_person', venue: '中原市民館' },
          capacity: 2,
        },
      })
      .expect(201);
    const meetingId: string = meeting.body.meetingId;
    const first = await registerPerson(api);
    await http().post(`/api/meetings/${meetingId}/registrations`).set('Authorization', coordinator).send({ personId: first }).expect(201);

    const people = await Promise.all(Array.from({ length: 30 }, () => registerPerson(api)));
    const answers = await Promise.all(
      people.map((personId) => http().post(`/api/meetings/${meetingId}/registrations`).set('Authorization', api.bearer({ role: 'volunteer', personId })).send({})),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(201));
    const registered = answers.filter((a) => a.body.status === 'registered');
    const waitlisted = answers.filter((a) => a.body.status === 'waitlisted');
    expect(registered).toHaveLength(1);
    expect(waitlisted).toHaveLength(29);
    expect(waitlisted.map((a) => a.body.waitlistPosition).sort((x, y) => x - y)).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));

    // The stream agrees: two places taken, 29 waiting with the positions they were told, revisions contiguous.
    const stream = (await api.store.readStream(`meeting-${meetingId}`)) as unknown as (MeetingEvent & { revision: number })[];
    expect(stream.map((e) => e.revision)).toEqual(stream.map((_, i) => i));
    expect(stream.filter((e) => e.type === 'RegisteredForMeeting').map((e) => e.data.personId)).toEqual([first, registered[0].body.personId]);
    const waiting = stream.flatMap((e) => (e.type === 'WaitlistedForMeeting' ? [[e.data.personId, e.data.waitlistPosition]] : []));
    expect(waiting).toEqual(Array.from({ length: 29 }, (_, i) => [expect.any(String), i + 1]));
    expect(new Map(waiting as [string, number][])).toEqual(new Map(waitlisted.map((a) => [a.body.personId, a.body.waitlistPosition])));

    // The one who got the place cancels: the first person waiting is promoted, in the same decision.
    const winner: string = registered[0].body.personId;
    const next = waitlisted.find((a) => a.body.waitlistPosition === 1)!.body.personId as string;
    const cancelled = await http()
      .delete(`/api/meetings/${meetingId}/registrations/${winner}`)
      .set('Authorization', api.bearer({ role: 'volunteer', personId: winner }))
      .expect(200);
    expect(cancelled.body).toMatchObject({ meetingId, personId: winner, wasWaitlisted: false, promoted: [next] });

    const view = await http().get(`/api/meetings/${meetingId}?minPosition=${cancelled.body.position}`).set('Authorization', coordinator).expect(200);
    expect(view.body).toMatchObject({ registeredCount: 2, waitlistCount: 28, placesLeft: 0 });
    expect(view.body.registrations.registered).toEqual([first, next]);
    expect(view.body.registrations.waitlist.map((w: { waitlistPosition: number }) => w.waitlistPosition)).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));
    const second = waitlisted.find((a) => a.body.waitlistPosition === 2)!.body.personId;
    expect(view.body.registrations.waitlist[0]).toEqual({ personId: second, waitlistPosition: 1 });
    const mine = await http()
      .get(`/api/meetings/${meetingId}?minPosition=${cancelled.body.position}`)
      .set('Authorization', api.bearer({ role: 'volunteer', personId: next }))
      .expect(200);
    expect(mine.body.myRegistration).toMatchObject({ personId: next, registration: 'registered', wasWaitlisted: true });
  });
});
