import { Controller, Get, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError, CommandRequest, Roles } from '@tsunagi/platform';
import { ReadPositionRequestDto } from '../../common/page.request.dto';
import { ProjectionsService } from '../../projections/projections.service';
import { GetOrganisationQuery, ListOrganisationsQuery, ListOrganisationsRequestDto } from './list-organisations.query';
import { GetPersonQuery, ListPeopleQuery, ListPeopleRequestDto } from './list-people.query';

const PROJECTION = 'participants';

@ApiBearerAuth()
@Controller('api')
export class ParticipantsReadController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('people')
  @ApiTags('people')
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'People of your wards and those of other wards who agreed to be seen; contact e-mail only where they agreed to be contacted' })
  async listPeople(@Query() q: ListPeopleRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const { ward, skill, theme, status, after, limit } = q;
    return this.queryBus.execute(new ListPeopleQuery(request.principal, { ward, skill, theme, status, after, limit }));
  }

  @Get('people/:personId')
  @ApiTags('people')
  @Roles('coordinator', 'volunteer', 'organisation', 'admin')
  @ApiOperation({ summary: 'One person: yourself, or someone you may see (404 otherwise, whether or not they exist)' })
  async getPerson(@Param('personId', ParseUUIDPipe) personId: string, @Query() q: ReadPositionRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const found = await this.queryBus.execute(new GetPersonQuery(request.principal, personId));
    if (!found) throw new ApiError(404, 'person.not_found');
    return found;
  }

  @Get('organisations')
  @ApiTags('organisations')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'Organisations, filtered by a ward they serve, type or theme' })
  async listOrganisations(@Query() q: ListOrganisationsRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const { ward, type, theme, after, limit } = q;
    return this.queryBus.execute(new ListOrganisationsQuery(request.principal, { ward, type, theme, after, limit }));
  }

  @Get('organisations/:organisationId')
  @ApiTags('organisations')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'One organisation with its representatives' })
  async getOrganisation(@Param('organisationId', ParseUUIDPipe) organisationId: string, @Query() q: ReadPositionRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const found = await this.queryBus.execute(new GetOrganisationQuery(request.principal, organisationId));
    if (!found) throw new ApiError(404, 'organisation.not_found');
    return found;
  }
}
