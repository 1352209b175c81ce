import type Database from 'better-sqlite3';

export interface MeetingFilter {
  meetingId?: string;
  /** The SDC, named by its ward code. */
  ward?: string;
  theme?: string;
  status?: string;
  seriesId?: string;
  /** Starts at or after this instant (ms since the epoch). */
  startsFrom?: number;
  /** Starts before this instant (ms since the epoch). */
  startsBefore?: number;
  /** Scheduled meetings that have not ended at this instant (ms since the epoch), soonest first. */
  upcomingAt?: number;
  /** The `nextCursor` of the previous page (see `meetingCursor`). */
  after?: string;
  limit: number;
}

export interface MeetingFormatView {
  mode: string;
  venue?: string;
  url?: string;
}

export interface MeetingView {
  meetingId: string;
  /** The SDC (its ward code). */
  sdc: string;
  title: string;
  themes: string[];
  purpose: string;
  preferredDates: string[];
  /** As scheduled; as proposed until then. */
  format: MeetingFormatView;
  capacity: number;
  newcomersWelcome: boolean;
  /** Left out by the API for callers who are not the proposer, one of the SDC's coordinators or an admin. */
  proposer?: { subject: string; personId?: string };
  series?: { seriesId: string; occurrence: number };
  status: string;
  startsAt?: string;
  endsAt?: string;
  registeredCount: number;
  waitlistCount: number;
  checkedInCount: number;
  placesLeft: number;
  /** Why it was rejected, withdrawn, rescheduled (the last time) or cancelled. */
  reason?: string;
  minutes?: string;
  contributions?: string[];
  outcomes?: { outcomeId: string; kind: string; text: string }[];
  /** Counted when it closed. */
  headcount?: { attendees: number; noShows: number; anonymousAttendees: number };
  proposedAt: string;
  scheduledAt?: string;
  closedAt?: string;
  updatedAt: string;
}

export interface MeetingParticipantView {
  personId: string;
  registration: 'registered' | 'waitlisted' | 'cancelled' | 'none';
  /** 1 = promoted next; only while waitlisted. */
  waitlistPosition?: number;
  wasWaitlisted: boolean;
  checkedIn: boolean;
  walkIn: boolean;
  registeredAt?: string;
  checkedInAt?: string;
}

/** A person's part in one meeting. */
export interface PersonMeetingView {
  meeting: MeetingView;
  proposed: boolean;
  registration?: MeetingParticipantView['registration'];
  waitlistPosition?: number;
  wasWaitlisted: boolean;
  attended: boolean;
  walkIn: boolean;
}

export const PERSON_MEETING_RELATIONS = ['proposed', 'registered', 'waitlisted', 'attended'] as const;
export type PersonMeetingRelation = (typeof PERSON_MEETING_RELATIONS)[number];

export interface PersonMeetingFilter {
  relation?: PersonMeetingRelation;
  after?: string;
  limit: number;
}

/** The cursor after a meeting: its id, or (for upcoming lists, ordered by start) its start and id. */
export function meetingCursor(meeting: MeetingView, upcoming: boolean): string {
  return upcoming ? `${Date.parse(meeting.startsAt!)}_${meeting.meetingId}` : meeting.meetingId;
}

const UPCOMING_CURSOR = /^(\d{1,16})_(.+)$/;

/** Whether `after` can be a cursor of this kind of list. */
export function isMeetingCursor(after: string, upcoming: boolean): boolean {
  return !upcoming || UPCOMING_CURSOR.test(after);
}

/** Reads over the meetings read model. */
export class MeetingsQueries {
  constructor(private readonly db: Database.Database) {}

