import type Database from 'better-sqlite3';
import { fold } from '@tsunagi/domain';
import { NewEvent, RecordedEvent, SqliteEventStore, newId } from '@tsunagi/event-store';
import { MeetingCommand, MeetingEvent, MeetingProposal, meetingDecider, meetingStreamId } from '@tsunagi/meetings';
import { openReadModelDatabase } from '../runner/read-model-database';
import { MeetingsProjection } from './meetings.projection';
import { MeetingsQueries } from './meetings.queries';

const proposal = (overrides: Partial<MeetingProposal> = {}): MeetingProposal => ({
  sdc: 'nakahara',
  title: 'YORIAI',
  themes: ['town_making'],
  purpose: '地域の困りごとを話そう',
  preferredDates: ['2026-05-21'],
  format: { mode: 'in_person', venue: '中原市民館' },
  capacity: 2,
  newcomersWelcome: true,
  ...overrides,
});
const schedule = (capacity = 2, day = 21) => ({
  startsAt: `2026-05-${day}T19:00:00+09:00`,
  endsAt: `2026-05-${day}T21:00:00+09:00`,
  format: { mode: 'hybrid' as const, venue: '中原市民館 第1会議室', url: 'https://meet.example.jp/yoriai' },
  capacity,
});

/** Meetings made by the real decider, so the projection sees only events that can happen. */
function history() {
  const streams: { streamId: string; events: MeetingEvent[] }[] = [];
  const meeting = (steps: (run: (command: object) => void, meetingId: string) => void) => {
    const meetingId = newId();
    const events: MeetingEvent[] = [];
    let minute = 0;
    const run = (command: object) => {
      const at = (command as { at?: string }).at ?? `2026-05-01T10:${String(minute++).padStart(2, '0')}:00+09:00`;
      const full = { meetingId, by: 'c1', ...command, at } as MeetingCommand;
      events.push(...meetingDecider.decide(full, fold(meetingDecider, events)));
    };
    steps(run, meetingId);
    streams.push({ streamId: meetingStreamId(meetingId), events });
    return meetingId;
  };
  const proposer = { subject: 'p-proposer', personId: 'p-proposer' };

  // The whole life: full, a waitlist, a cancellation that promotes, a waiting person who leaves, walk-ins, closing.
  const held = meeting((run) => {
    run({ type: 'ProposeMeeting', ...proposal(), proposer });
    run({ type: 'ApproveMeeting', ...schedule(2) });
    for (const personId of ['a', 'b', 'c', 'd', 'e', 'f']) run({ type: 'RegisterForMeeting', personId });
    run({ type: 'CancelMeetingRegistration', personId: 'a' }); // c is promoted; d, e, f move up
    run({ type: 'CancelMeetingRegistration', personId: 'e' }); // f moves up
    run({ type: 'CheckInAttendee', personId: 'b' });
    run({ type: 'CheckInAttendee', personId: 'w' }); // a first-timer
    run({ type: 'CheckInAttendee', personId: 'f' }); // was waiting, came anyway
    run({
      type: 'CloseMeeting',
      at: '2026-05-21T21:30:00+09:00',
      minutes: '議事録',
      contributions: ['発表'],
      outcomes: [{ outcomeId: 'o1', kind: 'idea', text: '子ども食堂' }],
      anonymousAttendees: 2,
    });
  });
  const bigger = meeting((run) => {
    run({ type: 'ScheduleNewMeeting', ...proposal({ themes: ['welfare'] }), proposer, schedule: schedule(1, 28), series: { seriesId: 's1', occurrence: 1 } });
    for (const personId of ['a', 'x', 'y']) run({ type: 'RegisterForMeeting', personId });
    run({ type: 'RescheduleMeeting', ...schedule(3, 29), reason: '大きな部屋へ' }); // x and y promoted
  });
  meeting((run) => {
    run({ type: 'ProposeMeeting', ...proposal({ sdc: 'tama' }), proposer: { subject: 'coordinator-tama' } });
    run({ type: 'RejectMeeting', reason: '日程が合わない' });
  });
  meeting((run) => {
    run({ type: 'ProposeMeeting', ...proposal(), proposer });
    run({ type: 'WithdrawMeetingProposal' });
  });
  meeting((run) => {
    run({ type: 'ProposeMeeting', ...proposal(), proposer: { subject: 'someone' } });
    run({ type: 'ApproveMeeting', ...schedule(5, 25) });
    run({ type: 'RegisterForMeeting', personId: 'a' });
    run({ type: 'CancelMeeting', reason: '台風' });
  });
  return { streams, held, bigger };
}

