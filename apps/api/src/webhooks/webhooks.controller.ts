import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Inject } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { DomainError } from '@tsunagi/domain';
import { mayManageWebhooks } from '@tsunagi/notifications';
import { CommandRequest, Roles, commandContextOf } from '@tsunagi/platform';
import { NoInputRequestDto } from '../common/no-input.request.dto';
import { page } from '../common/page.request.dto';
import { ProjectionsService, READ_MODELS } from '../projections/projections.service';
import { ChangeWebhookCommand, WebhookWriteResult } from './webhook.commands';
import { WebhookEndpointQueries } from './webhook-endpoints.projection';
import { ListWebhooksRequestDto, RegisterWebhookRequestDto } from './webhook.request.dto';

const PROJECTION = 'webhook-endpoints';

/**
 * An organisation's webhook endpoints: its own systems, told about what concerns the organisation, signed the
 * Standard Webhooks way. Its representatives and admins manage them; the signing secret is shown once.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes: the same key and body return the first response (without the secret).' })
@Controller('api/organisations/:organisationId/webhooks')
export class WebhooksController {
  private readonly queries: WebhookEndpointQueries;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly projections: ProjectionsService,
    @Inject(READ_MODELS) db: Database.Database,
  ) {
    this.queries = new WebhookEndpointQueries(db);
  }

  @Post()
  @Roles('organisation', 'admin')
  @ApiOperation({ summary: 'Register a webhook endpoint (https, public address); answers its signing secret once (whsec_…)' })
  register(@Param('organisationId', ParseUUIDPipe) organisationId: string, @Body() body: RegisterWebhookRequestDto, @Req() request: CommandRequest): Promise<WebhookWriteResult> {
    return this.commandBus.execute(new ChangeWebhookCommand('register', organisationId, undefined, commandContextOf(request), { url: body.url, description: body.description }));
  }

  @Get()
  @Roles('organisation', 'admin')
  @ApiOperation({ summary: 'The organisation’s webhook endpoints, oldest first (never their secrets)' })
  async list(@Param('organisationId', ParseUUIDPipe) organisationId: string, @Query() q: ListWebhooksRequestDto, @Req() request: CommandRequest) {
    if (!mayManageWebhooks(request.principal, organisationId)) throw new DomainError('auth.forbidden', 'forbidden');
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const rows = this.queries.ofOrganisation(organisationId, q.after === undefined ? 0 : Number(q.after), q.limit + 1);
    const result = page(rows, q.limit, (r) => String(r.position));
    return { ...result, items: result.items.map((r) => r.view) };
  }

  @Post(':webhookId/rotate-secret')
  @HttpCode(200)
  @Roles('organisation', 'admin')
  @ApiOperation({ summary: 'A new signing secret, answered once; the previous one keeps signing beside it for 24 hours' })
  rotate(
    @Param('organisationId', ParseUUIDPipe) organisationId: string,
    @Param('webhookId', ParseUUIDPipe) webhookId: string,
    @Body() _body: NoInputRequestDto,
    @Req() request: CommandRequest,
  ): Promise<WebhookWriteResult> {
    return this.commandBus.execute(new ChangeWebhookCommand('rotate', organisationId, webhookId, commandContextOf(request)));
  }

  @Post(':webhookId/disable')
  @HttpCode(200)
  @Roles('organisation', 'admin')
  @ApiOperation({ summary: 'Stop sending to a webhook endpoint (for good: register a new one to start again)' })
  disable(
    @Param('organisationId', ParseUUIDPipe) organisationId: string,
    @Param('webhookId', ParseUUIDPipe) webhookId: string,
    @Body() _body: NoInputRequestDto,
    @Req() request: CommandRequest,
  ): Promise<WebhookWriteResult> {
    return this.commandBus.execute(new ChangeWebhookCommand('disable', organisationId, webhookId, commandContextOf(request)));
  }
}
