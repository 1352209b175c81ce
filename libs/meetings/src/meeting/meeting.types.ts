import type { Theme, Ward } from '@tsunagi/domain';

export type MeetingFormat =
  | { mode: 'in_person'; venue: string }
  | { mode: 'online'; url: string }
  | { mode: 'hybrid'; venue: string; url: string };

export interface MeetingProposal {
  /** SDCs are one per ward, so an SDC is named by its ward code. */
  sdc: Ward;
  title: string;
  themes: Theme[];
  purpose: string;
  /** YYYY-MM-DD, Asia/Tokyo. */
  preferredDates: string[];
  format: MeetingFormat;
  capacity: number;
  newcomersWelcome: boolean;
}

export interface MeetingSchedule {
  /** ISO-8601 with the +09:00 offset (Asia/Tokyo has no daylight saving time). */
  startsAt: string;
  endsAt: string;
  format: MeetingFormat;
  capacity: number;
}

export interface MeetingOutcome {
  outcomeId: string;
  kind: 'idea' | 'decision' | 'action';
  text: string;
}

/** Who proposed: the token subject, and the person when the proposer is a registered person (for the ladder). */
export interface Proposer {
  subject: string;
  personId?: string;
}

export const MEETING_STATUSES = ['proposed', 'scheduled', 'rejected', 'withdrawn', 'cancelled', 'closed'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

/** A repeating meeting (a monthly YORIAI): each occurrence is its own meeting that knows its series. */
export interface SeriesLink {
  seriesId: string;
  occurrence: number;
}
