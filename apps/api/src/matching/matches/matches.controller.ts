import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Candidate, OpportunityCommand } from '@tsunagi/matching';
import { ApiError, CommandRequest, Roles, commandContextOf, newIdFor } from '@tsunagi/platform';
import { ChangeOpportunity, OpportunityWriteResult } from '../change-opportunity.command';
import { NoInputRequestDto, ReasonRequestDto } from '../../common/no-input.request.dto';
import { DeclineMatchRequestDto, EndMatchEarlyRequestDto, ExpressInterestRequestDto, LogHoursRequestDto, ProposeMatchRequestDto } from './match.request.dto';

type MatchCommandType = Exclude<OpportunityCommand['type'], 'OpenOpportunity' | 'UpdateOpportunity' | 'CloseOpportunity' | 'ReopenOpportunity'>;
type Extra<T extends MatchCommandType> = Omit<Extract<OpportunityCommand, { type: T }>, 'type' | 'opportunityId' | 'matchId' | 'by' | 'at'>;

const uuid = new ParseUUIDPipe();

/**
 * The life of a match, nested under its opportunity (a match lives in its opportunity's stream):
 * propose or express interest → accept / decline / withdraw / expire → confirm → start → hours → complete.
 * Who may do each step is decided by the matching policy on the state the step is decided on.
 */
@ApiTags('matches')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes: the same key and body return the first response.' })
@Controller('api/opportunities/:opportunityId')
export class MatchesController {
  constructor(private readonly commandBus: CommandBus) {}

  private run<T extends MatchCommandType>(
    request: CommandRequest,
    opportunityId: string,
    matchId: string,
    type: T,
    extra: Extra<T>,
    options: { entryId?: string; candidate?: Candidate } = {},
  ): Promise<OpportunityWriteResult> {
    const context = commandContextOf(request);
    const build = (at: string) => ({ ...extra, type, opportunityId, matchId, by: context.principal.subject, at }) as OpportunityCommand;
    return this.commandBus.execute(
      new ChangeOpportunity(opportunityId, context, build, { matchId, ...(options.entryId ? { entryId: options.entryId } : {}) }, { matchableCandidate: options.candidate }),
    );
  }

  @Post('matches')
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Propose a match to a person (roles, pro-bono) or an organisation (collaborations)' })
  propose(@Param('opportunityId', uuid) opportunityId: string, @Body() body: ProposeMatchRequestDto, @Req() request: CommandRequest) {
    const matchId = newIdFor(commandContextOf(request), 'match');
    const candidate = { type: body.candidate.type, id: body.candidate.id };
    return this.run(request, opportunityId, matchId, 'ProposeMatch', { candidate, message: body.message.normalize('NFKC') }, { candidate });
  }

