import { fold } from '@tsunagi/domain';
import { OpportunityEvent, opportunityDecider } from '@tsunagi/matching';
import { MeetingEvent, meetingDecider } from '@tsunagi/meetings';
import type { NotificationKind, Recipient } from './notification.events';
import { SourceEvent, candidateRecipient } from './notification.rules';

/**
 * Follow-ups: what happens later because of an event, if nothing has changed by then. A proposal left unanswered
 * is followed by a reminder and then by its expiry; a scheduled (or rescheduled) meeting by a reminder to the
 * people registered. Pure: the worker turns each planned follow-up into a delayed job, and at fire time asks
 * `followUpAtFireTime` what to do, on the source stream as it is then.
 */
export const FOLLOW_UPS = ['match_reminder', 'match_expiry', 'meeting_reminder'] as const;
export type FollowUp = (typeof FOLLOW_UPS)[number];

export interface FollowUpSettings {
  /** A proposal unanswered this long after it was made gets a reminder (MATCH_REMINDER_AFTER_MS). */
  matchReminderAfterMs: number;
  /** … and this long after, it expires (MATCH_EXPIRY_AFTER_MS, longer than the reminder's). */
  matchExpiryAfterMs: number;
  /** Registered people are reminded this long before a meeting starts (MEETING_REMINDER_BEFORE_MS). */
  meetingReminderBeforeMs: number;
}

export interface PlannedFollowUp {
  followUp: FollowUp;
  /** When it should fire (ISO-8601); in the past on a late replay, when it fires at once and finds nothing to do. */
  fireAt: string;
}

const plus = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

/** The follow-ups an event starts, timed from the event's own decision time (so a replay plans the same times). */
export function followUpsFor(event: SourceEvent, settings: FollowUpSettings): PlannedFollowUp[] {
  switch (event.type) {
    case 'MatchProposed': {
      const { at } = event.data as { at: string };
      return [
        { followUp: 'match_reminder', fireAt: plus(at, settings.matchReminderAfterMs) },
        { followUp: 'match_expiry', fireAt: plus(at, settings.matchExpiryAfterMs) },
      ];
    }
    case 'MeetingScheduled':
    case 'MeetingRescheduled': {
      const { startsAt, at } = event.data as { startsAt: string; at: string };
      const fireAt = plus(startsAt, -settings.meetingReminderBeforeMs);
      // Set for a time already within the reminder's reach: the scheduling notice itself is the reminder.
      return Date.parse(fireAt) > Date.parse(at) ? [{ followUp: 'meeting_reminder', fireAt }] : [];
    }
    default:
      return [];
  }
}

export type FollowUpDecision =
  | { due: false; reason: 'answered' | 'opportunity_closed' | 'not_scheduled' | 'superseded' | 'started' | 'unknown' }
  | { due: true; action: 'notify'; kind: NotificationKind; recipients: Recipient[] }
  | { due: true; action: 'expire_match'; opportunityId: string; matchId: string };

/**
 * What a follow-up does when it fires, decided on the source stream as it is now (`current`, from revision 0):
 * nothing when the proposal was answered (or withdrawn), the meeting cancelled, rescheduled again or already
 * begun; otherwise the reminder to whoever it concerns now, or the expiry.
 */
export function followUpAtFireTime(followUp: FollowUp, source: SourceEvent, sourceRevision: number, current: readonly SourceEvent[], now: Date): FollowUpDecision {
  switch (followUp) {
    case 'match_reminder':
    case 'match_expiry': {
      const { opportunityId, matchId } = source.data as { opportunityId: string; matchId: string };
      const state = fold(opportunityDecider, current as unknown as OpportunityEvent[]);
      const match = state.matches[matchId];
      if (!match) return { due: false, reason: 'unknown' };
      if (match.status !== 'proposed') return { due: false, reason: 'answered' };
      if (followUp === 'match_expiry') return { due: true, action: 'expire_match', opportunityId, matchId };
      // Nobody is urged to answer for an opportunity that closed meanwhile; the expiry still tidies the match up.
      if (state.status !== 'open') return { due: false, reason: 'opportunity_closed' };
      return { due: true, action: 'notify', kind: 'match_reminder', recipients: [candidateRecipient(match.candidate)] };
    }
    case 'meeting_reminder': {
      const state = fold(meetingDecider, current as unknown as MeetingEvent[]);
      if (state.status !== 'scheduled' || !state.schedule) return { due: false, reason: 'not_scheduled' };
      if (current.slice(sourceRevision + 1).some((e) => e.type === 'MeetingRescheduled')) return { due: false, reason: 'superseded' };
      if (now.getTime() >= Date.parse(state.schedule.startsAt)) return { due: false, reason: 'started' };
      return { due: true, action: 'notify', kind: 'meeting_reminder', recipients: state.registered.map((id) => ({ type: 'person', id })) };
    }
  }
}