  meetings(filter: MeetingFilter): MeetingView[] {
    const where: string[] = [];
    const params: unknown[] = [];
    const upcoming = filter.upcomingAt !== undefined;
    for (const [column, value] of [
      ['m.meeting_id', filter.meetingId],
      ['m.sdc', filter.ward],
      ['m.status', filter.status],
      ['m.series_id', filter.seriesId],
    ] as const) {
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    if (filter.theme !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(m.themes) WHERE value = ?)');
      params.push(filter.theme);
    }
    if (filter.startsFrom !== undefined) {
      where.push('m.starts_at_ms >= ?');
      params.push(filter.startsFrom);
    }
    if (filter.startsBefore !== undefined) {
      where.push('m.starts_at_ms < ?');
      params.push(filter.startsBefore);
    }
    let order = 'm.meeting_id';
    if (upcoming) {
      where.push("m.status = 'scheduled' AND m.ends_at_ms > ?");
      params.push(filter.upcomingAt);
      order = 'm.starts_at_ms, m.meeting_id';
      const cursor = filter.after === undefined ? undefined : UPCOMING_CURSOR.exec(filter.after);
      if (cursor) {
        where.push('(m.starts_at_ms > ? OR (m.starts_at_ms = ? AND m.meeting_id > ?))');
        params.push(Number(cursor[1]), Number(cursor[1]), cursor[2]);
      }
    } else if (filter.after !== undefined) {
      where.push('m.meeting_id > ?');
      params.push(filter.after);
    }
    params.push(filter.limit);
    const sql = `SELECT * FROM meetings m ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
    return this.db.prepare(sql).all(...params).map(toMeeting);
  }

  meeting(meetingId: string): MeetingView | undefined {
    const row = this.db.prepare('SELECT * FROM meetings WHERE meeting_id = ?').get(meetingId);
    return row ? toMeeting(row) : undefined;
  }

  /** Everyone who registered, waited or came: places in the order they were taken, then the waitlist in order. */
  participants(meetingId: string): MeetingParticipantView[] {
    return this.db
      .prepare(
        `SELECT * FROM meeting_participants WHERE meeting_id = ?
         ORDER BY CASE registration WHEN 'registered' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, waitlist_position, since_position, person_id`,
      )
      .all(meetingId)
      .map(toParticipant);
  }

  participant(meetingId: string, personId: string): MeetingParticipantView | undefined {
    const row = this.db.prepare('SELECT * FROM meeting_participants WHERE meeting_id = ? AND person_id = ?').get(meetingId, personId);
    return row ? toParticipant(row) : undefined;
  }

  /** The meetings a person proposed, registered for, waited for or attended; by meeting id. */
  personMeetings(personId: string, filter: PersonMeetingFilter): PersonMeetingView[] {
    const relation = {
      proposed: 'm.proposer_person_id = @personId',
      registered: "p.registration = 'registered'",
      waitlisted: 'p.was_waitlisted = 1',
      attended: 'p.checked_in = 1',
    };
    const where = ['(m.proposer_person_id = @personId OR p.person_id IS NOT NULL)', 'm.meeting_id > @after'];
    if (filter.relation) where.push(relation[filter.relation]);
    const rows = this.db
      .prepare(
        `SELECT m.*, p.person_id AS p_person_id, p.registration AS p_registration, p.waitlist_position AS p_waitlist_position,
                p.was_waitlisted AS p_was_waitlisted, p.checked_in AS p_checked_in, p.walk_in AS p_walk_in
         FROM meetings m LEFT JOIN meeting_participants p ON p.meeting_id = m.meeting_id AND p.person_id = @personId
         WHERE ${where.join(' AND ')} ORDER BY m.meeting_id LIMIT @limit`,
      )
      .all({ personId, after: filter.after ?? '', limit: filter.limit }) as Record<string, unknown>[];
    return rows.map((row) => ({
      meeting: toMeeting(row),
      proposed: row.proposer_person_id === personId,
      ...(row.p_person_id ? { registration: row.p_registration as MeetingParticipantView['registration'] } : {}),
      ...(row.p_waitlist_position !== null && row.p_waitlist_position !== undefined ? { waitlistPosition: row.p_waitlist_position as number } : {}),
      wasWaitlisted: row.p_was_waitlisted === 1,
      attended: row.p_checked_in === 1,
      walkIn: row.p_walk_in === 1,
    }));
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function toMeeting(row: any): MeetingView {
  return {
    meetingId: row.meeting_id,
    sdc: row.sdc,
    title: row.title,
    themes: JSON.parse(row.themes),
    purpose: row.purpose,
    preferredDates: JSON.parse(row.preferred_dates),
    format: JSON.parse(row.format),
    capacity: row.capacity,
    newcomersWelcome: row.newcomers_welcome === 1,
    proposer: { subject: row.proposer_subject, ...(row.proposer_person_id ? { personId: row.proposer_person_id } : {}) },
    ...(row.series_id ? { series: { seriesId: row.series_id, occurrence: row.series_occurrence } } : {}),
    status: row.status,
    ...(row.starts_at ? { startsAt: row.starts_at, endsAt: row.ends_at } : {}),
    registeredCount: row.registered_count,
    waitlistCount: row.waitlist_count,
    checkedInCount: row.checked_in_count,
    placesLeft: Math.max(0, row.capacity - row.registered_count),
    ...(row.reason !== null ? { reason: row.reason } : {}),
    ...(row.status === 'closed'
      ? {
          minutes: row.minutes,
          contributions: JSON.parse(row.contributions),
          outcomes: JSON.parse(row.outcomes),
          headcount: { attendees: row.attendees, noShows: row.no_shows, anonymousAttendees: row.anonymous_attendees },
        }
      : {}),
    proposedAt: row.proposed_at,
    ...(row.scheduled_at ? { scheduledAt: row.scheduled_at } : {}),
    ...(row.closed_at ? { closedAt: row.closed_at } : {}),
    updatedAt: row.updated_at,
  };
}

function toParticipant(row: any): MeetingParticipantView {
  return {
    personId: row.person_id,
    registration: row.registration,
    ...(row.waitlist_position !== null ? { waitlistPosition: row.waitlist_position } : {}),
    wasWaitlisted: row.was_waitlisted === 1,
    checkedIn: row.checked_in === 1,
    walkIn: row.walk_in === 1,
    ...(row.registered_at ? { registeredAt: row.registered_at } : {}),
    ...(row.checked_in_at ? { checkedInAt: row.checked_in_at } : {}),
  };
}
