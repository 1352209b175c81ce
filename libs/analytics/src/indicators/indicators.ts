import { AnalyticsFact, FactKind, byTime } from '../facts/analytics-fact';
import { LadderRuleSet, STAGES, StageKey } from '../ladder/ladder-rules';
import { StageReached, personFacts, stageAsOf, stageHistory } from '../ladder/stage-history';
import { DAY_MS, addMonths, median, monthEndMs, monthStartMs, ratio, tokyoDay, tokyoMonth, weekStartMs } from '../time';

/**
 * Which slice of the city and which period an answer is about. Counts of things that happen (transitions,
 * proposals, meetings) are those in [fromMs, toMs]; states (people at each stage) are those at `asOfMs`.
 * Nothing after `asOfMs` is ever seen, so an answer as of D is what a rebuild from the events up to D gives.
 * `ward` selects people by the ward they registered in, opportunities by their ward, meetings by their SDC
 * (one per ward) and spin-offs by their first ward.
 */
export interface IndicatorQuery {
  asOfMs: number;
  fromMs: number;
  toMs: number;
  ward?: string;
}

export const CONVERSION_DAYS = [90, 180, 365] as const;
export const RETENTION_MONTHS = [3, 6, 12] as const;
export const RETURN_WITHIN_DAYS = 90;
/** Opportunities that are roles people take (a collaboration is between organisations). */
export const ROLE_KINDS = ['volunteer_role', 'pro_bono_project'];
/** Facts that show a person active in a month (for retention). */
export const ACTIVITY_KINDS: readonly FactKind[] = ['attended', 'role_accepted', 'role_started', 'hours_logged', 'spinoff_role', 'meeting_held_by_proposer', 'spinoff_launched_by_initiator'];

/**
 * The kinds of fact `computeIndicators` reads; of those, the kinds it reads from before the period (home wards,
 * first meetings, proposals answered in the period, roles opened earlier). It reads the others only from
 * `indicatorFactsFromMs(fromMs)` on, so a store may load no more than that (the answers stay the same: the
 * property tests compare the read model's answers with a brute-force recount).
 */
export const INDICATOR_FACT_KINDS: readonly FactKind[] = [
  ...ACTIVITY_KINDS,
  'person_registered', 'match_proposed', 'match_accepted', 'match_declined', 'match_expired', 'match_withdrawn', 'match_completed',
  'meeting_held', 'spinoff_proposed', 'spinoff_launched', 'spinoff_exit_chosen', 'opportunity_opened', 'opportunity_closed', 'opportunity_reopened',
];
export const WHOLE_HISTORY_FACT_KINDS: readonly FactKind[] = ['person_registered', 'attended', 'match_proposed', 'match_accepted', 'opportunity_opened', 'opportunity_closed', 'opportunity_reopened'];
/** From when facts of the other kinds matter to a period starting at `fromMs`: its first month and first week. */
export const indicatorFactsFromMs = (fromMs: number): number => Math.min(monthStartMs(tokyoMonth(fromMs)), weekStartMs(fromMs));

export type StageCounts = Record<StageKey, number>;

export interface Indicators {
  ladder: {
    /** People whose highest stage at `asOf` is this one. */
    peopleAtStage: StageCounts;
    /** People who reached this stage in the period (a transition into it). */
    reachedInPeriod: StageCounts;
    /** People whose highest stage moved in the period, by where they stood before it ('none': not yet known) and after it. */
    transitions: { from: StageKey | 'none'; to: StageKey; people: number }[];
    /** Of people first participating in the period whose N days have passed by `asOf`: how many became bearers within N days. */
    conversionToBearer: { withinDays: number; eligible: number; converted: number; rate: number | null }[];
    /** Days from first participation, for people who reached the stage in the period (`people` of them). */
    medianDaysToBearer: { days: number | null; people: number };
    medianDaysToPlanner: { days: number | null; people: number };
  };
  entryPoint: {
    /** Check-ins in the period at each SDC's meetings, and those that were the person's first meeting ever. */
    bySdc: { sdc: string; attendances: number; newcomers: number; newcomerShare: number | null }[];
    /** People whose first meeting was in the period (and 90 days ago by `asOf`): how many came to another within 90 days. */
    firstTimersReturning: { eligible: number; returned: number; rate: number | null };
  };
  /** Per month of first participation in the period: the share active in the month 3, 6 and 12 months later (null until that month is over). */
  retention: { cohort: string; size: number; after3: number | null; after6: number | null; after12: number | null }[];
  matching: {
    proposed: number;
    accepted: number;
    declined: number;
    declinedByReason: Record<string, number>;
    expired: number;
    withdrawn: number;
    /** Proposal to accept or decline, for answers given in the period. */
    medianHoursToAnswer: { hours: number | null; answers: number };
    proBonoCompleted: number;
    /** Per Tokyo week (Monday): roles open at some time that week, and how many of them had an accepted match by its end. */
    rolesReachedByWeek: { week: string; openRoles: number; withAcceptedMatch: number; share: number | null }[];
  };
  civic: {
    meetingsHeld: number;
    spinOffsProposed: number;
    spinOffsPerMeeting: number | null;
    spinOffsLaunched: number;
    /** The latest exit strategy chosen in the period, per spin-off. */
    exitStrategies: Record<string, number>;
    /** People who became bearers in the period through a spin-off role. */
    bearersThroughSpinOff: number;
  };
}

