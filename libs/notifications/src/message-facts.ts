import { fold } from '@tsunagi/domain';
import { DeclineReason, OpportunityEvent, opportunityDecider } from '@tsunagi/matching';
import { MeetingEvent, MeetingFormat, meetingDecider } from '@tsunagi/meetings';
import { SpinOffEvent, spinOffDecider } from '@tsunagi/spinoffs';
import type { NotificationKind } from './notification.events';
import type { SourceEvent } from './notification.rules';

/**
 * What a message says, resolved when it is sent from the source stream (never carried in a job): titles,
 * times, places, hours. Taken as of the source event, so that a retry renders the same message and a
 * reschedule notice shows that reschedule's time, not a later one.
 */
export type MessageFacts =
  | { about: 'opportunity'; opportunityTitle: string; declineReason?: DeclineReason; hoursLogged?: number }
  | { about: 'meeting'; meetingTitle: string; startsAt?: string; endsAt?: string; format?: MeetingFormat; reason?: string }
  | { about: 'spinoff'; spinOffTitle: string; roleTitle?: string };

export const ABOUT_OF_KIND: Record<NotificationKind, MessageFacts['about']> = {
  match_proposed: 'opportunity',
  match_reminder: 'opportunity',
  match_accepted: 'opportunity',
  match_declined: 'opportunity',
  match_withdrawn: 'opportunity',
  match_expired: 'opportunity',
  match_confirmed: 'opportunity',
  match_started: 'opportunity',
  match_completed: 'opportunity',
  meeting_scheduled: 'meeting',
  meeting_announced: 'meeting',
  meeting_rescheduled: 'meeting',
  meeting_cancelled: 'meeting',
  meeting_reminder: 'meeting',
  waitlist_promoted: 'meeting',
  spinoff_launched: 'spinoff',
  spinoff_announced: 'spinoff',
  spinoff_role_invitation: 'spinoff',
};

export class MessageFactsError extends Error {}

/**
 * @param upToSource the source stream from its first event through the source event (the last element).
 */
export function messageFactsFor(kind: NotificationKind, upToSource: readonly SourceEvent[]): MessageFacts {
  const source = upToSource[upToSource.length - 1];
  if (!source) throw new MessageFactsError('the source event is missing');
  switch (ABOUT_OF_KIND[kind]) {
    case 'opportunity': {
      const state = fold(opportunityDecider, upToSource as unknown as OpportunityEvent[]);
      if (!state.profile) throw new MessageFactsError('the opportunity was never opened');
      const data = source.data as { matchId?: string; reason?: DeclineReason };
      const facts: MessageFacts = { about: 'opportunity', opportunityTitle: state.profile.title };
      if (kind === 'match_declined' && data.reason) facts.declineReason = data.reason;
      if (kind === 'match_completed') {
        const hours = Object.values(state.matches[data.matchId ?? '']?.hours ?? {});
        facts.hoursLogged = Math.round(hours.reduce((sum, entry) => sum + entry.hours, 0) * 100) / 100;
      }
      return facts;
    }
    case 'meeting': {
      const state = fold(meetingDecider, upToSource as unknown as MeetingEvent[]);
      if (!state.proposal) throw new MessageFactsError('the meeting was never proposed');
      const facts: MessageFacts = { about: 'meeting', meetingTitle: state.proposal.title };
      if (state.schedule) Object.assign(facts, { startsAt: state.schedule.startsAt, endsAt: state.schedule.endsAt, format: state.schedule.format });
      const reason = (source.data as { reason?: unknown }).reason;
      if ((kind === 'meeting_rescheduled' || kind === 'meeting_cancelled') && typeof reason === 'string') facts.reason = reason;
      return facts;
    }
    case 'spinoff': {
      const state = fold(spinOffDecider, upToSource as unknown as SpinOffEvent[]);
      if (!state.profile) throw new MessageFactsError('the spin-off was never proposed');
      const facts: MessageFacts = { about: 'spinoff', spinOffTitle: state.profile.title };
      if (kind === 'spinoff_role_invitation') {
        const roleId = (source.data as { roleId?: string }).roleId ?? '';
        const role = Object.hasOwn(state.roles, roleId) ? state.roles[roleId] : undefined;
        if (!role) throw new MessageFactsError('the role was never opened');
        facts.roleTitle = role.title;
      }
      return facts;
    }
  }
}
