import type Database from 'better-sqlite3';
import {
  ACTIVITY_KINDS,
  AnalyticsFact,
  COUNTED_KINDS,
  FactKind,
  IndicatorQuery,
  Indicators,
  LadderRuleSet,
  PERSON_FACT_KINDS,
  PeriodCount,
  RETENTION_MONTHS,
  CONVERSION_DAYS,
  RETURN_WITHIN_DAYS,
  STAGES,
  StageCounts,
  addMonths,
  assembleIndicators,
  byTime,
  monthEndMs,
  monthStartMs,
  periodOf,
  rolesReachedByWeek,
  tokyoDay,
  tokyoMonth,
  tokyoDayNumber,
  tokyoDayStartMs,
  DAY_MS,
  TOKYO_OFFSET_MS,
} from '@tsunagi/analytics';
import { factOf } from './analytics.rows';

export interface FunnelMonth {
  month: string;
  /** The day its counts are as of: the month's last, or `asOf` if earlier. */
  asOf: string;
  /** People who had reached each stage by the month's end (or `asOf`, if earlier): a cumulative funnel. */
  reached: StageCounts;
  /** People whose highest stage then was this one. */
  atStage: StageCounts;
}

/**
 * Reads over the analytics read model. Every read takes an `asOf` and sees only facts and stage changes up to
 * it; the read model itself always holds everything, so one model answers every date.
 */
export class AnalyticsQueries {
  /** Statements for the city (`city`) and for one ward (`ward`): the ward's differ only in their filters. */
  private readonly statements: Record<'city' | 'ward', SliceStatements>;
  private readonly funnelStatements: {
    daysCity: Database.Statement<[number], { stage: number; day: number; people: number }>;
    daysWard: Database.Statement<[string, number], { stage: number; day: number; people: number }>;
    withinCity: Database.Statement<[number, number, number], { n: number }>;
    withinWard: Database.Statement<[string, number, number, number], { n: number }>;
  };

  constructor(private readonly db: Database.Database) {
    this.statements = { city: sliceStatements(db, false), ward: sliceStatements(db, true) };
    this.funnelStatements = {
      daysCity: db.prepare('SELECT stage, day, sum(people) AS people FROM analytics_stage_days WHERE day < ? GROUP BY stage, day'),
      daysWard: db.prepare('SELECT stage, day, people FROM analytics_stage_days WHERE ward = ? AND day < ?'),
      withinCity: db.prepare('SELECT count(*) AS n FROM analytics_stages WHERE stage = ? AND at_ms BETWEEN ? AND ?'),
      withinWard: db.prepare('SELECT count(*) AS n FROM analytics_stages WHERE ward = ? AND stage = ? AND at_ms BETWEEN ? AND ?'),
    };
  }

  /** The `$all` position the read model reflects (its checkpoint, committed with it); 0 before it first ran. */
  position(): number {
    const row = this.db.prepare("SELECT position FROM projection_checkpoints WHERE name = 'analytics'").get() as { position: number } | undefined;
    return row?.position ?? 0;
  }

  /** A person's stage history under the rule set in force: when they reached each stage, through which fact and event. */
  personLadder(personId: string): { stage: number; atMs: number; via: string; eventId: string; position: number }[] {
    return this.db
      .prepare('SELECT stage, at_ms AS atMs, via, event_id AS eventId, position FROM analytics_stages WHERE person_id = ? ORDER BY stage')
      .all(personId) as { stage: number; atMs: number; via: string; eventId: string; position: number }[];
  }

  /** The rule set the read model was built with (undefined before the projection first ran). */
  ruleSet(): LadderRuleSet | undefined {
    const row = this.db.prepare('SELECT rules FROM analytics_rule_set WHERE singleton = 1').get() as { rules: string } | undefined;
    return row && (JSON.parse(row.rules) as LadderRuleSet);
  }

