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
  answerHours,
  assembleIndicators,
  byTime,
  monthEndMs,
  monthStartMs,
  periodOf,
  rolesReachedByWeek,
  tokyoDay,
  tokyoMonth,
  DAY_MS,
} from '@tsunagi/analytics';
import { tokyoDayNumber } from './analytics.projection';
import { factOf } from './analytics.rows';

export interface FunnelMonth {
  month: string;
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
    const params = { asOf: asOfMs, from: fromMs, to: toMs, before: fromMs - 1, ward: query.ward ?? null, within: RETURN_WITHIN_DAYS * DAY_MS };
    const inWard = (ward?: string) => query.ward === undefined || ward === query.ward;

    const peopleAtStage = stageCounts([]);
    // Reaching a stage reaches every lower one no later, so "highest stage k" is "reached k" less "reached k + 1".
    const reachedBy = new Map(st.reachedBy.all(params).map(({ stage, n }) => [stage, n]));
    for (const s of STAGES) peopleAtStage[s.key] = (reachedBy.get(s.stage) ?? 0) - (reachedBy.get(s.stage + 1) ?? 0);
    const bearers = st.bearers.all(params);
    const conversions = st.conversions.get(params)!;
    const answers = st.answers.all(params).map(toFact).sort(byTime);
    const roleFacts = st.roleFacts.all(params).map(toFact).sort(byTime);
    return assembleIndicators(
      {
        peopleAtStage,
        reachedInPeriod: stageCounts(st.reachedInPeriod.all(params)),
        transitions: st.transitions.all(params),
        daysToBearer: bearers.map(([ms]) => ms / DAY_MS),
        daysToPlanner: st.planners.all(params).map((ms) => ms / DAY_MS),
        conversions: CONVERSION_DAYS.map((_, i) => ({ eligible: conversions[2 * i], converted: conversions[2 * i + 1] })),
        bearersThroughSpinOff: bearers.filter(([, via]) => via === 'spinoff_role').length,
        periodCounts: st.periodCounts.all(params).map(({ kind, ward, detail, n }) => ({ kind, ward: ward ?? undefined, detail: detail ?? undefined, n })),
        newcomersBySdc: new Map(st.newcomers.all(params).map(({ sdc, n }) => [sdc, n])),
        firstTimersReturning: st.firstTimers.get(params)!,
        cohorts: st.cohorts.all(params).map(([cohort, size, ...active]) => ({ cohort: String(cohort), size: Number(size), active: active.map(Number) })),
        answerHours: answerHours(answers, fromMs, toMs, inWard),
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
      const dayStartMs = day * 86_400_000 - 9 * 3_600_000;
      const reached = Object.fromEntries(STAGES.map((s) => [s.key, 0])) as StageCounts;
      for (const b of buckets) if (b.day < day) reached[STAGES[b.stage].key] += b.people;
      for (const s of STAGES) {
        const within = ward === undefined ? this.funnelStatements.withinCity.get(s.stage, dayStartMs, at) : this.funnelStatements.withinWard.get(ward, s.stage, dayStartMs, at);
        reached[s.key] += within!.n;
      }
      // Reaching a stage reaches every lower one, so the sets are nested and "at stage k" is a difference.
      const atStage = Object.fromEntries(STAGES.map((s, k) => [s.key, reached[s.key] - (k + 1 < STAGES.length ? reached[STAGES[k + 1].key] : 0)])) as StageCounts;
      return { month, reached, atStage };
    });
  }
}

const TOKYO_OFFSET_MS = 9 * 3_600_000;
/** SQL: the first instant of the Tokyo month `months` after the one of the instant `column` (as `monthStartMs`). */
const tokyoMonthStart = (column: string, months: number) =>
  `(unixepoch((${column} + ${TOKYO_OFFSET_MS}) / 1000, 'unixepoch', 'start of month', '+${months} months') * 1000 - ${TOKYO_OFFSET_MS})`;

/** Counts by stage from rows of (stage, n). */
function stageCounts(rows: readonly { stage: number; n: number }[]): StageCounts {
  const counts = Object.fromEntries(STAGES.map((s) => [s.key, 0])) as StageCounts;
  for (const { stage, n } of rows) counts[STAGES[stage].key] = n;
  return counts;
}

/** Named parameters of every indicator statement. */
interface SliceParams {
  asOf: number;
  from: number;
  to: number;
  /** The instant before the period. */
  before: number;
  ward: string | null;
  within: number;
}
type FactColumns = [FactKind, number, number, string | null, string | null, string | null, string | null, string | null];
const FACT_COLUMNS = 'kind, at_ms, position, person_id, subject_id, group_id, ward, detail';
const toFact = ([kind, atMs, position, personId, subjectId, groupId, ward, detail]: FactColumns): AnalyticsFact =>
  factOf(position, '', atMs, kind, personId ?? '', subjectId, groupId, ward, detail);

