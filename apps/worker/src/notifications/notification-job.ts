import type { JobsOptions } from 'bullmq';
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, NotificationChannel, NotificationKind, Recipient } from '@tsunagi/notifications';

/** The one queue of notification deliveries; its Redis keys start with the configured prefix. */
export const NOTIFICATION_QUEUE = 'notifications';

/**
 * What a job carries: ids only. No name, address or message text ever reaches Redis; the processor resolves
 * them from the event store when it sends. `notificationId` is also the job id.
 */
export interface NotificationJobData {
  notificationId: string;
  channel: NotificationChannel;
  kind: NotificationKind;
  recipient: Recipient;
  sourceEventId: string;
  sourceStreamId: string;
  sourceRevision: number;
}

export interface DeliverySettings {
  /** Attempts per job before it fails (transient failures; a permanent one fails at once). */
  attempts: number;
  /** First retry delay in ms; doubles with every attempt, with jitter. */
  backoffMs: number;
}

/** Completed jobs stay a week (a replay within it is deduplicated by Redis too); failed jobs stay until removed. */
export const KEEP_COMPLETED = { age: 7 * 24 * 3600, count: 100_000 };

/** Options of a notification job, and of a follow-up job (then delayed by `delayMs`, none when it is past). */
export function notificationJobOptions(settings: DeliverySettings, jobId: string, delayMs?: number): JobsOptions {
  return {
    jobId,
    ...(delayMs !== undefined ? { delay: Math.max(0, Math.round(delayMs)) } : {}),
    attempts: settings.attempts,
    // Exponential with jitter: delay × 2^(attempt − 1), each spread over its upper half so retries do not stampede.
    backoff: { type: 'exponential', delay: settings.backoffMs, jitter: 0.5 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether what came out of Redis is a job this build can process (a malformed one fails at once). */
export function isNotificationJobData(value: unknown): value is NotificationJobData {
  const data = value as Partial<NotificationJobData> | null;
  return (
    !!data &&
    typeof data.notificationId === 'string' &&
    UUID.test(data.notificationId) &&
    NOTIFICATION_CHANNELS.includes(data.channel as NotificationChannel) &&
    NOTIFICATION_KINDS.includes(data.kind as NotificationKind) &&
    !!data.recipient &&
    ['person', 'organisation', 'subject'].includes(data.recipient.type) &&
    typeof data.recipient.id === 'string' &&
    isSourceOfJob(data)
  );
}

/** Whether a job names its source event well: an event id, a stream and a revision. */
export function isSourceOfJob(data: { sourceEventId?: unknown; sourceStreamId?: unknown; sourceRevision?: unknown }): boolean {
  return typeof data.sourceEventId === 'string' && typeof data.sourceStreamId === 'string' && Number.isInteger(data.sourceRevision) && (data.sourceRevision as number) >= 0;
}
