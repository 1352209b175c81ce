import { Module } from '@nestjs/common';
import { WebhookAddressPolicy, WebhookSecretBox, webhookKeyMaterial } from '@tsunagi/notifications';
import { AppConfig } from '@tsunagi/platform';
import { ChangeWebhookHandler, WEBHOOK_ADDRESS_POLICY, WEBHOOK_SECRET_BOX } from './webhook.commands';
import { WebhooksController } from './webhooks.controller';

/**
 * Organisations' webhook endpoints: register, list, rotate the secret, disable. The address policy is a provider so
 * that tests can replace it (production: https and public addresses only; NODE_ENV=test also accepts http).
 */
@Module({
  controllers: [WebhooksController],
  providers: [
    ChangeWebhookHandler,
    { provide: WEBHOOK_ADDRESS_POLICY, useFactory: (config: AppConfig) => WebhookAddressPolicy.forEnvironment(config.NODE_ENV), inject: [AppConfig] },
    { provide: WEBHOOK_SECRET_BOX, useFactory: (config: AppConfig) => new WebhookSecretBox(webhookKeyMaterial(config)), inject: [AppConfig] },
  ],
})
export class WebhooksModule {}
