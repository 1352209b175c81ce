import { setTimeout as sleep } from 'node:timers/promises';
import { notificationIdFor } from '@tsunagi/notifications';
import { opportunityStreamId } from '@tsunagi/matching';
import { COORDINATOR, World } from './support/world';
import { Harness } from './support/harness';

/**
 * Channels per kind of message and quiet hours, honoured by the real worker as of send time: real Redis, SQLite,
 * SMTP. Quiet hours are read on the harness's clock (Japan time); a delayed e-mail is promoted by the test once
 * the clock has moved past them.
 */
describe('notification preferences and quiet hours (real Redis, SQLite, SMTP)', () => {
  let h: Harness;
  let world: World;
  const JST = (local: string) => `${local}+09:00`;

  beforeEach(async () => {
    h = await Harness.create({ quietHours: { defaultWindow: { start: '21:00', end: '08:00' }, timeZone: 'Asia/Tokyo' } });
    world = new World(h.executor);
  });
  afterEach(async () => {
    await h.close();
  });

  const proposedEvent = async (opportunityId: string) => (await h.store.readStream(opportunityStreamId(opportunityId))).filter((e) => e.type === 'MatchProposed').at(-1)!;

  async function proposeTo(personId: string) {
    const org = await world.organisation({ name: 'なかはら子ども食堂', email: 'info@kodomo.example.jp' });
    const opportunityId = await world.opportunity(org, '子ども食堂の調理スタッフ');
    await world.propose(opportunityId, { type: 'person', id: personId });
    return proposedEvent(opportunityId);
  }

  it('at 22:00 Japan time a proposal waits in the queue until 08:00; the inbox entry does not wait', async () => {
    h.clock.set(JST('2026-04-01T22:00:00'));
    await h.pipeline.start();
    const hanako = await world.person({ name: '川崎 花子', email: 'hanako@example.jp', language: 'ja' });
    const proposed = await proposeTo(hanako);
    const emailJobId = notificationIdFor(proposed.id, { type: 'person', id: hanako }, 'email');

    await h.until('the inbox entry', async () => (await h.inbox({ type: 'person', id: hanako })).length === 1);
    await h.until('the e-mail job to be put off', async () => (await h.queue.getJob(emailJobId))?.delay !== undefined && (await h.queue.getJobState(emailJobId)) === 'delayed');
    const job = (await h.queue.getJob(emailJobId))!;
    // Put off by ten hours (real time), without spending an attempt.
    const hoursAhead = (job.timestamp + job.delay - Date.now()) / 3_600_000;
    expect(hoursAhead).toBeGreaterThan(9.9);
    expect(hoursAhead).toBeLessThanOrEqual(10);
    expect(job.attemptsMade).toBe(0);
    expect(h.emails).toEqual([]);
    expect((await h.counts()).failed).toBe(0);

    // Morning: the job runs again and sends.
    h.clock.set(JST('2026-04-02T08:00:00'));
    await job.promote();
    await h.until('the e-mail', () => h.emailsTo('hanako@example.jp').length === 1);
    expect(h.emails[0].subject).toBe('「子ども食堂の調理スタッフ」へのマッチングのご提案');
    await h.settle();
    expect((await h.delivered()).filter((d) => d.recipient.id === hanako).map((d) => d.channel).sort()).toEqual(['email', 'inbox']);
  });

  it('quiet hours apply to people only, not to urgent news, and each person may choose their own or none', async () => {
    h.clock.set(JST('2026-04-01T22:30:00'));
    await h.pipeline.start();
    const none = await world.person({ name: 'A', email: 'none@example.jp', language: 'ja' });
    const late = await world.person({ name: 'B', email: 'late@example.jp', language: 'ja' });
    const early = await world.person({ name: 'C', email: 'early@example.jp', language: 'ja' });
    await world.setPreferences(none, { channels: {}, quietHours: null });
    await world.setPreferences(late, { channels: {}, quietHours: { start: '23:00', end: '06:00' } });
    await world.setPreferences(early, { channels: {}, quietHours: { start: '20:00', end: '07:00' } });
    // A meeting cancelled at night: urgent, sent at once even to someone in quiet hours.
    const meeting = await world.proposeMeeting('YORIAI', { subject: COORDINATOR }, 10);
    await world.onMeeting(meeting, COORDINATOR, (at) => ({ type: 'ApproveMeeting', meetingId: meeting, ...World.schedule('2026-04-03T19:00:00+09:00', '2026-04-03T21:00:00+09:00', 10), by: COORDINATOR, at }));
    await world.onMeeting(meeting, early, (at) => ({ type: 'RegisterForMeeting', meetingId: meeting, personId: early, by: early, at }));
    await world.onMeeting(meeting, COORDINATOR, (at) => ({ type: 'CancelMeeting', meetingId: meeting, reason: '台風のため', by: COORDINATOR, at }));
    for (const person of [none, late, early]) await proposeTo(person);

    await h.until('the e-mails that need not wait', () => h.emailsTo('none@example.jp').length === 1 && h.emailsTo('late@example.jp').length === 1 && h.emailsTo('early@example.jp').length === 1);
    await sleep(300);
    // "early" (quiet from 20:00) got the cancellation at once; their proposal waits.
    expect(h.emailsTo('early@example.jp').map((e) => e.subject)).toEqual(['「YORIAI」は中止になりました']);
    expect((await h.queue.getJobCounts('delayed')).delayed).toBe(1);
  });

  it('channels per kind, as of send time: inbox only, or nothing, for what the person turned off', async () => {
    h.clock.set(JST('2026-04-01T12:00:00'));
    await h.pipeline.start({ worker: false });
    const inboxOnly = await world.person({ name: 'D', email: 'inbox-only@example.jp', language: 'ja' });
    const nothing = await world.person({ name: 'E', email: 'nothing@example.jp', language: 'en' });
    const both = await world.person({ name: 'F', email: 'both@example.jp', language: 'en' });
    await world.setPreferences(both, { channels: { match_proposed: ['email', 'inbox'], match_reminder: [] } });
    for (const person of [inboxOnly, nothing, both]) await proposeTo(person);
    await h.pipeline.dispatcher.waitForPosition(await h.store.headPosition(), 5_000);
    // Chosen after the jobs were queued, before they run: the choice at send time counts.
    await world.setPreferences(inboxOnly, { channels: { match_proposed: ['inbox'] } });
    await world.setPreferences(nothing, { channels: { match_proposed: [] } });
    await h.pipeline.start({ dispatcher: false });
    await h.settle();

    expect(h.emailsTo('inbox-only@example.jp')).toEqual([]);
    expect(h.emailsTo('nothing@example.jp')).toEqual([]);
    expect(h.emailsTo('both@example.jp')).toHaveLength(1);
    expect((await h.inbox({ type: 'person', id: inboxOnly })).map((d) => d.kind)).toEqual(['match_proposed']);
    expect(await h.inbox({ type: 'person', id: nothing })).toEqual([]);
    const notWanted = (await h.failures()).filter((f) => f.reason === 'not_sent: channel_not_wanted');
    expect(notWanted.map((f) => `${f.recipient.id === inboxOnly ? 'inboxOnly' : 'nothing'}:${f.channel}`).sort()).toEqual(['inboxOnly:email', 'nothing:email', 'nothing:inbox']);
    expect(notWanted.every((f) => f.permanent)).toBe(true);
  });
});
