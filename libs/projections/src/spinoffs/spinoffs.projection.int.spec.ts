import type Database from 'better-sqlite3';
import { fold } from '@tsunagi/domain';
import { NewEvent, RecordedEvent, SqliteEventStore, newId } from '@tsunagi/event-store';
import { OpportunityCommand, OpportunityEvent, opportunityDecider, opportunityStreamId } from '@tsunagi/matching';
import { SpinOffCommand, SpinOffEvent, SpinOffProfile, spinOffDecider, spinOffStreamId } from '@tsunagi/spinoffs';
import { MatchingProjection } from '../matching/matching.projection';
import { openReadModelDatabase } from '../runner/read-model-database';
import { SpinOffsProjection } from './spinoffs.projection';
import { SpinOffsQueries } from './spinoffs.queries';

const at = (minute: number) => new Date(Date.UTC(2026, 4, 10, 9, minute)).toISOString();

const profile = (overrides: Partial<SpinOffProfile> = {}): SpinOffProfile => ({
  origins: [
    { meetingId: 'mtg-1', outcomeId: 'out-1' },
    { meetingId: 'mtg-1', outcomeId: 'out-2' },
  ],
  title: '中原こども食堂',
  purpose: '土曜の子ども食堂',
  wards: ['nakahara'],
  themes: ['child_rearing', 'welfare'],
  initiators: ['p-ini'],
  ...overrides,
});

/** Spin-offs and the opportunities their roles opened, made by the real deciders, so the projection sees only events that can happen. */
function history() {
  const streams: { streamId: string; events: (SpinOffEvent | OpportunityEvent)[] }[] = [];
  let minute = 0;
  const spinOff = (steps: (run: (command: object) => void) => void) => {
    const spinOffId = newId();
    const events: SpinOffEvent[] = [];
    const run = (command: object) => {
      const full = { spinOffId, by: 'c1', at: at(minute++), ...command } as SpinOffCommand;
      events.push(...spinOffDecider.decide(full, fold(spinOffDecider, events)));
    };
    steps(run);
    streams.push({ streamId: spinOffStreamId(spinOffId), events });
    return spinOffId;
  };
  const opportunity = (opportunityId: string, steps: (run: (command: object) => void) => void) => {
    const events: OpportunityEvent[] = [];
    const run = (command: object) => {
      const full = { opportunityId, by: 'system', at: at(minute++), ...command } as OpportunityCommand;
      events.push(...opportunityDecider.decide(full, fold(opportunityDecider, events)));
    };
    run({
      type: 'OpenOpportunity',
      organisationId: 'org-sdc-nakahara',
      title: '調理スタッフ',
      description: '',
      ward: 'nakahara',
      themes: ['child_rearing'],
      details: { kind: 'volunteer_role', places: 2, schedule: {}, requiredSkills: ['調理'], optionalSkills: [] },
    });
    steps(run);
    streams.push({ streamId: opportunityStreamId(opportunityId), events });
  };

  const cooks = newId();
  const drivers = newId();
  const [m1, m2, m3, m4] = [newId(), newId(), newId(), newId()];
  opportunity(cooks, (run) => {
    run({ type: 'ProposeMatch', matchId: m1, candidate: { type: 'person', id: 'p-cook' }, message: '' });
    run({ type: 'AcceptMatch', matchId: m1 });
    run({ type: 'ConfirmMatch', matchId: m1 });
    run({ type: 'ProposeMatch', matchId: m2, candidate: { type: 'person', id: 'p-busy' }, message: '' });
    run({ type: 'DeclineMatch', matchId: m2, reason: 'no_time' });
    run({ type: 'ProposeMatch', matchId: m3, candidate: { type: 'person', id: 'p-staff' }, message: '' });
    run({ type: 'AcceptMatch', matchId: m3 });
  });
  opportunity(drivers, (run) => {
    run({ type: 'ProposeMatch', matchId: m4, candidate: { type: 'person', id: 'p-driver' }, message: '' });
    run({ type: 'CloseOpportunity' });
  });

  // The whole life: members come and go, two roles, milestones, an exit strategy that changes, completed.
  const cafeteria = spinOff((run) => {
    run({ type: 'ProposeSpinOff', ...profile({ initiators: ['p-ini', 'p-ini-2'] }) });
    run({ type: 'AcknowledgeSpinOff' });
    run({ type: 'LaunchSpinOff', by: 'p-ini' });
    run({ type: 'JoinSpinOff', personId: 'p-staff', role: 'staff' });
    run({ type: 'JoinSpinOff', personId: 'p-gone', role: 'supporter' });
    run({ type: 'LeaveSpinOff', personId: 'p-gone', reason: '転居' });
    run({ type: 'LeaveSpinOff', personId: 'p-ini-2' });
    run({ type: 'OpenSpinOffRole', roleId: 'r-cooks', opportunityId: cooks, title: '調理スタッフ', places: 2, requiredSkills: ['手芸'] });
    run({ type: 'OpenSpinOffRole', roleId: 'r-drivers', opportunityId: drivers, title: '送迎', places: 1, requiredSkills: [] });
    run({ type: 'InviteToSpinOffRole', roleId: 'r-cooks', personIds: ['p-cook', 'p-busy'] });
    run({ type: 'InviteToSpinOffRole', roleId: 'r-cooks', personIds: ['p-busy', 'p-new'] }); // p-busy was asked already
    run({ type: 'CloseSpinOffRole', roleId: 'r-drivers' });
    run({ type: 'AddMilestone', milestoneId: 'ms-venue', title: '会場を決める', dueOn: '2026-06-30' });
    run({ type: 'AddMilestone', milestoneId: 'ms-first', title: '初回開催' });
    run({ type: 'ReachMilestone', milestoneId: 'ms-venue' });
    run({ type: 'ChooseExitStrategy', strategy: 'becomes_policy' });
    run({ type: 'ChooseExitStrategy', strategy: 'runs_on_its_own', note: '保護者会で運営' });
    run({ type: 'CompleteSpinOff', summary: '自主運営へ' });
  });
  const market = spinOff((run) => {
    run({ type: 'ProposeSpinOff', ...profile({ title: 'マルシェ', origins: [{ meetingId: 'mtg-2', outcomeId: 'out-9' }, { meetingId: 'mtg-1', outcomeId: 'out-2' }], wards: ['nakahara', 'takatsu'], themes: ['town_making'] }) });
    run({ type: 'CloseSpinOff', reason: '会場がない' });
  });
  const network = spinOff((run) => {
    run({ type: 'ProposeSpinOff', ...profile({ title: '防災ネットワーク', origins: [{ meetingId: 'mtg-3', outcomeId: 'out-1' }], wards: ['tama'], themes: ['disaster_prevention'] }) });
    run({ type: 'JoinSpinOff', personId: 'p-staff', role: 'advisor' });
  });
  return { streams, cafeteria, market, network, cooks, drivers, matches: { m1, m2, m3, m4 } };
}