  /**
   * Every indicator for a slice and period, as of a date. SQL reads only what each indicator needs (per-person
   * stage summaries, counts in the period, probes of a person's facts) and `assembleIndicators` does the rest, as
   * for the in-memory reference: the property tests prove both give the same answers.
   */
  indicators(query: IndicatorQuery, _rules: LadderRuleSet): Indicators {
    const { fromMs, toMs, asOfMs } = periodOf(query);
    const st = this.statements[query.ward === undefined ? 'city' : 'ward'];
    const [firstDay, lastDay] = [tokyoDayNumber(fromMs), tokyoDayNumber(toMs)];
    const params: SliceParams = {
      asOf: asOfMs, from: fromMs, to: toMs, before: fromMs - 1, ward: query.ward ?? null, within: RETURN_WITHIN_DAYS * DAY_MS,
      firstWholeDay: firstDay + 1, lastWholeDay: lastDay - 1, firstDayEnd: Math.min(toMs, tokyoDayStartMs(firstDay + 1) - 1), lastDayStart: lastDay > firstDay ? tokyoDayStartMs(lastDay) : toMs + 1,
    };
    const inWard = (ward?: string) => query.ward === undefined || ward === query.ward;

    const bearers = st.bearers.all(params);
    const conversions = st.conversions.get(params)!;
    const roleFacts = st.roleFacts.all(params).map(toFact).sort(byTime);
    return assembleIndicators(
      {
        peopleAtStage: atHighestStage(stageCounts(st.reachedBy.all(params))),
        reachedInPeriod: stageCounts(st.reachedInPeriod.all(params)),
        transitions: st.transitions.all(params),
        daysToBearer: bearers.map(([ms]) => ms / DAY_MS),
        daysToPlanner: st.planners.all(params).map((ms) => ms / DAY_MS),
        conversions: CONVERSION_DAYS.map((_, i) => ({ eligible: conversions[2 * i], converted: conversions[2 * i + 1] })),
        bearersThroughSpinOff: bearers.filter(([, via]) => via === 'spinoff_role').length,
        periodCounts: st.periodCounts.all(params).map(({ kind, ward, detail, n }) => ({ kind, ward: ward || undefined, detail: detail || undefined, n })),
        newcomersBySdc: new Map(st.newcomers.all(params).map(({ sdc, n }) => [sdc, n])),
        firstTimersReturning: st.firstTimers.get(params)!,
        cohorts: st.cohorts.all(params).map(([cohort, size, ...active]) => ({ cohort: String(cohort), size: Number(size), active: active.map((n) => Number(n ?? 0)) })),
        answerHours: st.answerTimes.all(params).flatMap((ms) => (ms === null ? [] : [ms / 3_600_000])),
        latestExits: new Map(st.exits.all(params).map(({ spinOffId, strategy }) => [spinOffId, strategy])),
        rolesReachedByWeek: rolesReachedByWeek(roleFacts, fromMs, toMs, inWard),
      },
      query,
    );
  }

  /** The same indicators for each month in the period, each as of the month's end (or `asOf`, if earlier), which it names. */
  indicatorsByMonth(query: IndicatorQuery, months: readonly string[], rules: LadderRuleSet): { month: string; asOf: string; indicators: Indicators }[] {
    return months.map((month) => {
      const fromMs = Math.max(query.fromMs, monthStartMs(month));
      const toMs = Math.min(query.toMs, monthEndMs(month));
      const asOfMs = Math.min(query.asOfMs, monthEndMs(month));
      return { month, asOf: tokyoDay(asOfMs), indicators: this.indicators({ ...query, fromMs, toMs, asOfMs }, rules) };
    });
  }

  /**
   * The ladder funnel per month, from the per-day counts: whole days before each month's end (or `asOf`) are
   * summed from the buckets, and the last, partial day is counted exactly from the stage index.
   */
  funnel(months: readonly string[], asOfMs: number, ward?: string): FunnelMonth[] {
    const ends = months.map((month) => Math.min(asOfMs, monthEndMs(month)));
    const lastDay = tokyoDayNumber(Math.max(...ends));
    const buckets = ward === undefined ? this.funnelStatements.daysCity.all(lastDay) : this.funnelStatements.daysWard.all(ward, lastDay);
    return months.map((month, i) => {
      const at = ends[i];
      const day = tokyoDayNumber(at);
      const dayStartMs = tokyoDayStartMs(day);
      const reached = stageCounts([]);
      for (const b of buckets) if (b.day < day) reached[STAGES[b.stage].key] += b.people;
      for (const s of STAGES) {
        const within = ward === undefined ? this.funnelStatements.withinCity.get(s.stage, dayStartMs, at) : this.funnelStatements.withinWard.get(ward, s.stage, dayStartMs, at);
        reached[s.key] += within!.n;
      }
      return { month, asOf: tokyoDay(at), reached, atStage: atHighestStage(reached) };
    });
  }
}

