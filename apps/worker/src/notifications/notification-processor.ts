import { DelayedError, UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import { v5 as uuidv5 } from 'uuid';
import {
  Clock,
  DuplicateEventIdError,
  EventStore,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@tsunagi/event-store';
import {
  MessageFactsError,
  NotificationEvent,
  QuietWindow,
  URGENT_KINDS,
  WebhookChannel,
  messageFactsFor,
  notificationStreamId,
  quietUntil,
  renderNotification,
} from '@tsunagi/notifications';
import { NotificationPreferences, channelsWanted } from '@tsunagi/participants';
import type { Contact, NotificationDirectory } from './notification-directory';
import { Mailer, PermanentEmailError, messageIdFor } from './mailer';
import { NotificationJobData, isNotificationJobData } from './notification-job';

export type DeliveryOutcome =
  /** Recorded NotificationDelivered now. */
  | { outcome: 'delivered'; messageId?: string }
  /** An earlier attempt (or another worker) had already delivered and recorded it: nothing sent. */
  | { outcome: 'already_delivered' }
  /** Not sent on purpose (consent withdrawn, recipient deactivated, channel not wanted); recorded as NotificationFailed. */
  | { outcome: 'not_sent'; reason: string };

/** Quiet hours: the deployment's default window (null: none) and the time zone windows are read in. */
export interface QuietHoursSettings {
  defaultWindow: QuietWindow | null;
  timeZone: string;
}

const EVENT_ID_NAMESPACE = 'c0d1e5a2-7f43-4b8e-9a61-5e2f4b7d9c18';

/** The id of the delivery record is a function of the notification: a second record of one delivery cannot exist. */
export const deliveredEventId = (notificationId: string) => uuidv5(`${notificationId}|NotificationDelivered`, EVENT_ID_NAMESPACE);
/** Failure records are numbered by the revision they take, so an operator's retry after one can record another. */
export const failedEventId = (notificationId: string, revision: number) => uuidv5(`${notificationId}|NotificationFailed|${revision}`, EVENT_ID_NAMESPACE);

export interface ProcessorOptions {
  /** MAIL_FROM: its domain names the Message-IDs. */
  from: string;
  /** Non-urgent e-mail to a person waits until their quiet hours end; none when absent. */
  quietHours?: QuietHoursSettings;
}

/**
 * Delivers one notification: skips it when its stream already records the delivery, resolves contact details,
 * language and message at send time, sends (e-mail) or just records (inbox), and records the outcome under a
 * deterministic event id. Permanent failures are recorded and end the job at once (UnrecoverableError).
 */
export class NotificationProcessor {
  constructor(
    private readonly store: EventStore,
    private readonly directory: NotificationDirectory,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly options: ProcessorOptions,
    /** The webhook channel; without it, webhook notifications fail permanently (webhooks_not_configured). */
    private readonly webhooks?: WebhookChannel,
  ) {}

  /** The BullMQ processor function. */
  readonly process = async (job: Job<NotificationJobData>, token?: string): Promise<DeliveryOutcome> => {
    if (!isNotificationJobData(job.data)) throw new UnrecoverableError('malformed_job: the job data is not a notification');
    const data = job.data;
    const history = await this.history(data.notificationId);
    if (history.some((e) => e.type === 'NotificationDelivered')) return { outcome: 'already_delivered' };
    const decided = history.find((e) => e.type === 'NotificationFailed' && String((e.data as { reason?: unknown }).reason).startsWith('not_sent'));
    if (decided) return { outcome: 'not_sent', reason: String((decided.data as { reason: string }).reason) };

    const attempt = job.attemptsMade + 1;
    const lastAttempt = attempt >= (job.opts.attempts ?? 1);
    try {
      return await this.deliver(data, history, (until) => this.wait(job, until, token));
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      if (error instanceof PermanentFailure || error instanceof PermanentEmailError) {
        const reason = error instanceof PermanentFailure ? error.message : error.reason;
        await this.recordFailure(data, history, reason, true);
        throw new UnrecoverableError(reason);
      }
      // Transient: BullMQ retries with backoff; the last attempt leaves a record of why it gave up.
      if (lastAttempt) await this.recordFailure(data, history, (error as Error).message, false).catch(() => undefined);
      throw error;
    }
  };

  /** Puts the job back, delayed until `until` (the clock's time; BullMQ's delay is real time). */
  private async wait(job: Job<NotificationJobData>, until: Date, token: string | undefined): Promise<never> {
    await job.moveToDelayed(Date.now() + Math.max(0, until.getTime() - this.clock.now().getTime()), token);
    throw new DelayedError();
  }

  private async deliver(data: NotificationJobData, history: RecordedEvent[], waitUntil: (until: Date) => Promise<never>): Promise<DeliveryOutcome> {
    const source = await this.directory.upToSource(data.sourceStreamId, data.sourceRevision, data.sourceEventId);
    if (!source) throw new PermanentFailure('source_event_missing: the event that caused it is not in the store');
    let facts;
    try {
      facts = messageFactsFor(data.kind, source);
    } catch (error) {
      if (error instanceof MessageFactsError) throw new PermanentFailure(`source_incomplete: ${error.message}`);
      throw error;
    }
    // Contact details and the person's choices as of now: a channel they turned off for this kind is not used.
    const { contact, preferences } = await this.directory.recipientNow(data.recipient);
    const message = renderNotification(data.kind, contact.language, facts);
    if (data.recipient.type === 'person' && (data.channel === 'email' || data.channel === 'inbox') && !channelsWanted(preferences, data.kind).includes(data.channel)) {
      const reason = 'not_sent: channel_not_wanted';
      await this.recordFailure(data, history, reason, true);
      return { outcome: 'not_sent', reason };
    }

    if (data.channel === 'inbox') {
      await this.recordDelivered(data, history, { language: contact.language, title: message.title, body: message.body });
      return { outcome: 'delivered' };
    }
    if (data.channel === 'webhook') return this.deliverWebhook(data, history, source, contact.language, message.title, contact.noEmail);
    if (data.channel !== 'email') throw new PermanentFailure(`unsupported_channel: ${data.channel}`);

    const email = this.emailOf(contact);
    if ('notSent' in email) {
      await this.recordFailure(data, history, email.notSent, true);
      return { outcome: 'not_sent', reason: email.notSent };
    }
    const quietEnd = this.quietEnd(data, preferences);
    if (quietEnd) return waitUntil(quietEnd);
    const messageId = messageIdFor(data.notificationId, this.options.from);
    await this.mailer.send({ to: email.address, subject: message.title, text: message.body, language: contact.language, messageId });
    // A crash here sends again on retry, under the same Message-ID: at-least-once, recognisably one message.
    await this.recordDelivered(data, history, { language: contact.language, messageId });
    return { outcome: 'delivered', messageId };
  }

  /** POSTs the signed notification to the organisation's endpoints; only its status reaches the record, never a response body. */
  private async deliverWebhook(
    data: NotificationJobData,
    history: RecordedEvent[],
    source: RecordedEvent[],
    language: 'ja' | 'en',
    title: string,
    noEmail: Contact['noEmail'],
  ): Promise<DeliveryOutcome> {
    if (!this.webhooks) throw new PermanentFailure('webhooks_not_configured: this worker has no webhook channel');
    if (data.recipient.type !== 'organisation') throw new PermanentFailure('no_address: this recipient is not reached by webhook');
    if (noEmail === 'recipient_not_found') throw new PermanentFailure('no_address: the recipient does not exist');
    if (noEmail === 'recipient_deactivated') {
      await this.recordFailure(data, history, 'not_sent: recipient_deactivated', true);
      return { outcome: 'not_sent', reason: 'not_sent: recipient_deactivated' };
    }
    const sourceData = (source[source.length - 1].data ?? {}) as Record<string, unknown>;
    const ids: Record<string, string> = { sourceEventId: data.sourceEventId };
    for (const key of ['opportunityId', 'matchId', 'meetingId', 'spinOffId']) if (typeof sourceData[key] === 'string') ids[key] = sourceData[key] as string;
    const now = this.clock.now();
    const result = await this.webhooks.deliver({ notificationId: data.notificationId, organisationId: data.recipient.id, kind: data.kind, at: now.toISOString(), ids, title }, now);
    switch (result.outcome) {
      case 'delivered':
        await this.recordDelivered(data, history, { language });
        return { outcome: 'delivered' };
      case 'not_sent':
        await this.recordFailure(data, history, result.reason, true);
        return { outcome: 'not_sent', reason: result.reason };
      case 'permanent':
        throw new PermanentFailure(result.reason);
      case 'transient':
        throw new Error(result.reason);
    }
  }

  /** When a person's quiet hours end, if they are in them now and the e-mail may wait (not urgent). */
  private quietEnd(data: NotificationJobData, preferences: NotificationPreferences | undefined): Date | undefined {
    const settings = this.options.quietHours;
    if (!settings || data.recipient.type !== 'person' || URGENT_KINDS.includes(data.kind)) return undefined;
    const window = preferences?.quietHours === undefined ? settings.defaultWindow : preferences.quietHours;
    return quietUntil(this.clock.now(), window, settings.timeZone);
  }

  /** The address to use, a permanent failure (nothing to send to), or a reason not to send at all. */
  private emailOf(contact: Contact): { address: string } | { notSent: string } {
    if (contact.email) return { address: contact.email };
    switch (contact.noEmail) {
      case 'no_consent':
      case 'recipient_deactivated':
        return { notSent: `not_sent: ${contact.noEmail}` };
      case 'recipient_not_found':
        throw new PermanentFailure('no_address: the recipient does not exist');
      case 'no_email_channel':
        throw new PermanentFailure('no_address: this recipient is not reached by e-mail');
      default:
        throw new PermanentFailure('no_address: the recipient has no e-mail address');
    }
  }

  private async history(notificationId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(notificationStreamId(notificationId));
  }

  private about(data: NotificationJobData) {
    const { notificationId, recipient, channel, kind, sourceEventId, sourceStreamId, sourceRevision } = data;
    return { notificationId, recipient, channel, kind, sourceEventId, sourceStreamId, sourceRevision, at: this.clock.now().toISOString() };
  }

  private async recordDelivered(
    data: NotificationJobData,
    history: RecordedEvent[],
    details: { language: 'ja' | 'en'; title?: string; body?: string; messageId?: string },
  ): Promise<void> {
    const event: NotificationEvent = { type: 'NotificationDelivered', data: { ...this.about(data), ...details } };
    await this.append(data, history, deliveredEventId(data.notificationId), event, (after) => after.some((e) => e.type === 'NotificationDelivered'));
  }

  private async recordFailure(data: NotificationJobData, history: RecordedEvent[], reason: string, permanent: boolean): Promise<void> {
    const event: NotificationEvent = { type: 'NotificationFailed', data: { ...this.about(data), reason, permanent } };
    const id = failedEventId(data.notificationId, history.length);
    await this.append(data, history, id, event, (after) => after.some((e) => e.id === id || e.type === 'NotificationDelivered'));
  }

  /**
   * Appends at the revision read before sending. Losing a race to another worker with the same job (a stalled
   * job picked up twice) is fine when what it recorded settles the notification.
   */
  private async append(
    data: NotificationJobData,
    history: RecordedEvent[],
    id: string,
    event: NotificationEvent,
    settled: (after: RecordedEvent[]) => boolean,
  ): Promise<void> {
    const last = history[history.length - 1];
    const newEvent: NewEvent = {
      id,
      type: event.type,
      data: event.data,
      metadata: {
        causationId: data.sourceEventId,
        actor: { role: 'service', id: 'notifications-worker' },
        occurredAt: (event.data as { at: string }).at,
      },
    };
    try {
      await this.store.append(notificationStreamId(data.notificationId), [newEvent], { expectedRevision: last ? last.revision : 'no_stream' });
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError)) throw error;
      if (!settled(await this.history(data.notificationId))) throw error;
    }
  }
}

/** A failure that retrying cannot fix (no address, a source event that is gone). */
class PermanentFailure extends Error {}
