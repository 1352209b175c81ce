import type { Indicators, StageCounts } from '../indicators/indicators';
import { METRIC_LABELS } from './metric-labels';

/**
 * Indicators flattened to rows (one number each) for CSV and spreadsheets. A row knows whether its value is a
 * count of people/things or a share/median and how many it rests on, so small numbers can be suppressed:
 * a count of 1 or 2 in a ward can identify a person.
 */
export interface IndicatorRow {
  period: string;
  /** The day the states (people at each stage) are as of: the period's own end when grouped by month. */
  asOf: string;
  section: string;
  metric: string;
  breakdown: string;
  value: number | null;
  /** The count behind the value: the value itself for counts, the denominator for shares and medians. */
  basis: number;
}

export function indicatorRows(period: string, asOf: string, indicators: Indicators): IndicatorRow[] {
  const rows: IndicatorRow[] = [];
  const count = (section: string, metric: string, value: number, breakdown = '') => rows.push({ period, asOf, section, metric, breakdown, value, basis: value });
  const share = (section: string, metric: string, value: number | null, basis: number, breakdown = '') => rows.push({ period, asOf, section, metric, breakdown, value, basis });
  const { ladder, entryPoint, retention, matching, civic } = indicators;
  for (const [stage, n] of Object.entries(ladder.peopleAtStage)) count('ladder', 'people_at_stage', n, stage);
  for (const [stage, n] of Object.entries(ladder.reachedInPeriod)) count('ladder', 'reached_in_period', n, stage);
  for (const t of ladder.transitions) count('ladder', 'transition', t.people, `${t.from}>${t.to}`);
  for (const c of ladder.conversionToBearer) {
    count('ladder', 'conversion_to_bearer_eligible', c.eligible, `${c.withinDays}d`);
    share('ladder', 'conversion_to_bearer_rate', c.rate, c.eligible, `${c.withinDays}d`);
  }
  share('ladder', 'median_days_to_bearer', ladder.medianDaysToBearer.days, ladder.medianDaysToBearer.people);
  share('ladder', 'median_days_to_planner', ladder.medianDaysToPlanner.days, ladder.medianDaysToPlanner.people);
  for (const s of entryPoint.bySdc) {
    count('entry_point', 'attendances', s.attendances, s.sdc);
    count('entry_point', 'newcomers', s.newcomers, s.sdc);
    share('entry_point', 'newcomer_share', s.newcomerShare, s.attendances, s.sdc);
  }
  count('entry_point', 'first_timers', entryPoint.firstTimersReturning.eligible);
  share('entry_point', 'first_timers_returning_90d', entryPoint.firstTimersReturning.rate, entryPoint.firstTimersReturning.eligible);
  for (const c of retention) {
    count('retention', 'cohort_size', c.size, c.cohort);
    share('retention', 'active_after_3_months', c.after3, c.size, c.cohort);
    share('retention', 'active_after_6_months', c.after6, c.size, c.cohort);
    share('retention', 'active_after_12_months', c.after12, c.size, c.cohort);
  }
  count('matching', 'proposed', matching.proposed);
  count('matching', 'accepted', matching.accepted);
  count('matching', 'declined', matching.declined);
  for (const [reason, n] of Object.entries(matching.declinedByReason).sort()) count('matching', 'declined_by_reason', n, reason);
  count('matching', 'expired', matching.expired);
  count('matching', 'withdrawn', matching.withdrawn);
  share('matching', 'median_hours_to_answer', matching.medianHoursToAnswer.hours, matching.medianHoursToAnswer.answers);
  count('matching', 'pro_bono_completed', matching.proBonoCompleted);
  for (const w of matching.rolesReachedByWeek) {
    count('matching', 'open_roles', w.openRoles, w.week);
    share('matching', 'open_roles_with_accepted_match_share', w.share, w.openRoles, w.week);
  }
  count('civic', 'meetings_held', civic.meetingsHeld);
  count('civic', 'spin_offs_proposed', civic.spinOffsProposed);
  share('civic', 'spin_offs_per_meeting', civic.spinOffsPerMeeting, civic.meetingsHeld);
  count('civic', 'spin_offs_launched', civic.spinOffsLaunched);
  for (const [strategy, n] of Object.entries(civic.exitStrategies).sort()) count('civic', 'exit_strategy', n, strategy);
  count('civic', 'bearers_through_spin_off', civic.bearersThroughSpinOff);
  return rows;
}

