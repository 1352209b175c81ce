import { Controller, Get, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError, CommandRequest, Roles } from '@tsunagi/platform';
import { PageRequestDto, ReadPositionRequestDto } from '../../common/page.request.dto';
import { ProjectionsService } from '../../projections/projections.service';
import { ListPersonSpinOffsQuery } from './list-person-spinoffs.query';
import { GetSpinOffQuery, ListSpinOffsQuery, ListSpinOffsRequestDto } from './list-spinoffs.query';
import { MeetingLineageQuery } from './meeting-lineage.query';
import { SpinOffOriginQuery } from './spinoff-origin.query';

const PROJECTION = 'spinoffs';
/** Roles' places and the lineage's matches come from the matching read model. */
const MATCHING = 'matching';
/** The origins' meetings come from the meetings read model (or their streams while it catches up). */
const MEETINGS = 'meetings';
const uuid = new ParseUUIDPipe();

@ApiTags('spinoffs')
@ApiBearerAuth()
@Controller('api')
export class SpinOffsReadController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('spinoffs')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'Spin-off projects, filtered by ward, status or theme' })
  async list(@Query() q: ListSpinOffsRequestDto) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const { ward, status, theme, after, limit } = q;
    return this.queryBus.execute(new ListSpinOffsQuery({ ward, status, theme, after, limit }));
  }

  @Get('spinoffs/:spinOffId')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'One spin-off: its origins, members, roles (with their opportunity and places taken; who was invited, for its coordinators and admins), milestones and exit strategy' })
  async get(@Param('spinOffId', uuid) spinOffId: string, @Query() q: ReadPositionRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    await this.projections.ensureReflects(MATCHING, q.minPosition);
    const found = await this.queryBus.execute(new GetSpinOffQuery(spinOffId, request.principal));
    if (!found) throw new ApiError(404, 'spinoff.not_found');
    return found;
  }

  @Get('spinoffs/:spinOffId/origin')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'The meeting outcomes a spin-off came from, with what was said' })
  async origin(@Param('spinOffId', uuid) spinOffId: string, @Query() q: ReadPositionRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    await this.projections.ensureReflects(MEETINGS, q.minPosition);
    const found = await this.queryBus.execute(new SpinOffOriginQuery(request.principal, spinOffId));
    if (!found) throw new ApiError(404, 'spinoff.not_found');
    return found;
  }

  @Get('meetings/:meetingId/lineage')
  @ApiTags('meetings')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({
    summary: 'Meeting → spin-offs → roles → people who stepped up, as recorded; person ids for coordinators and admins, counts for everyone else',
  })
  async lineage(@Param('meetingId', uuid) meetingId: string, @Query() q: ReadPositionRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    await this.projections.ensureReflects(MATCHING, q.minPosition);
    const found = await this.queryBus.execute(new MeetingLineageQuery(request.principal, meetingId));
    if (!found) throw new ApiError(404, 'meeting.not_found');
    return found;
  }

  @Get('people/:personId/spinoffs')
  @ApiTags('people')
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({ summary: 'The spin-offs a person initiated or is a member of: themself, coordinators, admins' })
  async personSpinOffs(@Param('personId', uuid) personId: string, @Query() q: PageRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const { after, limit } = q;
    const found = await this.queryBus.execute(new ListPersonSpinOffsQuery(request.principal, personId, { after, limit }));
    if (!found) throw new ApiError(404, 'person.not_found');
    return found;
  }
}
