import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@tsunagi/event-store';
import { MEETING_EVENT_TYPES, MeetingEvent, MeetingSchedule } from '@tsunagi/meetings';
import type { Projection } from '../runner/projection';

const json = (value: unknown) => JSON.stringify(value);

/**
 * SDC meetings with their registrations, waitlist and attendance, for calendars, lists and the people who run
 * them. A meeting's participants live in its stream, so the meeting row's position guards them: every event
 * first moves the row's `last_position` forward (an event that is not newer changes nothing), then touches
 * its participant. Replaying events never counts anyone twice nor moves anyone in the waitlist.
 *
 * A participant's `registration` is what the meeting decider holds for them: `registered` (a place),
 * `waitlisted` (with their current rank, 1 = promoted next), `cancelled`, or `none` (came without a place:
 * a walk-in, or someone who was waiting and came anyway). Attendance is `checked_in` and `walk_in`.
 */
export class MeetingsProjection implements Projection {
  readonly name = 'meetings';
  readonly version = 1;
  readonly eventTypes = MEETING_EVENT_TYPES;
  private statements!: Record<string, Database.Statement>;

  setUp(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS meetings (
        meeting_id          TEXT PRIMARY KEY,
        sdc                 TEXT NOT NULL,
        title               TEXT NOT NULL,
        themes              TEXT NOT NULL,
        purpose             TEXT NOT NULL,
        preferred_dates     TEXT NOT NULL,
        format              TEXT NOT NULL,
        capacity            INTEGER NOT NULL,
        newcomers_welcome   INTEGER NOT NULL,
        proposer_subject    TEXT NOT NULL,
        proposer_person_id  TEXT,
        series_id           TEXT,
        series_occurrence   INTEGER,
        status              TEXT NOT NULL,
        starts_at           TEXT,
        ends_at             TEXT,
        starts_at_ms        INTEGER,
        ends_at_ms          INTEGER,
        registered_count    INTEGER NOT NULL DEFAULT 0,
        waitlist_count      INTEGER NOT NULL DEFAULT 0,
        checked_in_count    INTEGER NOT NULL DEFAULT 0,
        reason              TEXT,
        minutes             TEXT,
        contributions       TEXT,
        outcomes            TEXT,
        attendees           INTEGER,
        no_shows            INTEGER,
        anonymous_attendees INTEGER,
        proposed_at         TEXT NOT NULL,
        scheduled_at        TEXT,
        closed_at           TEXT,
        updated_at          TEXT NOT NULL,
        last_position       INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS meetings_sdc ON meetings (sdc, status, meeting_id);
      CREATE INDEX IF NOT EXISTS meetings_starts ON meetings (status, starts_at_ms, meeting_id);
      CREATE INDEX IF NOT EXISTS meetings_series ON meetings (series_id, series_occurrence);
      CREATE INDEX IF NOT EXISTS meetings_proposer ON meetings (proposer_person_id, meeting_id);
      CREATE TABLE IF NOT EXISTS meeting_participants (
        meeting_id        TEXT NOT NULL,
        person_id         TEXT NOT NULL,
        registration      TEXT NOT NULL,
        waitlist_position INTEGER,
        was_waitlisted    INTEGER NOT NULL DEFAULT 0,
        checked_in        INTEGER NOT NULL DEFAULT 0,
        walk_in           INTEGER NOT NULL DEFAULT 0,
        registered_at     TEXT,
        checked_in_at     TEXT,
        since_position    INTEGER NOT NULL,
        updated_at        TEXT NOT NULL,
        PRIMARY KEY (meeting_id, person_id)
      );
      CREATE INDEX IF NOT EXISTS meeting_participants_person ON meeting_participants (person_id, meeting_id);
    `);
    this.statements = {
      propose: db.prepare(`
        INSERT INTO meetings (meeting_id, sdc, title, themes, purpose, preferred_dates, format, capacity, newcomers_welcome,
                              proposer_subject, proposer_person_id, series_id, series_occurrence, status, proposed_at, updated_at, last_position)
        VALUES (@meetingId, @sdc, @title, @themes, @purpose, @preferredDates, @format, @capacity, @newcomersWelcome,
                @proposerSubject, @proposerPersonId, @seriesId, @seriesOccurrence, 'proposed', @at, @at, @position)
        ON CONFLICT (meeting_id) DO NOTHING`),
      schedule: db.prepare(`
        UPDATE meetings SET status = 'scheduled', starts_at = @startsAt, ends_at = @endsAt, starts_at_ms = @startsAtMs, ends_at_ms = @endsAtMs,
          format = @format, capacity = @capacity, reason = coalesce(@reason, reason), scheduled_at = coalesce(scheduled_at, @at),
          updated_at = @at, last_position = @position
        WHERE meeting_id = @meetingId AND last_position < @position`),
      setStatus: db.prepare(`
        UPDATE meetings SET status = @status, reason = @reason, updated_at = @at, last_position = @position
        WHERE meeting_id = @meetingId AND last_position < @position`),
      close: db.prepare(`
        UPDATE meetings SET status = 'closed', minutes = @minutes, contributions = @contributions, outcomes = @outcomes,
          attendees = @attendees, no_shows = @noShows, anonymous_attendees = @anonymousAttendees, closed_at = @at,
          updated_at = @at, last_position = @position
        WHERE meeting_id = @meetingId AND last_position < @position`),
      /** Participant events: the meeting row's position guards them. */
      touch: db.prepare(`
        UPDATE meetings SET updated_at = @at, last_position = @position
        WHERE meeting_id = @meetingId AND last_position < @position`),
      participant: db.prepare('SELECT registration, waitlist_position FROM meeting_participants WHERE meeting_id = ? AND person_id = ?'),
      register: db.prepare(`
        INSERT INTO meeting_participants (meeting_id, person_id, registration, registered_at, since_position, updated_at)
        VALUES (@meetingId, @personId, 'registered', @at, @position, @at)
        ON CONFLICT (meeting_id, person_id) DO UPDATE SET registration = 'registered', waitlist_position = NULL,
          registered_at = excluded.registered_at, since_position = excluded.since_position, updated_at = excluded.updated_at`),
      waitlist: db.prepare(`
        INSERT INTO meeting_participants (meeting_id, person_id, registration, waitlist_position, was_waitlisted, registered_at, since_position, updated_at)
        VALUES (@meetingId, @personId, 'waitlisted', @waitlistPosition, 1, @at, @position, @at)
        ON CONFLICT (meeting_id, person_id) DO UPDATE SET registration = 'waitlisted', waitlist_position = excluded.waitlist_position,
          was_waitlisted = 1, registered_at = excluded.registered_at, since_position = excluded.since_position, updated_at = excluded.updated_at`),
      setRegistration: db.prepare(`
        UPDATE meeting_participants SET registration = @registration, waitlist_position = NULL, since_position = @position, updated_at = @at
        WHERE meeting_id = @meetingId AND person_id = @personId`),
      /** Everyone behind someone who left the waitlist moves up one. */
      moveUp: db.prepare(`
        UPDATE meeting_participants SET waitlist_position = waitlist_position - 1
        WHERE meeting_id = @meetingId AND registration = 'waitlisted' AND waitlist_position > @from`),
      checkIn: db.prepare(`
        INSERT INTO meeting_participants (meeting_id, person_id, registration, checked_in, walk_in, checked_in_at, since_position, updated_at)
        VALUES (@meetingId, @personId, 'none', 1, @walkIn, @at, @position, @at)
        ON CONFLICT (meeting_id, person_id) DO UPDATE SET checked_in = 1, walk_in = excluded.walk_in, checked_in_at = excluded.checked_in_at,
          updated_at = excluded.updated_at`),
      recount: db.prepare(`
        UPDATE meetings SET
          registered_count = (SELECT count(*) FROM meeting_participants WHERE meeting_id = @meetingId AND registration = 'registered'),
          waitlist_count = (SELECT count(*) FROM meeting_participants WHERE meeting_id = @meetingId AND registration = 'waitlisted'),
          checked_in_count = (SELECT count(*) FROM meeting_participants WHERE meeting_id = @meetingId AND checked_in = 1)
        WHERE meeting_id = @meetingId`),
    };
  }

  tearDown(db: Database.Database): void {
    db.exec('DROP TABLE IF EXISTS meetings; DROP TABLE IF EXISTS meeting_participants;');
  }

  /** Takes someone off the waitlist (if they were on it) with a new registration status; those behind move up. */
  private leaveWaitlist(meetingId: string, personId: string, registration: string, at: string, position: number): void {
    const row = this.statements.participant.get(meetingId, personId) as { registration: string; waitlist_position: number | null } | undefined;
    this.statements.setRegistration.run({ meetingId, personId, registration, at, position });
    if (row?.registration === 'waitlisted' && row.waitlist_position !== null) this.statements.moveUp.run({ meetingId, from: row.waitlist_position });
  }

  apply(recorded: RecordedEvent): void {
    const event = recorded as unknown as MeetingEvent;
    const position = recorded.position;
    const s = this.statements;
    const { meetingId, at } = event.data;
    switch (event.type) {
      case 'MeetingProposed': {
        const d = event.data;
        s.propose.run({
          meetingId,
          sdc: d.sdc,
          title: d.title,
          themes: json(d.themes),
          purpose: d.purpose,
          preferredDates: json(d.preferredDates),
          format: json(d.format),
          capacity: d.capacity,
          newcomersWelcome: d.newcomersWelcome ? 1 : 0,
          proposerSubject: d.proposer.subject,
          proposerPersonId: d.proposer.personId ?? null,
          seriesId: d.series?.seriesId ?? null,
          seriesOccurrence: d.series?.occurrence ?? null,
          at,
          position,
        });
        return;
      }
      case 'MeetingScheduled':
      case 'MeetingRescheduled':
        s.schedule.run({ meetingId, at, position, ...scheduleColumns(event.data), reason: event.type === 'MeetingRescheduled' ? event.data.reason : null });
        return;
      case 'MeetingRejected':
      case 'MeetingProposalWithdrawn':
      case 'MeetingCancelled':
        s.setStatus.run({ meetingId, status: STATUS_AFTER[event.type], reason: event.data.reason ?? null, at, position });
        return;
      case 'MeetingClosed': {
        const d = event.data;
        s.close.run({
          meetingId,
          minutes: d.minutes,
          contributions: json(d.contributions),
          outcomes: json(d.outcomes),
          attendees: d.attendees,
          noShows: d.noShows,
          anonymousAttendees: d.anonymousAttendees,
          at,
          position,
        });
        return;
      }
    }
    // Registrations, the waitlist and attendance.
    if (!s.touch.run({ meetingId, at, position }).changes) return;
    const { personId } = event.data;
    switch (event.type) {
      case 'RegisteredForMeeting':
        s.register.run({ meetingId, personId, at, position });
        break;
      case 'WaitlistedForMeeting':
        s.waitlist.run({ meetingId, personId, waitlistPosition: event.data.waitlistPosition, at, position });
        break;
      case 'MeetingRegistrationCancelled':
        this.leaveWaitlist(meetingId, personId, 'cancelled', at, position);
        break;
      case 'PromotedFromWaitlist':
        this.leaveWaitlist(meetingId, personId, 'registered', at, position);
        break;
      case 'AttendeeCheckedIn': {
        // The decider takes a waiting person who comes anyway off the waitlist: they came without a place.
        const row = s.participant.get(meetingId, personId) as { registration: string } | undefined;
        if (row?.registration === 'waitlisted') this.leaveWaitlist(meetingId, personId, 'none', at, position);
        s.checkIn.run({ meetingId, personId, walkIn: event.data.walkIn ? 1 : 0, at, position });
        break;
      }
    }
    s.recount.run({ meetingId });
  }
}

const STATUS_AFTER = { MeetingRejected: 'rejected', MeetingProposalWithdrawn: 'withdrawn', MeetingCancelled: 'cancelled' } as const;

function scheduleColumns(schedule: MeetingSchedule) {
  return {
    startsAt: schedule.startsAt,
    endsAt: schedule.endsAt,
    startsAtMs: Date.parse(schedule.startsAt),
    endsAtMs: Date.parse(schedule.endsAt),
    format: json(schedule.format),
    capacity: schedule.capacity,
  };
}
