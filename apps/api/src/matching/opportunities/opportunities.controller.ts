import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Patch, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { normaliseText } from '@tsunagi/domain';
import type { OpportunityDetails } from '@tsunagi/matching';
import { CommandRequest, Roles, commandContextOf, newIdFor } from '@tsunagi/platform';
import { ChangeOpportunity } from '../change-opportunity.command';
import { NoInputRequestDto, ReasonRequestDto } from '../../common/no-input.request.dto';
import { DetailsDto, OpenOpportunityRequestDto, UpdateOpportunityRequestDto } from './opportunity.request.dto';

/** The validated body as plain data for the event (the decider makes the skills canonical). */
function plainDetails(details: DetailsDto): OpportunityDetails {
  return details.kind === 'volunteer_role' ? { ...details, schedule: { ...details.schedule } } : { ...details };
}

const IDEMPOTENCY = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes: the same key and body return the first response.' });

@ApiTags('opportunities')
@ApiBearerAuth()
@IDEMPOTENCY
@Controller('api/opportunities')
export class OpportunitiesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @Roles('coordinator', 'organisation', 'admin')
  @ApiOperation({ summary: 'Open a volunteer role, a pro-bono project or a collaboration (coordinators in their wards, representatives for their organisation)' })
  open(@Body() body: OpenOpportunityRequestDto, @Req() request: CommandRequest) {
    const context = commandContextOf(request);
    const opportunityId = newIdFor(context, 'opportunity');
    return this.commandBus.execute(
      new ChangeOpportunity(
        opportunityId,
        context,
        (at) => ({
          type: 'OpenOpportunity',
          opportunityId,
          by: context.principal.subject,
          at,
          organisationId: body.organisationId,
          title: normaliseText(body.title),
          description: body.description.normalize('NFKC'),
          ward: body.ward,
          themes: [...new Set(body.themes)],
          details: plainDetails(body.details),
        }),
        {},
        { activeOrganisationId: body.organisationId },
      ),
    );
  }

  @Patch(':opportunityId')
  @Roles('coordinator', 'organisation', 'admin')
  @ApiOperation({ summary: 'Change an opportunity (places never below those taken)' })
  update(@Param('opportunityId', ParseUUIDPipe) opportunityId: string, @Body() body: UpdateOpportunityRequestDto, @Req() request: CommandRequest) {
    const context = commandContextOf(request);
    const changes = {
      ...(body.title !== undefined ? { title: normaliseText(body.title) } : {}),
      ...(body.description !== undefined ? { description: body.description.normalize('NFKC') } : {}),
      ...(body.ward !== undefined ? { ward: body.ward } : {}),
      ...(body.themes !== undefined ? { themes: [...new Set(body.themes)] } : {}),
      ...(body.details !== undefined ? { details: plainDetails(body.details) } : {}),
    };
    return this.commandBus.execute(
      new ChangeOpportunity(opportunityId, context, (at) => ({ type: 'UpdateOpportunity', opportunityId, by: context.principal.subject, at, changes })),
    );
  }

  @Post(':opportunityId/close')
  @HttpCode(200)
  @Roles('coordinator', 'organisation', 'admin')
  @ApiOperation({ summary: 'Close an opportunity: no new proposals or acceptances' })
  close(@Param('opportunityId', ParseUUIDPipe) opportunityId: string, @Body() body: ReasonRequestDto, @Req() request: CommandRequest) {
    const context = commandContextOf(request);
    return this.commandBus.execute(
      new ChangeOpportunity(opportunityId, context, (at) => ({ type: 'CloseOpportunity', opportunityId, by: context.principal.subject, at, reason: body.reason })),
    );
  }

  @Post(':opportunityId/reopen')
  @HttpCode(200)
  @Roles('coordinator', 'organisation', 'admin')
  @ApiOperation({ summary: 'Reopen a closed opportunity' })
  reopen(@Param('opportunityId', ParseUUIDPipe) opportunityId: string, @Body() _body: NoInputRequestDto, @Req() request: CommandRequest) {
    const context = commandContextOf(request);
    return this.commandBus.execute(
      new ChangeOpportunity(opportunityId, context, (at) => ({ type: 'ReopenOpportunity', opportunityId, by: context.principal.subject, at })),
    );
  }
}
