import { Body, Controller, Delete, HttpCode, Param, ParseUUIDPipe, Patch, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganisationCommand, OrganisationProfile } from '@tsunagi/participants';
import { CommandRequest, Roles, commandContextOf, newIdFor } from '@tsunagi/platform';
import { ChangeOrganisation, OrganisationWriteResult } from '../change-participant.command';
import { NoInputRequestDto, ReasonRequestDto } from '../../common/no-input.request.dto';
import { sentFields } from '../sent-fields';
import { AddRepresentativeRequestDto, RegisterOrganisationRequestDto, UpdateOrganisationRequestDto } from './organisation.request.dto';

type Extra<T extends OrganisationCommand['type']> = Omit<Extract<OrganisationCommand, { type: T }>, 'type' | 'organisationId' | 'by' | 'at'>;

/**
 * Organisations and their representatives. Coordinators act on organisations serving one of their wards,
 * representatives (a token for the organisation) on its profile and representatives, admins on all.
 */
@ApiTags('organisations')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes: the same key and body return the first response.' })
@Controller('api/organisations')
export class OrganisationsController {
  constructor(private readonly commandBus: CommandBus) {}

  private run<T extends OrganisationCommand['type']>(request: CommandRequest, organisationId: string, type: T, extra: Extra<T>): Promise<OrganisationWriteResult> {
    const context = commandContextOf(request);
    return this.commandBus.execute(
      new ChangeOrganisation(organisationId, context, (at) => ({ ...extra, type, organisationId, by: context.principal.subject, at }) as OrganisationCommand),
    );
  }

  @Post()
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Register an organisation serving at least one of your wards, optionally with its first representative' })
  register(@Body() body: RegisterOrganisationRequestDto, @Req() request: CommandRequest) {
    const organisationId = newIdFor(commandContextOf(request), 'organisation');
    const { representative, ...profile } = sentFields(body);
    return this.run(request, organisationId, 'RegisterOrganisation', {
      profile: profile as OrganisationProfile,
      ...(representative ? { representative: { personId: representative.personId, role: representative.role } } : {}),
    });
  }

  @Patch(':organisationId')
  @Roles('coordinator', 'organisation', 'admin')
  @ApiOperation({ summary: 'Change any part of an organisation’s profile' })
  update(@Param('organisationId', ParseUUIDPipe) organisationId: string, @Body() body: UpdateOrganisationRequestDto, @Req() request: CommandRequest) {
    return this.run(request, organisationId, 'UpdateOrganisation', { changes: sentFields(body) as Partial<OrganisationProfile> });
  }

  @Post(':organisationId/deactivate')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'The organisation stops: final' })
  deactivate(@Param('organisationId', ParseUUIDPipe) organisationId: string, @Body() body: ReasonRequestDto, @Req() request: CommandRequest) {
    return this.run(request, organisationId, 'DeactivateOrganisation', { reason: body.reason });
  }

  @Post(':organisationId/representatives')
  @HttpCode(200)
  @Roles('coordinator', 'organisation', 'admin')
  @ApiOperation({ summary: 'Add a person who acts for the organisation' })
  addRepresentative(@Param('organisationId', ParseUUIDPipe) organisationId: string, @Body() body: AddRepresentativeRequestDto, @Req() request: CommandRequest) {
    return this.run(request, organisationId, 'AddRepresentative', { personId: body.personId, role: body.role });
  }

  @Delete(':organisationId/representatives/:personId')
  @Roles('coordinator', 'organisation', 'admin')
  @ApiOperation({ summary: 'Remove a representative (never the last one: 409 organisation.last_representative)' })
  removeRepresentative(
    @Param('organisationId', ParseUUIDPipe) organisationId: string,
    @Param('personId', ParseUUIDPipe) personId: string,
    @Req() request: CommandRequest,
  ) {
    return this.run(request, organisationId, 'RemoveRepresentative', { personId });
  }
}
