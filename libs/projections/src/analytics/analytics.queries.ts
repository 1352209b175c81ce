import type Database from 'better-sqlite3';
import {
  AnalyticsFact,
  FactKind,
  IndicatorQuery,
  Indicators,
  LadderRuleSet,
  STAGES,
  Stage,
  StageCounts,
  StageReached,
  INDICATOR_FACT_KINDS,
  WHOLE_HISTORY_FACT_KINDS,
  computeIndicators,
  indicatorFactsFromMs,
  monthEndMs,
  monthStartMs,
  tokyoDay,
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
  private readonly statements: {
    factsUpTo: Database.Statement<[number, number, number, number], unknown[]>;
    stagesUpTo: Database.Statement<[number], unknown[]>;
    daysCity: Database.Statement<[number], { stage: number; day: number; people: number }>;
    daysWard: Database.Statement<[string, number], { stage: number; day: number; people: number }>;
    withinCity: Database.Statement<[number, number, number], { n: number }>;
    withinWard: Database.Statement<[string, number, number, number], { n: number }>;
  };

  constructor(private readonly db: Database.Database) {
    this.statements = {
      // Arrays, not objects, and no event ids (no indicator shows one): loading rows is most of an as-of answer.
      // Only the facts the indicators read, already in time order (the in-memory sort then has nothing to do):
      // their kinds; before the period only the kinds they read there, and of a person's meetings only the first;
      // registrations only for a ward (they give the home ward, and nothing else).
      factsUpTo: db
        .prepare<[number, number, number, number], unknown[]>(
          `SELECT ${FACT_FIELDS} FROM analytics_facts
           WHERE at_ms <= ? AND kind IN (${sqlList(INDICATOR_FACT_KINDS)}) AND (? OR kind <> 'person_registered')
             AND (at_ms >= ? OR kind IN (${sqlList(WHOLE_HISTORY_FACT_KINDS.filter((kind) => kind !== 'attended'))}))
           UNION ALL
           SELECT ${FACT_FIELDS} FROM (
             SELECT *, row_number() OVER (PARTITION BY person_id ORDER BY at_ms, position) AS nth FROM analytics_facts WHERE kind = 'attended' AND at_ms < ?
           ) WHERE nth = 1
           ORDER BY at_ms, position, kind`,
        )
        .raw(),
      stagesUpTo: db.prepare<[number], unknown[]>('SELECT person_id, stage, at_ms, position, via FROM analytics_stages WHERE at_ms <= ?').raw(),
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

  /** Every indicator for a slice and period, as of a date. */
  indicators(query: IndicatorQuery, rules: LadderRuleSet): Indicators {
    const facts = this.factsUpTo(query);
    return computeIndicators(facts, query, rules, this.histories(query.asOfMs));
  }

  /** The same indicators for each month in the period, each as of the month's end (or `asOf`, if earlier), which it names. */
  indicatorsByMonth(query: IndicatorQuery, months: readonly string[], rules: LadderRuleSet): { month: string; asOf: string; indicators: Indicators }[] {
    const facts = this.factsUpTo(query);
    const histories = this.histories(query.asOfMs);
    return months.map((month) => {
      const fromMs = Math.max(query.fromMs, monthStartMs(month));
      const toMs = Math.min(query.toMs, monthEndMs(month));
      const asOfMs = Math.min(query.asOfMs, monthEndMs(month));
      return { month, asOf: tokyoDay(asOfMs), indicators: computeIndicators(facts, { ...query, fromMs, toMs, asOfMs }, rules, histories) };
    });
  }

  /**
   * The ladder funnel per month, from the per-day counts: whole days before each month's end (or `asOf`) are
   * summed from the buckets, and the last, partial day is counted exactly from the stage index.
   */
  funnel(months: readonly string[], asOfMs: number, ward?: string): FunnelMonth[] {
    const ends = months.map((month) => Math.min(asOfMs, monthEndMs(month)));
    const lastDay = tokyoDayNumber(Math.max(...ends));
    const buckets = ward === undefined ? this.statements.daysCity.all(lastDay) : this.statements.daysWard.all(ward, lastDay);
    return months.map((month, i) => {
      const at = ends[i];
      const day = tokyoDayNumber(at);
      const dayStartMs = day * 86_400_000 - 9 * 3_600_000;
      const reached = Object.fromEntries(STAGES.map((s) => [s.key, 0])) as StageCounts;
      for (const b of buckets) if (b.day < day) reached[STAGES[b.stage].key] += b.people;
      for (const s of STAGES) {
        const within = ward === undefined ? this.statements.withinCity.get(s.stage, dayStartMs, at) : this.statements.withinWard.get(ward, s.stage, dayStartMs, at);
        reached[s.key] += within!.n;
      }
      // Reaching a stage reaches every lower one, so the sets are nested and "at stage k" is a difference.
      const atStage = Object.fromEntries(STAGES.map((s, k) => [s.key, reached[s.key] - (k + 1 < STAGES.length ? reached[STAGES[k + 1].key] : 0)])) as StageCounts;
      return { month, reached, atStage };
    });
  }

  /** The facts up to `asOfMs` that the indicators of the query read (those of its sub-periods too). */
  private factsUpTo({ asOfMs, fromMs, ward }: IndicatorQuery): AnalyticsFact[] {
    const from = indicatorFactsFromMs(fromMs);
    const rows = this.statements.factsUpTo.all(asOfMs, ward === undefined ? 0 : 1, from, Math.min(from, asOfMs + 1)) as [number, number, FactKind, string, string | null, string | null, string | null, string | null][];
    return rows.map(([position, atMs, kind, personId, subjectId, groupId, ward, detail]) => factOf(position, '', atMs, kind, personId, subjectId, groupId, ward, detail));
  }

  private histories(asOfMs: number): Map<string, StageReached[]> {
    const histories = new Map<string, StageReached[]>();
    for (const [personId, stage, atMs, position, via] of this.statements.stagesUpTo.iterate(asOfMs) as IterableIterator<[string, Stage, number, number, StageReached['via']]>) {
      let history = histories.get(personId);
      if (!history) histories.set(personId, (history = []));
      history.push({ stage, atMs, position, eventId: '', via });
    }
    for (const history of histories.values()) history.sort((a, b) => a.stage - b.stage);
    return histories;
  }
}

const FACT_FIELDS = 'position, at_ms, kind, person_id, subject_id, group_id, ward, detail';

/** Kinds as a SQL list of literals (they are fixed identifiers, never input). */
const sqlList = (kinds: readonly string[]) => kinds.map((kind) => `'${kind}'`).join(', ');
