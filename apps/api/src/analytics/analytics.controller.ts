import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { funnelCsvExport, indicatorsCsvExport, resolvePeriod } from '@tsunagi/analytics';
import { ApiError, AppConfig, CommandRequest, Roles, pickLanguage } from '@tsunagi/platform';
import { ReadPositionRequestDto } from '../common/page.request.dto';
import { ProjectionsService } from '../projections/projections.service';
import { AnalyticsFunnelQuery, AnalyticsIndicatorsQuery, AnalyticsLadderQuery } from './analytics.queries';
import { AnalyticsFilterRequestDto, FunnelRequestDto, IndicatorsRequestDto } from './analytics.request.dto';

const PROJECTION = 'analytics';

/**
 * The analysts' read-only API: the ladder in force, the indicators and the ladder funnel, for a ward or the city,
 * as of any day. Answers carry ids of nothing and nobody: counts, shares and medians only. Coordinators may read
 * the wards they coordinate (never citywide); analysts and admins everything.
 */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('api/analytics')
export class AnalyticsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
    private readonly config: AppConfig,
  ) {}

  @Get('ladder')
  @Roles('analyst', 'admin', 'coordinator')
  @ApiOperation({ summary: 'The progression ladder (参加者→担い手) in force: its rule set, stages and the rule sets adopted so far' })
  async ladder(@Query() q: ReadPositionRequestDto) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    return this.queryBus.execute(new AnalyticsLadderQuery());
  }

  @Get('indicators')
  @Roles('analyst', 'admin', 'coordinator')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Every indicator (ladder, entry point, retention, matching, civic emergence) for a ward or the city, a period, as of a day; by month; as CSV' })
  async indicators(@Query() q: IndicatorsRequestDto, @Req() request: CommandRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const ward = this.wardFor(q, request);
    const period = resolvePeriod(q, Date.now());
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    await this.projections.ensureCaughtUp(PROJECTION);
    const answer = await this.queryBus.execute(new AnalyticsIndicatorsQuery(period, ward, q.groupBy === 'month'));
    if (q.format !== 'csv') return answer;
    const periods =
      'months' in answer
        ? answer.months.map((m) => ({ period: m.month, asOf: m.asOf, indicators: m.indicators }))
        : [{ period: `${period.from}/${period.to}`, asOf: period.asOf, indicators: answer.indicators }];
    const csv = indicatorsCsvExport(periods, this.exportContext(request, ward, answer.ruleSet.id));
    return this.sendCsv(reply, csv, `tsunagi-indicators-${ward ?? 'city'}-${period.asOf}.csv`);
  }

  @Get('funnel')
  @Roles('analyst', 'admin', 'coordinator')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'The ladder funnel month by month: people who had reached each stage, and at each stage, at each month end; as CSV' })
  async funnel(@Query() q: FunnelRequestDto, @Req() request: CommandRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const ward = this.wardFor(q, request);
    const period = resolvePeriod(q, Date.now());
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    await this.projections.ensureCaughtUp(PROJECTION);
    const answer = await this.queryBus.execute(new AnalyticsFunnelQuery(period, ward));
    if (q.format !== 'csv') return answer;
    const csv = funnelCsvExport(answer.months, this.exportContext(request, ward, answer.ruleSet.id));
    return this.sendCsv(reply, csv, `tsunagi-funnel-${ward ?? 'city'}-${period.asOf}.csv`);
  }

  /** Headers in the reader's language, counts below ANALYTICS_MIN_COUNT suppressed. */
  private exportContext(request: CommandRequest, ward: string | undefined, ruleSet: string) {
    return { ward, ruleSet, language: pickLanguage(request.headers['accept-language']), minCount: this.config.ANALYTICS_MIN_COUNT };
  }

  private sendCsv(reply: FastifyReply, csv: string, filename: string): string {
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${filename}"`);
    return csv;
  }

  /** `sdc` names the same filter as `ward` (one SDC per ward); a coordinator must name one of their wards. */
  private wardFor(q: AnalyticsFilterRequestDto, request: CommandRequest): string | undefined {
    if (q.ward && q.sdc && q.ward !== q.sdc) throw new ApiError(400, 'analytics.ward_conflict');
    const ward = q.ward ?? q.sdc;
    const { principal } = request;
    if (principal.role === 'coordinator' && (!ward || !principal.wards.includes(ward))) throw new ApiError(403, 'auth.forbidden');
    return ward;
  }
}
