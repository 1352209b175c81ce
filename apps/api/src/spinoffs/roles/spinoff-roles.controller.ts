import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { normaliseSkills, normaliseText } from '@tsunagi/domain';
import { CommandRequest, Roles, commandContextOf, newIdFor } from '@tsunagi/platform';
import { NoInputRequestDto } from '../../common/no-input.request.dto';
import { CloseSpinOffRole, OpenSpinOffRole } from '../spinoff-roles.command';
import { InviteToSpinOffRole } from '../spinoff-invitations.command';
import { InviteToSpinOffRoleRequestDto, OpenSpinOffRoleRequestDto } from './spinoff-role.request.dto';

const uuid = new ParseUUIDPipe();

/**
 * The roles a launched spin-off needs people for. Each is opened as a volunteer-role opportunity of the SDC of
 * the project's first ward, so coordinators match volunteers to it through the matching routes; the role keeps
 * its opportunity's id, which is the lineage role → people who stepped up.
 */
@ApiTags('spinoffs')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes: the same key and body return the first response.' })
@Controller('api/spinoffs/:spinOffId/roles')
export class SpinOffRolesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({ summary: 'Open a role (its organisers and coordinators): a volunteer-role opportunity is opened for it, so matches fill it' })
  open(@Param('spinOffId', uuid) spinOffId: string, @Body() body: OpenSpinOffRoleRequestDto, @Req() request: CommandRequest) {
    const context = commandContextOf(request);
    return this.commandBus.execute(
      new OpenSpinOffRole(spinOffId, context, {
        roleId: newIdFor(context, 'role'),
        opportunityId: newIdFor(context, 'role-opportunity'),
        title: normaliseText(body.title),
        description: body.description.normalize('NFKC'),
        places: body.places,
        requiredSkills: normaliseSkills(body.requiredSkills),
        schedule: { ...body.schedule },
      }),
    );
  }

  @Post(':roleId/close')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'admin')
  @ApiOperation({ summary: 'Close a role and its opportunity' })
  close(@Param('spinOffId', uuid) spinOffId: string, @Param('roleId', uuid) roleId: string, @Body() _body: NoInputRequestDto, @Req() request: CommandRequest) {
    return this.commandBus.execute(new CloseSpinOffRole(spinOffId, commandContextOf(request), roleId));
  }

  @Post(':roleId/invitations')
  @Roles('coordinator', 'admin')
  @ApiOperation({
    summary: 'Invite people to an open role (coordinators of its wards, admins): those chosen (personIds), or the top N the suggestions rank highest',
    description:
      'Each invited person who agreed to be contacted gets a message (e-mail and inbox, as they chose). People already invited to the role are not invited again: the answer lists who was invited now and who had been before.',
  })
  invite(@Param('spinOffId', uuid) spinOffId: string, @Param('roleId', uuid) roleId: string, @Body() body: InviteToSpinOffRoleRequestDto, @Req() request: CommandRequest) {
    const invitees = body.personIds !== undefined ? { personIds: [...body.personIds] } : { top: body.top! };
    return this.commandBus.execute(new InviteToSpinOffRole(spinOffId, roleId, commandContextOf(request), invitees));
  }
}
