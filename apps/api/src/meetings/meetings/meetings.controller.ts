import { Body, Controller, HttpCode, Param, ParseEnumPipe, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WARDS, Ward, normaliseText } from '@tsunagi/domain';
import type { MeetingCommand, MeetingFormat, MeetingProposal, MeetingSchedule } from '@tsunagi/meetings';
import { CommandContext, CommandRequest, Roles, commandContextOf, newIdFor } from '@tsunagi/platform';
import { ChangeMeeting, MeetingWriteResult } from '../change-meeting.command';
import { ReasonRequestDto } from '../../common/no-input.request.dto';
import { inTokyo, occurrencesOf } from '../meeting-time';
import {
  CloseMeetingRequestDto,
  FormatDto,
  HybridFormatDto,
  InPersonFormatDto,
  MeetingScheduleRequestDto,
  OnlineFormatDto,
  ProposeMeetingRequestDto,
  RequiredReasonRequestDto,
  RescheduleMeetingRequestDto,
  ScheduleMeetingSeriesRequestDto,
  ScheduleNewMeetingRequestDto,
} from './meeting.request.dto';

type Extra<T extends MeetingCommand['type']> = Omit<Extract<MeetingCommand, { type: T }>, 'type' | 'meetingId' | 'by' | 'at'>;

/** SDCs are named by ward code. */
export const WARD = new ParseEnumPipe(Object.fromEntries(WARDS.map((w) => [w, w])));
const uuid = new ParseUUIDPipe();

function formatOf(format: FormatDto): MeetingFormat {
  switch (format.mode) {
    case 'in_person':
      return { mode: 'in_person', venue: normaliseText(format.venue) };
    case 'online':
      return { mode: 'online', url: format.url };
    case 'hybrid':
      return { mode: 'hybrid', venue: normaliseText(format.venue), url: format.url };
  }
}

function proposalOf(sdc: Ward, body: ProposeMeetingRequestDto): MeetingProposal {
  return {
    sdc,
    title: normaliseText(body.title),
    themes: [...new Set(body.themes)],
    purpose: body.purpose.normalize('NFKC'),
    preferredDates: [...new Set(body.preferredDates)],
    format: formatOf(body.format),
    capacity: body.capacity,
    newcomersWelcome: body.newcomersWelcome,
  };
}

/** Times are stored in Tokyo time (+09:00), whatever offset was sent. */
function scheduleOf(body: MeetingScheduleRequestDto): MeetingSchedule {
  return { startsAt: inTokyo(body.startsAt), endsAt: inTokyo(body.endsAt), format: formatOf(body.format), capacity: body.capacity };
}

/** The proposer is whoever calls: their token subject, and their person when they are one. */
const proposerOf = (request: CommandRequest) => ({
  subject: request.principal.subject,
  ...(request.principal.personId ? { personId: request.principal.personId } : {}),
});

/**
 * Each occurrence of a series is its own meeting stream. Under an Idempotency-Key event ids derive from the key
 * (see CommandExecutor), and ids are unique across streams, so each occurrence writes under its own scope.
 */
function occurrenceContext(context: CommandContext, n: number): CommandContext {
  return context.idempotencyScope ? { ...context, idempotencyScope: `${context.idempotencyScope}:meeting-${n}` } : context;
}

const answer = ({ meetingId, position, revision }: MeetingWriteResult) => ({ meetingId, position, revision });

/**
 * SDC meetings: anyone signed in (not analysts) proposes one to an SDC; the SDC's coordinators approve, reject,
 * reschedule, cancel and close them, or schedule one (or a monthly series) directly; the proposer may withdraw.
 * Who may do each step is decided by the meetings policy on the state the step is decided on.
 */
@ApiTags('meetings')
@ApiBearerAuth()
@ApiExtraModels(InPersonFormatDto, OnlineFormatDto, HybridFormatDto)
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes: the same key and body return the first response.' })
@Controller('api')
export class MeetingsController {
  constructor(private readonly commandBus: CommandBus) {}

  private run<T extends MeetingCommand['type']>(request: CommandRequest, meetingId: string, type: T, extra: Extra<T>, context = commandContextOf(request)) {
    return this.commandBus.execute(
      new ChangeMeeting(meetingId, context, (at) => ({ ...extra, type, meetingId, by: context.principal.subject, at }) as MeetingCommand),
    );
  }

  @Post('sdcs/:ward/meetings')
  @Roles('coordinator', 'volunteer', 'organisation', 'admin')
  @ApiOperation({ summary: 'Propose a meeting to an SDC (named by its ward); its coordinators approve or reject it' })
  async propose(@Param('ward', WARD) ward: Ward, @Body() body: ProposeMeetingRequestDto, @Req() request: CommandRequest) {
    const context = commandContextOf(request);
    const meetingId = newIdFor(context, 'meeting');
    return answer(await this.run(request, meetingId, 'ProposeMeeting', { ...proposalOf(ward, body), proposer: proposerOf(request) }, context));
  }

