/**
 * The analytics read model is a log of compact, anonymous facts derived from events: who (a person id, never a
 * name or contact), what, when (`atMs`, the event's decision time) and where (a ward code). Each fact keeps the
 * id and position of the event it came from, so every number can be traced back to events.
 *
 * Facts never change once written and depend only on the event and on facts about earlier events (an
 * opportunity's ward when it opened, a meeting's SDC and proposer), so the facts of the events up to a date D
 * are exactly the facts with `atMs <= D`: "as of D" is a filter, not a replay.
 */
export const FACT_KINDS = [
  // people and the ladder
  'person_registered', // ward = home ward
  'attended', // subject = meeting, ward = its SDC
  'role_accepted', // subject = match
  'role_started', // subject = match, group = 'org:<organisationId>'
  'hours_logged', // subject = match
  'spinoff_role', // subject = spin-off, group = 'spinoff:<id>', detail = member role
  'meeting_held_by_proposer', // subject = meeting
  'spinoff_launched_by_initiator', // subject = spin-off
  'coordinates', // group = 'org:<organisationId>' (became a representative)
  // matching (ward = the opportunity's ward, group = opportunity, detail = kind or reason)
  'opportunity_opened',
  'opportunity_closed',
  'opportunity_reopened',
  'match_proposed',
  'match_accepted',
  'match_declined',
  'match_withdrawn',
  'match_expired',
  'match_started',
  'match_completed',
  'match_ended_early',
  // meetings and spin-offs (ward = SDC / the spin-off's first ward)
  'meeting_held',
  'spinoff_proposed', // detail = number of origin meetings
  'spinoff_launched',
  'spinoff_exit_chosen', // detail = strategy
  'spinoff_completed',
  'spinoff_closed',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export interface AnalyticsFact {
  /** `$all` position of the source event: orders facts with the same time. */
  position: number;
  eventId: string;
  atMs: number;
  kind: FactKind;
  personId?: string;
  /** The match, meeting, spin-off or opportunity the fact is about. */
  subjectId?: string;
  /** A grouping key: the opportunity of a match, the organisation or spin-off of a role. */
  groupId?: string;
  ward?: string;
  detail?: string;
}

/** Facts that move a person on the ladder (or count as taking part). */
export const PERSON_FACT_KINDS: readonly FactKind[] = [
  'person_registered',
  'attended',
  'role_accepted',
  'role_started',
  'hours_logged',
  'spinoff_role',
  'meeting_held_by_proposer',
  'spinoff_launched_by_initiator',
  'coordinates',
];

/** Time order, and the event order for facts at the same instant: every function sorts facts this way. */
export function byTime(a: AnalyticsFact, b: AnalyticsFact): number {
  return a.atMs - b.atMs || a.position - b.position || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
}
