import { meetingStreamId } from '@tsunagi/meetings';
import { followUpIdFor } from '../../apps/worker/src/notifications/follow-up-job';
import { COORDINATOR, World } from './support/world';
import { Harness } from './support/harness';

/**
 * Meetings beyond their own stream: people following the SDC or a theme hear that a meeting is scheduled, and
 * those registered are reminded shortly before it starts (short delays here), only if it still happens then.
 */
describe('meeting announcements to followers and reminders (real Redis, SQLite, SMTP)', () => {
  const BEFORE_MS = 60_000;
  const SOON_MS = 500;
  let h: Harness;
  let world: World;

  beforeEach(async () => {
    h = await Harness.create({ followUps: { matchReminderAfterMs: 600_000, matchExpiryAfterMs: 1_200_000, meetingReminderBeforeMs: BEFORE_MS } });
    await h.pipeline.start();
    world = new World(h.executor);
  });
  afterEach(async () => {
    await h.close();
  });

  const subjects = (address: string) => h.emailsTo(address).map((e) => e.subject).sort();
  /** A schedule whose reminder is due `inMs` from now (on the harness's clock), an hour long. */
  const startingSoon = (inMs: number, capacity = 1) => {
    const startsAt = new Date(h.clock.now().getTime() + BEFORE_MS + inMs);
    return World.schedule(startsAt.toISOString(), new Date(startsAt.getTime() + 3_600_000).toISOString(), capacity);
  };
  const register = (meetingId: string, personId: string) =>
    world.onMeeting(meetingId, personId, (at) => ({ type: 'RegisterForMeeting', meetingId, personId, by: personId, at }));
  const followUpsOf = async (meetingId: string) => {
    const events = await h.store.readStream(meetingStreamId(meetingId));
    return Promise.all(events.filter((e) => e.type === 'MeetingScheduled' || e.type === 'MeetingRescheduled').map((e) => h.pipeline.followUpQueue.getJob(followUpIdFor('meeting_reminder', e.id))));
  };

  it('a scheduled meeting (and a launched spin-off) is announced to followers, once each, and never to those who unfollowed', async () => {
    const sdcFollower = await world.person({ name: 'A', email: 'sdc@example.jp', language: 'ja' });
    const themeFollower = await world.person({ name: 'B', email: 'theme@example.jp', language: 'en' });
    const both = await world.person({ name: 'C', email: 'both@example.jp', language: 'ja' });
    const gone = await world.person({ name: 'D', email: 'gone@example.jp', language: 'ja' });
    const elsewhere = await world.person({ name: 'E', email: 'asao@example.jp', language: 'ja' });
    const proposer = await world.person({ name: 'F', email: 'proposer@example.jp', language: 'ja' });
    await world.follow(sdcFollower, { type: 'sdc', ward: 'nakahara' });
    await world.follow(themeFollower, { type: 'theme', theme: 'town_making' });
    await world.follow(both, { type: 'sdc', ward: 'nakahara' });
    await world.follow(both, { type: 'theme', theme: 'town_making' });
    await world.follow(gone, { type: 'sdc', ward: 'nakahara' });
    await world.follow(gone, { type: 'sdc', ward: 'nakahara' }, 'Unfollow');
    await world.follow(elsewhere, { type: 'sdc', ward: 'asao' });
    await world.follow(proposer, { type: 'sdc', ward: 'nakahara' });

    const meeting = await world.proposeMeeting('YORIAI 5月', { subject: `subject-${proposer}`, personId: proposer }, 10);
    const schedule = World.schedule('2026-05-20T19:00:00+09:00', '2026-05-20T21:00:00+09:00', 10);
    await world.onMeeting(meeting, COORDINATOR, (at) => ({ type: 'ApproveMeeting', meetingId: meeting, ...schedule, by: COORDINATOR, at }));
    // Following after the meeting was scheduled does not announce it (a replay plans what the first pass planned).
    const late = await world.person({ name: 'G', email: 'late@example.jp', language: 'ja' });
    await world.follow(late, { type: 'sdc', ward: 'nakahara' });
    await h.settle();

    expect(subjects('sdc@example.jp')).toEqual(['新しい会議「YORIAI 5月」のお知らせ']);
    expect(h.emailsTo('sdc@example.jp')[0].text).toContain('日時: 2026年5月20日(水) 19:00〜21:00');
    expect(subjects('theme@example.jp')).toEqual(['New meeting: "YORIAI 5月"']);
    expect(subjects('both@example.jp')).toEqual(['新しい会議「YORIAI 5月」のお知らせ']);
    expect(subjects('proposer@example.jp')).toEqual(['「YORIAI 5月」の開催が決まりました']);
    for (const address of ['gone@example.jp', 'asao@example.jp', 'late@example.jp']) expect(h.emailsTo(address)).toEqual([]);
    expect((await h.inbox({ type: 'person', id: themeFollower })).map((d) => d.kind)).toEqual(['meeting_announced']);

    // A spin-off launched in nakahara: announced to the SDC's followers (not to theme followers), its initiator told as such.
    const spinOff = await world.spinOff('中原の朝市', [both], meeting);
    await world.onSpinOff(spinOff, COORDINATOR, (at) => ({ type: 'AcknowledgeSpinOff', spinOffId: spinOff, by: COORDINATOR, at }));
    await world.onSpinOff(spinOff, both, (at) => ({ type: 'LaunchSpinOff', spinOffId: spinOff, by: both, at }));
    await h.settle();
    expect(subjects('sdc@example.jp')).toEqual(['新しいスピンオフ企画「中原の朝市」が始動しました', '新しい会議「YORIAI 5月」のお知らせ'].sort());
    expect(subjects('late@example.jp')).toEqual(['新しいスピンオフ企画「中原の朝市」が始動しました']);
    expect(subjects('both@example.jp')).toEqual(['スピンオフ企画「中原の朝市」が始動しました', '新しい会議「YORIAI 5月」のお知らせ'].sort());
    expect(subjects('theme@example.jp')).toEqual(['New meeting: "YORIAI 5月"']);
  });

  it('registered people are reminded before the meeting, those waiting are not; nothing for a meeting cancelled or moved since', async () => {
    const aiko = await world.person({ name: '中原 愛子', email: 'aiko@example.jp', language: 'ja' });
    const mary = await world.person({ name: 'Mary Jones', email: 'mary@example.jp', language: 'en' });
    const taro = await world.person({ name: '幸 太郎', email: 'taro@example.jp', language: 'ja' });

    // Held as planned: Aiko has the one place, Mary waits.
    const held = await world.proposeMeeting('YORIAI 5月', { subject: COORDINATOR }, 10);
    await world.onMeeting(held, COORDINATOR, (at) => ({ type: 'ApproveMeeting', meetingId: held, ...startingSoon(SOON_MS), by: COORDINATOR, at }));
    await register(held, aiko);
    await register(held, mary);
    // Cancelled before its reminder is due.
    const cancelled = await world.proposeMeeting('中止の会', { subject: COORDINATOR }, 10);
    await world.onMeeting(cancelled, COORDINATOR, (at) => ({ type: 'ApproveMeeting', meetingId: cancelled, ...startingSoon(SOON_MS), by: COORDINATOR, at }));
    await register(cancelled, taro);
    await world.onMeeting(cancelled, COORDINATOR, (at) => ({ type: 'CancelMeeting', meetingId: cancelled, reason: '台風のため', by: COORDINATOR, at }));
    // Moved: the first time's reminder finds it superseded; the new time's reminder is sent.
    const moved = await world.proposeMeeting('日程変更の会', { subject: COORDINATOR }, 10);
    await world.onMeeting(moved, COORDINATOR, (at) => ({ type: 'ApproveMeeting', meetingId: moved, ...startingSoon(SOON_MS), by: COORDINATOR, at }));
    await register(moved, taro);
    await world.onMeeting(moved, COORDINATOR, (at) => ({ type: 'RescheduleMeeting', meetingId: moved, ...startingSoon(SOON_MS * 2), reason: '会場の都合', by: COORDINATOR, at }));

    await h.until('every reminder to have fired', async () => {
      const jobs = [...(await followUpsOf(held)), ...(await followUpsOf(cancelled)), ...(await followUpsOf(moved))];
      return jobs.length === 4 && jobs.every((j) => !!j?.finishedOn);
    });
    await h.settle();

    expect(subjects('aiko@example.jp')).toEqual(['【明日】「YORIAI 5月」のご案内']);
    expect(h.emailsTo('mary@example.jp')).toEqual([]);
    expect(subjects('taro@example.jp')).toEqual(['「中止の会」は中止になりました', '「日程変更の会」の日程が変更になりました', '【明日】「日程変更の会」のご案内'].sort());
    const [first, second] = await followUpsOf(moved);
    expect(first!.returnvalue).toEqual({ outcome: 'not_due', reason: 'superseded' });
    expect(second!.returnvalue).toEqual({ outcome: 'notified', jobs: 2 });
    expect((await followUpsOf(cancelled))[0]!.returnvalue).toEqual({ outcome: 'not_due', reason: 'not_scheduled' });
    expect((await h.counts()).failed).toBe(0);
  });
});