  @Post('matches/:matchId/propose')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: "Turn a volunteer's expressed interest into a proposal" })
  proposeFromInterest(
    @Param('opportunityId', uuid) opportunityId: string,
    @Param('matchId', uuid) matchId: string,
    @Body() body: ProposeMatchRequestDto,
    @Req() request: CommandRequest,
  ) {
    const candidate = { type: body.candidate.type, id: body.candidate.id };
    return this.run(request, opportunityId, matchId, 'ProposeMatch', { candidate, message: body.message.normalize('NFKC') }, { candidate });
  }

  @Post('interest')
  @Roles('volunteer', 'organisation')
  @ApiOperation({ summary: 'Say you are interested (a volunteer for themself; a representative for their organisation, in collaborations)' })
  expressInterest(@Param('opportunityId', uuid) opportunityId: string, @Body() body: ExpressInterestRequestDto, @Req() request: CommandRequest) {
    const principal = request.principal;
    let candidate: Candidate;
    if (principal.role === 'volunteer') {
      if (!principal.personId || body.organisationId) throw new ApiError(403, 'auth.forbidden');
      candidate = { type: 'person', id: principal.personId };
    } else {
      if (!body.organisationId) throw new ApiError(422, 'validation.failed', {}, { errors: [{ field: 'organisationId', rules: ['isDefined'] }] });
      candidate = { type: 'organisation', id: body.organisationId };
    }
    const matchId = newIdFor(commandContextOf(request), 'match');
    return this.run(request, opportunityId, matchId, 'ExpressInterest', { candidate, message: body.message?.normalize('NFKC') }, { candidate });
  }

  @Post('matches/:matchId/decline-interest')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  declineInterest(@Param('opportunityId', uuid) o: string, @Param('matchId', uuid) m: string, @Body() body: ReasonRequestDto, @Req() r: CommandRequest) {
    return this.run(r, o, m, 'DeclineInterest', { reason: body.reason });
  }

  @Post('matches/:matchId/accept')
  @HttpCode(200)
  @Roles('volunteer', 'organisation', 'admin')
  @ApiOperation({ summary: 'Accept a proposal made to you: takes a place, or 409 opportunity.full' })
  accept(@Param('opportunityId', uuid) o: string, @Param('matchId', uuid) m: string, @Body() _b: NoInputRequestDto, @Req() r: CommandRequest) {
    return this.run(r, o, m, 'AcceptMatch', {});
  }

  @Post('matches/:matchId/decline')
  @HttpCode(200)
  @Roles('volunteer', 'organisation', 'admin')
  @ApiOperation({ summary: 'Decline a proposal made to you, with a reason' })
  decline(@Param('opportunityId', uuid) o: string, @Param('matchId', uuid) m: string, @Body() body: DeclineMatchRequestDto, @Req() r: CommandRequest) {
    return this.run(r, o, m, 'DeclineMatch', { reason: body.reason, text: body.text?.normalize('NFKC') });
  }

  @Post('matches/:matchId/withdraw')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  withdraw(@Param('opportunityId', uuid) o: string, @Param('matchId', uuid) m: string, @Body() body: ReasonRequestDto, @Req() r: CommandRequest) {
    return this.run(r, o, m, 'WithdrawMatch', { reason: body.reason });
  }

  @Post('matches/:matchId/expire')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  expire(@Param('opportunityId', uuid) o: string, @Param('matchId', uuid) m: string, @Body() _b: NoInputRequestDto, @Req() r: CommandRequest) {
    return this.run(r, o, m, 'ExpireMatch', {});
  }

  @Post('matches/:matchId/confirm')
  @HttpCode(200)
  @Roles('organisation', 'coordinator', 'admin')
  @ApiOperation({ summary: 'The organisation (or the ward’s coordinator) confirms an accepted volunteer or pro-bono match' })
  confirm(@Param('opportunityId', uuid) o: string, @Param('matchId', uuid) m: string, @Body() _b: NoInputRequestDto, @Req() r: CommandRequest) {
    return this.run(r, o, m, 'ConfirmMatch', {});
  }

  @Post('matches/:matchId/start')
  @HttpCode(200)
  @Roles('organisation', 'coordinator', 'admin')
  start(@Param('opportunityId', uuid) o: string, @Param('matchId', uuid) m: string, @Body() _b: NoInputRequestDto, @Req() r: CommandRequest) {
    return this.run(r, o, m, 'StartMatch', {});
  }

  @Post('matches/:matchId/hours')
  @Roles('volunteer', 'organisation', 'admin')
  @ApiOperation({ summary: 'Log hours on a started match (the volunteer, or the partner organisation)' })
  logHours(@Param('opportunityId', uuid) o: string, @Param('matchId', uuid) m: string, @Body() body: LogHoursRequestDto, @Req() r: CommandRequest) {
    const entryId = newIdFor(commandContextOf(r), 'hours');
    return this.run(r, o, m, 'LogHours', { entryId, date: body.date, hours: body.hours, note: body.note?.normalize('NFKC') }, { entryId });
  }

  @Post('matches/:matchId/hours/:entryId/approve')
  @HttpCode(200)
  @Roles('organisation', 'coordinator', 'admin')
  approveHours(
    @Param('opportunityId', uuid) o: string,
    @Param('matchId', uuid) m: string,
    @Param('entryId', uuid) entryId: string,
    @Body() _b: NoInputRequestDto,
    @Req() r: CommandRequest,
  ) {
    return this.run(r, o, m, 'ApproveHours', { entryId }, { entryId });
  }

  @Post('matches/:matchId/complete')
  @HttpCode(200)
  @Roles('organisation', 'coordinator', 'admin')
  complete(@Param('opportunityId', uuid) o: string, @Param('matchId', uuid) m: string, @Body() _b: NoInputRequestDto, @Req() r: CommandRequest) {
    return this.run(r, o, m, 'CompleteMatch', {});
  }

  @Post('matches/:matchId/end-early')
  @HttpCode(200)
  @Roles('organisation', 'coordinator', 'volunteer', 'admin')
  endEarly(@Param('opportunityId', uuid) o: string, @Param('matchId', uuid) m: string, @Body() body: EndMatchEarlyRequestDto, @Req() r: CommandRequest) {
    return this.run(r, o, m, 'EndMatchEarly', { reason: body.reason, text: body.text?.normalize('NFKC') });
  }
}