/** SQL: the first instant of the Tokyo month `months` after the one of the instant `column` (as `monthStartMs`). */
const tokyoMonthStart = (column: string, months: number) =>
  `(unixepoch((${column} + ${TOKYO_OFFSET_MS}) / 1000, 'unixepoch', 'start of month', '+${months} months') * 1000 - ${TOKYO_OFFSET_MS})`;

/** Counts by stage from rows of (stage, n). */
function stageCounts(rows: readonly { stage: number; n: number }[]): StageCounts {
  const counts = Object.fromEntries(STAGES.map((s) => [s.key, 0])) as StageCounts;
  for (const { stage, n } of rows) counts[STAGES[stage].key] = n;
  return counts;
}

/**
 * People whose highest stage is k, from people who reached each stage: reaching a stage reaches every lower one no
 * later, so the sets are nested and "highest stage k" is "reached k" less "reached k + 1".
 */
function atHighestStage(reached: StageCounts): StageCounts {
  return Object.fromEntries(STAGES.map((s, k) => [s.key, reached[s.key] - (k + 1 < STAGES.length ? reached[STAGES[k + 1].key] : 0)])) as StageCounts;
}

/** Every stage, so the (stage, time) index serves a condition on time alone. */
const STAGE_LIST = STAGES.map((s) => s.stage).join(', ');

/** Named parameters of every indicator statement. */
interface SliceParams {
  asOf: number;
  from: number;
  to: number;
  /** The instant before the period. */
  before: number;
  ward: string | null;
  within: number;
  /** The period's days strictly inside it (Tokyo day numbers), the end of its first day and the start of its last. */
  firstWholeDay: number;
  lastWholeDay: number;
  firstDayEnd: number;
  lastDayStart: number;
}
type FactColumns = [FactKind, number, number, string | null, string | null, string | null, string | null, string | null];
const FACT_COLUMNS = 'kind, at_ms, position, person_id, subject_id, group_id, ward, detail';
const toFact = ([kind, atMs, position, personId, subjectId, groupId, ward, detail]: FactColumns): AnalyticsFact =>
  factOf(position, '', atMs, kind, personId ?? '', subjectId, groupId, ward, detail);

interface SliceStatements {
  reachedBy: Database.Statement<[SliceParams], { stage: number; n: number }>;
  reachedInPeriod: Database.Statement<[SliceParams], { stage: number; n: number }>;
  conversions: Database.Statement<[SliceParams], number[]>;
  transitions: Database.Statement<[SliceParams], { before: number; after: number; people: number }>;
  bearers: Database.Statement<[SliceParams], [number, string]>;
  planners: Database.Statement<[SliceParams], number>;
  cohorts: Database.Statement<[SliceParams], (string | number | null)[]>;
  periodCounts: Database.Statement<[SliceParams], { kind: FactKind; ward: string; detail: string; n: number }>;
  newcomers: Database.Statement<[SliceParams], { sdc: string; n: number }>;
  firstTimers: Database.Statement<[SliceParams], { eligible: number; returned: number }>;
  answerTimes: Database.Statement<[SliceParams], number | null>;
  exits: Database.Statement<[SliceParams], { spinOffId: string; strategy: string }>;
  roleFacts: Database.Statement<[SliceParams], FactColumns>;
}

/**
 * The indicator statements for the city or for one ward (`@ward`). A person belongs to the ward they registered
 * in (a person registers once: their stream's first event); facts of other kinds carry their own ward.
 */
