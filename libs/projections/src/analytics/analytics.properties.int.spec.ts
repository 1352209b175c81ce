import type Database from 'better-sqlite3';
import { DEFAULT_LADDER_RULES, GeneratedEvent, IndicatorQuery, Indicators, computeIndicators, factsOfHistory, generateHistory } from '@tsunagi/analytics';
import { RecordedEvent, SqliteEventStore } from '@tsunagi/event-store';
import { seededRandom } from '@tsunagi/domain';
import { ProjectionRunner } from '../runner/projection-runner';
import { openReadModelDatabase } from '../runner/read-model-database';
import { AnalyticsProjection } from './analytics.projection';
import { AnalyticsQueries } from './analytics.queries';

/**
 * The two properties the analysts rely on, over generated histories (seeded, so a failure reproduces):
 * (a) an answer as of D equals the answer of a read model rebuilt from only the events up to D;
 * (b) every indicator equals a brute-force recount straight from the raw events, written below independently
 *     of libs/analytics (no facts, no stage histories, no shared helpers), as plainly as possible.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.parse('2025-01-06T00:00:00+09:00');
const DAYS = 420;
/** `jitter`: appended out of time order across streams (concurrent writers' clocks), each stream still in order. */
const HISTORIES = [
  { seed: 11, jitter: false },
  { seed: 29, jitter: false },
  { seed: 47, jitter: true },
];

/** Swaps neighbours of different streams, so `$all` positions and decision times disagree here and there. */
function jittered(events: GeneratedEvent[], random: () => number): GeneratedEvent[] {
  const out = [...events];
  for (let i = 0; i + 1 < out.length; i++) {
    if (out[i].streamId !== out[i + 1].streamId && random() < 0.4) [out[i], out[i + 1]] = [out[i + 1], out[i]];
  }
  return out;
}

async function storeWith(events: readonly GeneratedEvent[]) {
  const store = new SqliteEventStore({ path: ':memory:' });
  for (const e of events) await store.append(e.streamId, [{ id: e.id, type: e.type, data: e.data }]);
  return store;
}

/** A read model built by the real runner from a store holding these events. */
async function readModel(events: readonly GeneratedEvent[]) {
  const store = await storeWith(events);
  const db = openReadModelDatabase(':memory:');
  const runner = new ProjectionRunner(store, db, [new AnalyticsProjection(DEFAULT_LADDER_RULES)], { batchSize: 97 });
  await runner.rebuild('analytics');
  await runner.stop();
  const recorded = await store.readAll();
  await store.close();
  return { db, queries: new AnalyticsQueries(db), recorded };
}

const isoDay = (ms: number) => new Date(ms + 9 * HOUR).toISOString().slice(0, 10);

function queriesAsOf(asOfMs: number): IndicatorQuery[] {
  return [
    { asOfMs, fromMs: START, toMs: asOfMs },
    { asOfMs, fromMs: START + 60 * DAY, toMs: START + 200 * DAY },
    { asOfMs, fromMs: START, toMs: asOfMs, ward: 'nakahara' },
    { asOfMs, fromMs: START + 30 * DAY, toMs: START + 300 * DAY, ward: 'tama' },
  ];
}

