import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NOTIFICATION_KINDS } from '@tsunagi/domain';
import { parseQuietHours } from '@tsunagi/notifications';
import { FollowTarget, NotificationPreferences, PersonCommand, channelsWanted, followTargetOf, personDecider, personStreamId } from '@tsunagi/participants';
import { ApiError, AppConfig, CommandExecutor, CommandRequest, Roles, commandContextOf } from '@tsunagi/platform';
import { ChangePerson, PersonWriteResult } from '../change-participant.command';
import { FollowRequestDto, NotificationPreferencesRequestDto } from './person-notifications.request.dto';

/**
 * A person's own choices about what reaches them: channels per kind of message, quiet hours, and the SDCs and
 * themes they follow. Only the person themself (and admins) may read or change them: not even their ward's
 * coordinator (the participants policy).
 */
@ApiTags('people')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes: the same key and body return the first response.' })
@Controller('api/people/:personId')
export class PersonNotificationsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly executor: CommandExecutor,
    private readonly config: AppConfig,
  ) {}

  private run(request: CommandRequest, personId: string, build: (by: string, at: string) => PersonCommand): Promise<PersonWriteResult> {
    const context = commandContextOf(request);
    return this.commandBus.execute(new ChangePerson(personId, context, (at) => build(context.principal.subject, at)));
  }

  @Get('notification-preferences')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'The channels per kind of message (as they apply), quiet hours and follows of the person themself' })
  async preferences(@Param('personId', ParseUUIDPipe) personId: string, @Req() request: CommandRequest) {
    const principal = request.principal;
    const self = principal.role !== 'analyst' && !!principal.personId && principal.personId === personId;
    if (principal.role !== 'admin' && !self) throw new ApiError(403, 'auth.forbidden');
    const { state } = await this.executor.load(personDecider, personStreamId(personId));
    if (state.status === 'none') throw new ApiError(404, 'person.not_found');
    const chosen: NotificationPreferences | undefined = state.notificationPreferences;
    return {
      personId,
      channels: Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, channelsWanted(chosen, kind)])),
      quietHours: chosen?.quietHours === undefined ? parseQuietHours(this.config.QUIET_HOURS) : chosen.quietHours,
      quietHoursAreDefault: chosen?.quietHours === undefined,
      follows: (state.follows ?? []).map(followTargetOf),
    };
  }

  @Put('notification-preferences')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'Choose channels per kind of message and quiet hours (replaces the previous choice whole)' })
  setPreferences(@Param('personId', ParseUUIDPipe) personId: string, @Body() body: NotificationPreferencesRequestDto, @Req() request: CommandRequest) {
    const preferences: NotificationPreferences = {
      channels: { ...body.channels },
      ...(body.quietHours === undefined ? {} : { quietHours: body.quietHours && { start: body.quietHours.start, end: body.quietHours.end } }),
    };
    return this.run(request, personId, (by, at) => ({ type: 'SetNotificationPreferences', personId, preferences, by, at }));
  }

  @Post('follow')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'Follow an SDC or a theme: meetings scheduled there are announced (following twice changes nothing)' })
  follow(@Param('personId', ParseUUIDPipe) personId: string, @Body() body: FollowRequestDto, @Req() request: CommandRequest) {
    return this.run(request, personId, (by, at) => ({ type: 'Follow', personId, target: targetOf(body), by, at }));
  }

  @Post('unfollow')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'Stop following an SDC or a theme' })
  unfollow(@Param('personId', ParseUUIDPipe) personId: string, @Body() body: FollowRequestDto, @Req() request: CommandRequest) {
    return this.run(request, personId, (by, at) => ({ type: 'Unfollow', personId, target: targetOf(body), by, at }));
  }
}

function targetOf(body: FollowRequestDto): FollowTarget {
  return body.type === 'sdc' ? { type: 'sdc', ward: body.ward! } : { type: 'theme', theme: body.theme! };
}
