import type { EventStore } from '@tsunagi/event-store';
import type { NotificationKind } from '../notification.events';
import { WebhookAddressPolicy } from './address-policy';
import { signingSecrets } from './webhook-endpoint';
import { WebhookEndpointDirectory } from './webhook-endpoint-directory';
import { WebhookSecretBox, WebhookSecretUnreadable } from './secret-box';
import { WebhookSender } from './webhook-sender';

export interface WebhookChannelSettings {
  /** Where webhooks may go (production: https and public addresses only). */
  policy: WebhookAddressPolicy;
  /** AUTH_TOKEN_SECRET (or the development secret): opens the sealed signing secrets. */
  keyMaterial: string;
  timeoutMs?: number;
}

/** One notification for an organisation's systems. */
export interface OutgoingNotification {
  notificationId: string;
  organisationId: string;
  kind: NotificationKind;
  /** ISO-8601: when it is sent (the body's `timestamp`). */
  at: string;
  /** Ids of what it is about (opportunity, match, meeting, spin-off, source event): never a person's details. */
  ids: Record<string, string>;
  /** The rendered title: it names the opportunity, meeting or spin-off, never a person. */
  title: string;
}

export type WebhookChannelResult =
  | { outcome: 'delivered'; endpoints: number }
  | { outcome: 'not_sent'; reason: string }
  | { outcome: 'permanent'; reason: string }
  | { outcome: 'transient'; reason: string };

/**
 * Delivers a notification to every active endpoint of the organisation, signed with every secret valid now. All
 * endpoints answering 2xx is a delivery; any transient failure retries the whole notification (endpoints that had
 * answered get it again under the same webhook-id, which Standard Webhooks receivers deduplicate); otherwise a
 * permanent failure of one endpoint fails the notification for good.
 */
export class WebhookChannel {
  readonly directory: WebhookEndpointDirectory;
  private readonly box: WebhookSecretBox;
  private readonly sender: WebhookSender;

  constructor(store: EventStore, settings: WebhookChannelSettings) {
    this.directory = new WebhookEndpointDirectory(store);
    this.box = new WebhookSecretBox(settings.keyMaterial);
    this.sender = new WebhookSender(settings.policy, { timeoutMs: settings.timeoutMs });
  }

  static body(notification: OutgoingNotification): string {
    return JSON.stringify({
      type: notification.kind,
      timestamp: notification.at,
      data: { notificationId: notification.notificationId, organisationId: notification.organisationId, ...notification.ids, title: notification.title },
    });
  }

  /**
   * @param now the decision clock: which secrets still sign (a rotation's 24 hours are in the clock's time, as its event is).
   * @param sentAt the wall clock: `webhook-timestamp`, which receivers compare with their own time.
   */
  async deliver(notification: OutgoingNotification, now: Date, sentAt = new Date()): Promise<WebhookChannelResult> {
    const endpoints = await this.directory.activeEndpoints(notification.organisationId);
    if (endpoints.length === 0) return { outcome: 'not_sent', reason: 'not_sent: no_active_webhook_endpoint' };
    const body = WebhookChannel.body(notification);
    const timestamp = Math.floor(sentAt.getTime() / 1000);
    let permanent: string | undefined;
    let transient: string | undefined;
    for (const { endpointId, state } of endpoints) {
      let secrets: string[];
      try {
        secrets = signingSecrets(state, now).map((sealed) => this.box.open(sealed, endpointId));
      } catch (error) {
        if (!(error instanceof WebhookSecretUnreadable)) throw error;
        permanent ??= `webhook_secret_unreadable: endpoint ${endpointId}`;
        continue;
      }
      const result = await this.sender.send({ url: state.url!, id: notification.notificationId, timestamp, body, secrets });
      if (result.outcome === 'permanent') permanent ??= `${result.reason} (endpoint ${endpointId})`;
      if (result.outcome === 'transient') transient ??= `${result.reason} (endpoint ${endpointId})`;
    }
    if (transient) return { outcome: 'transient', reason: transient };
    if (permanent) return { outcome: 'permanent', reason: permanent };
    return { outcome: 'delivered', endpoints: endpoints.length };
  }
}
