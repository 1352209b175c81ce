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
const WEEK_MS = 7 * DAY_MS;
/** Opportunities that are roles people take (a collaboration is between organisations). */
export const ROLE_KINDS = ['volunteer_role', 'pro_bono_project'];
/** Facts that show a person active in a month (for retention). */
export const ACTIVITY_KINDS: readonly FactKind[] = ['attended', 'role_accepted', 'role_started', 'hours_logged', 'spinoff_role', 'meeting_held_by_proposer', 'spinoff_launched_by_initiator'];

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

/** A count of facts of one kind (and ward and detail) in the period, within the slice. */
export interface PeriodCount {
  kind: FactKind;
  ward?: string;
  detail?: string;
  n: number;
}

/**
 * Everything the indicators are assembled from, for one slice and period as of a date. The in-memory reference
 * (`computeIndicators`) derives it from facts; the read model gets it from SQL. `assembleIndicators` turns it
 * into the answer, so both give answers the same way.
 */
export interface IndicatorInputs {
  /** People of the slice by their highest stage at `asOf`. */
  peopleAtStage: StageCounts;
  /** People of the slice reaching each stage in the period. */
  reachedInPeriod: StageCounts;
  /** People whose highest stage moved in the period: from where they stood before it (-1: nowhere) to where at its end. */
  transitions: readonly { before: number; after: number; people: number }[];
  /** Days from first participation, of people who reached bearer / planner in the period. */
  daysToBearer: number[];
  daysToPlanner: number[];
  /** Of people first participating in the period whose N days have passed by `asOf`: how many became bearers within N days (in CONVERSION_DAYS order). */
  conversions: readonly { eligible: number; converted: number }[];
  /** People who became bearers in the period through a spin-off role. */
  bearersThroughSpinOff: number;
  /** Facts in the period of COUNTED_KINDS, in the slice. */
  periodCounts: readonly PeriodCount[];
  /** Per SDC in the slice: people whose first meeting ever was in the period. */
  newcomersBySdc: ReadonlyMap<string, number>;
  firstTimersReturning: { eligible: number; returned: number };
  /** Per month of first participation in the period: how many, and how many of them were active 3, 6, 12 months later (in RETENTION_MONTHS order; read only for months over by `asOf`). */
  cohorts: readonly { cohort: string; size: number; active: readonly number[] }[];
  /** Hours from proposal to answer, for answers in the period. */
  answerHours: number[];
  /** The latest exit strategy chosen in the period, per spin-off of the slice. */
  latestExits: ReadonlyMap<string, string>;
  rolesReachedByWeek: Indicators['matching']['rolesReachedByWeek'];
}

/** The kinds whose facts in the period are counted (by ward and detail). */
export const COUNTED_KINDS: readonly FactKind[] = [
  'attended', 'match_proposed', 'match_accepted', 'match_declined', 'match_expired', 'match_withdrawn', 'match_completed', 'meeting_held', 'spinoff_proposed', 'spinoff_launched',
];

/** The period actually answered: nothing after `asOf` is seen. */
export const periodOf = (query: IndicatorQuery) => ({ fromMs: query.fromMs, toMs: Math.min(query.toMs, query.asOfMs), asOfMs: query.asOfMs });

/**
 * Every indicator for one slice and period, from facts alone: the reference the read model is checked against.
 * `histories` may be given when they are already known; they must be the stage histories of the same facts
 * under the same rules.
 */
export function computeIndicators(allFacts: readonly AnalyticsFact[], query: IndicatorQuery, rules: LadderRuleSet, histories?: ReadonlyMap<string, readonly StageReached[]>): Indicators {
  return assembleIndicators(indicatorInputs(allFacts, query, rules, histories), query);
}

