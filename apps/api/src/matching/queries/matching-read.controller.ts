import { Controller, Get, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError, CommandRequest, Roles } from '@tsunagi/platform';
import { ReadPositionRequestDto } from '../../common/page.request.dto';
import { ProjectionsService } from '../../projections/projections.service';
import { GetOpportunityQuery } from './get-opportunity.query';
import { GetMatchQuery, ListMatchesQuery, ListMatchesRequestDto } from './list-matches.query';
import { ListOpportunitiesQuery, ListOpportunitiesRequestDto } from './list-opportunities.query';

const PROJECTION = 'matching';

@ApiTags('opportunities')
@ApiBearerAuth()
@Controller('api')
export class MatchingReadController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('opportunities')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'Opportunities, filtered by ward, status, kind, skill, theme or organisation' })
  async listOpportunities(@Query() q: ListOpportunitiesRequestDto) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const { ward, status, kind, skill, theme, organisationId, after, limit } = q;
    return this.queryBus.execute(new ListOpportunitiesQuery({ ward, status, kind, skill, theme, organisationId, after, limit }));
  }

  @Get('opportunities/:opportunityId')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'One opportunity; with its matches for its organisation, the ward’s coordinators and admins' })
  async getOpportunity(@Param('opportunityId', ParseUUIDPipe) opportunityId: string, @Query() q: ReadPositionRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const found = await this.queryBus.execute(new GetOpportunityQuery(request.principal, opportunityId));
    if (!found) throw new ApiError(404, 'opportunity.not_found');
    return found;
  }

  @Get('matches')
  @Roles('coordinator', 'volunteer', 'organisation', 'admin')
  @ApiOperation({ summary: 'Matches you may see: a volunteer their own proposals, a representative their organisation’s, a coordinator their wards’' })
  async listMatches(@Query() q: ListMatchesRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const { status, kind, opportunityId, ward, after, limit } = q;
    return this.queryBus.execute(new ListMatchesQuery(request.principal, { status, kind, opportunityId, ward, after, limit }));
  }

  @Get('matches/:matchId')
  @Roles('coordinator', 'volunteer', 'organisation', 'admin')
  async getMatch(@Param('matchId', ParseUUIDPipe) matchId: string, @Query() q: ReadPositionRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const found = await this.queryBus.execute(new GetMatchQuery(request.principal, matchId));
    if (!found) throw new ApiError(404, 'match.not_found');
    return found;
  }
}