/** The ladder funnel as rows: per month, people who had reached each stage by its end, and at each stage then. */
export function funnelRows(months: readonly { month: string; asOf: string; reached: StageCounts; atStage: StageCounts }[]): IndicatorRow[] {
  return months.flatMap(({ month, asOf, reached, atStage }) => [
    ...Object.entries(reached).map(([stage, n]) => ({ period: month, asOf, section: 'funnel', metric: 'reached_by_month_end', breakdown: stage, value: n, basis: n })),
    ...Object.entries(atStage).map(([stage, n]) => ({ period: month, asOf, section: 'funnel', metric: 'at_stage_at_month_end', breakdown: stage, value: n, basis: n })),
  ]);
}

/** Hides values resting on fewer than `minCount` (but not on zero: "nobody" identifies no one). */
export function suppressSmallCounts(rows: readonly IndicatorRow[], minCount: number): (IndicatorRow & { suppressed: boolean })[] {
  return rows.map((row) => {
    const suppressed = row.basis > 0 && row.basis < minCount;
    return { ...row, value: suppressed ? null : row.value, suppressed };
  });
}

const HEADERS = {
  en: ['period', 'ward', 'as_of', 'rule_set', 'section', 'metric', 'label', 'breakdown', 'value'],
  ja: ['期間', '区', '基準日', 'ルールセット', '区分', '指標', '指標名', '内訳', '値'],
};
const SUPPRESSED = { en: `suppressed`, ja: '秘匿' };

function csvField(value: string): string {
  // Quote anything with a separator, a quote or a line break; a leading = + - @ is a formula in Excel: neutralise it.
  const safe = /^[=+\-@]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * CSV that Excel on a Japanese PC opens correctly: UTF-8 with a byte-order mark (without it Excel reads
 * Shift_JIS), CRLF line ends, and headers in the reader's language.
 */
export function indicatorsCsv(rows: readonly (IndicatorRow & { suppressed?: boolean })[], context: { ward?: string; ruleSet: string; language: 'ja' | 'en' }): string {
  const lines = [HEADERS[context.language].join(',')];
  for (const row of rows) {
    const value = row.suppressed ? SUPPRESSED[context.language] : row.value === null ? '' : String(row.value);
    const label = METRIC_LABELS[row.metric]?.[context.language] ?? row.metric;
    lines.push([row.period, context.ward ?? 'all', row.asOf, context.ruleSet, row.section, row.metric, label, row.breakdown, value].map(csvField).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** What every analysts' CSV is written for: the slice, the rule set, the reader's language, the suppression threshold. */
export type ExportContext = { ward?: string; ruleSet: string; language: 'ja' | 'en'; minCount: number };

/** The CSV export of indicators for one or more periods, with small counts suppressed. */
export function indicatorsCsvExport(periods: readonly { period: string; asOf: string; indicators: Indicators }[], context: ExportContext): string {
  return indicatorsCsv(suppressSmallCounts(periods.flatMap(({ period, asOf, indicators }) => indicatorRows(period, asOf, indicators)), context.minCount), context);
}

/** The CSV export of the ladder funnel, month by month, with small counts suppressed. */
export function funnelCsvExport(months: Parameters<typeof funnelRows>[0], context: ExportContext): string {
  return indicatorsCsv(suppressSmallCounts(funnelRows(months), context.minCount), context);
}
