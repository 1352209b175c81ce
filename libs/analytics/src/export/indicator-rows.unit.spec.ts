import { DEFAULT_LADDER_RULES } from '../ladder/ladder-rules';
import { computeIndicators } from '../indicators/indicators';
import { IndicatorRow, funnelCsvExport, funnelRows, indicatorRows, indicatorsCsv, indicatorsCsvExport, suppressSmallCounts } from './indicator-rows';
import { METRIC_LABELS } from './metric-labels';
import { resolvePeriod } from './period';

const row = (metric: string, value: number | null, basis: number): IndicatorRow => ({ period: '2026-04', asOf: '2026-04-30', section: 's', metric, breakdown: '', value, basis });

describe('indicator export', () => {
  it('suppresses values resting on 1 to min-1, never zero or min and above', () => {
    const rows = suppressSmallCounts([row('zero', 0, 0), row('one', 1, 1), row('two', 2, 2), row('three', 3, 3), row('share of two', 0.5, 2), row('share of ten', 0.5, 10)], 3);
    expect(rows.map((r) => [r.metric, r.value, r.suppressed])).toEqual([
      ['zero', 0, false],
      ['one', null, true],
      ['two', null, true],
      ['three', 3, false],
      ['share of two', null, true],
      ['share of ten', 0.5, false],
    ]);
  });

  it('writes CSV with a BOM, CRLF line ends, headers in the language asked, quoting and no formulas', () => {
    const csv = indicatorsCsv([{ ...row('=cmd', 1, 5), breakdown: 'a,"b"' }, { ...row('hidden', null, 1), suppressed: true }], { ruleSet: 'r1', language: 'ja' });
    expect(csv.startsWith('\uFEFF期間,区,基準日,ルールセット,区分,指標,指標名,内訳,値\r\n')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual(['期間,区,基準日,ルールセット,区分,指標,指標名,内訳,値', `2026-04,all,2026-04-30,r1,s,'=cmd,'=cmd,"a,""b""",1`, '2026-04,all,2026-04-30,r1,s,hidden,hidden,,秘匿', '']);
    expect(indicatorsCsv([], { ruleSet: 'r1', language: 'en' })).toBe('\uFEFFperiod,ward,as_of,rule_set,section,metric,label,breakdown,value\r\n');
  });

  it('labels every metric in Japanese and English', () => {
    const period = resolvePeriod({ asOf: '2026-04-30' }, Date.now());
    const rows = indicatorRows('p', period.asOf, computeIndicators([], { fromMs: period.fromMs, toMs: period.toMs, asOfMs: period.asOfMs }, DEFAULT_LADDER_RULES));
    const missing = [...new Set(rows.map((r) => r.metric))].filter((metric) => !METRIC_LABELS[metric]?.ja || !METRIC_LABELS[metric]?.en);
    expect(missing).toEqual([]);
  });

  it('flattens every indicator into rows, one number each', () => {
    const period = resolvePeriod({ from: '2026-04-01', to: '2026-04-30', asOf: '2026-04-30' }, Date.now());
    const indicators = computeIndicators([], { fromMs: period.fromMs, toMs: period.toMs, asOfMs: period.asOfMs }, DEFAULT_LADDER_RULES);
    const rows = indicatorRows('2026-04', period.asOf, indicators);
    expect(rows.filter((r) => r.metric === 'people_at_stage').map((r) => r.breakdown)).toEqual(['registered', 'participant', 'regular', 'bearer', 'planner', 'connector']);
    expect(rows.some((r) => r.metric === 'median_hours_to_answer' && r.value === null && r.basis === 0)).toBe(true);
    expect(indicatorsCsvExport([{ period: '2026-04', asOf: period.asOf, indicators }], { ruleSet: 'r1', language: 'en', minCount: 3 }).split('\r\n').length).toBe(rows.length + 2);
  });

  it('flattens the funnel into rows per month and stage, labelled, small counts suppressed in the CSV', () => {
    const counts = (...n: number[]) => ({ registered: n[0], participant: n[1], regular: n[2], bearer: n[3], planner: n[4], connector: n[5] });
    const months = [{ month: '2026-04', asOf: '2026-04-30', reached: counts(9, 5, 2, 0, 0, 0), atStage: counts(4, 3, 2, 0, 0, 0) }];
    const rows = funnelRows(months);
    expect(rows.map((r) => [r.period, r.asOf, r.metric, r.breakdown, r.value])).toEqual([
      ...['registered', 'participant', 'regular', 'bearer', 'planner', 'connector'].map((stage, i) => ['2026-04', '2026-04-30', 'reached_by_month_end', stage, [9, 5, 2, 0, 0, 0][i]]),
      ...['registered', 'participant', 'regular', 'bearer', 'planner', 'connector'].map((stage, i) => ['2026-04', '2026-04-30', 'at_stage_at_month_end', stage, [4, 3, 2, 0, 0, 0][i]]),
    ]);
    expect(rows.every((r) => METRIC_LABELS[r.metric]?.ja && METRIC_LABELS[r.metric]?.en)).toBe(true);
    const csv = funnelCsvExport(months, { ward: 'tama', ruleSet: 'r1', language: 'en', minCount: 3 }).slice(1).split('\r\n');
    expect(csv[2]).toBe('2026-04,tama,2026-04-30,r1,funnel,reached_by_month_end,people who had reached the stage by the month end (cumulative),participant,5');
    expect(csv[3]).toBe('2026-04,tama,2026-04-30,r1,funnel,reached_by_month_end,people who had reached the stage by the month end (cumulative),regular,suppressed');
  });

  it('refuses periods that end after asOf, start after they end, or span more than ten years', () => {
    const now = Date.parse('2026-06-15T12:00:00+09:00');
    expect(resolvePeriod({}, now)).toMatchObject({ from: '2025-07-01', to: '2026-06-15', asOf: '2026-06-15' });
    for (const wrong of [{ to: '2026-06-16', asOf: '2026-06-15' }, { from: '2026-05-02', to: '2026-05-01' }, { from: '2000-01-01', to: '2026-01-01' }]) {
      expect(() => resolvePeriod(wrong, now)).toThrow('analytics.period_invalid');
    }
  });
});
