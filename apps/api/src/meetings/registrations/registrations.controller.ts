import { Body, Controller, Delete, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MeetingCommand } from '@tsunagi/meetings';
import { ApiError, CommandRequest, Roles, commandContextOf } from '@tsunagi/platform';
import { ChangeMeeting, MeetingWriteResult } from '../change-meeting.command';
import { CheckInRequestDto, RegisterForMeetingRequestDto } from './registration.request.dto';

type PersonCommandType = 'RegisterForMeeting' | 'CancelMeetingRegistration' | 'CheckInAttendee';

const uuid = new ParseUUIDPipe();

/**
 * Places, the waitlist and attendance of a meeting. Volunteers register (and cancel) themselves; the SDC's
 * coordinators register anyone (people who phone in) and check people in at the door. A place freed by a
 * cancellation goes to the first person waiting, in the same decision.
 */
@ApiTags('meetings')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes: the same key and body return the first response.' })
@Controller('api/meetings/:meetingId')
export class RegistrationsController {
  constructor(private readonly commandBus: CommandBus) {}

  private run(request: CommandRequest, meetingId: string, type: PersonCommandType, personId: string, requirePerson: boolean): Promise<MeetingWriteResult> {
    const context = commandContextOf(request);
    const build = (at: string) => ({ type, meetingId, personId, by: context.principal.subject, at }) as MeetingCommand;
    return this.commandBus.execute(new ChangeMeeting(meetingId, context, build, requirePerson ? { person: personId } : {}, type !== 'CheckInAttendee'));
  }

  @Post('registrations')
  @Roles('volunteer', 'coordinator', 'admin')
  @ApiOperation({ summary: 'Register for a meeting: a place while there are any, else the waitlist (with your position)' })
  async register(@Param('meetingId', uuid) meetingId: string, @Body() body: RegisterForMeetingRequestDto, @Req() request: CommandRequest) {
    const personId = body.personId ?? request.principal.personId;
    if (!personId) throw new ApiError(422, 'validation.failed', {}, { errors: [{ field: 'personId', rules: ['isDefined'] }] });
    const result = await this.run(request, meetingId, 'RegisterForMeeting', personId, true);
    const waitlisted = result.events.find((e) => e.type === 'WaitlistedForMeeting');
    return {
      meetingId,
      personId,
      status: waitlisted ? 'waitlisted' : 'registered',
      ...(waitlisted?.type === 'WaitlistedForMeeting' ? { waitlistPosition: waitlisted.data.waitlistPosition } : {}),
      position: result.position,
    };
  }

  @Delete('registrations/:personId')
  @Roles('volunteer', 'coordinator', 'admin')
  @ApiOperation({ summary: 'Cancel a registration (or leave the waitlist); the answer names whoever the freed place went to' })
  async cancel(@Param('meetingId', uuid) meetingId: string, @Param('personId', uuid) personId: string, @Req() request: CommandRequest) {
    const result = await this.run(request, meetingId, 'CancelMeetingRegistration', personId, false);
    const cancelled = result.events.find((e) => e.type === 'MeetingRegistrationCancelled');
    return {
      meetingId,
      personId,
      wasWaitlisted: cancelled?.type === 'MeetingRegistrationCancelled' ? cancelled.data.wasWaitlisted : false,
      promoted: result.events.flatMap((e) => (e.type === 'PromotedFromWaitlist' ? [e.data.personId] : [])),
      position: result.position,
      revision: result.revision,
    };
  }

  @Post('check-ins')
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Check someone in at the door: a registered person, or a walk-in' })
  async checkIn(@Param('meetingId', uuid) meetingId: string, @Body() body: CheckInRequestDto, @Req() request: CommandRequest) {
    const result = await this.run(request, meetingId, 'CheckInAttendee', body.personId, true);
    const checkedIn = result.events.find((e) => e.type === 'AttendeeCheckedIn');
    return {
      meetingId,
      personId: body.personId,
      walkIn: checkedIn?.type === 'AttendeeCheckedIn' ? checkedIn.data.walkIn : false,
      position: result.position,
      revision: result.revision,
    };
  }
}
