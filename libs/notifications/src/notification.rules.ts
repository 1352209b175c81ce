import { fold } from '@tsunagi/domain';
import { OpportunityEvent, opportunityDecider } from '@tsunagi/matching';
import { MeetingEvent, meetingDecider } from '@tsunagi/meetings';
import { SpinOffEvent, spinOffDecider } from '@tsunagi/spinoffs';
import type { NotificationChannel, NotificationKind, Recipient } from './notification.events';

/**
 * Who is told what, for each domain event that notifies: pure functions of the event and the facts handed in.
 * The dispatcher reads those facts from the event store; the same event with the same facts always gives the
 * same notifications, so a replay plans exactly what the first pass planned (and enqueues nothing new).
 */

/** The domain events that notify anyone; the dispatcher's subscription is filtered to these. */
export const NOTIFYING_EVENT_TYPES = [
  'MatchProposed',
  'MatchAccepted',
  'MatchDeclined',
  'MatchWithdrawn',
  'MatchExpired',
  'MatchConfirmed',
  'MatchStarted',
  'MatchCompleted',
  'MeetingScheduled',
  'MeetingRescheduled',
  'MeetingCancelled',
  'PromotedFromWaitlist',
  'SpinOffLaunched',
  'SpinOffRoleInvitationsSent',
] as const;
export type NotifyingEventType = (typeof NOTIFYING_EVENT_TYPES)[number];

export const KIND_OF_EVENT: Record<NotifyingEventType, NotificationKind> = {
  MatchProposed: 'match_proposed',
  MatchAccepted: 'match_accepted',
  MatchDeclined: 'match_declined',
  MatchWithdrawn: 'match_withdrawn',
  MatchExpired: 'match_expired',
  MatchConfirmed: 'match_confirmed',
  MatchStarted: 'match_started',
  MatchCompleted: 'match_completed',
  MeetingScheduled: 'meeting_scheduled',
  MeetingRescheduled: 'meeting_rescheduled',
  MeetingCancelled: 'meeting_cancelled',
  PromotedFromWaitlist: 'waitlist_promoted',
  SpinOffLaunched: 'spinoff_launched',
  SpinOffRoleInvitationsSent: 'spinoff_role_invitation',
};

/**
 * Kinds that go only to people who agreed to be contacted: an invitation is an unsolicited ask from someone the
 * person does not work with yet, so without consent it is not even put in their inbox.
 */
export const CONSENTED_ONLY_KINDS: readonly NotificationKind[] = ['spinoff_role_invitation'];

export function isNotifyingEventType(type: string): type is NotifyingEventType {
  return Object.hasOwn(KIND_OF_EVENT, type);
}

/** One recipient of one notification, before channels are chosen. */
export interface Addressee {
  kind: NotificationKind;
  recipient: Recipient;
}

export interface PlannedNotification extends Addressee {
  channels: NotificationChannel[];
}

/** A domain event as rules read it: a stored RecordedEvent or a decided DomainEvent both fit. */
export interface SourceEvent {
  readonly type: string;
  readonly data: unknown;
}

export interface RuleFacts {
  /** The source stream's events before this one, oldest first (revisions 0 … revision − 1). */
  earlier: readonly SourceEvent[];
  /**
   * Whether a person had agreed to be contacted (`consents.mayBeContacted`) when the event happened. Taken as of
   * the event rather than as of now, so that a replay plans the same channels; the processor checks again at
   * send time, so a consent withdrawn since is still honoured.
   */
  mayBeContacted(personId: string): boolean;
  /**
   * Whether an organisation had an active webhook endpoint when the event happened (the dispatcher hands in the set
   * of organisations with one, as of the event, so a replay plans the same channels). Absent: none has.
   */
  hasWebhookEndpoint?(organisationId: string): boolean;
  /** People following the event's SDC or themes as of the event (see followTargetsOf). Absent: nobody. */
  followers?: readonly string[];
}