const zeroStages = (): StageCounts => Object.fromEntries(STAGES.map((s) => [s.key, 0])) as StageCounts;
const round2 = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

/** Everyone's stage history from facts (of any people, any order). */
export function stageHistories(facts: readonly AnalyticsFact[], rules: LadderRuleSet): Map<string, StageReached[]> {
  const histories = new Map<string, StageReached[]>();
  for (const [personId, own] of personFacts(facts)) histories.set(personId, stageHistory(own, rules));
  return histories;
}

/**
 * Every indicator for one slice and period, from facts alone. `histories` may be given when they are already
 * known (the read model keeps them); they must be the stage histories of the same facts under the same rules.
 */
export function computeIndicators(allFacts: readonly AnalyticsFact[], query: IndicatorQuery, rules: LadderRuleSet, histories?: ReadonlyMap<string, readonly StageReached[]>): Indicators {
  const { asOfMs, ward } = query;
  const facts = allFacts.filter((f) => f.atMs <= asOfMs).sort(byTime);
  const fromMs = query.fromMs;
  const toMs = Math.min(query.toMs, asOfMs);
  const inPeriod = (atMs: number) => atMs >= fromMs && atMs <= toMs;
  const inWard = (factWard: string | undefined) => ward === undefined || factWard === ward;

  // Each kind's facts in time order, grouped in one pass: most indicators read one or two kinds.
  const byKind = new Map<FactKind, AnalyticsFact[]>();
  for (const f of facts) {
    const list = byKind.get(f.kind);
    if (list) list.push(f);
    else byKind.set(f.kind, [f]);
  }
  const ofKind = (kind: FactKind): readonly AnalyticsFact[] => byKind.get(kind) ?? [];

  const homeWard = new Map<string, string>();
  for (const f of ofKind('person_registered')) if (!homeWard.has(f.personId!)) homeWard.set(f.personId!, f.ward!);
  const personInWard = (personId: string) => ward === undefined || homeWard.get(personId) === ward;

  const known = histories ?? stageHistories(facts, rules);
  const people = new Map<string, StageReached[]>();
  for (const [personId, history] of known) {
    if (!personInWard(personId)) continue;
    const seen = history.filter((r) => r.atMs <= asOfMs);
    if (seen.length) people.set(personId, seen);
  }
  const reachOf = (history: readonly StageReached[], stage: number) => history.find((r) => r.stage === stage);

  // The ladder
  const peopleAtStage = zeroStages();
  const reachedInPeriod = zeroStages();
  const toBearer: number[] = [];
  const toPlanner: number[] = [];
  const moves = new Map<string, number>();
  for (const history of people.values()) {
    peopleAtStage[STAGES[stageAsOf(history, asOfMs)].key]++;
    const before = stageAsOf(history, fromMs - 1);
    const after = stageAsOf(history, toMs);
    if (after > before) moves.set(`${before},${after}`, (moves.get(`${before},${after}`) ?? 0) + 1);
    for (const reached of history) if (inPeriod(reached.atMs)) reachedInPeriod[STAGES[reached.stage].key]++;
    const first = reachOf(history, 1);
    const bearer = reachOf(history, 3);
    const planner = reachOf(history, 4);
    if (first && bearer && inPeriod(bearer.atMs)) toBearer.push((bearer.atMs - first.atMs) / DAY_MS);
    if (first && planner && inPeriod(planner.atMs)) toPlanner.push((planner.atMs - first.atMs) / DAY_MS);
  }
  const conversionToBearer = CONVERSION_DAYS.map((withinDays) => {
    let eligible = 0;
    let converted = 0;
    for (const history of people.values()) {
      const first = reachOf(history, 1);
      if (!first || !inPeriod(first.atMs) || first.atMs + withinDays * DAY_MS > asOfMs) continue;
      eligible++;
      const bearer = reachOf(history, 3);
      if (bearer && bearer.atMs - first.atMs <= withinDays * DAY_MS) converted++;
    }
    return { withinDays, eligible, converted, rate: ratio(converted, eligible) };
  });

  // The entry point: first meetings
  const attendances = ofKind('attended');
  const attendancesOf = new Map<string, AnalyticsFact[]>();
  for (const f of attendances) {
    const list = attendancesOf.get(f.personId!) ?? [];
    list.push(f);
    attendancesOf.set(f.personId!, list);
  }
  const sdcs = new Map<string, { attendances: number; newcomers: number }>();
  for (const f of attendances) {
    if (!inPeriod(f.atMs) || !inWard(f.ward)) continue;
    const row = sdcs.get(f.ward!) ?? { attendances: 0, newcomers: 0 };
    row.attendances++;
    if (attendancesOf.get(f.personId!)![0] === f) row.newcomers++;
    sdcs.set(f.ward!, row);
  }
  let firstTimers = 0;
  let returned = 0;
  for (const own of attendancesOf.values()) {
    const first = own[0];
    if (!inPeriod(first.atMs) || !inWard(first.ward) || first.atMs + RETURN_WITHIN_DAYS * DAY_MS > asOfMs) continue;
    firstTimers++;
    if (own.some((f) => f.subjectId !== first.subjectId && f.atMs > first.atMs && f.atMs - first.atMs <= RETURN_WITHIN_DAYS * DAY_MS)) returned++;
  }

  // Cohort retention
  const activeMonths = new Map<string, Set<string>>();
  for (const f of ACTIVITY_KINDS.flatMap(ofKind)) {
    const months = activeMonths.get(f.personId!) ?? new Set<string>();
    months.add(tokyoMonth(f.atMs));
    activeMonths.set(f.personId!, months);
  }
  const cohorts = new Map<string, string[]>();
  for (const [personId, history] of people) {
    const first = reachOf(history, 1);
    if (!first || !inPeriod(first.atMs)) continue;
    const month = tokyoMonth(first.atMs);
    const members = cohorts.get(month);
    if (members) members.push(personId);
    else cohorts.set(month, [personId]);
  }
  const retention = [...cohorts.keys()].sort().map((cohort) => {
    const members = cohorts.get(cohort)!;
    const after = (months: number) => {
      const month = addMonths(cohort, months);
      if (monthEndMs(month) > asOfMs) return null;
      return ratio(members.filter((p) => activeMonths.get(p)?.has(month)).length, members.length);
    };
    return { cohort, size: members.length, after3: after(3), after6: after(6), after12: after(12) };
  });

  // Matching
  const matchFacts = facts.filter((f) => f.kind.startsWith('match_') && inWard(f.ward));
  const count = (kind: FactKind) => matchFacts.filter((f) => f.kind === kind && inPeriod(f.atMs)).length;
  const declinedByReason: Record<string, number> = {};
  for (const f of matchFacts) if (f.kind === 'match_declined' && inPeriod(f.atMs)) declinedByReason[f.detail!] = (declinedByReason[f.detail!] ?? 0) + 1;
  const proposedAt = new Map<string, number>();
  const answerHours: number[] = [];
  for (const f of matchFacts) {
    if (f.kind === 'match_proposed') proposedAt.set(f.subjectId!, f.atMs);
    else if ((f.kind === 'match_accepted' || f.kind === 'match_declined') && inPeriod(f.atMs) && proposedAt.has(f.subjectId!)) answerHours.push((f.atMs - proposedAt.get(f.subjectId!)!) / 3_600_000);
  }

  // Civic emergence
  const civicCount = (kind: FactKind) => ofKind(kind).filter((f) => inPeriod(f.atMs) && inWard(f.ward)).length;
  const meetingsHeld = civicCount('meeting_held');
  const spinOffsProposed = civicCount('spinoff_proposed');
  const latestExit = new Map<string, string>();
  for (const f of ofKind('spinoff_exit_chosen')) if (inPeriod(f.atMs) && inWard(f.ward)) latestExit.set(f.subjectId!, f.detail!);
  const exitStrategies: Record<string, number> = {};
  for (const strategy of latestExit.values()) exitStrategies[strategy] = (exitStrategies[strategy] ?? 0) + 1;
  let bearersThroughSpinOff = 0;
  for (const history of people.values()) {
    const bearer = reachOf(history, 3);
    if (bearer && inPeriod(bearer.atMs) && bearer.via === 'spinoff_role') bearersThroughSpinOff++;
  }

  return {
    ladder: {
      peopleAtStage,
      reachedInPeriod,
      transitions: [...moves.entries()]
        .map(([key, people]) => key.split(',').map(Number).concat(people))
        .sort((a, b) => a[0] - b[0] || a[1] - b[1])
        .map(([from, to, people]) => ({ from: from < 0 ? ('none' as const) : STAGES[from].key, to: STAGES[to].key, people })),
      conversionToBearer, medianDaysToBearer: { days: round2(median(toBearer)), people: toBearer.length }, medianDaysToPlanner: { days: round2(median(toPlanner)), people: toPlanner.length },
    },
    entryPoint: {
      bySdc: [...sdcs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([sdc, row]) => ({ sdc, ...row, newcomerShare: ratio(row.newcomers, row.attendances) })),
      firstTimersReturning: { eligible: firstTimers, returned, rate: ratio(returned, firstTimers) },
    },
    retention,
    matching: {
      proposed: count('match_proposed'),
      accepted: count('match_accepted'),
      declined: count('match_declined'),
      declinedByReason,
      expired: count('match_expired'),
      withdrawn: count('match_withdrawn'),
      medianHoursToAnswer: { hours: round2(median(answerHours)), answers: answerHours.length },
      proBonoCompleted: matchFacts.filter((f) => f.kind === 'match_completed' && f.detail === 'pro_bono_project' && inPeriod(f.atMs)).length,
      rolesReachedByWeek: rolesReachedByWeek(facts, fromMs, toMs, inWard),
    },
    civic: {
      meetingsHeld,
      spinOffsProposed,
      spinOffsPerMeeting: ratio(spinOffsProposed, meetingsHeld),
      spinOffsLaunched: civicCount('spinoff_launched'),
      exitStrategies,
      bearersThroughSpinOff,
    },
  };
}