  @Post('sdcs/:ward/meetings/scheduled')
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'A coordinator of the SDC proposes and schedules a meeting at once' })
  async scheduleNew(@Param('ward', WARD) ward: Ward, @Body() body: ScheduleNewMeetingRequestDto, @Req() request: CommandRequest) {
    const context = commandContextOf(request);
    const meetingId = newIdFor(context, 'meeting');
    const { schedule, ...proposal } = body;
    return answer(
      await this.run(request, meetingId, 'ScheduleNewMeeting', { ...proposalOf(ward, proposal), proposer: proposerOf(request), schedule: scheduleOf(schedule) }, context),
    );
  }

  @Post('sdcs/:ward/meeting-series')
  @Roles('coordinator', 'admin')
  @ApiOperation({
    summary: 'A repeating meeting (a monthly YORIAI): `count` meetings, each scheduled on its own, times in Asia/Tokyo',
  })
  async scheduleSeries(@Param('ward', WARD) ward: Ward, @Body() body: ScheduleMeetingSeriesRequestDto, @Req() request: CommandRequest) {
    const context = commandContextOf(request);
    const seriesId = newIdFor(context, 'series');
    const { first, recurrence, ...rest } = body;
    const proposal = proposalOf(ward, rest);
    const meetings: { meetingId: string; startsAt: string }[] = [];
    let position = 0;
    // One after the other: the first refusal (the same for every occurrence) stops the series before anything is written.
    for (const [index, times] of occurrencesOf(first, recurrence.frequency, recurrence.count).entries()) {
      const occurrence = index + 1;
      const meetingId = newIdFor(context, `meeting-${occurrence}`);
      const schedule: MeetingSchedule = { ...times, format: proposal.format, capacity: proposal.capacity };
      const result = await this.run(
        request,
        meetingId,
        'ScheduleNewMeeting',
        { ...proposal, proposer: proposerOf(request), series: { seriesId, occurrence }, schedule },
        occurrenceContext(context, occurrence),
      );
      meetings.push({ meetingId, startsAt: times.startsAt });
      position = Math.max(position, result.position);
    }
    return { seriesId, meetings, position };
  }

  @Post('meetings/:meetingId/approve')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Approve a proposal by scheduling it' })
  async approve(@Param('meetingId', uuid) meetingId: string, @Body() body: MeetingScheduleRequestDto, @Req() request: CommandRequest) {
    return answer(await this.run(request, meetingId, 'ApproveMeeting', scheduleOf(body)));
  }

  @Post('meetings/:meetingId/reject')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  async reject(@Param('meetingId', uuid) meetingId: string, @Body() body: RequiredReasonRequestDto, @Req() request: CommandRequest) {
    return answer(await this.run(request, meetingId, 'RejectMeeting', { reason: body.reason.normalize('NFKC') }));
  }

  @Post('meetings/:meetingId/withdraw')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'organisation', 'admin')
  @ApiOperation({ summary: 'The proposer (or a coordinator of the SDC) withdraws a proposal' })
  async withdraw(@Param('meetingId', uuid) meetingId: string, @Body() body: ReasonRequestDto, @Req() request: CommandRequest) {
    return answer(await this.run(request, meetingId, 'WithdrawMeetingProposal', body.reason ? { reason: body.reason.normalize('NFKC') } : {}));
  }

  @Post('meetings/:meetingId/reschedule')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'New times, format or capacity (never below those registered); more places promote people waiting' })
  async reschedule(@Param('meetingId', uuid) meetingId: string, @Body() body: RescheduleMeetingRequestDto, @Req() request: CommandRequest) {
    return answer(await this.run(request, meetingId, 'RescheduleMeeting', { ...scheduleOf(body), reason: body.reason.normalize('NFKC') }));
  }

  @Post('meetings/:meetingId/cancel')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  async cancel(@Param('meetingId', uuid) meetingId: string, @Body() body: RequiredReasonRequestDto, @Req() request: CommandRequest) {
    return answer(await this.run(request, meetingId, 'CancelMeeting', { reason: body.reason.normalize('NFKC') }));
  }

  @Post('meetings/:meetingId/close')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Close a meeting that has started: minutes, contributions and outcomes (given ids spin-offs can cite); attendance is counted' })
  async close(@Param('meetingId', uuid) meetingId: string, @Body() body: CloseMeetingRequestDto, @Req() request: CommandRequest) {
    const context = commandContextOf(request);
    const outcomes = body.outcomes.map((o, i) => ({ outcomeId: newIdFor(context, `outcome-${i + 1}`), kind: o.kind, text: o.text.normalize('NFKC') }));
    const result = await this.run(
      request,
      meetingId,
      'CloseMeeting',
      {
        minutes: body.minutes.normalize('NFKC'),
        contributions: body.contributions.map((c) => normaliseText(c)),
        outcomes,
        anonymousAttendees: body.anonymousAttendees,
      },
      context,
    );
    const closed = result.events.find((e) => e.type === 'MeetingClosed');
    const counted = closed?.type === 'MeetingClosed' ? closed.data : undefined;
    return {
      meetingId,
      outcomes: counted?.outcomes ?? outcomes,
      ...(counted ? { attendees: counted.attendees, noShows: counted.noShows, anonymousAttendees: counted.anonymousAttendees } : {}),
      position: result.position,
      revision: result.revision,
    };
  }
}
