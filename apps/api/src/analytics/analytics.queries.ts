import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { Indicators, LADDER_RULE_SETS, LadderRuleSet, Period, STAGES, periodMonths, ruleSetInForce, ruleSetSummary, tokyoDay } from '@tsunagi/analytics';
import { AnalyticsQueries, FunnelMonth } from '@tsunagi/projections';
import { READ_MODELS } from '../projections/projections.service';

/** The rule set the read model was built with; before its first run, the one in force today. */
function rulesOf(queries: AnalyticsQueries): LadderRuleSet {
  return queries.ruleSet() ?? ruleSetInForce(tokyoDay(Date.now()));
}

/** Statements are prepared on first use: the projection creates its tables when the API starts, after injection. */
abstract class AnalyticsHandler {
  private queries?: AnalyticsQueries;
  constructor(@Inject(READ_MODELS) private readonly db: Database.Database) {}
  protected get read(): AnalyticsQueries {
    return (this.queries ??= new AnalyticsQueries(this.db));
  }
}

export interface AnalyticsAnswer {
  ruleSet: ReturnType<typeof ruleSetSummary>;
  ward: string | null;
  from: string;
  to: string;
  asOf: string;
  /** The `$all` position whose events the answer counts: asking with `minPosition` of it gives at least the same. */
  position: number;
}

export class AnalyticsLadderQuery extends Query<{ ruleSet: LadderRuleSet; stages: typeof STAGES; ruleSets: ReturnType<typeof ruleSetSummary>[] }> {}

@QueryHandler(AnalyticsLadderQuery)
export class AnalyticsLadderHandler extends AnalyticsHandler implements IQueryHandler<AnalyticsLadderQuery> {
  async execute() {
    return { ruleSet: rulesOf(this.read), stages: STAGES, ruleSets: LADDER_RULE_SETS.map(ruleSetSummary) };
  }
}

export class AnalyticsIndicatorsQuery extends Query<AnalyticsAnswer & ({ indicators: Indicators } | { months: { month: string; asOf: string; indicators: Indicators }[] })> {
  constructor(
    readonly period: Period,
    readonly ward: string | undefined,
    readonly byMonth: boolean,
  ) {
    super();
  }
}

@QueryHandler(AnalyticsIndicatorsQuery)
export class AnalyticsIndicatorsHandler extends AnalyticsHandler implements IQueryHandler<AnalyticsIndicatorsQuery> {
  async execute({ period, ward, byMonth }: AnalyticsIndicatorsQuery) {
    const rules = rulesOf(this.read);
    const query = { asOfMs: period.asOfMs, fromMs: period.fromMs, toMs: period.toMs, ward };
    // Read in the same synchronous run as the statements below, so no batch lands between them.
    const answer = { ruleSet: ruleSetSummary(rules), ward: ward ?? null, from: period.from, to: period.to, asOf: period.asOf, position: this.read.position() };
    return byMonth ? { ...answer, months: this.read.indicatorsByMonth(query, periodMonths(period), rules) } : { ...answer, indicators: this.read.indicators(query, rules) };
  }
}

export class AnalyticsFunnelQuery extends Query<AnalyticsAnswer & { months: FunnelMonth[] }> {
  constructor(
    readonly period: Period,
    readonly ward: string | undefined,
  ) {
    super();
  }
}

@QueryHandler(AnalyticsFunnelQuery)
export class AnalyticsFunnelHandler extends AnalyticsHandler implements IQueryHandler<AnalyticsFunnelQuery> {
  async execute({ period, ward }: AnalyticsFunnelQuery) {
    const rules = rulesOf(this.read);
    const position = this.read.position();
    const months = this.read.funnel(periodMonths(period), period.asOfMs, ward);
    return { ruleSet: ruleSetSummary(rules), ward: ward ?? null, from: period.from, to: period.to, asOf: period.asOf, position, months };
  }
}
