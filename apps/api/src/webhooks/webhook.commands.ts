import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@tsunagi/domain';
import {
  WebhookAddressPolicy,
  WebhookEndpointCommand,
  WebhookSecretBox,
  WebhookTargetRefused,
  WebhookTargetUnresolvable,
  authorizeWebhookCommand,
  generateWebhookSecret,
  webhookEndpointDecider,
  webhookEndpointStreamId,
} from '@tsunagi/notifications';
import { organisationDecider, organisationStreamId } from '@tsunagi/participants';
import { CommandContext, CommandExecutor, newIdFor } from '@tsunagi/platform';

/** Where webhooks may go (injectable: tests allow their local receiver, production refuses it). */
export const WEBHOOK_ADDRESS_POLICY = Symbol('WEBHOOK_ADDRESS_POLICY');
/** Seals signing secrets before they go into events. */
export const WEBHOOK_SECRET_BOX = Symbol('WEBHOOK_SECRET_BOX');

export interface WebhookWriteResult {
  webhookId: string;
  organisationId: string;
  status: 'active' | 'disabled';
  /** Only when registering or rotating: shown once, never again (`whsec_` + base64). */
  secret?: string;
  /** Until when the previous secret still signs (rotation). */
  previousSecretValidUntil?: string;
  position: number;
}

export type WebhookAction = 'register' | 'rotate' | 'disable';

export class ChangeWebhookCommand extends Command<WebhookWriteResult> {
  constructor(
    readonly action: WebhookAction,
    readonly organisationId: string,
    readonly webhookId: string | undefined,
    readonly context: CommandContext,
    readonly input: { url?: string; description?: string } = {},
  ) {
    super();
  }
}

@CommandHandler(ChangeWebhookCommand)
export class ChangeWebhookHandler implements ICommandHandler<ChangeWebhookCommand, WebhookWriteResult> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(WEBHOOK_ADDRESS_POLICY) private readonly policy: WebhookAddressPolicy,
    @Inject(WEBHOOK_SECRET_BOX) private readonly box: WebhookSecretBox,
  ) {}

  async execute({ action, organisationId, webhookId, context, input }: ChangeWebhookCommand): Promise<WebhookWriteResult> {
    const { principal } = context;
    const endpointId = webhookId ?? newIdFor(context, 'webhook-endpoint');
    // Under an Idempotency-Key a retry finds the first attempt's events and returns without the secret: it was shown once.
    const secret = action === 'disable' ? undefined : generateWebhookSecret();
    const sealed = secret ? this.box.seal(secret, endpointId) : '';
    const by = principal.subject;
    const result = await this.executor.execute(webhookEndpointDecider, webhookEndpointStreamId(endpointId), context, {
      command: (at): WebhookEndpointCommand => {
        switch (action) {
          case 'register':
            return { type: 'RegisterWebhookEndpoint', endpointId, organisationId, url: input.url ?? '', description: input.description?.normalize('NFKC') ?? '', secret: sealed, by, at };
          case 'rotate':
            return { type: 'RotateWebhookSecret', endpointId, organisationId, secret: sealed, by, at };
          case 'disable':
            return { type: 'DisableWebhookEndpoint', endpointId, organisationId, by, at };
        }
      },
      authorize: () => authorizeWebhookCommand(principal, organisationId),
      verify: async (command) => {
        if (command.type !== 'RegisterWebhookEndpoint') return;
        const { state } = await this.executor.load(organisationDecider, organisationStreamId(organisationId));
        if (state.status === 'none') throw new DomainError('organisation.not_found', 'not_found');
        if (state.status === 'deactivated') throw new DomainError('organisation.deactivated', 'conflict');
        await this.vet(command.url);
      },
    });
    const written = result.events.length > 0 && !result.replayed;
    const rotated = result.events.find((e) => e.type === 'WebhookSecretRotated')?.data as { previousValidUntil?: string } | undefined;
    return {
      webhookId: endpointId,
      organisationId,
      status: result.state.status === 'disabled' ? 'disabled' : 'active',
      ...(written && secret ? { secret } : {}),
      ...(rotated?.previousValidUntil ? { previousSecretValidUntil: rotated.previousValidUntil } : {}),
      position: result.position,
    };
  }

  private async vet(url: string): Promise<void> {
    try {
      await this.policy.vet(url);
    } catch (error) {
      if (error instanceof WebhookTargetRefused) throw new DomainError('webhook.url_refused', 'invalid', { reason: error.reason });
      if (error instanceof WebhookTargetUnresolvable) throw new DomainError('webhook.url_unresolvable', 'invalid', { reason: error.reason });
      throw error;
    }
  }
}
