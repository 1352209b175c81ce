/**
 * What a notification is about. Shared vocabulary: notifications render one template per kind, and a person's
 * notification preferences (participants) choose channels per kind.
 */
export const NOTIFICATION_KINDS = [
  'match_proposed',
  'match_reminder',
  'match_accepted',
  'match_declined',
  'match_withdrawn',
  'match_expired',
  'match_confirmed',
  'match_started',
  'match_completed',
  'meeting_scheduled',
  'meeting_announced',
  'meeting_rescheduled',
  'meeting_cancelled',
  'meeting_reminder',
  'waitlist_promoted',
  'spinoff_launched',
  'spinoff_announced',
  'spinoff_role_invitation',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The channels a person may choose for a kind of message (webhooks belong to organisations). */
export const PERSON_CHANNELS = ['email', 'inbox'] as const;
export type PersonChannel = (typeof PERSON_CHANNELS)[number];