const person = (id: string): Recipient => ({ type: 'person', id });
const organisation = (id: string): Recipient => ({ type: 'organisation', id });
const subject = (id: string): Recipient => ({ type: 'subject', id });
/** The proposed party of a match: a person, or the partner organisation of a collaboration. */
export const candidateRecipient = (candidate: { type: 'person' | 'organisation'; id: string }): Recipient =>
  candidate.type === 'person' ? person(candidate.id) : organisation(candidate.id);

/**
 * Who an event concerns. Needs only the source stream: the opportunity's organisation and the match's
 * proposer, the meeting's proposer and registrations, the spin-off's initiators all live there.
 */
export function addresseesFor(event: SourceEvent, earlier: readonly SourceEvent[], followers: readonly string[] = []): Addressee[] {
  if (!isNotifyingEventType(event.type)) return [];
  const kind = KIND_OF_EVENT[event.type];
  const told = unique(recipientsFor(event, earlier)).map((recipient) => ({ kind, recipient }));
  const announcement = ANNOUNCED_AS[event.type];
  if (!announcement) return told;
  // Followers hear of it too, unless already told for another reason (the proposer, an initiator).
  const already = new Set(told.map((a) => `${a.recipient.type}:${a.recipient.id}`));
  const announced = unique(followers.map(person)).filter((r) => !already.has(`person:${r.id}`));
  return [...told, ...announced.map((recipient) => ({ kind: announcement, recipient }))];
}

/** Events announced to followers, and the kind of message followers get. */
const ANNOUNCED_AS: Partial<Record<NotifyingEventType, NotificationKind>> = {
  MeetingScheduled: 'meeting_announced',
  SpinOffLaunched: 'spinoff_announced',
};

/** What followers follow: SDCs (by their ward) and themes. */
export interface FollowTargets {
  sdcs: readonly string[];
  themes: readonly string[];
}

/**
 * For an event announced to followers, whose followers hear of it: a scheduled meeting's SDC and themes; a
 * launched spin-off's SDCs (the wards it works in).
 */
export function followTargetsOf(event: SourceEvent, earlier: readonly SourceEvent[]): FollowTargets | undefined {
  switch (event.type) {
    case 'MeetingScheduled': {
      const proposal = fold(meetingDecider, earlier as unknown as MeetingEvent[]).proposal;
      return proposal ? { sdcs: [proposal.sdc], themes: proposal.themes } : undefined;
    }
    case 'SpinOffLaunched': {
      const profile = fold(spinOffDecider, earlier as unknown as SpinOffEvent[]).profile;
      return profile ? { sdcs: profile.wards, themes: [] } : undefined;
    }
    default:
      return undefined;
  }
}

