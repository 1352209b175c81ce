import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandRequest, Roles, pickLanguage } from '@tsunagi/platform';
import { ProjectionsService } from '../../projections/projections.service';
import { SUGGESTIONS_PROJECTION, SuggestForOpportunityQuery, SuggestForPersonQuery } from './suggest.queries';
import { SuggestionsRequestDto } from './suggestions.request.dto';

@ApiTags('suggestions')
@ApiBearerAuth()
@Controller('api')
export class SuggestionsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('opportunities/:opportunityId/suggestions')
  @Roles('coordinator', 'admin')
  @ApiOperation({
    summary: 'Who to ask: people for a volunteer role or pro-bono project, organisations for a collaboration, best first, each with its explanation',
    description:
      'Only people who agreed to be contacted, are neither paused nor deactivated, and have no match on this opportunity yet (proposed, accepted, declined, withdrawn…); a coordinator gets the people of their wards and those visible to other wards. No contact details. Explanation labels follow Accept-Language (ja/en).',
  })
  async forOpportunity(
    @Param('opportunityId', ParseUUIDPipe) opportunityId: string,
    @Query() q: SuggestionsRequestDto,
    @Req() request: CommandRequest,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    await this.projections.ensureReflects(SUGGESTIONS_PROJECTION, q.minPosition);
    return this.queryBus.execute(new SuggestForOpportunityQuery(request.principal, opportunityId, q, pickLanguage(acceptLanguage)));
  }

  @Get('people/:personId/suggestions')
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({
    summary: 'Open volunteer roles and pro-bono projects for a person, best first, each with its explanation: for the volunteer themself, coordinators who may see them, admins',
  })
  async forPerson(
    @Param('personId', ParseUUIDPipe) personId: string,
    @Query() q: SuggestionsRequestDto,
    @Req() request: CommandRequest,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    await this.projections.ensureReflects(SUGGESTIONS_PROJECTION, q.minPosition);
    return this.queryBus.execute(new SuggestForPersonQuery(request.principal, personId, q, pickLanguage(acceptLanguage)));
  }
}
