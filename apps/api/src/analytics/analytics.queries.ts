import { Inject } from '@nestjs/common';
import { Principal } from '@tsunagi/domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { Indicators, LADDER_RULE_SETS, LadderRuleSet, Period, STAGES, periodMonths, ruleSetInForce, ruleSetSummary, tokyoDay } from '@tsunagi/analytics';
import { AnalyticsQueries, FunnelMonth, ParticipantsQueries } from '@tsunagi/projections';
import { mayReadPersonHistory } from '../common/person-history-access';
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

export interface PersonLadderView {
  personId: string;
  ruleSet: ReturnType<typeof ruleSetSummary>;
  /** The `$all` position the history reflects. */
  position: number;
  /** Their highest stage so far (null before their registration is known). */
  highest: { stage: number; key: string; ja: string; en: string } | null;
  /** Each stage reached: when (ISO), through which fact of theirs and which event. */
  stages: { stage: number; key: string; ja: string; en: string; reachedAt: string; via: string; eventId: string }[];
}

export class PersonLadderQuery extends Query<PersonLadderView | undefined> {
  constructor(
    readonly principal: Principal,
    readonly personId: string,
  ) {
    super();
  }
}

/** A person's own ladder, for themself, coordinators who may see them and admins (undefined: not found or not theirs to see). */
@QueryHandler(PersonLadderQuery)
export class PersonLadderHandler extends AnalyticsHandler implements IQueryHandler<PersonLadderQuery> {
  private readonly participants: ParticipantsQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    super(db);
    this.participants = new ParticipantsQueries(db);
  }

  async execute({ principal, personId }: PersonLadderQuery): Promise<PersonLadderView | undefined> {
    if (!mayReadPersonHistory(principal, personId, this.participants) || !this.participants.person(personId)) return undefined;
    const position = this.read.position();
    const stages = this.read.personLadder(personId).map(({ stage, atMs, via, eventId }) => ({ ...STAGES[stage], reachedAt: new Date(atMs).toISOString(), via, eventId }));
    const last = stages.at(-1);
    return {
      personId,
      ruleSet: ruleSetSummary(rulesOf(this.read)),
      position,
      highest: last ? { stage: last.stage, key: last.key, ja: last.ja, en: last.en } : null,
      stages,
    };
  }
}