describe('analytics indicators over generated histories', () => {
  for (const { seed, jitter } of HISTORIES) {
    describe(`seed ${seed}${jitter ? ', appended out of time order' : ''}`, () => {
      const generated = generateHistory({ people: 60, organisations: 6, events: 700, startMs: START, days: DAYS }, seededRandom(seed));
      const events = jitter ? jittered(generated, seededRandom(seed + 1)) : generated;
      let full: Awaited<ReturnType<typeof readModel>>;
      beforeAll(async () => {
        full = await readModel(events);
      });
      afterAll(() => full.db.close());

      it('has a history rich enough to test: every stage is reached, spin-offs launch and choose an exit', () => {
        if (jitter) expect(events.some((e, i) => i > 0 && e.atMs < events[i - 1].atMs)).toBe(true);
        const all = full.queries.indicators({ asOfMs: START + DAYS * DAY, fromMs: START, toMs: START + DAYS * DAY }, DEFAULT_LADDER_RULES);
        expect(Object.values(all.ladder.reachedInPeriod).every((n) => n > 0)).toBe(true);
        expect(all.civic.spinOffsLaunched).toBeGreaterThan(0);
        expect(Object.keys(all.civic.exitStrategies).length).toBeGreaterThan(0);
        expect(Object.keys(all.matching.declinedByReason).length).toBeGreaterThan(0);
        expect(all.matching.proBonoCompleted + all.civic.bearersThroughSpinOff).toBeGreaterThan(0);
      });

      it('(a) as of D equals a rebuild from only the events up to D', async () => {
        for (const day of [45, 130, 222, 301, DAYS]) {
          const asOfMs = START + day * DAY + 7 * HOUR;
          const prefix = await readModel(events.filter((e) => e.atMs <= asOfMs));
          try {
            for (const query of queriesAsOf(asOfMs)) {
              expect(full.queries.indicators(query, DEFAULT_LADDER_RULES)).toEqual(prefix.queries.indicators(query, DEFAULT_LADDER_RULES));
            }
            const months = ['2025-01', '2025-03', '2025-06'];
            expect(full.queries.funnel(months, asOfMs, 'nakahara')).toEqual(prefix.queries.funnel(months, asOfMs, 'nakahara'));
          } finally {
            prefix.db.close();
          }
        }
      });

      it('the read model, which loads only the facts the indicators read, answers as the in-memory functions over every fact', () => {
        const facts = factsOfHistory(full.recorded);
        for (const day of [20, 90, 250, DAYS]) {
          const asOfMs = START + day * DAY + 5 * HOUR;
          const queries = [...queriesAsOf(asOfMs), { asOfMs, fromMs: asOfMs - 40 * DAY, toMs: asOfMs }, { asOfMs, fromMs: asOfMs - 75 * DAY, toMs: asOfMs - 9 * DAY, ward: 'saiwai' }];
          for (const query of queries) {
            expect(full.queries.indicators(query, DEFAULT_LADDER_RULES)).toEqual(computeIndicators(facts, query, DEFAULT_LADDER_RULES));
          }
        }
      });

      it('(b) every indicator equals a brute-force recount from the raw events', () => {
        for (const day of [90, 250, DAYS]) {
          const asOfMs = START + day * DAY;
          for (const query of queriesAsOf(asOfMs)) {
            expect(full.queries.indicators(query, DEFAULT_LADDER_RULES)).toEqual(recount(full.recorded, query));
          }
        }
      });

      it('(b) the ward × month funnel equals the recount of stages month by month', () => {
        const asOfMs = START + DAYS * DAY;
        const months = ['2025-01', '2025-02', '2025-05', '2025-09', '2026-02'];
        for (const ward of [undefined, 'saiwai', 'asao']) {
          const funnel = full.queries.funnel(months, asOfMs, ward);
          for (const { month, atStage } of funnel) {
            const monthEnd = Date.parse(`${nextMonth(month)}-01T00:00:00+09:00`) - 1;
            expect(atStage).toEqual(recount(full.recorded, { asOfMs: Math.min(asOfMs, monthEnd), fromMs: START, toMs: monthEnd, ward }).ladder.peopleAtStage);
          }
        }
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
// The brute-force recount. Deliberately naive: loops over the raw events for every question.

const STAGE_KEYS = ['registered', 'participant', 'regular', 'bearer', 'planner', 'connector'] as const;
const BEARER_ROLES = ['organiser', 'staff', 'supporter', 'advisor'];

function nextMonth(month: string, n = 1): string {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}
const monthOf = (ms: number) => isoDay(ms).slice(0, 7);
const medianOf = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  const value = s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  return Math.round(value * 100) / 100;
};
const share = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10000) / 10000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ev = RecordedEvent<string, any> & { t: number };

function recount(recorded: readonly RecordedEvent[], q: IndicatorQuery): Indicators {
  const evs: Ev[] = recorded
    .map((e) => ({ ...e, t: Date.parse((e.data as { at: string }).at) }) as Ev)
    .filter((e) => e.t <= q.asOfMs)
    .sort((a, b) => a.t - b.t || a.position - b.position);
  const to = Math.min(q.toMs, q.asOfMs);
  const inPeriod = (t: number) => t >= q.fromMs && t <= to;
  const all = (type: string) => evs.filter((e) => e.type === type);
  const first = (type: string, where: (e: Ev) => boolean) => evs.find((e) => e.type === type && where(e));

  const opportunityOf = (id: string) => first('OpportunityOpened', (e) => e.data.opportunityId === id)!;
  const personOfMatch = (matchId: string): string | undefined => {
    const e = first('MatchProposed', (x) => x.data.matchId === matchId) ?? first('InterestExpressed', (x) => x.data.matchId === matchId);
    return e && e.data.candidate.type === 'person' ? e.data.candidate.id : undefined;
  };
  const meetingOf = (id: string) => first('MeetingProposed', (e) => e.data.meetingId === id)!;
  const spinOffOf = (id: string) => first('SpinOffProposed', (e) => e.data.spinOffId === id)!;
  const homeWard = new Map<string, string>();
  for (const e of all('PersonRegistered')) if (!homeWard.has(e.data.personId)) homeWard.set(e.data.personId, e.data.profile.ward);
  const inWard = (w: string) => q.ward === undefined || w === q.ward;

  // Everyone who appears in a person fact.
  const persons = new Set<string>(homeWard.keys());
  const touch = (p: string | undefined) => p && persons.add(p);
  for (const e of evs) {
    if (e.type === 'AttendeeCheckedIn') touch(e.data.personId);
    if (['MatchAccepted', 'MatchStarted', 'HoursLogged'].includes(e.type)) touch(personOfMatch(e.data.matchId));
    if (e.type === 'MemberJoined' || e.type === 'RepresentativeAdded') touch(e.data.personId);
    if (e.type === 'SpinOffProposed') e.data.initiators.forEach(touch);
    if (e.type === 'MeetingClosed') touch(meetingOf(e.data.meetingId).data.proposer.personId);
  }

  /** The events by which a person reached each stage, by the rules read straight from DOMAIN.md. */
  function reaches(p: string): (Ev | undefined)[] {
    const mine = (e: Ev) =>
      ((e.type === 'MatchAccepted' || e.type === 'MatchStarted' || e.type === 'HoursLogged') && personOfMatch(e.data.matchId) === p) ||
      ((e.type === 'AttendeeCheckedIn' || e.type === 'MemberJoined' || e.type === 'RepresentativeAdded') && e.data.personId === p) ||
      (e.type === 'SpinOffProposed' && e.data.initiators.includes(p)) ||
      (e.type === 'SpinOffLaunched' && spinOffOf(e.data.spinOffId).data.initiators.includes(p)) ||
      (e.type === 'MeetingClosed' && meetingOf(e.data.meetingId).data.proposer.personId === p) ||
      (e.type === 'PersonRegistered' && e.data.personId === p);
    const own = evs.filter(mine);
    const raw: (Ev | undefined)[] = [];
    raw[0] = own.find((e) => e.type === 'PersonRegistered');
    raw[1] = own.find((e) => e.type === 'AttendeeCheckedIn' || e.type === 'MatchAccepted');
    const occasions = own.filter((e) => e.type === 'AttendeeCheckedIn' || e.type === 'HoursLogged');
    // `own` is in time order: the occasions up to o are those before it in the list.
    raw[2] = occasions.find((o, i) => new Set(occasions.slice(0, i + 1).filter((x) => x.t > o.t - 180 * DAY).map((x) => isoDay(x.t))).size >= 3);
    const roles = own.filter((e) => e.type === 'MatchStarted' || e.type === 'SpinOffProposed' || (e.type === 'MemberJoined' && BEARER_ROLES.includes(e.data.role)));
    raw[3] = roles[0];
    raw[4] = own.find((e) => e.type === 'MeetingClosed' || e.type === 'SpinOffLaunched');
    const place = (e: Ev) => (e.type === 'MatchStarted' ? `org:${opportunityOf(e.data.opportunityId).data.organisationId}` : `spinoff:${e.data.spinOffId}`);
    raw[5] = own.find((e) => e.type === 'RepresentativeAdded' || (roles.includes(e) && new Set(roles.slice(0, roles.indexOf(e) + 1).map(place)).size >= 2));
    if (!raw[0]) raw[0] = own[0];
    // A ladder: each stage no later than any stage above it.
    const reached: (Ev | undefined)[] = [];
    for (let k = 0; k <= 5; k++) {
      const candidates = raw.slice(k).filter((e): e is Ev => !!e);
      reached[k] = candidates.sort((a, b) => a.t - b.t || a.position - b.position)[0];
    }
    return reached;
  }
  const stageEvents = new Map<string, (Ev | undefined)[]>();
  for (const p of persons) if (q.ward === undefined || homeWard.get(p) === q.ward) stageEvents.set(p, reaches(p));

  const counts = () => Object.fromEntries(STAGE_KEYS.map((k) => [k, 0])) as Indicators['ladder']['peopleAtStage'];
  const peopleAtStage = counts();
  const reachedInPeriod = counts();
  const toBearer: number[] = [];
  const toPlanner: number[] = [];
  const transitions: Indicators['ladder']['transitions'] = [];
  const topAt = (r: (Ev | undefined)[], t: number) => {
    let top = -1;
    r.forEach((e, k) => e && e.t <= t && (top = k));
    return top;
  };
  for (let from = -1; from <= 5; from++) {
    for (let to = from + 1; to <= 5; to++) {
      const n = [...stageEvents.values()].filter((r) => topAt(r, q.fromMs - 1) === from && topAt(r, Math.min(q.toMs, q.asOfMs)) === to).length;
      if (n > 0) transitions.push({ from: from < 0 ? 'none' : STAGE_KEYS[from], to: STAGE_KEYS[to], people: n });
    }
  }
  for (const r of stageEvents.values()) {
    const top = topAt(r, q.asOfMs);
    if (top >= 0) peopleAtStage[STAGE_KEYS[top]]++;
    r.forEach((e, k) => e && inPeriod(e.t) && reachedInPeriod[STAGE_KEYS[k]]++);
    if (r[1] && r[3] && inPeriod(r[3].t)) toBearer.push((r[3].t - r[1].t) / DAY);
    if (r[1] && r[4] && inPeriod(r[4].t)) toPlanner.push((r[4].t - r[1].t) / DAY);
  }
  const conversionToBearer = [90, 180, 365].map((n) => {
    const eligible = [...stageEvents.values()].filter((r) => r[1] && inPeriod(r[1].t) && r[1].t + n * DAY <= q.asOfMs);
    const converted = eligible.filter((r) => r[3] && r[3].t - r[1]!.t <= n * DAY).length;
    return { withinDays: n, eligible: eligible.length, converted, rate: share(converted, eligible.length) };
  });

  // Entry point
  const checkIns = all('AttendeeCheckedIn');
  const sdcOf = (e: Ev) => meetingOf(e.data.meetingId).data.sdc;
  const bySdc = new Map<string, { attendances: number; newcomers: number }>();
  for (const c of checkIns) {
    if (!inPeriod(c.t) || !inWard(sdcOf(c))) continue;
    const row = bySdc.get(sdcOf(c)) ?? { attendances: 0, newcomers: 0 };
    row.attendances++;
    if (checkIns.find((x) => x.data.personId === c.data.personId) === c) row.newcomers++;
    bySdc.set(sdcOf(c), row);
  }
  let eligibleFirst = 0;
  let returned = 0;
  for (const p of new Set(checkIns.map((c) => c.data.personId as string))) {
    const own = checkIns.filter((c) => c.data.personId === p);
    const f = own[0];
    if (!inPeriod(f.t) || !inWard(sdcOf(f)) || f.t + 90 * DAY > q.asOfMs) continue;
    eligibleFirst++;
    if (own.some((c) => c.data.meetingId !== f.data.meetingId && c.t > f.t && c.t <= f.t + 90 * DAY)) returned++;
  }

  // Retention: active = any own participation, a role, hours, a spin-off role, a held meeting or launched spin-off of one's own.
  const activeIn = (p: string, month: string) =>
    evs.some(
      (e) =>
        monthOf(e.t) === month &&
        (((e.type === 'MatchAccepted' || e.type === 'MatchStarted' || e.type === 'HoursLogged') && personOfMatch(e.data.matchId) === p) ||
          ((e.type === 'AttendeeCheckedIn' || e.type === 'MemberJoined') && e.data.personId === p) ||
          ((e.type === 'SpinOffProposed' || e.type === 'SpinOffLaunched') && spinOffOf(e.data.spinOffId).data.initiators.includes(p)) ||
          (e.type === 'MeetingClosed' && meetingOf(e.data.meetingId).data.proposer.personId === p)),
    );
  const cohorts = new Map<string, string[]>();
  for (const [p, r] of stageEvents) if (r[1] && inPeriod(r[1].t)) cohorts.set(monthOf(r[1].t), [...(cohorts.get(monthOf(r[1].t)) ?? []), p]);
  const retention = [...cohorts.keys()].sort().map((cohort) => {
    const members = cohorts.get(cohort)!;
    const after = (n: number) => {
      const month = nextMonth(cohort, n);
      if (Date.parse(`${nextMonth(month)}-01T00:00:00+09:00`) - 1 > q.asOfMs) return null;
      return share(members.filter((p) => activeIn(p, month)).length, members.length);
    };
    return { cohort, size: members.length, after3: after(3), after6: after(6), after12: after(12) };
  });

  // Matching (by the opportunity's ward)
  const matchEv = (type: string) => all(type).filter((e) => inPeriod(e.t) && inWard(opportunityOf(e.data.opportunityId).data.ward));
  const declinedByReason: Record<string, number> = {};
  for (const e of matchEv('MatchDeclined')) declinedByReason[e.data.reason] = (declinedByReason[e.data.reason] ?? 0) + 1;
  const answers = [...matchEv('MatchAccepted'), ...matchEv('MatchDeclined')]
    .map((e) => ({ e, proposed: first('MatchProposed', (x) => x.data.matchId === e.data.matchId) }))
    .filter((a) => a.proposed)
    .map((a) => (a.e.t - a.proposed!.t) / HOUR);
  const roles = all('OpportunityOpened').filter((o) => ['volunteer_role', 'pro_bono_project'].includes(o.data.details.kind) && inWard(o.data.ward));
  const weeks: Indicators['matching']['rolesReachedByWeek'] = [];
  if (to >= q.fromMs) {
    // Monday 00:00 Tokyo on or before `from`.
    let start = Date.parse(`${isoDay(q.fromMs)}T00:00:00+09:00`);
    while (new Date(start + 9 * HOUR).getUTCDay() !== 1) start -= DAY;
    for (; start <= to; start += 7 * DAY) {
      const end = Math.min(start + 7 * DAY - 1, to);
      const openDuring = roles.filter((o) => {
        const id = o.data.opportunityId;
        const changes = evs.filter((e) => ['OpportunityOpened', 'OpportunityClosed', 'OpportunityReopened'].includes(e.type) && e.data.opportunityId === id);
        const before = changes.filter((e) => e.t < start);
        const openAtStart = before.length > 0 && before[before.length - 1].type !== 'OpportunityClosed';
        return openAtStart || changes.some((e) => e.t >= start && e.t <= end && e.type !== 'OpportunityClosed');
      });
      const reached = openDuring.filter((o) => evs.some((e) => e.type === 'MatchAccepted' && e.data.opportunityId === o.data.opportunityId && e.t <= end)).length;
      weeks.push({ week: isoDay(start), openRoles: openDuring.length, withAcceptedMatch: reached, share: share(reached, openDuring.length) });
    }
  }

  // Civic emergence
  const held = all('MeetingClosed').filter((e) => inPeriod(e.t) && inWard(meetingOf(e.data.meetingId).data.sdc)).length;
  const spinWard = (e: Ev) => spinOffOf(e.data.spinOffId).data.wards[0];
  const proposed = all('SpinOffProposed').filter((e) => inPeriod(e.t) && inWard(e.data.wards[0])).length;
  const exits = new Map<string, string>();
  for (const e of all('ExitStrategyChosen')) if (inPeriod(e.t) && inWard(spinWard(e))) exits.set(e.data.spinOffId, e.data.strategy);
  const exitStrategies: Record<string, number> = {};
  for (const s of exits.values()) exitStrategies[s] = (exitStrategies[s] ?? 0) + 1;
  const throughSpinOff = [...stageEvents.values()].filter((r) => r[3] && inPeriod(r[3].t) && (r[3].type === 'MemberJoined' || r[3].type === 'SpinOffProposed')).length;

  return {
    ladder: {
      peopleAtStage,
      reachedInPeriod,
      transitions,
      conversionToBearer,
      medianDaysToBearer: { days: medianOf(toBearer), people: toBearer.length },
      medianDaysToPlanner: { days: medianOf(toPlanner), people: toPlanner.length },
    },
    entryPoint: {
      bySdc: [...bySdc.keys()].sort().map((sdc) => ({ sdc, ...bySdc.get(sdc)!, newcomerShare: share(bySdc.get(sdc)!.newcomers, bySdc.get(sdc)!.attendances) })),
      firstTimersReturning: { eligible: eligibleFirst, returned, rate: share(returned, eligibleFirst) },
    },
    retention,
    matching: {
      proposed: matchEv('MatchProposed').length,
      accepted: matchEv('MatchAccepted').length,
      declined: matchEv('MatchDeclined').length,
      declinedByReason,
      expired: matchEv('MatchExpired').length,
      withdrawn: matchEv('MatchWithdrawn').length,
      medianHoursToAnswer: { hours: medianOf(answers), answers: answers.length },
      proBonoCompleted: matchEv('MatchCompleted').filter((e) => opportunityOf(e.data.opportunityId).data.details.kind === 'pro_bono_project').length,
      rolesReachedByWeek: weeks,
    },
    civic: {
      meetingsHeld: held,
      spinOffsProposed: proposed,
      spinOffsPerMeeting: share(proposed, held),
      spinOffsLaunched: all('SpinOffLaunched').filter((e) => inPeriod(e.t) && inWard(spinWard(e))).length,
      exitStrategies,
      bearersThroughSpinOff: throughSpinOff,
    },
  };
}
