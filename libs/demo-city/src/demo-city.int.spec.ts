import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fold } from '@tsunagi/domain';
import { SqliteEventStore, SystemClock } from '@tsunagi/event-store';
import { opportunityDecider } from '@tsunagi/matching';
import { meetingDecider } from '@tsunagi/meetings';
import { CommandExecutor } from '@tsunagi/platform';
import { spinOffDecider } from '@tsunagi/spinoffs';
import { DemoCityOptions, loadDemoCity, loadedDemoCity, planDemoCity } from '@tsunagi/demo-city';
import { SdcBootstrap } from '../../../apps/api/src/sdcs/sdc-bootstrap';

const SMALL: DemoCityOptions = { seed: 11, people: 400, organisations: 40, months: 8, until: '2026-11-30' };

/** What a plan would send, with the time each command is sent at written in (commands are built lazily). */
const commandsOf = (options: DemoCityOptions) => planDemoCity(options).steps.map((s) => ({ streamId: s.streamId, by: s.by, command: s.command(new Date(s.at).toISOString()) }));

describe('the demo city', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagi-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is planned from its seed alone: the same options give the same commands, another seed another city', () => {
    const first = commandsOf(SMALL);
    expect(commandsOf(SMALL)).toEqual(first);
    expect(commandsOf({ ...SMALL, seed: 12 })).not.toEqual(first);
    // Nothing happens after the last day, and time never runs backwards.
    const times = planDemoCity(SMALL).steps.map((s) => s.at);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.parse('2026-11-30T23:59:59+09:00'));
  });

  it('loads through the real deciders with nothing refused, every match state and meeting outcome present, and loads once', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
    try {
      // The SDCs the plan's coordinators join exist first, as the API establishes them on a fresh start.
      await new SdcBootstrap(new CommandExecutor(store, new SystemClock())).onApplicationBootstrap();
      const report = await loadDemoCity(store, SMALL);
      expect(report.refused).toEqual({});
      expect(report.written).toBe(planDemoCity(SMALL).steps.length);

      const all = await store.readAll({});
      const streams = new Map<string, typeof all>();
      for (const e of all) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
      const stateOf = <S>(prefix: string, decider: { initialState(): S; evolve(s: S, e: never): S }) =>
        [...streams].filter(([id]) => id.startsWith(prefix)).map(([, events]) => fold(decider as never, events as never) as S);

      const matchStatuses = new Set(
        stateOf('opportunity-', opportunityDecider).flatMap((s) => Object.values((s as ReturnType<typeof opportunityDecider.initialState>).matches).map((m) => m.status)),
      );
      for (const status of ['interest_declined', 'proposed', 'accepted', 'declined', 'withdrawn', 'expired', 'confirmed', 'started', 'completed', 'ended_early']) {
        expect(matchStatuses).toContain(status);
      }
      const meetingStatuses = new Set(stateOf('meeting-', meetingDecider).map((s) => (s as ReturnType<typeof meetingDecider.initialState>).status));
      for (const status of ['scheduled', 'rejected', 'cancelled', 'closed']) expect(meetingStatuses).toContain(status);
      const spinOffStatuses = new Set(stateOf('spinoff-', spinOffDecider).map((s) => (s as ReturnType<typeof spinOffDecider.initialState>).status));
      expect(spinOffStatuses).toContain('launched');
      // Hours logged and approved, attendance with walk-ins, a waitlist: the facts the indicators count.
      const types = new Set(all.map((e) => e.type));
      for (const type of ['HoursLogged', 'HoursApproved', 'AttendeeCheckedIn', 'MeetingClosed', 'SpinOffRoleOpened', 'ExitStrategyChosen']) expect(types).toContain(type);

      // A second load of the same city writes nothing: every step finds the events it wrote.
      const head = await store.headPosition();
      const again = await loadDemoCity(store, SMALL);
      expect(again.written).toBe(0);
      expect(again.alreadyThere).toBe(report.written);
      expect(await store.headPosition()).toBe(head);
      expect((await loadedDemoCity(store))?.options).toEqual(SMALL);
    } finally {
      await store.close();
    }
  }, 60_000);
});
