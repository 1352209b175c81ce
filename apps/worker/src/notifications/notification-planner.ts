import type { Queue } from 'bullmq';
import type { EventStore } from '@tsunagi/event-store';
import { Addressee, NotificationKind, WebhookEndpointDirectory, notificationIdFor, notificationStreamId, withChannels } from '@tsunagi/notifications';
import type { NotificationDirectory } from './notification-directory';
import { DeliverySettings, NotificationJobData, notificationJobOptions } from './notification-job';

export type NotificationBulkJob = Parameters<Queue<NotificationJobData>['addBulk']>[0][number];

/** The event a notification is about: enough to find it again. */
export interface NotificationSource {
  id: string;
  streamId: string;
  revision: number;
}

/**
 * From addressees to notification jobs: channels by consent and webhook endpoints as of a position of `$all`
 * (the source event's, for the dispatcher, so a replay plans the same; "now" for a follow-up), one job per
 * recipient and channel with jobId = notificationId, less those whose notification already has an outcome.
 */
export class NotificationPlanner {
  private readonly webhookEndpoints: WebhookEndpointDirectory;

  constructor(
    private readonly store: EventStore,
    private readonly directory: NotificationDirectory,
    private readonly delivery: DeliverySettings,
  ) {
    this.webhookEndpoints = new WebhookEndpointDirectory(store);
  }

  /**
   * @param before facts are taken as of just before this `$all` position.
   * @param followUp set for a follow-up (a reminder): its notification ids differ from the source's own.
   */
  async jobsFor(addressees: readonly Addressee[], source: NotificationSource, before: number, followUp?: NotificationKind): Promise<NotificationBulkJob[]> {
    const consents = new Map<string, boolean>();
    for (const { recipient } of addressees) {
      if (recipient.type === 'person' && !consents.has(recipient.id)) consents.set(recipient.id, await this.directory.mayBeContactedBefore(recipient.id, before));
    }
    // Organisations with an active webhook endpoint (read only when an organisation is told).
    const withWebhooks = addressees.some((a) => a.recipient.type === 'organisation')
      ? await this.webhookEndpoints.organisationsWithEndpointsBefore(before)
      : new Set<string>();
    const planned = withChannels(addressees, {
      mayBeContacted: (personId) => consents.get(personId) ?? false,
      hasWebhookEndpoint: (organisationId) => withWebhooks.has(organisationId),
    });

    const jobs: NotificationBulkJob[] = [];
    for (const { kind, recipient, channels } of planned) {
      for (const channel of channels) {
        const notificationId = notificationIdFor(source.id, recipient, channel, followUp);
        if (await this.settled(notificationId)) continue;
        const data: NotificationJobData = {
          notificationId,
          channel,
          kind,
          recipient: { type: recipient.type, id: recipient.id },
          sourceEventId: source.id,
          sourceStreamId: source.streamId,
          sourceRevision: source.revision,
        };
        jobs.push({ name: kind, data, opts: notificationJobOptions(this.delivery, notificationId) });
      }
    }
    return jobs;
  }

  /** Delivered, or given up on for good: a replay must not enqueue it again even after its job left Redis. */
  private async settled(notificationId: string): Promise<boolean> {
    const history = await this.store.readStream(notificationStreamId(notificationId));
    return history.some((e) => e.type === 'NotificationDelivered' || (e.type === 'NotificationFailed' && (e.data as { permanent?: boolean }).permanent));
  }
}