function recipientsFor(event: SourceEvent, earlier: readonly SourceEvent[]): Recipient[] {
  switch (event.type as NotifyingEventType) {
    case 'MatchProposed': {
      return [candidateRecipient((event as unknown as Extract<OpportunityEvent, { type: 'MatchProposed' }>).data.candidate)];
    }
    case 'MatchAccepted':
    case 'MatchDeclined':
    case 'MatchWithdrawn':
    case 'MatchExpired': {
      // The proposing coordinator and the organisation that offers the opportunity.
      const { matchId, by } = (event as unknown as OpportunityEvent & { data: { matchId: string; by: string } }).data;
      const state = fold(opportunityDecider, earlier as unknown as OpportunityEvent[]);
      const match = state.matches[matchId];
      const proposedBy = match?.proposedBy;
      return [
        // Nobody is told what they did themselves: a coordinator who withdraws gets no inbox entry about it.
        ...(proposedBy && proposedBy !== by ? [subject(proposedBy)] : []),
        ...(state.profile ? [organisation(state.profile.organisationId)] : []),
        // An expiry concerns both sides: the proposed party learns that the proposal lapsed.
        ...(event.type === 'MatchExpired' && match ? [candidateRecipient(match.candidate)] : []),
      ];
    }
    case 'MatchConfirmed':
    case 'MatchStarted':
    case 'MatchCompleted': {
      // The person doing the work (for a collaboration, the partner organisation).
      const { matchId } = (event as unknown as OpportunityEvent & { data: { matchId: string } }).data;
      const candidate = fold(opportunityDecider, earlier as unknown as OpportunityEvent[]).matches[matchId]?.candidate;
      return candidate ? [candidateRecipient(candidate)] : [];
    }
    case 'MeetingScheduled': {
      // The proposer learns that their proposal was approved; a coordinator who scheduled it directly is not told.
      const { by } = (event as unknown as Extract<MeetingEvent, { type: 'MeetingScheduled' }>).data;
      const proposer = fold(meetingDecider, earlier as unknown as MeetingEvent[]).proposal?.proposer;
      if (!proposer || proposer.subject === by) return [];
      return [proposer.personId ? person(proposer.personId) : subject(proposer.subject)];
    }
    case 'MeetingRescheduled':
    case 'MeetingCancelled': {
      // Everyone who registered: those holding a place and those waiting for one.
      const state = fold(meetingDecider, earlier as unknown as MeetingEvent[]);
      return [...state.registered, ...state.waitlist].map(person);
    }
    case 'PromotedFromWaitlist':
      return [person((event as unknown as Extract<MeetingEvent, { type: 'PromotedFromWaitlist' }>).data.personId)];
    case 'SpinOffLaunched': {
      const initiators = fold(spinOffDecider, earlier as unknown as SpinOffEvent[]).profile?.initiators ?? [];
      return initiators.map(person);
    }
    case 'SpinOffRoleInvitationsSent':
      // The people a coordinator chose to invite (the event names each of them once, and never someone invited before).
      return (event as unknown as Extract<SpinOffEvent, { type: 'SpinOffRoleInvitationsSent' }>).data.personIds.map(person);
  }
}

/**
 * The channels for a recipient: a person by e-mail (only with consent) and in the inbox; an organisation by
 * e-mail to its contact address and in its representatives' inbox; a token subject (a coordinator, who has no
 * profile and no address) in the inbox only. An organisation with an active webhook endpoint also gets the webhook.
 */
export function channelsFor(recipient: Recipient, mayBeContacted: boolean, hasWebhookEndpoint = false): NotificationChannel[] {
  switch (recipient.type) {
    case 'person':
      return mayBeContacted ? ['email', 'inbox'] : ['inbox'];
    case 'organisation':
      return hasWebhookEndpoint ? ['email', 'webhook', 'inbox'] : ['email', 'inbox'];
    case 'subject':
      return ['inbox'];
  }
}

/** Given an event and the facts, the notifications it causes: `{ kind, recipient, channels }` per recipient. */
export function notificationsFor(event: SourceEvent, facts: RuleFacts): PlannedNotification[] {
  return withChannels(addresseesFor(event, facts.earlier, facts.followers), facts);
}

/**
 * Channels for each addressee, from the facts (consent, webhook endpoints) as of the moment they are planned. A person
 * who did not agree to be contacted is left out of the kinds that need consent (CONSENTED_ONLY_KINDS).
 */
export function withChannels(addressees: readonly Addressee[], facts: Pick<RuleFacts, 'mayBeContacted' | 'hasWebhookEndpoint'>): PlannedNotification[] {
  return addressees.flatMap((addressee) => {
    const consented = addressee.recipient.type === 'person' && facts.mayBeContacted(addressee.recipient.id);
    if (addressee.recipient.type === 'person' && !consented && CONSENTED_ONLY_KINDS.includes(addressee.kind)) return [];
    const hasWebhook = addressee.recipient.type === 'organisation' && !!facts.hasWebhookEndpoint?.(addressee.recipient.id);
    return [{ ...addressee, channels: channelsFor(addressee.recipient, consented, hasWebhook) }];
  });
}

function unique(recipients: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return recipients.filter((r) => {
    const key = `${r.type}:${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
