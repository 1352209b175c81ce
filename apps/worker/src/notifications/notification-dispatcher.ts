import { EventEmitter } from 'node:events';
import type { Queue } from 'bullmq';
import type { EventStore, EventSubscription, RecordedEvent, SubscriptionBatchContext } from '@tsunagi/event-store';
import type { Clock } from '@tsunagi/event-store';
import { FollowUpSettings, NOTIFYING_EVENT_TYPES, addresseesFor, followTargetsOf, followUpsFor } from '@tsunagi/notifications';
import type { DispatchCheckpoints } from './dispatch-checkpoint';
import { FollowUpJobData, followUpIdFor } from './follow-up-job';
import type { NotificationDirectory } from './notification-directory';
import { DeliverySettings, NotificationJobData, notificationJobOptions } from './notification-job';
import { NotificationBulkJob, NotificationPlanner } from './notification-planner';

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
  /**
   * A batch that enqueued nothing moves the checkpoint on in memory; it is saved with the next batch that enqueues,
   * at stop, or once this long has passed since the last save. (Every delivery record is such a batch: saving each
   * one synchronously would block the process on an fsync per delivered notification.)
   */
  idleSaveMs?: number;
  logger?: DispatcherLogger;
  /** Reminders and expiries: the queue of delayed follow-up jobs, their timing, and the clock the delays start from. */
  followUps?: { queue: Queue<FollowUpJobData>; settings: FollowUpSettings; clock: Clock };
}

type FollowUpBulkJob = Parameters<Queue<FollowUpJobData>['addBulk']>[0][number];

/**
 * Turns domain events into notification jobs. Reads a checkpointed, filtered `$all` subscription; for each event
 * asks the rules who is told what, and enqueues one job per recipient and channel with jobId = notificationId
 * (derived from event id + recipient + channel). The checkpoint is saved after the batch's jobs were added, so a
 * crash replays at most one batch that enqueued something (and the batches after it that enqueued nothing, whose
 * checkpoint is saved lazily), and a replay from position 0 enqueues nothing new: the job ids already exist in
 * Redis, and a notification whose stream records an outcome is not enqueued at all.
 */
export class NotificationDispatcher {
  private subscription?: EventSubscription;
  private restartTimer?: NodeJS.Timeout;
  private stopping = false;
  private current = 0;
  private saved = 0;
  private savedAt = 0;
  private readonly progress = new EventEmitter();
  private readonly name: string;
  private readonly planner: NotificationPlanner;

  constructor(
    private readonly store: EventStore,
    private readonly queue: Queue<NotificationJobData>,
    private readonly checkpoints: DispatchCheckpoints,
    private readonly directory: NotificationDirectory,
    private readonly options: DispatcherOptions,
  ) {
    this.name = options.name ?? 'notifications';
    this.planner = new NotificationPlanner(store, directory, options.delivery);
    this.progress.setMaxListeners(0);
  }

  /** The `$all` position handled so far (jobs added and checkpoint saved). */
  get position(): number {
    return this.current;
  }

  start(): void {
    this.stopping = false;
    this.current = this.saved = this.checkpoints.get(this.name);
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
    // Everything up to `current` is enqueued (a batch still in progress has not moved it).
    this.save();
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
    const jobs: NotificationBulkJob[] = [];
    const followUps: FollowUpBulkJob[] = [];
    for (const event of events) {
      jobs.push(...(await this.jobsFor(event)));
      followUps.push(...this.followUpJobsFor(event));
    }
    // Follow-ups first: a crash between the two adds replays the batch, and both adds are idempotent by job id.
    if (followUps.length > 0) await this.options.followUps!.queue.addBulk(followUps);
    if (jobs.length > 0) await this.queue.addBulk(jobs);
    this.current = context.checkpoint;
    // A batch that enqueued nothing replays harmlessly: its checkpoint may wait (see `idleSaveMs`).
    if (jobs.length + followUps.length > 0 || Date.now() - this.savedAt >= (this.options.idleSaveMs ?? 1_000)) this.save();
    this.progress.emit('advanced');
  }

  private save(): void {
    if (this.current === this.saved) return;
    this.checkpoints.save(this.name, this.current);
    this.saved = this.current;
    this.savedAt = Date.now();
  }

  /** The jobs one event causes, less those whose notification already has an outcome recorded. */
  async jobsFor(event: RecordedEvent): Promise<NotificationBulkJob[]> {
    const earlier = await this.directory.earlierEvents(event.streamId, event.revision);
    const targets = followTargetsOf(event, earlier);
    const followers = targets ? await this.directory.followersBefore(targets, event.position) : [];
    return this.planner.jobsFor(addresseesFor(event, earlier, followers), event, event.position);
  }

  /**
   * The delayed jobs an event starts (a reminder and an expiry for a proposal, a reminder for a meeting), with ids
   * derived from the event: a replay adds jobs that exist already, or that fire at once and find nothing to do.
   */
  followUpJobsFor(event: RecordedEvent): FollowUpBulkJob[] {
    const followUps = this.options.followUps;
    if (!followUps) return [];
    const now = followUps.clock.now().getTime();
    return followUpsFor(event, followUps.settings).map(({ followUp, fireAt }) => {
      const followUpId = followUpIdFor(followUp, event.id);
      const data: FollowUpJobData = { followUpId, followUp, sourceEventId: event.id, sourceStreamId: event.streamId, sourceRevision: event.revision };
      return { name: followUp, data, opts: notificationJobOptions(this.options.delivery, followUpId, Date.parse(fireAt) - now) };
    });
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
