import type { AnalyticsFact, FactKind } from './analytics-fact';

/** What the extractor must remember about earlier events to place a later one (its ward, its person). */
export interface OpportunityRef {
  organisationId: string;
  ward: string;
  kind: string;
}
export interface MatchRef {
  opportunityId: string;
  personId?: string;
}
export interface MeetingRef {
  sdc: string;
  proposerPersonId?: string;
}
export interface SpinOffRef {
  ward: string;
  initiators: string[];
}

/**
 * The extractor's memory. The projection keeps it in SQLite tables, tests and benchmarks in maps; either way
 * only the first value of a key is kept (later puts are ignored), so replaying an event never changes it.
 */
export interface FactLookups {
  opportunity(id: string): OpportunityRef | undefined;
  putOpportunity(id: string, ref: OpportunityRef): void;
  match(id: string): MatchRef | undefined;
  putMatch(id: string, ref: MatchRef): void;
  meeting(id: string): MeetingRef | undefined;
  putMeeting(id: string, ref: MeetingRef): void;
  spinOff(id: string): SpinOffRef | undefined;
  putSpinOff(id: string, ref: SpinOffRef): void;
}

/** The event fields the extractor reads: the store's `RecordedEvent` fits. */
export interface SourceEvent {
  id: string;
  type: string;
  position: number;
  data: unknown;
  metadata?: { occurredAt?: string };
  recordedAt?: string;
}

/** The event types that produce facts or feed the lookups; the projection subscribes to exactly these. */
export const ANALYTICS_EVENT_TYPES = [
  'PersonRegistered',
  'RepresentativeAdded',
  'OpportunityOpened',
  'OpportunityClosed',
  'OpportunityReopened',
  'InterestExpressed',
  'MatchProposed',
  'MatchAccepted',
  'MatchDeclined',
  'MatchWithdrawn',
  'MatchExpired',
  'MatchStarted',
  'HoursLogged',
  'MatchCompleted',
  'MatchEndedEarly',
  'MeetingProposed',
  'AttendeeCheckedIn',
  'MeetingClosed',
  'SpinOffProposed',
  'SpinOffLaunched',
  'MemberJoined',
  'ExitStrategyChosen',
  'SpinOffCompleted',
  'SpinOffClosed',
] as const;

/** In-memory lookups for tests, benchmarks and one-off computations. */
export class MemoryFactLookups implements FactLookups {
  private readonly maps = { opportunity: new Map<string, OpportunityRef>(), match: new Map<string, MatchRef>(), meeting: new Map<string, MeetingRef>(), spinOff: new Map<string, SpinOffRef>() };
  opportunity = (id: string) => this.maps.opportunity.get(id);
  match = (id: string) => this.maps.match.get(id);
  meeting = (id: string) => this.maps.meeting.get(id);
  spinOff = (id: string) => this.maps.spinOff.get(id);
  putOpportunity = (id: string, ref: OpportunityRef) => void (this.maps.opportunity.has(id) || this.maps.opportunity.set(id, ref));
  putMatch = (id: string, ref: MatchRef) => void (this.maps.match.has(id) || this.maps.match.set(id, ref));
  putMeeting = (id: string, ref: MeetingRef) => void (this.maps.meeting.has(id) || this.maps.meeting.set(id, ref));
  putSpinOff = (id: string, ref: SpinOffRef) => void (this.maps.spinOff.has(id) || this.maps.spinOff.set(id, ref));
}

/** The decision time of an event: `data.at` from the deciding clock; the metadata's or the store's time otherwise. */
export function eventTimeMs(event: SourceEvent): number {
  const at = (event.data as { at?: string }).at ?? event.metadata?.occurredAt ?? event.recordedAt;
  const ms = at ? Date.parse(at) : NaN;
  if (!Number.isFinite(ms)) throw new Error(`Event ${event.id} (${event.type}) has no usable time`);
  return ms;
}

function required<T>(value: T | undefined, what: string, event: SourceEvent): T {
  // An event about something never opened means the history is broken: stop at it rather than miscount.
  if (value === undefined) throw new Error(`${event.type} ${event.id} refers to an unknown ${what}`);
  return value;
}

/**
 * The facts one event yields, updating the lookups. Pure apart from the lookups it is given. Only ids, ward
 * codes and vocabulary values (reasons, kinds, strategies) are copied: never names, texts or contacts.
 */
