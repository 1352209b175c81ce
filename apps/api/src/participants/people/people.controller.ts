import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Patch, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { isUuid } from '@tsunagi/event-store';
import type { PersonCommand, PersonProfile } from '@tsunagi/participants';
import { ApiError, CommandRequest, Roles, commandContextOf, newIdFor } from '@tsunagi/platform';
import { ChangePerson, PersonWriteResult } from '../change-participant.command';
import { NoInputRequestDto, ReasonRequestDto } from '../../common/no-input.request.dto';
import { sentFields } from '../sent-fields';
import { RegisterPersonRequestDto, UpdatePersonRequestDto } from './person.request.dto';

type Extra<T extends PersonCommand['type']> = Omit<Extract<PersonCommand, { type: T }>, 'type' | 'personId' | 'by' | 'at'>;

/**
 * A person's profile and status. Who may do what is decided by the participants policy on the state the
 * command is decided on: the person themself, coordinators of the person's ward, admins.
 */
@ApiTags('people')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes: the same key and body return the first response.' })
@Controller('api/people')
export class PeopleController {
  constructor(private readonly commandBus: CommandBus) {}

  private run<T extends PersonCommand['type']>(request: CommandRequest, personId: string, type: T, extra: Extra<T>): Promise<PersonWriteResult> {
    const context = commandContextOf(request);
    return this.commandBus.execute(new ChangePerson(personId, context, (at) => ({ ...extra, type, personId, by: context.principal.subject, at }) as PersonCommand));
  }

  @Post()
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({ summary: 'Register a person: a volunteer themself (the id is their token’s person), a coordinator in their wards, an admin' })
  register(@Body() body: RegisterPersonRequestDto, @Req() request: CommandRequest) {
    const principal = request.principal;
    let personId: string;
    if (principal.role === 'volunteer') {
      // A volunteer's person id is the one their token names; a token without one cannot register anybody.
      if (!principal.personId || !isUuid(principal.personId)) throw new ApiError(403, 'auth.forbidden');
      personId = principal.personId;
    } else {
      personId = newIdFor(commandContextOf(request), 'person');
    }
    return this.run(request, personId, 'RegisterPerson', { profile: sentFields(body) as PersonProfile });
  }

  @Patch(':personId')
  @Roles('coordinator', 'volunteer', 'organisation', 'admin')
  @ApiOperation({ summary: 'Change any part of a profile (nested values are replaced whole); moving ward needs both wards' })
  update(@Param('personId', ParseUUIDPipe) personId: string, @Body() body: UpdatePersonRequestDto, @Req() request: CommandRequest) {
    return this.run(request, personId, 'UpdatePersonProfile', { changes: sentFields(body) as Partial<PersonProfile> });
  }

  @Post(':personId/pause')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'organisation', 'admin')
  @ApiOperation({ summary: 'Pause: no new proposals until resumed' })
  pause(@Param('personId', ParseUUIDPipe) personId: string, @Body() body: ReasonRequestDto, @Req() request: CommandRequest) {
    return this.run(request, personId, 'PausePerson', { reason: body.reason });
  }

  @Post(':personId/resume')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'organisation', 'admin')
  resume(@Param('personId', ParseUUIDPipe) personId: string, @Body() _body: NoInputRequestDto, @Req() request: CommandRequest) {
    return this.run(request, personId, 'ResumePerson', {});
  }

  @Post(':personId/deactivate')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'organisation', 'admin')
  @ApiOperation({ summary: 'Leave tsunagi: final, the profile is only read afterwards' })
  deactivate(@Param('personId', ParseUUIDPipe) personId: string, @Body() body: ReasonRequestDto, @Req() request: CommandRequest) {
    return this.run(request, personId, 'DeactivatePerson', { reason: body.reason });
  }
}
