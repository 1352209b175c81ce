import { Controller, Get, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError, CommandRequest, Roles } from '@tsunagi/platform';
import { ReadPositionRequestDto } from '../common/page.request.dto';
import { ProjectionsService } from '../projections/projections.service';
import { PersonLadderQuery } from './analytics.queries';

/**
 * One person's way up the ladder (参加者→担い手): when they reached each stage and through which of their own
 * acts, under the rule set in force. For themself, coordinators who may see them and admins; analysts read
 * counts only, never a person.
 */
@ApiTags('people')
@ApiBearerAuth()
@Controller('api')
export class PersonLadderController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('people/:personId/ladder')
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({ summary: 'A person’s stage history on the ladder: themself, coordinators who may see them, admins (404 otherwise)' })
  async personLadder(@Param('personId', ParseUUIDPipe) personId: string, @Query() q: ReadPositionRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects('analytics', q.minPosition);
    await this.projections.ensureReflects('participants', q.minPosition);
    await this.projections.ensureCaughtUp('analytics');
    const found = await this.queryBus.execute(new PersonLadderQuery(request.principal, personId));
    if (!found) throw new ApiError(404, 'person.not_found');
    return found;
  }
}