const TABLES = ['meetings', 'meeting_participants'];
const rows = (db: Database.Database) => Object.fromEntries(TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]));

describe('MeetingsProjection', () => {
  let db: Database.Database;
  let store: SqliteEventStore;
  let projection: MeetingsProjection;
  let recorded: RecordedEvent[];
  let ids: { held: string; bigger: string };

  beforeEach(async () => {
    const { streams, held, bigger } = history();
    ids = { held, bigger };
    store = new SqliteEventStore({ path: ':memory:' });
    // Interleave the streams, as concurrent meetings would be in `$all`.
    const queue = streams.map((s) => ({ ...s, next: 0 }));
    while (queue.some((s) => s.next < s.events.length)) {
      for (const s of queue) {
        if (s.next >= s.events.length) continue;
        const e = s.events[s.next++];
        await store.append(s.streamId, [{ id: newId(), type: e.type, data: e.data } as NewEvent]);
      }
    }
    recorded = await store.readAll();
    db = openReadModelDatabase(':memory:');
    projection = new MeetingsProjection();
    projection.setUp(db);
  });
  afterEach(async () => {
    db.close();
    await store.close();
  });

  it('replaying the same events twice (or any prefix again) gives the same rows', () => {
    db.transaction(() => recorded.forEach((e) => projection.apply(e)))();
    const once = rows(db);
    db.transaction(() => recorded.forEach((e) => projection.apply(e)))();
    expect(rows(db)).toEqual(once);
    recorded.slice(0, Math.floor(recorded.length / 2)).forEach((e) => projection.apply(e));
    expect(rows(db)).toEqual(once);
    // A read model rebuilt from scratch gives the same rows too.
    const again = openReadModelDatabase(':memory:');
    const other = new MeetingsProjection();
    other.setUp(again);
    again.transaction(() => recorded.forEach((e) => other.apply(e)))();
    expect(rows(again)).toEqual(once);
    again.close();
    expect(once.meetings).toHaveLength(5);
  });

  it('agrees with the decider on places, the waitlist and attendance', async () => {
    recorded.forEach((e) => projection.apply(e));
    const queries = new MeetingsQueries(db);
    for (const meetingId of [ids.held, ids.bigger]) {
      const state = fold(meetingDecider, (await store.readStream(meetingStreamId(meetingId))) as unknown as MeetingEvent[]);
      const participants = queries.participants(meetingId);
      expect(participants.filter((p) => p.registration === 'registered').map((p) => p.personId)).toEqual(state.registered);
      expect(participants.filter((p) => p.registration === 'waitlisted').map((p) => p.personId)).toEqual(state.waitlist);
      expect(participants.filter((p) => p.checkedIn).map((p) => p.personId).sort()).toEqual(Object.keys(state.checkedIn).sort());
    }

    const held = queries.meeting(ids.held)!;
    expect(held).toMatchObject({
      status: 'closed',
      capacity: 2,
      format: { mode: 'hybrid' },
      startsAt: '2026-05-21T19:00:00+09:00',
      registeredCount: 2,
      waitlistCount: 1,
      checkedInCount: 3,
      placesLeft: 0,
      outcomes: [{ outcomeId: 'o1', kind: 'idea', text: '子ども食堂' }],
      headcount: { attendees: 3, noShows: 1, anonymousAttendees: 2 },
    });
    expect(queries.participants(ids.held)).toEqual([
      expect.objectContaining({ personId: 'b', registration: 'registered', checkedIn: true, walkIn: false }),
      expect.objectContaining({ personId: 'c', registration: 'registered', wasWaitlisted: true, checkedIn: false }),
      { personId: 'd', registration: 'waitlisted', waitlistPosition: 1, wasWaitlisted: true, checkedIn: false, walkIn: false, registeredAt: expect.any(String) },
      expect.objectContaining({ personId: 'a', registration: 'cancelled' }),
      expect.objectContaining({ personId: 'e', registration: 'cancelled', wasWaitlisted: true }),
      expect.objectContaining({ personId: 'w', registration: 'none', wasWaitlisted: false, checkedIn: true, walkIn: true }),
      expect.objectContaining({ personId: 'f', registration: 'none', wasWaitlisted: true, checkedIn: true, walkIn: true }),
    ]);
    expect(queries.meeting(ids.bigger)).toMatchObject({
      status: 'scheduled',
      capacity: 3,
      registeredCount: 3,
      waitlistCount: 0,
      reason: '大きな部屋へ',
      startsAt: '2026-05-29T19:00:00+09:00',
      series: { seriesId: 's1', occurrence: 1 },
    });
  });

  it('lists by SDC, theme, status, dates and upcoming (soonest first, with a cursor)', () => {
    recorded.forEach((e) => projection.apply(e));
    const queries = new MeetingsQueries(db);
    const statuses = (list: { status: string }[]) => list.map((m) => m.status).sort();
    expect(statuses(queries.meetings({ ward: 'nakahara', limit: 10 }))).toEqual(['cancelled', 'closed', 'scheduled', 'withdrawn']);
    expect(statuses(queries.meetings({ ward: 'tama', limit: 10 }))).toEqual(['rejected']);
    expect(queries.meetings({ theme: 'welfare', limit: 10 }).map((m) => m.meetingId)).toEqual([ids.bigger]);
    const may = (day: number) => Date.parse(`2026-05-${String(day).padStart(2, '0')}T00:00:00+09:00`);
    expect(statuses(queries.meetings({ startsFrom: may(22), startsBefore: may(30), limit: 10 }))).toEqual(['cancelled', 'scheduled']);
    const upcoming = queries.meetings({ upcomingAt: may(1), limit: 10 });
    expect(upcoming.map((m) => m.meetingId)).toEqual([ids.bigger]);
    expect(queries.meetings({ upcomingAt: may(1), after: `${Date.parse(upcoming[0].startsAt!)}_${ids.bigger}`, limit: 10 })).toEqual([]);
    expect(queries.meetings({ upcomingAt: may(30), limit: 10 })).toEqual([]);
    const first = queries.meetings({ limit: 2 });
    expect(queries.meetings({ after: first[1].meetingId, limit: 10 })).toHaveLength(3);
  });

  it("lists a person's meetings: proposed, registered, waited for, attended", () => {
    recorded.forEach((e) => projection.apply(e));
    const queries = new MeetingsQueries(db);
    const mine = queries.personMeetings('p-proposer', { limit: 10 });
    expect(mine).toHaveLength(3);
    expect(mine.every((m) => m.proposed && m.registration === undefined)).toBe(true);
    const f = queries.personMeetings('f', { limit: 10 });
    expect(f).toEqual([expect.objectContaining({ proposed: false, registration: 'none', wasWaitlisted: true, attended: true, walkIn: true })]);
    const a = queries.personMeetings('a', { limit: 10 });
    expect(a.map((m) => m.registration).sort()).toEqual(['cancelled', 'registered', 'registered']);
    expect(queries.personMeetings('a', { relation: 'registered', limit: 10 })).toHaveLength(2);
    expect(queries.personMeetings('d', { relation: 'waitlisted', limit: 10 })).toEqual([expect.objectContaining({ registration: 'waitlisted', waitlistPosition: 1 })]);
    expect(queries.personMeetings('b', { relation: 'attended', limit: 10 })).toHaveLength(1);
    expect(queries.personMeetings('nobody', { limit: 10 })).toEqual([]);
  });

  it('tears down its tables', () => {
    projection.tearDown(db);
    const left = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${TABLES.map(() => '?').join(', ')})`).all(...TABLES);
    expect(left).toEqual([]);
  });
});