function sliceStatements(db: Database.Database, byWard: boolean): SliceStatements {
  const person = (column: string) =>
    byWard ? `AND ${column} IN (SELECT person_id FROM analytics_facts WHERE kind = 'person_registered' AND at_ms <= @asOf AND ward = @ward)` : '';
  const ward = (column: string) => (byWard ? `AND ${column} = @ward` : '');
  // A person's facts of some kinds, through the projection's partial index on (person, time): its condition is
  // repeated so the planner may use it, and the kinds are a filter (`+`), not more seeks.
  const personFactsOf = (kinds: readonly FactKind[]) => `f.person_id = s.person_id AND f.kind IN (${sqlList(PERSON_FACT_KINDS)}) AND +f.kind IN (${sqlList(kinds)})`;
  // Active in the month `months` after the one of `s.at_ms`: asked only once that month is over by asOf (the answer is null till then).
  const activeMonthsLater = (months: number) =>
    `CASE WHEN ${tokyoMonthStart('s.at_ms', months + 1)} <= @asOf + 1 THEN EXISTS (SELECT 1 FROM analytics_facts f WHERE ${personFactsOf(ACTIVITY_KINDS)}
       AND f.at_ms >= ${tokyoMonthStart('s.at_ms', months)} AND f.at_ms < ${tokyoMonthStart('s.at_ms', months + 1)}) END`;
  // A person's highest stage by an instant (-1: none yet), from their ladder row.
  const highestBy = (at: string) => `CASE ${[...STAGES].reverse().map((s) => `WHEN at${s.stage} <= ${at} THEN ${s.stage}`).join(' ')} ELSE -1 END`;
  const answerKinds = sqlList(['match_accepted', 'match_declined']);
  const counted = sqlList(COUNTED_KINDS);
  return {
    // People who reached each stage by asOf, and in the period (the stage rows' (stage, time) index).
    reachedBy: db.prepare(`SELECT stage, count(*) AS n FROM analytics_stages WHERE stage IN (${STAGE_LIST}) AND at_ms <= @asOf ${person('person_id')} GROUP BY stage`),
    reachedInPeriod: db.prepare(`SELECT stage, count(*) AS n FROM analytics_stages WHERE stage IN (${STAGE_LIST}) AND at_ms BETWEEN @from AND @to ${person('person_id')} GROUP BY stage`),
    // Of people first participating in the period whose N days are over by asOf, how many (eligible) became bearers within them (converted).
    conversions: db
      .prepare(
        `SELECT ${CONVERSION_DAYS.flatMap((days) => [
          `coalesce(sum(at1 + ${days * DAY_MS} <= @asOf), 0)`,
          `coalesce(sum(at1 + ${days * DAY_MS} <= @asOf AND at3 <= @asOf AND at3 - at1 <= ${days * DAY_MS}), 0)`,
        ]).join(', ')}
         FROM analytics_ladders WHERE at1 BETWEEN @from AND @to ${person('person_id')}`,
      )
      .raw() as SliceStatements['conversions'],
    // People whose highest stage moved in the period: from where they stood before it to where at its end.
    transitions: db.prepare(
      `SELECT before, after, count(*) AS people FROM (
         SELECT ${highestBy('@before')} AS before, ${highestBy('@to')} AS after FROM analytics_ladders WHERE at0 <= @to ${person('person_id')})
       WHERE after > before GROUP BY before, after`,
    ),
    // People reaching bearer / planner in the period: the time since they reached participant (no later: the
    // ladder), and how they became bearers.
    bearers: db
      .prepare(`SELECT at3 - at1, bearer_via FROM analytics_ladders WHERE at3 BETWEEN @from AND @to ${person('person_id')}`)
      .raw() as SliceStatements['bearers'],
    planners: db.prepare(`SELECT at4 - at1 FROM analytics_ladders WHERE at4 BETWEEN @from AND @to ${person('person_id')}`).pluck() as SliceStatements['planners'],
    // Per Tokyo month of first participation in the period: how many, and how many were active 3, 6, 12 months later.
    cohorts: db
      .prepare(
        `SELECT strftime('%Y-%m', (s.at_ms + ${TOKYO_OFFSET_MS}) / 1000, 'unixepoch') AS cohort, count(*) AS size,
                ${RETENTION_MONTHS.map((months) => `sum(${activeMonthsLater(months)})`).join(', ')}
         FROM (SELECT person_id, at1 AS at_ms FROM analytics_ladders WHERE at1 BETWEEN @from AND @to ${person('person_id')}) s GROUP BY cohort`,
      )
      .raw() as SliceStatements['cohorts'],
    // Counted facts in the period: whole days from the per-day counts, the first and last day's facts one by one.
    periodCounts: db.prepare(
      `SELECT kind, ward, detail, sum(n) AS n FROM (
         SELECT kind, ward, detail, n FROM analytics_fact_days WHERE kind IN (${counted}) AND day BETWEEN @firstWholeDay AND @lastWholeDay ${ward('ward')}
         UNION ALL
         SELECT kind, coalesce(ward, ''), coalesce(detail, ''), 1 FROM analytics_facts WHERE kind IN (${counted}) AND at_ms BETWEEN @from AND @firstDayEnd ${ward('ward')}
         UNION ALL
         SELECT kind, coalesce(ward, ''), coalesce(detail, ''), 1 FROM analytics_facts WHERE kind IN (${counted}) AND at_ms BETWEEN @lastDayStart AND @to ${ward('ward')})
       GROUP BY kind, ward, detail`,
    ),
    newcomers: db.prepare(`SELECT sdc, count(*) AS n FROM analytics_first_attendances WHERE at_ms BETWEEN @from AND @to ${ward('sdc')} GROUP BY sdc`),
    // First-timers whose 90 days are over by asOf, and whether they came to another meeting within them.
    firstTimers: db.prepare(
      `SELECT count(*) AS eligible, coalesce(sum(EXISTS (SELECT 1 FROM analytics_facts f WHERE ${personFactsOf(['attended'])}
                AND f.at_ms > s.at_ms AND f.at_ms <= s.at_ms + @within AND f.subject_id <> s.meeting_id)), 0) AS returned
       FROM analytics_first_attendances s WHERE s.at_ms BETWEEN @from AND @to AND s.at_ms + @within <= @asOf ${ward('s.sdc')}`,
    ),
    // Answers (accepted, declined) in the period: the time since the latest proposal of their match before them.
    answerTimes: db
      .prepare(
        `SELECT a.at_ms - (SELECT p.at_ms FROM analytics_facts p WHERE p.kind = 'match_proposed' AND p.subject_id = a.subject_id
                             AND (p.at_ms < a.at_ms OR (p.at_ms = a.at_ms AND p.position < a.position)) ORDER BY p.at_ms DESC, p.position DESC LIMIT 1)
         FROM analytics_facts a WHERE a.kind IN (${answerKinds}) AND a.at_ms BETWEEN @from AND @to ${ward('a.ward')}`,
      )
      .pluck() as SliceStatements['answerTimes'],
    exits: db.prepare(
      `SELECT subject_id AS spinOffId, detail AS strategy FROM analytics_facts WHERE kind = 'spinoff_exit_chosen' AND at_ms BETWEEN @from AND @to ${ward('ward')} ORDER BY at_ms, position`,
    ),
    // Roles opened, closed and reopened up to the period's end, and the first accepted match of each (the week's
    // share reads no other: the columns of a bare column in a min() query are those of the minimum's row).
    roleFacts: db
      .prepare(
        `SELECT ${FACT_COLUMNS} FROM analytics_facts WHERE kind IN ('opportunity_opened', 'opportunity_closed', 'opportunity_reopened') AND at_ms <= @to ${ward('ward')}
         UNION ALL
         SELECT kind, min(at_ms), position, person_id, subject_id, group_id, ward, detail FROM analytics_facts WHERE kind = 'match_accepted' AND at_ms <= @to ${ward('ward')} GROUP BY group_id`,
      )
      .raw() as SliceStatements['roleFacts'],
  };
}

/** Kinds as a SQL list of literals (they are fixed identifiers, never input). */
const sqlList = (kinds: readonly string[]) => kinds.map((kind) => `'${kind}'`).join(', ');
