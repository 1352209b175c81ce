import { v5 as uuidv5 } from 'uuid';
import type { DomainEvent, NotificationKind } from '@tsunagi/domain';

export const NOTIFICATION_CHANNELS = ['email', 'webhook', 'inbox'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * Who is told: a person (email, inbox), an organisation (email to its contact address, webhooks, its
 * representatives' inbox), or a token subject such as a coordinator (inbox only: coordinators have no profile).
 */
export interface Recipient {
  type: 'person' | 'organisation' | 'subject';
  id: string;
}

/** What a notification is about (shared with person preferences, so it lives in @tsunagi/domain). */
export { NOTIFICATION_KINDS } from '@tsunagi/domain';
export type { NotificationKind } from '@tsunagi/domain';

interface About {
  notificationId: string;
  recipient: Recipient;
  channel: NotificationChannel;
  kind: NotificationKind;
  /** The domain event that caused it: enough to find it again (`readStream(sourceStreamId, { fromRevision })`). */
  sourceEventId: string;
  sourceStreamId: string;
  sourceRevision: number;
  at: string;
}

/**
 * One stream per notification, `notification-<notificationId>`, whose id is derived from the source event, the
 * recipient and the channel: a replay, a retried job or a second worker finds the delivery already recorded.
 * Inbox deliveries carry the rendered title and body (the recipient's own inbox); nothing else does.
 */
export type NotificationEvent =
  | DomainEvent<'NotificationDelivered', About & { language: 'ja' | 'en'; title?: string; body?: string; messageId?: string }>
  | DomainEvent<'NotificationFailed', About & { reason: string; permanent: boolean }>
  | DomainEvent<'NotificationRead', { notificationId: string; recipient: Recipient; by: string; at: string }>;

export const NOTIFICATION_EVENT_TYPES: readonly NotificationEvent['type'][] = ['NotificationDelivered', 'NotificationFailed', 'NotificationRead'];

const NOTIFICATION_NAMESPACE = '8a3f1d6e-93c1-4c2b-b6a4-1f0e2d7c5b90';

/**
 * @param followUp set for a notification that follows up on the source event later (a reminder): the source's own
 * notifications keep their ids, and the follow-up gets distinct ones, just as deterministic.
 */
export function notificationIdFor(sourceEventId: string, recipient: Recipient, channel: NotificationChannel, followUp?: NotificationKind): string {
  return uuidv5(`${sourceEventId}|${recipient.type}:${recipient.id}|${channel}${followUp ? `|${followUp}` : ''}`, NOTIFICATION_NAMESPACE);
}

export const notificationStreamId = (notificationId: string) => `notification-${notificationId}`;