interface SliceStatements {
  reachedBy: Database.Statement<[SliceParams], { stage: number; n: number }>;
  reachedInPeriod: Database.Statement<[SliceParams], { stage: number; n: number }>;
  transitions: Database.Statement<[SliceParams], { before: number; after: number; people: number }>;
  bearers: Database.Statement<[SliceParams], [number, string]>;
  planners: Database.Statement<[SliceParams], number>;
  conversions: Database.Statement<[SliceParams], number[]>;
  cohorts: Database.Statement<[SliceParams], (string | number)[]>;
  periodCounts: Database.Statement<[SliceParams], { kind: FactKind; ward: string | null; detail: string | null; n: number }>;
  newcomers: Database.Statement<[SliceParams], { sdc: string; n: number }>;
  firstTimers: Database.Statement<[SliceParams], { eligible: number; returned: number }>;
  answers: Database.Statement<[SliceParams], FactColumns>;
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
  const sinceParticipant = (stage: number) =>
    `FROM analytics_stages b JOIN analytics_stages p ON p.person_id = b.person_id AND p.stage = 1 WHERE b.stage = ${stage} AND b.at_ms BETWEEN @from AND @to`;
  const answerKinds = sqlList(['match_accepted', 'match_declined']);
  return {
    // People who reached each stage by asOf, and in the period.
    reachedBy: db.prepare(`SELECT stage, count(*) AS n FROM analytics_stages WHERE stage IN (${STAGE_LIST}) AND at_ms <= @asOf ${person('person_id')} GROUP BY stage`),
    reachedInPeriod: db.prepare(`SELECT stage, count(*) AS n FROM analytics_stages WHERE stage IN (${STAGE_LIST}) AND at_ms BETWEEN @from AND @to ${person('person_id')} GROUP BY stage`),
    // People whose highest stage moved in the period: those who reached a stage in it. The stages a person reached
    // are 0 to their highest (the ladder), so the ones in the period run from the stage after where they stood
    // before it to where they stand at its end.
    transitions: db.prepare(
      `SELECT before, after, count(*) AS people FROM (
         SELECT min(stage) - 1 AS before, max(stage) AS after FROM analytics_stages
         WHERE stage IN (${STAGE_LIST}) AND at_ms BETWEEN @from AND @to ${person('person_id')} GROUP BY person_id)
       GROUP BY before, after`,
    ),
    // People who reached bearer / planner in the period: time since they reached participant (no later: the ladder), and how.
    bearers: db
      .prepare(`SELECT b.at_ms - p.at_ms, b.via ${sinceParticipant(3)} ${person('b.person_id')}`)
      .raw() as SliceStatements['bearers'],
    planners: db.prepare(`SELECT b.at_ms - p.at_ms ${sinceParticipant(4)} ${person('b.person_id')}`).pluck() as SliceStatements['planners'],
    // Of people first participating in the period whose N days are over by asOf (eligible), how many became bearers within them (converted).
    conversions: db
      .prepare(
        `SELECT ${CONVERSION_DAYS.map((days) => `coalesce(sum(p.at_ms + ${days * DAY_MS} <= @asOf), 0), coalesce(sum(p.at_ms + ${days * DAY_MS} <= @asOf AND b.at_ms - p.at_ms <= ${days * DAY_MS}), 0)`).join(', ')}
         FROM analytics_stages p LEFT JOIN analytics_stages b ON b.person_id = p.person_id AND b.stage = 3 AND b.at_ms <= @asOf
         WHERE p.stage = 1 AND p.at_ms BETWEEN @from AND @to ${person('p.person_id')}`,
      )
      .raw() as SliceStatements['conversions'],
    // Per Tokyo month of first participation in the period: how many, and how many were active 3, 6, 12 months later.
    cohorts: db
      .prepare(
        `SELECT strftime('%Y-%m', (s.at_ms + ${TOKYO_OFFSET_MS}) / 1000, 'unixepoch') AS cohort, count(*) AS size,
                ${RETENTION_MONTHS.map((months) => `sum(EXISTS (SELECT 1 FROM analytics_facts f WHERE ${personFactsOf(ACTIVITY_KINDS)} AND f.at_ms >= ${tokyoMonthStart('s.at_ms', months)} AND f.at_ms < ${tokyoMonthStart('s.at_ms', months + 1)}))`).join(', ')}
         FROM analytics_stages s WHERE s.stage = 1 AND s.at_ms BETWEEN @from AND @to ${person('s.person_id')} GROUP BY cohort`,
      )
      .raw() as SliceStatements['cohorts'],
    periodCounts: db.prepare(
      `SELECT kind, ward, detail, count(*) AS n FROM analytics_facts WHERE kind IN (${sqlList(COUNTED_KINDS)}) AND at_ms BETWEEN @from AND @to ${ward('ward')} GROUP BY kind, ward, detail`,
    ),
    newcomers: db.prepare(`SELECT sdc, count(*) AS n FROM analytics_first_attendances WHERE at_ms BETWEEN @from AND @to ${ward('sdc')} GROUP BY sdc`),
    // First-timers whose 90 days are over by asOf, and whether they came to another meeting within them.
    firstTimers: db.prepare(
      `SELECT count(*) AS eligible, coalesce(sum(EXISTS (SELECT 1 FROM analytics_facts f WHERE ${personFactsOf(['attended'])}
                AND f.at_ms > s.at_ms AND f.at_ms <= s.at_ms + @within AND f.subject_id <> s.meeting_id)), 0) AS returned
       FROM analytics_first_attendances s WHERE s.at_ms BETWEEN @from AND @to AND s.at_ms + @within <= @asOf ${ward('s.sdc')}`,
    ),
    // Answers in the period and the proposals of their matches.
    answers: db
      .prepare(
        `SELECT ${FACT_COLUMNS} FROM analytics_facts WHERE kind IN (${answerKinds}) AND at_ms BETWEEN @from AND @to ${ward('ward')}
         UNION ALL
         SELECT ${FACT_COLUMNS} FROM analytics_facts WHERE kind = 'match_proposed' AND at_ms <= @to ${ward('ward')}
           AND subject_id IN (SELECT subject_id FROM analytics_facts WHERE kind IN (${answerKinds}) AND at_ms BETWEEN @from AND @to)`,
      )
      .raw() as SliceStatements['answers'],
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

/** Every stage, so the (stage, time) index serves a condition on time alone. */
const STAGE_LIST = STAGES.map((s) => s.stage).join(', ');

/** Kinds as a SQL list of literals (they are fixed identifiers, never input). */
const sqlList = (kinds: readonly string[]) => kinds.map((kind) => `'${kind}'`).join(', ');
