import { EventEmitter } from 'node:events';
import type { Queue } from 'bullmq';
import type { EventStore, EventSubscription, RecordedEvent, SubscriptionBatchContext } from '@tsunagi/event-store';
import { NOTIFYING_EVENT_TYPES, WebhookEndpointDirectory, addresseesFor, notificationIdFor, notificationStreamId, notificationsFor } from '@tsunagi/notifications';
import type { DispatchCheckpoints } from './dispatch-checkpoint';
import type { NotificationDirectory } from './notification-directory';
import { DeliverySettings, NotificationJobData, notificationJobOptions } from './notification-job';

export interface DispatcherLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface DispatcherOptions {
  delivery: DeliverySettings;
  /** The checkpoint's name in worker.sqlite. */
  name?: string;
  batchSize?: number;
  /** After an error (the event store or Redis failing), start again from the saved checkpoint after this long. */
  restartDelayMs?: number;
  logger?: DispatcherLogger;
}

type BulkJob = Parameters<Queue<NotificationJobData>['addBulk']>[0][number];

/**
 * Turns domain events into notification jobs. Reads a checkpointed, filtered `$all` subscription; for each event
 * asks the rules who is told what, and enqueues one job per recipient and channel with jobId = notificationId
 * (derived from event id + recipient + channel). The checkpoint is saved after the batch's jobs were added, so a
 * crash replays at most one batch, and a replay from position 0 enqueues nothing new: the job ids already exist
 * in Redis, and a notification whose stream records an outcome is not enqueued at all.
 */
export class NotificationDispatcher {
  private subscription?: EventSubscription;
  private restartTimer?: NodeJS.Timeout;
  private stopping = false;
  private current = 0;
  private readonly progress = new EventEmitter();
  private readonly name: string;
  private readonly webhookEndpoints: WebhookEndpointDirectory;

  constructor(
    private readonly store: EventStore,
    private readonly queue: Queue<NotificationJobData>,
    private readonly checkpoints: DispatchCheckpoints,
    private readonly directory: NotificationDirectory,
    private readonly options: DispatcherOptions,
  ) {
    this.name = options.name ?? 'notifications';
    this.webhookEndpoints = new WebhookEndpointDirectory(store);
    this.progress.setMaxListeners(0);
  }

  /** The `$all` position handled so far (jobs added and checkpoint saved). */
  get position(): number {
    return this.current;
  }

  start(): void {
    this.stopping = false;
    this.current = this.checkpoints.get(this.name);
    this.subscription = this.store.subscribeToAll({
      after: this.current,
      filter: { eventTypes: NOTIFYING_EVENT_TYPES },
      maxBatchSize: this.options.batchSize ?? 200,
      onBatch: (events, context) => this.handle(events, context),
      onError: (error) => this.failed(error),
    });
  }

  /** Stops reading; waits for the batch in progress (at most `timeoutMs`: its jobs are re-added on the next start). */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const subscription = this.subscription;
    this.subscription = undefined;
    if (!subscription) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([subscription.stop(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Resolves true once everything up to `position` is enqueued, false after `timeoutMs`. */
  async waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    if (this.current >= position) return true;
    return new Promise((resolve) => {
      const onAdvance = () => {
        if (this.current >= position) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (reached: boolean) => {
        clearTimeout(timer);
        this.progress.off('advanced', onAdvance);
        resolve(reached);
      };
      this.progress.on('advanced', onAdvance);
    });
  }

  private async handle(events: RecordedEvent[], context: SubscriptionBatchContext): Promise<void> {
    const jobs: BulkJob[] = [];
    for (const event of events) jobs.push(...(await this.jobsFor(event)));
    if (jobs.length > 0) await this.queue.addBulk(jobs);
    if (context.checkpoint !== this.current) this.checkpoints.save(this.name, context.checkpoint);
    this.current = context.checkpoint;
    this.progress.emit('advanced');
  }

  /** The jobs one event causes, less those whose notification already has an outcome recorded. */
  async jobsFor(event: RecordedEvent): Promise<BulkJob[]> {
    const earlier = await this.directory.earlierEvents(event.streamId, event.revision);
    const addressees = addresseesFor(event, earlier);
    const people = addressees.filter((a) => a.recipient.type === 'person');
    const consents = new Map<string, boolean>();
    for (const { recipient } of people) consents.set(recipient.id, await this.directory.mayBeContactedBefore(recipient.id, event.position));
    // Organisations with an active webhook endpoint as of the event (read only when an organisation is told).
    const withWebhooks = addressees.some((a) => a.recipient.type === 'organisation')
      ? await this.webhookEndpoints.organisationsWithEndpointsBefore(event.position)
      : new Set<string>();
    const planned = notificationsFor(event, {
      earlier,
      mayBeContacted: (personId) => consents.get(personId) ?? false,
      hasWebhookEndpoint: (organisationId) => withWebhooks.has(organisationId),
    });

    const jobs: BulkJob[] = [];
    for (const { kind, recipient, channels } of planned) {
      for (const channel of channels) {
        const notificationId = notificationIdFor(event.id, recipient, channel);
        if (await this.settled(notificationId)) continue;
        const data: NotificationJobData = {
          notificationId,
          channel,
          kind,
          recipient: { type: recipient.type, id: recipient.id },
          sourceEventId: event.id,
          sourceStreamId: event.streamId,
          sourceRevision: event.revision,
        };
        jobs.push({ name: kind, data, opts: notificationJobOptions(this.options.delivery, notificationId) });
      }
    }
    return jobs;
  }

  /** Delivered, or given up on for good: a replay must not enqueue it again even after its job left Redis. */
  private async settled(notificationId: string): Promise<boolean> {
    const history = await this.store.readStream(notificationStreamId(notificationId));
    return history.some((e) => e.type === 'NotificationDelivered' || (e.type === 'NotificationFailed' && (e.data as { permanent?: boolean }).permanent));
  }

  private failed(error: Error): void {
    this.subscription = undefined;
    if (this.stopping) return;
    this.options.logger?.error(`Notification dispatcher stopped at position ${this.current}: ${error.message}; starting again from the checkpoint`);
    this.restartTimer = setTimeout(() => {
      if (!this.stopping) this.start();
    }, this.options.restartDelayMs ?? 5_000);
  }
}