/** The inputs of the indicators, from facts. */
export function indicatorInputs(allFacts: readonly AnalyticsFact[], query: IndicatorQuery, rules: LadderRuleSet, histories?: ReadonlyMap<string, readonly StageReached[]>): IndicatorInputs {
  const { asOfMs, ward } = query;
  const { fromMs, toMs } = periodOf(query);
  const facts = allFacts.filter((f) => f.atMs <= asOfMs).sort(byTime);
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

  // The ladder
  const known = histories ?? stageHistories(facts, rules);
  const peopleAtStage = zeroStages();
  const reachedInPeriod = zeroStages();
  const moves = new Map<string, number>();
  const daysToBearer: number[] = [];
  const daysToPlanner: number[] = [];
  const conversions = CONVERSION_DAYS.map(() => ({ eligible: 0, converted: 0 }));
  let bearersThroughSpinOff = 0;
  const participants = new Map<string, number>();
  for (const [personId, history] of known) {
    if (!personInWard(personId)) continue;
    const seen = history.filter((r) => r.atMs <= asOfMs);
    if (!seen.length) continue;
    peopleAtStage[STAGES[stageAsOf(seen, asOfMs)].key]++;
    for (const reached of seen) if (inPeriod(reached.atMs)) reachedInPeriod[STAGES[reached.stage].key]++;
    const [before, after] = [stageAsOf(seen, fromMs - 1), stageAsOf(seen, toMs)];
    if (after > before) moves.set(`${before},${after}`, (moves.get(`${before},${after}`) ?? 0) + 1);
    const reach = (stage: number) => seen.find((r) => r.stage === stage);
    const [first, bearer, planner] = [reach(1), reach(3), reach(4)];
    if (!first) continue;
    if (bearer && inPeriod(bearer.atMs)) {
      daysToBearer.push((bearer.atMs - first.atMs) / DAY_MS);
      if (bearer.via === 'spinoff_role') bearersThroughSpinOff++;
    }
    if (planner && inPeriod(planner.atMs)) daysToPlanner.push((planner.atMs - first.atMs) / DAY_MS);
    if (!inPeriod(first.atMs)) continue;
    participants.set(personId, first.atMs);
    CONVERSION_DAYS.forEach((withinDays, i) => {
      if (first.atMs + withinDays * DAY_MS > asOfMs) return;
      conversions[i].eligible++;
      if (bearer && bearer.atMs - first.atMs <= withinDays * DAY_MS) conversions[i].converted++;
    });
  }
  const transitions = [...moves].map(([key, people]) => {
    const [before, after] = key.split(',').map(Number);
    return { before, after, people };
  });

  // The entry point: first meetings
  const attendancesOf = new Map<string, AnalyticsFact[]>();
  for (const f of ofKind('attended')) {
    const list = attendancesOf.get(f.personId!) ?? [];
    list.push(f);
    attendancesOf.set(f.personId!, list);
  }
  const newcomersBySdc = new Map<string, number>();
  let eligible = 0;
  let returned = 0;
  for (const own of attendancesOf.values()) {
    const first = own[0];
    if (!inPeriod(first.atMs) || !inWard(first.ward)) continue;
    newcomersBySdc.set(first.ward!, (newcomersBySdc.get(first.ward!) ?? 0) + 1);
    if (first.atMs + RETURN_WITHIN_DAYS * DAY_MS > asOfMs) continue;
    eligible++;
    if (own.some((f) => f.subjectId !== first.subjectId && f.atMs > first.atMs && f.atMs - first.atMs <= RETURN_WITHIN_DAYS * DAY_MS)) returned++;
  }

  // Cohort retention
  const activeMonths = new Map<string, Set<string>>();
  for (const f of ACTIVITY_KINDS.flatMap(ofKind)) {
    const months = activeMonths.get(f.personId!) ?? new Set<string>();
    months.add(tokyoMonth(f.atMs));
    activeMonths.set(f.personId!, months);
  }
  const cohorts = new Map<string, { cohort: string; size: number; active: number[] }>();
  for (const [personId, participantMs] of participants) {
    const cohort = tokyoMonth(participantMs);
    const row = cohorts.get(cohort) ?? { cohort, size: 0, active: RETENTION_MONTHS.map(() => 0) };
    row.size++;
    RETENTION_MONTHS.forEach((months, i) => (row.active[i] += activeMonths.get(personId)?.has(addMonths(cohort, months)) ? 1 : 0));
    cohorts.set(cohort, row);
  }

  // Counts, answers, exits
  const counts = new Map<string, PeriodCount>();
  for (const kind of COUNTED_KINDS) {
    for (const f of ofKind(kind)) {
      if (!inPeriod(f.atMs) || !inWard(f.ward)) continue;
      const key = `${f.kind}|${f.ward}|${f.detail}`;
      const count = counts.get(key);
      if (count) count.n++;
      else counts.set(key, { kind: f.kind, ward: f.ward, detail: f.detail, n: 1 });
    }
  }
  const latestExits = new Map<string, string>();
  for (const f of ofKind('spinoff_exit_chosen')) if (inPeriod(f.atMs) && inWard(f.ward)) latestExits.set(f.subjectId!, f.detail!);

  return {
    peopleAtStage,
    reachedInPeriod,
    transitions,
    daysToBearer,
    daysToPlanner,
    conversions,
    bearersThroughSpinOff,
    periodCounts: [...counts.values()],
    newcomersBySdc,
    firstTimersReturning: { eligible, returned },
    cohorts: [...cohorts.values()],
    answerHours: answerHours(facts.filter((f) => f.kind === 'match_proposed' || f.kind === 'match_accepted' || f.kind === 'match_declined'), fromMs, toMs, inWard),
    latestExits,
    rolesReachedByWeek: rolesReachedByWeek(facts, fromMs, toMs, inWard),
  };
}