/**
 * Equitable reach: per week, of the roles open at some time in it, the share that had at least one accepted
 * match by the week's end (or the period's end, for the last week). Totals hide roles nobody ever takes.
 */
function rolesReachedByWeek(facts: readonly AnalyticsFact[], fromMs: number, toMs: number, inWard: (ward?: string) => boolean) {
  if (toMs < fromMs) return [];
  interface Role { changes: { atMs: number; open: boolean }[]; firstAcceptMs: number }
  const roles = new Map<string, Role>();
  for (const f of facts) {
    if (!inWard(f.ward)) continue;
    if (f.kind === 'opportunity_opened' && ROLE_KINDS.includes(f.detail!)) roles.set(f.subjectId!, { changes: [{ atMs: f.atMs, open: true }], firstAcceptMs: Infinity });
    const role = roles.get(f.groupId ?? '');
    if (!role) continue;
    if (f.kind === 'opportunity_closed' || f.kind === 'opportunity_reopened') role.changes.push({ atMs: f.atMs, open: f.kind === 'opportunity_reopened' });
    if (f.kind === 'match_accepted') role.firstAcceptMs = Math.min(role.firstAcceptMs, f.atMs);
  }
  const weeks = [];
  for (let start = weekStartMs(fromMs); start <= toMs; start += 7 * DAY_MS) {
    const end = Math.min(start + 7 * DAY_MS - 1, toMs);
    let openRoles = 0;
    let withAcceptedMatch = 0;
    for (const role of roles.values()) {
      // Open during the week: open when it began, or opened again within it.
      let openAtStart = false;
      let openedWithin = false;
      for (const change of role.changes) {
        if (change.atMs < start) openAtStart = change.open;
        else if (change.atMs <= end && change.open) openedWithin = true;
      }
      if (!openAtStart && !openedWithin) continue;
      openRoles++;
      if (role.firstAcceptMs <= end) withAcceptedMatch++;
    }
    weeks.push({ week: tokyoDay(start), openRoles, withAcceptedMatch, share: ratio(withAcceptedMatch, openRoles) });
  }
  return weeks;
}
