import { Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { DomainError, WARDS } from '@tsunagi/domain';
import { createEventStore } from '@tsunagi/event-store';
import { ExportContext, IndicatorQuery, LadderRuleSet, Period, funnelCsvExport, indicatorsCsvExport, periodMonths, resolvePeriod } from '@tsunagi/analytics';
import { loadConfig } from '@tsunagi/platform';
import { AnalyticsProjection, AnalyticsQueries, ProjectionRunner, openReadModelDatabase } from '@tsunagi/projections';

interface ExportOptions {
  ward?: string;
  from?: string;
  to?: string;
  asOf?: string;
  byMonth?: boolean;
  lang: 'ja' | 'en';
  out?: string;
}

/**
 * `export indicators` and `export funnel`: the analysts' CSVs (the same files as GET /api/analytics/indicators and
 * /funnel with format=csv) without the API. Each first brings the analytics read model up to the head of the event
 * store; applying events is idempotent, so doing that beside a running API is harmless.
 */
export function exportCommand(): Command {
  const command = new Command('export').description('Exports for analysts');
  withPeriodOptions(command.command('indicators').description('Indicators as CSV (UTF-8 with BOM, CRLF; counts below ANALYTICS_MIN_COUNT suppressed)'))
    .option('--by-month', 'one block of rows per month')
    .action((options: ExportOptions) =>
      exportCsv(options, ({ queries, rules, period, query, context }) => {
        const periods = options.byMonth
          ? queries.indicatorsByMonth(query, periodMonths(period), rules).map((m) => ({ period: m.month, asOf: m.asOf, indicators: m.indicators }))
          : [{ period: `${period.from}/${period.to}`, asOf: period.asOf, indicators: queries.indicators(query, rules) }];
        return indicatorsCsvExport(periods, context);
      }),
    );
  withPeriodOptions(command.command('funnel').description('The ladder funnel month by month as CSV (UTF-8 with BOM, CRLF; counts below ANALYTICS_MIN_COUNT suppressed)')).action(
    (options: ExportOptions) => exportCsv(options, ({ queries, period, context }) => funnelCsvExport(queries.funnel(periodMonths(period), period.asOfMs, options.ward), context)),
  );
  return command;
}

function withPeriodOptions(command: Command): Command {
  return command
    .addOption(new Option('--ward <ward>', 'a ward (its people, opportunities and SDC); citywide when omitted').choices([...WARDS]))
    .option('--from <day>', 'first day (YYYY-MM-DD); default: twelve calendar months up to --to')
    .option('--to <day>', 'last day; default: --as-of')
    .option('--as-of <day>', 'as the history stood at the end of this day; default: today')
    .addOption(new Option('--lang <language>', 'header language').choices(['ja', 'en']).default('ja'))
    .option('--out <file>', 'write here instead of standard output');
}

interface ExportInput {
  queries: AnalyticsQueries;
  rules: LadderRuleSet;
  period: Period;
  query: IndicatorQuery;
  context: ExportContext;
}

/** Brings the analytics read model up to the head, then writes the CSV `build` makes from it. */
async function exportCsv(options: ExportOptions, build: (input: ExportInput) => string): Promise<void> {
  const config = loadConfig();
  let period: Period;
  try {
    period = resolvePeriod({ from: options.from, to: options.to, asOf: options.asOf }, Date.now());
  } catch (error) {
    throw error instanceof DomainError ? new Error('The period must start on or before it ends, end on or before --as-of, and span at most ten years') : error;
  }
  const store = createEventStore(config.eventStoreSettings);
  const db = openReadModelDatabase(config.readModelPath);
  const projection = new AnalyticsProjection();
  const runner = new ProjectionRunner(store, db, [projection]);
  try {
    await runner.start();
    await runner.waitForPosition(projection.name, await store.headPosition(), 3_600_000);
    await runner.stop();
    const csv = build({
      queries: new AnalyticsQueries(db),
      rules: projection.rules,
      period,
      query: { asOfMs: period.asOfMs, fromMs: period.fromMs, toMs: period.toMs, ward: options.ward },
      context: { ward: options.ward, ruleSet: projection.rules.id, language: options.lang, minCount: config.ANALYTICS_MIN_COUNT },
    });
    if (options.out) writeFileSync(options.out, csv);
    else process.stdout.write(csv);
  } finally {
    await runner.stop();
    db.close();
    await store.close();
  }
}