/** Every indicator from its inputs (see `IndicatorInputs`). */
export function assembleIndicators(inputs: IndicatorInputs, query: IndicatorQuery): Indicators {
  const { asOfMs } = periodOf(query);

  // The entry point
  const sdcs = new Map<string, { attendances: number; newcomers: number }>();
  for (const { kind, ward, n } of inputs.periodCounts) {
    if (kind !== 'attended') continue;
    const row = sdcs.get(ward!) ?? { attendances: 0, newcomers: 0 };
    row.attendances += n;
    sdcs.set(ward!, row);
  }
  for (const [sdc, newcomers] of inputs.newcomersBySdc) sdcs.get(sdc)!.newcomers = newcomers;
  const { eligible: firstTimers, returned } = inputs.firstTimersReturning;

  // Cohort retention
  const retention = [...inputs.cohorts]
    .sort((a, b) => (a.cohort < b.cohort ? -1 : 1))
    .map(({ cohort, size, active }) => {
      const [after3, after6, after12] = RETENTION_MONTHS.map((months, i) => (monthEndMs(addMonths(cohort, months)) > asOfMs ? null : ratio(active[i], size)));
      return { cohort, size, after3, after6, after12 };
    });

  // Counts
  const count = (kind: FactKind, detail?: string) => inputs.periodCounts.reduce((sum, c) => sum + (c.kind === kind && (detail === undefined || c.detail === detail) ? c.n : 0), 0);
  const declinedByReason = tally(inputs.periodCounts.filter((c) => c.kind === 'match_declined').map((c) => [c.detail!, c.n]));
  const exitStrategies = tally([...inputs.latestExits.values()].map((strategy) => [strategy, 1]));
  const meetingsHeld = count('meeting_held');
  const spinOffsProposed = count('spinoff_proposed');

  return {
    ladder: {
      peopleAtStage: inputs.peopleAtStage,
      reachedInPeriod: inputs.reachedInPeriod,
      transitions: [...inputs.transitions]
        .sort((a, b) => a.before - b.before || a.after - b.after)
        .map(({ before, after, people }) => ({ from: before < 0 ? ('none' as const) : STAGES[before].key, to: STAGES[after].key, people })),
      conversionToBearer: CONVERSION_DAYS.map((withinDays, i) => {
        const { eligible, converted } = inputs.conversions[i];
        return { withinDays, eligible, converted, rate: ratio(converted, eligible) };
      }),
      medianDaysToBearer: { days: round2(median(inputs.daysToBearer)), people: inputs.daysToBearer.length },
      medianDaysToPlanner: { days: round2(median(inputs.daysToPlanner)), people: inputs.daysToPlanner.length },
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
      medianHoursToAnswer: { hours: round2(median(inputs.answerHours)), answers: inputs.answerHours.length },
      proBonoCompleted: count('match_completed', 'pro_bono_project'),
      rolesReachedByWeek: inputs.rolesReachedByWeek,
    },
    civic: {
      meetingsHeld,
      spinOffsProposed,
      spinOffsPerMeeting: ratio(spinOffsProposed, meetingsHeld),
      spinOffsLaunched: count('spinoff_launched'),
      exitStrategies,
      bearersThroughSpinOff: inputs.bearersThroughSpinOff,
    },
  };
}