const TABLES = ['spinoffs', 'spinoff_origins', 'spinoff_members', 'spinoff_roles', 'spinoff_invitations', 'spinoff_milestones'];
const rows = (db: Database.Database) => Object.fromEntries(TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]));

describe('SpinOffsProjection', () => {
  let db: Database.Database;
  let store: SqliteEventStore;
  let projection: SpinOffsProjection;
  let matching: MatchingProjection;
  let recorded: RecordedEvent[];
  let ids: ReturnType<typeof history>;

  const open = () => {
    const database = openReadModelDatabase(':memory:');
    const spinOffs = new SpinOffsProjection();
    const opportunities = new MatchingProjection();
    spinOffs.setUp(database);
    opportunities.setUp(database);
    return { database, spinOffs, opportunities };
  };
  /** Both projections, as the runner would feed them (each its own event types). */
  const applyAll = (events: RecordedEvent[], target = { spinOffs: projection, opportunities: matching }) =>
    events.forEach((e) => (e.streamId.startsWith('spinoff-') ? target.spinOffs.apply(e) : target.opportunities.apply(e)));

  beforeEach(async () => {
    ids = history();
    store = new SqliteEventStore({ path: ':memory:' });
    // Interleave the streams, as concurrent projects would be in `$all`.
    const queue = ids.streams.map((s) => ({ ...s, next: 0 }));
    while (queue.some((s) => s.next < s.events.length)) {
      for (const s of queue) {
        if (s.next >= s.events.length) continue;
        const e = s.events[s.next++];
        await store.append(s.streamId, [{ id: newId(), type: e.type, data: e.data } as NewEvent]);
      }
    }
    recorded = await store.readAll();
    ({ database: db, spinOffs: projection, opportunities: matching } = open());
  });
  afterEach(async () => {
    db.close();
    await store.close();
  });

  it('replaying the same events twice (or any prefix again) gives the same rows', () => {
    const spinOffEvents = recorded.filter((e) => e.streamId.startsWith('spinoff-'));
    db.transaction(() => spinOffEvents.forEach((e) => projection.apply(e)))();
    const once = rows(db);
    db.transaction(() => spinOffEvents.forEach((e) => projection.apply(e)))();
    expect(rows(db)).toEqual(once);
    spinOffEvents.slice(0, Math.floor(spinOffEvents.length / 2)).forEach((e) => projection.apply(e));
    expect(rows(db)).toEqual(once);
    // A read model rebuilt from scratch gives the same rows too.
    const again = open();
    again.database.transaction(() => spinOffEvents.forEach((e) => again.spinOffs.apply(e)))();
    expect(rows(again.database)).toEqual(once);
    again.database.close();
    expect(once.spinoffs).toHaveLength(3);
    expect(once.spinoff_origins).toHaveLength(5);
  });

  it('keeps who was invited to each role, once each, first invited first', () => {
    applyAll(recorded);
    const invitations = new SpinOffsQueries(db).invitations(ids.cafeteria);
    expect([...invitations.keys()]).toEqual(['r-cooks']);
    expect(invitations.get('r-cooks')!.map((i) => i.personId)).toEqual(['p-cook', 'p-busy', 'p-new']);
  });

  it('agrees with the decider on status, members, roles, milestones and the exit strategy', async () => {
    applyAll(recorded);
    const queries = new SpinOffsQueries(db);
    for (const spinOffId of [ids.cafeteria, ids.market, ids.network]) {
      const state = fold(spinOffDecider, (await store.readStream(spinOffStreamId(spinOffId))) as unknown as SpinOffEvent[]);
      const view = queries.spinOff(spinOffId)!;
      expect(view.status).toBe(state.status);
      expect(Object.fromEntries(view.members.map((m) => [m.personId, m.role]))).toEqual(state.members);
      expect(view.roles.map((r) => [r.roleId, r.status === 'open'])).toEqual(Object.values(state.roles).map((r) => [r.roleId, r.open]));
      expect(view.milestones.map((m) => [m.milestoneId, m.reached])).toEqual(Object.values(state.milestones).map((m) => [m.milestoneId, m.reached]));
      expect(view.exitStrategy && { strategy: view.exitStrategy.strategy, ...(view.exitStrategy.note ? { note: view.exitStrategy.note } : {}) }).toEqual(state.exitStrategy);
      expect(view.origins).toEqual(state.profile!.origins);
    }

    expect(queries.spinOff(ids.cafeteria)).toMatchObject({
      title: '中原こども食堂',
      status: 'completed',
      initiators: ['p-ini', 'p-ini-2'],
      memberCount: 2,
      openRoleCount: 1,
      summary: '自主運営へ',
      exitStrategy: { strategy: 'runs_on_its_own', note: '保護者会で運営' },
      members: [
        { personId: 'p-ini', role: 'organiser', initiator: true, since: expect.any(String) },
        { personId: 'p-staff', role: 'staff', initiator: false, since: expect.any(String) },
      ],
      roles: [
        { roleId: 'r-cooks', opportunityId: ids.cooks, places: 2, placesTaken: 2, status: 'open', requiredSkills: ['手芸'] },
        { roleId: 'r-drivers', opportunityId: ids.drivers, places: 1, placesTaken: 0, status: 'closed', closedAt: expect.any(String) },
      ],
      milestones: [
        { milestoneId: 'ms-venue', title: '会場を決める', dueOn: '2026-06-30', reached: true, reachedAt: expect.any(String) },
        { milestoneId: 'ms-first', title: '初回開催', reached: false },
      ],
    });
    expect(queries.spinOff(ids.market)).toMatchObject({ status: 'closed', closeReason: '会場がない', endedAt: expect.any(String) });
    expect(queries.spinOff('nope')).toBeUndefined();
  });

  it('lists by ward, status and theme, with a cursor', () => {
    applyAll(recorded);
    const queries = new SpinOffsQueries(db);
    const titles = (list: { title: string }[]) => list.map((s) => s.title).sort();
    expect(titles(queries.spinOffs({ ward: 'nakahara', limit: 10 }))).toEqual(['マルシェ', '中原こども食堂']);
    expect(titles(queries.spinOffs({ ward: 'takatsu', limit: 10 }))).toEqual(['マルシェ']);
    expect(titles(queries.spinOffs({ status: 'proposed', limit: 10 }))).toEqual(['防災ネットワーク']);
    expect(titles(queries.spinOffs({ theme: 'welfare', limit: 10 }))).toEqual(['中原こども食堂']);
    const first = queries.spinOffs({ limit: 2 });
    expect(first).toHaveLength(2);
    expect(queries.spinOffs({ after: first[1].spinOffId, limit: 10 })).toHaveLength(1);
  });

  it('lists the projects a person initiated or is a member of', () => {
    applyAll(recorded);
    const queries = new SpinOffsQueries(db);
    const of = (personId: string) => queries.personSpinOffs(personId, { limit: 10 }).map((p) => [p.spinOff.title, p.initiator, p.memberRole]);
    expect(of('p-staff').sort()).toEqual([
      ['中原こども食堂', false, 'staff'],
      ['防災ネットワーク', false, 'advisor'],
    ]);
    expect(of('p-ini').sort()).toEqual([
      ['マルシェ', true, 'organiser'],
      ['中原こども食堂', true, 'organiser'],
      ['防災ネットワーク', true, 'organiser'],
    ]);
    // An initiator who left still initiated it.
    expect(of('p-ini-2')).toEqual([['中原こども食堂', true, undefined]]);
    expect(of('p-gone')).toEqual([]);
  });

  it('traces a meeting to its spin-offs, their roles and the people who stepped up', () => {
    applyAll(recorded);
    const queries = new SpinOffsQueries(db);
    const lineage = queries.lineage('mtg-1');
    expect(lineage.meetingId).toBe('mtg-1');
    expect(lineage.spinOffs.map((s) => s.title).sort()).toEqual(['マルシェ', '中原こども食堂']);
    const cafeteria = lineage.spinOffs.find((s) => s.spinOffId === ids.cafeteria)!;
    const { m1, m2, m3, m4 } = ids.matches;
    expect(cafeteria).toEqual({
      spinOffId: ids.cafeteria,
      title: '中原こども食堂',
      status: 'completed',
      wards: ['nakahara'],
      outcomeIds: ['out-1', 'out-2'],
      exitStrategy: { strategy: 'runs_on_its_own', note: '保護者会で運営', chosenAt: expect.any(String) },
      roles: [
        {
          roleId: 'r-cooks',
          opportunityId: ids.cooks,
          title: '調理スタッフ',
          status: 'open',
          matches: [
            { matchId: m1, status: 'confirmed', personId: 'p-cook' },
            { matchId: m2, status: 'declined', personId: 'p-busy' },
            { matchId: m3, status: 'accepted', personId: 'p-staff' },
          ].sort((a, b) => a.matchId.localeCompare(b.matchId)),
        },
        { roleId: 'r-drivers', opportunityId: ids.drivers, title: '送迎', status: 'closed', matches: [{ matchId: m4, status: 'proposed', personId: 'p-driver' }] },
      ],
      // In a role (accepted or confirmed), or joined as a member (and counted once); not the declined, the merely proposed, nor the initiators.
      peopleWhoSteppedUp: ['p-cook', 'p-gone', 'p-staff'],
    });
    expect(lineage.spinOffs.find((s) => s.spinOffId === ids.market)).toMatchObject({ outcomeIds: ['out-2'], exitStrategy: null, roles: [], peopleWhoSteppedUp: [] });
    expect(queries.lineage('mtg-2').spinOffs.map((s) => s.spinOffId)).toEqual([ids.market]);
    expect(queries.lineage('mtg-none')).toEqual({ meetingId: 'mtg-none', spinOffs: [] });
  });

  it('the lineage is the same whichever read model catches up first', () => {
    // Spin-offs first, then the matches (a rebuild of one read model only).
    recorded.filter((e) => e.streamId.startsWith('spinoff-')).forEach((e) => projection.apply(e));
    recorded.filter((e) => !e.streamId.startsWith('spinoff-')).forEach((e) => matching.apply(e));
    const later = new SpinOffsQueries(db).lineage('mtg-1');
    const again = open();
    applyAll(recorded, { spinOffs: again.spinOffs, opportunities: again.opportunities });
    expect(new SpinOffsQueries(again.database).lineage('mtg-1')).toEqual(later);
    again.database.close();
  });
});