export function factsOf(event: SourceEvent, lookups: FactLookups): AnalyticsFact[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the payloads are the deciders' event types, read by name
  const d = event.data as any;
  const position = event.position;
  const eventId = event.id;
  const atMs = eventTimeMs(event);
  // Copies only the fields present (an absent field stays absent), without spreading objects: most of a rebuild's facts pass here.
  const fact = (kind: FactKind, rest?: Partial<AnalyticsFact>): AnalyticsFact => {
    const made: AnalyticsFact = { position, eventId, atMs, kind };
    if (rest) {
      if (rest.personId !== undefined) made.personId = rest.personId;
      if (rest.subjectId !== undefined) made.subjectId = rest.subjectId;
      if (rest.groupId !== undefined) made.groupId = rest.groupId;
      if (rest.ward !== undefined) made.ward = rest.ward;
      if (rest.detail !== undefined) made.detail = rest.detail;
    }
    return made;
  };
  const opportunityFact = (kind: FactKind, opportunityId: string, subjectId: string, detail?: string) => {
    const opportunity = required(lookups.opportunity(opportunityId), 'opportunity', event);
    return fact(kind, { subjectId, groupId: opportunityId, ward: opportunity.ward, detail: detail ?? opportunity.kind });
  };
  const matchFact = (kind: FactKind, detail?: string) => opportunityFact(kind, d.opportunityId, d.matchId, detail);
  const matchPerson = () => required(lookups.match(d.matchId), 'match', event).personId;

  switch (event.type) {
    case 'PersonRegistered':
      return [fact('person_registered', { personId: d.personId, ward: d.profile.ward })];
    case 'RepresentativeAdded':
      return [fact('coordinates', { personId: d.personId, groupId: `org:${d.organisationId}` })];
    case 'OpportunityOpened':
      lookups.putOpportunity(d.opportunityId, { organisationId: d.organisationId, ward: d.ward, kind: d.details.kind });
      return [opportunityFact('opportunity_opened', d.opportunityId, d.opportunityId)];
    case 'OpportunityClosed':
      return [opportunityFact('opportunity_closed', d.opportunityId, d.opportunityId)];
    case 'OpportunityReopened':
      return [opportunityFact('opportunity_reopened', d.opportunityId, d.opportunityId)];
    case 'InterestExpressed':
      lookups.putMatch(d.matchId, { opportunityId: d.opportunityId, personId: d.candidate.type === 'person' ? d.candidate.id : undefined });
      return [];
    case 'MatchProposed':
      lookups.putMatch(d.matchId, { opportunityId: d.opportunityId, personId: d.candidate.type === 'person' ? d.candidate.id : undefined });
      return [matchFact('match_proposed')];
    case 'MatchAccepted': {
      const personId = matchPerson();
      return [matchFact('match_accepted'), ...(personId ? [fact('role_accepted', { personId, subjectId: d.matchId })] : [])];
    }
    case 'MatchDeclined':
      return [matchFact('match_declined', d.reason)];
    case 'MatchWithdrawn':
      return [matchFact('match_withdrawn')];
    case 'MatchExpired':
      return [matchFact('match_expired')];
    case 'MatchStarted': {
      const personId = matchPerson();
      const organisationId = required(lookups.opportunity(d.opportunityId), 'opportunity', event).organisationId;
      return [matchFact('match_started'), ...(personId ? [fact('role_started', { personId, subjectId: d.matchId, groupId: `org:${organisationId}` })] : [])];
    }
    case 'HoursLogged': {
      const personId = matchPerson();
      return personId ? [fact('hours_logged', { personId, subjectId: d.matchId })] : [];
    }
    case 'MatchCompleted':
      return [matchFact('match_completed')];
    case 'MatchEndedEarly':
      return [matchFact('match_ended_early', d.reason)];
    case 'MeetingProposed':
      lookups.putMeeting(d.meetingId, { sdc: d.sdc, proposerPersonId: d.proposer?.personId });
      return [];
    case 'AttendeeCheckedIn': {
      const meeting = required(lookups.meeting(d.meetingId), 'meeting', event);
      return [fact('attended', { personId: d.personId, subjectId: d.meetingId, ward: meeting.sdc })];
    }
    case 'MeetingClosed': {
      const meeting = required(lookups.meeting(d.meetingId), 'meeting', event);
      const held = fact('meeting_held', { subjectId: d.meetingId, ward: meeting.sdc });
      return meeting.proposerPersonId
        ? [held, fact('meeting_held_by_proposer', { personId: meeting.proposerPersonId, subjectId: d.meetingId, ward: meeting.sdc })]
        : [held];
    }
    case 'SpinOffProposed': {
      // A spin-off counts in the first of its wards (they are in the order of WARDS), so citywide sums stay exact.
      const ward = d.wards[0];
      lookups.putSpinOff(d.spinOffId, { ward, initiators: d.initiators });
      const meetings = new Set((d.origins as { meetingId: string }[]).map((o) => o.meetingId)).size;
      return [
        fact('spinoff_proposed', { subjectId: d.spinOffId, ward, detail: String(meetings) }),
        // Initiators become the project's organisers by this event alone: a named role.
        ...(d.initiators as string[]).map((personId) => fact('spinoff_role', { personId, subjectId: d.spinOffId, groupId: `spinoff:${d.spinOffId}`, ward, detail: 'organiser' })),
      ];
    }
    case 'SpinOffLaunched': {
      const spinOff = required(lookups.spinOff(d.spinOffId), 'spin-off', event);
      return [
        fact('spinoff_launched', { subjectId: d.spinOffId, ward: spinOff.ward }),
        ...spinOff.initiators.map((personId) => fact('spinoff_launched_by_initiator', { personId, subjectId: d.spinOffId, ward: spinOff.ward })),
      ];
    }
    case 'MemberJoined': {
      const spinOff = required(lookups.spinOff(d.spinOffId), 'spin-off', event);
      return [fact('spinoff_role', { personId: d.personId, subjectId: d.spinOffId, groupId: `spinoff:${d.spinOffId}`, ward: spinOff.ward, detail: d.role })];
    }
    case 'ExitStrategyChosen':
    case 'SpinOffCompleted':
    case 'SpinOffClosed': {
      const spinOff = required(lookups.spinOff(d.spinOffId), 'spin-off', event);
      const kind: FactKind = event.type === 'ExitStrategyChosen' ? 'spinoff_exit_chosen' : event.type === 'SpinOffCompleted' ? 'spinoff_completed' : 'spinoff_closed';
      return [fact(kind, { subjectId: d.spinOffId, ward: spinOff.ward, detail: event.type === 'ExitStrategyChosen' ? d.strategy : undefined })];
    }
    default:
      return [];
  }
}

/** All facts of a history, in event order: the reference the projection is checked against. */
export function factsOfHistory(events: Iterable<SourceEvent>, lookups: FactLookups = new MemoryFactLookups()): AnalyticsFact[] {
  const facts: AnalyticsFact[] = [];
  for (const event of events) facts.push(...factsOf(event, lookups));
  return facts;
}
