import { DomainError, NOTIFICATION_KINDS, NotificationKind, PERSON_CHANNELS, PersonChannel, THEMES, Theme, WARDS, Ward } from '@tsunagi/domain';

/**
 * What a person chose about the messages tsunagi sends them: channels per kind of message (a kind left out gets
 * both e-mail and inbox), and quiet hours in Japan time during which non-urgent e-mail waits (null: none at all;
 * absent: the deployment's default, QUIET_HOURS).
 */
export interface NotificationPreferences {
  channels: Partial<Record<NotificationKind, PersonChannel[]>>;
  quietHours?: QuietHours | null;
}

/** "HH:MM"–"HH:MM" local time; a window that ends before it starts runs over midnight (21:00–08:00). */
export interface QuietHours {
  start: string;
  end: string;
}

/** Following an SDC (by its ward) or a theme: meetings scheduled there are announced to the follower. */
export type FollowTarget = { type: 'sdc'; ward: Ward } | { type: 'theme'; theme: Theme };

export const followKey = (target: FollowTarget) => (target.type === 'sdc' ? `sdc:${target.ward}` : `theme:${target.theme}`);

/** The target a followKey() names. */
export function followTargetOf(key: string): FollowTarget {
  const [type, value] = key.split(':');
  return type === 'sdc' ? { type: 'sdc', ward: value as Ward } : { type: 'theme', theme: value as Theme };
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

const invalid = (field: string) => new DomainError('person.invalid', 'invalid', { field });

/** Checks and normalises preferences: known kinds, channels as a set in canonical order, valid distinct times. */
export function normalisePreferences(preferences: NotificationPreferences): NotificationPreferences {
  if (!preferences || typeof preferences !== 'object' || !preferences.channels || typeof preferences.channels !== 'object') throw invalid('channels');
  const channels: NotificationPreferences['channels'] = {};
  for (const [kind, chosen] of Object.entries(preferences.channels)) {
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) throw invalid(`channels.${kind}`);
    if (!Array.isArray(chosen) || chosen.some((c) => !(PERSON_CHANNELS as readonly string[]).includes(c))) throw invalid(`channels.${kind}`);
    channels[kind as NotificationKind] = PERSON_CHANNELS.filter((c) => chosen.includes(c));
  }
  const { quietHours } = preferences;
  if (quietHours === undefined || quietHours === null) return { channels, ...(quietHours === null ? { quietHours: null } : {}) };
  if (typeof quietHours !== 'object' || !HH_MM.test(String(quietHours.start)) || !HH_MM.test(String(quietHours.end))) throw invalid('quietHours');
  if (quietHours.start === quietHours.end) throw invalid('quietHours');
  return { channels, quietHours: { start: quietHours.start, end: quietHours.end } };
}

export function normaliseFollowTarget(target: FollowTarget): FollowTarget {
  if (target?.type === 'sdc' && (WARDS as readonly string[]).includes(target.ward)) return { type: 'sdc', ward: target.ward };
  if (target?.type === 'theme' && (THEMES as readonly string[]).includes(target.theme)) return { type: 'theme', theme: target.theme };
  throw invalid('target');
}

/** The channels a person wants for a kind of message (both, unless they chose otherwise). */
export function channelsWanted(preferences: NotificationPreferences | undefined, kind: NotificationKind): readonly PersonChannel[] {
  return preferences?.channels[kind] ?? PERSON_CHANNELS;
}
