import type { Ward } from '@tsunagi/domain';

export const OPPORTUNITY_KINDS = ['volunteer_role', 'pro_bono_project', 'collaboration'] as const;
export type OpportunityKind = (typeof OPPORTUNITY_KINDS)[number];

export const DAY_KINDS = ['weekday', 'weekend'] as const;
export const TIME_BANDS = ['morning', 'afternoon', 'evening'] as const;
export const PROFESSIONS = ['design', 'accounting', 'it', 'law', 'pr', 'marketing', 'translation', 'photography', 'management', 'other'] as const;
export const COLLABORATION_RESOURCES = ['venue', 'staff', 'field_partner', 'know_how', 'funding', 'equipment', 'other'] as const;
export const DECLINE_REASONS = ['no_time', 'not_my_skills', 'too_far', 'other'] as const;
export const END_EARLY_REASONS = ['schedule', 'health', 'moved', 'conflict', 'other'] as const;

export type DeclineReason = (typeof DECLINE_REASONS)[number];
export type EndEarlyReason = (typeof END_EARLY_REASONS)[number];

export interface Schedule {
  /** YYYY-MM-DD, Asia/Tokyo. */
  startsOn?: string;
  endsOn?: string;
  days?: (typeof DAY_KINDS)[number][];
  timeBands?: (typeof TIME_BANDS)[number][];
  note?: string;
}

export interface VolunteerRoleDetails {
  kind: 'volunteer_role';
  places: number;
  schedule: Schedule;
  requiredSkills: string[];
  optionalSkills: string[];
}

export interface ProBonoProjectDetails {
  kind: 'pro_bono_project';
  deliverable: string;
  teamSize: number;
  durationWeeks: number;
  hoursPerWeek: number;
  professions: (typeof PROFESSIONS)[number][];
}

export interface CollaborationDetails {
  kind: 'collaboration';
  direction: 'offered' | 'sought';
  resources: (typeof COLLABORATION_RESOURCES)[number][];
  /** How many partner organisations it is for. */
  places: number;
}

export type OpportunityDetails = VolunteerRoleDetails | ProBonoProjectDetails | CollaborationDetails;

export interface OpportunityProfile {
  organisationId: string;
  title: string;
  description: string;
  ward: Ward;
  themes: string[];
  details: OpportunityDetails;
}

/** A volunteer or pro-bono worker is a person; a collaboration partner is an organisation. */
export interface Candidate {
  type: 'person' | 'organisation';
  id: string;
}

export function placesOf(details: OpportunityDetails): number {
  return details.kind === 'pro_bono_project' ? details.teamSize : details.places;
}

export function candidateTypeFor(kind: OpportunityKind): Candidate['type'] {
  return kind === 'collaboration' ? 'organisation' : 'person';
}

export const MATCH_STATUSES = [
  'interested',
  'interest_declined',
  'proposed',
  'accepted',
  'declined',
  'withdrawn',
  'expired',
  'confirmed',
  'started',
  'completed',
  'ended_early',
] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

/** Statuses in which a candidate cannot be proposed again for the same opportunity. */
export const ACTIVE_MATCH_STATUSES: readonly MatchStatus[] = ['interested', 'proposed', 'accepted', 'confirmed', 'started'];
/** Statuses that hold one of the opportunity's places. */
export const PLACE_HOLDING_STATUSES: readonly MatchStatus[] = ['accepted', 'confirmed', 'started', 'completed'];