/** Sums by key, keys in order: answers do not depend on the order things were counted in. */
function tally(entries: readonly (readonly [string, number])[]): Record<string, number> {
  const sums = new Map<string, number>();
  for (const [key, n] of entries) sums.set(key, (sums.get(key) ?? 0) + n);
  return Object.fromEntries([...sums].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Hours from proposal to answer, for answers (accepted or declined) in the period: `matchFacts` are proposals
 * and answers in time order; an answer is timed from the latest proposal of its match before it.
 */
export function answerHours(matchFacts: readonly AnalyticsFact[], fromMs: number, toMs: number, inWard: (ward?: string) => boolean): number[] {
  const proposedAt = new Map<string, number>();
  const hours: number[] = [];
  for (const f of matchFacts) {
    if (!inWard(f.ward)) continue;
    if (f.kind === 'match_proposed') proposedAt.set(f.subjectId!, f.atMs);
    else if (f.atMs >= fromMs && f.atMs <= toMs && proposedAt.has(f.subjectId!)) hours.push((f.atMs - proposedAt.get(f.subjectId!)!) / 3_600_000);
  }
  return hours;
}

/**
 * Equitable reach: per week, of the roles open at some time in it, the share that had at least one accepted
 * match by the week's end (or the period's end, for the last week). Totals hide roles nobody ever takes.
 */
export function rolesReachedByWeek(facts: readonly AnalyticsFact[], fromMs: number, toMs: number, inWard: (ward?: string) => boolean) {
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
  const firstWeekMs = weekStartMs(fromMs);
  const weekCount = Math.floor((toMs - firstWeekMs) / WEEK_MS) + 1;
  const openRoles = new Array<number>(weekCount).fill(0);
  const withAcceptedMatch = new Array<number>(weekCount).fill(0);
  for (const { changes, firstAcceptMs } of roles.values()) {
    // Week by week from the one it opened in, with its changes in time order: open during a week means open
    // when the week began, or opened again within it. Once closed with no change left, it stays closed.
    let open = false;
    let next = 0;
    for (let week = Math.max(0, Math.floor((changes[0].atMs - firstWeekMs) / WEEK_MS)); week < weekCount; week++) {
      const start = firstWeekMs + week * WEEK_MS;
      const end = Math.min(start + WEEK_MS - 1, toMs);
      for (; next < changes.length && changes[next].atMs < start; next++) open = changes[next].open;
      let openedWithin = false;
      for (let i = next; i < changes.length && changes[i].atMs <= end; i++) openedWithin ||= changes[i].open;
      if (open || openedWithin) {
        openRoles[week]++;
        if (firstAcceptMs <= end) withAcceptedMatch[week]++;
      } else if (next === changes.length) break;
    }
  }
  const weeks = openRoles.map((open, week) => ({ week: tokyoDay(firstWeekMs + week * WEEK_MS), openRoles: open, withAcceptedMatch: withAcceptedMatch[week], share: ratio(withAcceptedMatch[week], open) }));
  return weeks;
}
