import { Body, Controller, Delete, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { normaliseText } from '@tsunagi/domain';
import { CommandContext, CommandRequest, Roles, commandContextOf, newIdFor } from '@tsunagi/platform';
import type { SpinOffCommand } from '@tsunagi/spinoffs';
import { ChangeSpinOff, SpinOffRequirements, SpinOffWriteResult } from '../change-spinoff.command';
import { NoInputRequestDto } from '../../common/no-input.request.dto';
import {
  AddMilestoneRequestDto,
  ChooseExitStrategyRequestDto,
  CloseSpinOffRequestDto,
  CompleteSpinOffRequestDto,
  JoinSpinOffRequestDto,
  ProposeSpinOffRequestDto,
} from './spinoff.request.dto';

type Extra<T extends SpinOffCommand['type']> = Omit<Extract<SpinOffCommand, { type: T }>, 'type' | 'spinOffId' | 'by' | 'at'>;

const uuid = new ParseUUIDPipe();

/**
 * Spin-off projects (スピンオフ企画) that grow out of SDC meetings: residents propose one from the outcomes of
 * closed meetings (or a coordinator of one of its wards does), a coordinator acknowledges it, its initiators
 * launch it, and its organisers and coordinators run it to completion (with an exit strategy) or close it.
 * Who may do each step is decided by the spin-off policy on the state the step is decided on.
 */
@ApiTags('spinoffs')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes: the same key and body return the first response.' })
@Controller('api/spinoffs')
export class SpinOffsController {
  constructor(private readonly commandBus: CommandBus) {}

  private run<T extends SpinOffCommand['type']>(
    request: CommandRequest,
    spinOffId: string,
    type: T,
    extra: Extra<T>,
    options: { context?: CommandContext; ids?: { milestoneId?: string; personId?: string }; requires?: SpinOffRequirements } = {},
  ): Promise<SpinOffWriteResult> {
    const context = options.context ?? commandContextOf(request);
    const build = (at: string) => ({ ...extra, type, spinOffId, by: context.principal.subject, at }) as SpinOffCommand;
    return this.commandBus.execute(new ChangeSpinOff(spinOffId, context, build, options.ids, options.requires));
  }

  @Post()
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({ summary: 'Propose a spin-off from outcomes of closed meetings (a volunteer as one of its initiators, or a coordinator of one of its wards)' })
  propose(@Body() body: ProposeSpinOffRequestDto, @Req() request: CommandRequest) {
    const context = commandContextOf(request);
    const spinOffId = newIdFor(context, 'spinoff');
    const origins = body.origins.map(({ meetingId, outcomeId }) => ({ meetingId, outcomeId }));
    return this.run(
      request,
      spinOffId,
      'ProposeSpinOff',
      { origins, title: body.title, purpose: body.purpose, wards: body.wards, themes: body.themes, initiators: body.initiators },
      { context, requires: { origins, people: body.initiators } },
    );
  }

  @Post(':spinOffId/acknowledge')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'A coordinator of one of its wards acknowledges a proposed spin-off' })
  acknowledge(@Param('spinOffId', uuid) spinOffId: string, @Body() _body: NoInputRequestDto, @Req() request: CommandRequest) {
    return this.run(request, spinOffId, 'AcknowledgeSpinOff', {});
  }

  @Post(':spinOffId/launch')
  @HttpCode(200)
  @Roles('volunteer', 'admin')
  @ApiOperation({ summary: 'One of its initiators launches an acknowledged spin-off' })
  launch(@Param('spinOffId', uuid) spinOffId: string, @Body() _body: NoInputRequestDto, @Req() request: CommandRequest) {
    return this.run(request, spinOffId, 'LaunchSpinOff', {});
  }

  @Post(':spinOffId/close')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({ summary: 'Close a spin-off that will not go on, with a reason' })
  close(@Param('spinOffId', uuid) spinOffId: string, @Body() body: CloseSpinOffRequestDto, @Req() request: CommandRequest) {
    return this.run(request, spinOffId, 'CloseSpinOff', { reason: body.reason });
  }

  @Post(':spinOffId/complete')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({ summary: 'Complete a launched spin-off that has an exit strategy' })
  complete(@Param('spinOffId', uuid) spinOffId: string, @Body() body: CompleteSpinOffRequestDto, @Req() request: CommandRequest) {
    return this.run(request, spinOffId, 'CompleteSpinOff', body.summary === undefined ? {} : { summary: body.summary });
  }

  @Post(':spinOffId/members')
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({ summary: 'Someone joins with a named role (a volunteer themself; organisers and coordinators anyone)' })
  join(@Param('spinOffId', uuid) spinOffId: string, @Body() body: JoinSpinOffRequestDto, @Req() request: CommandRequest) {
    const { personId, role } = body;
    return this.run(request, spinOffId, 'JoinSpinOff', { personId, role }, { ids: { personId }, requires: { people: [personId] } });
  }

  @Delete(':spinOffId/members/:personId')
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({ summary: 'Someone leaves (a volunteer themself; organisers and coordinators anyone); the last organiser stays' })
  leave(@Param('spinOffId', uuid) spinOffId: string, @Param('personId', uuid) personId: string, @Req() request: CommandRequest) {
    return this.run(request, spinOffId, 'LeaveSpinOff', { personId }, { ids: { personId } });
  }

  @Post(':spinOffId/milestones')
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({ summary: 'Add a milestone, with or without a due date' })
  addMilestone(@Param('spinOffId', uuid) spinOffId: string, @Body() body: AddMilestoneRequestDto, @Req() request: CommandRequest) {
    const context = commandContextOf(request);
    const milestoneId = newIdFor(context, 'milestone');
    return this.run(
      request,
      spinOffId,
      'AddMilestone',
      { milestoneId, title: normaliseText(body.title), ...(body.dueOn === undefined ? {} : { dueOn: body.dueOn }) },
      { context, ids: { milestoneId } },
    );
  }

  @Post(':spinOffId/milestones/:milestoneId/reach')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'admin')
  reachMilestone(
    @Param('spinOffId', uuid) spinOffId: string,
    @Param('milestoneId', uuid) milestoneId: string,
    @Body() _body: NoInputRequestDto,
    @Req() request: CommandRequest,
  ) {
    return this.run(request, spinOffId, 'ReachMilestone', { milestoneId }, { ids: { milestoneId } });
  }

  @Post(':spinOffId/exit-strategy')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({ summary: 'Choose (or change) where the project is heading: policy, business, on its own, or an end' })
  chooseExitStrategy(@Param('spinOffId', uuid) spinOffId: string, @Body() body: ChooseExitStrategyRequestDto, @Req() request: CommandRequest) {
    return this.run(request, spinOffId, 'ChooseExitStrategy', { strategy: body.strategy, ...(body.note === undefined ? {} : { note: body.note }) });
  }
}
