import type { Theme, Ward } from '@tsunagi/domain';

/**
 * A spin-off project (スピンオフ企画) grows out of SDC meetings: a market, a children's cafeteria, a
 * disaster network. The lineage meeting → spin-off → roles → people who stepped up is the evidence the
 * city lacks, so the meetings a spin-off came from are recorded when it is proposed, never inferred.
 */
export const SPINOFF_STATUSES = ['none', 'proposed', 'acknowledged', 'launched', 'completed', 'closed'] as const;
export type SpinOffStatus = (typeof SPINOFF_STATUSES)[number];

/** Statuses in which the project is alive: members come and go, milestones and the exit strategy change. */
export const ACTIVE_SPINOFF_STATUSES: readonly SpinOffStatus[] = ['proposed', 'acknowledged', 'launched'];
/** After these nothing changes: the stream is only read. */
export const ENDED_SPINOFF_STATUSES: readonly SpinOffStatus[] = ['completed', 'closed'];

/** Named roles in the project; an organiser runs it (and may act for it in the API). */
export const MEMBER_ROLES = ['organiser', 'staff', 'supporter', 'advisor'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Seed 004's exit strategies: where the project is heading when it stops needing the SDC. */
export const EXIT_STRATEGIES = ['becomes_policy', 'becomes_business', 'runs_on_its_own', 'ends'] as const;
export type ExitStrategy = (typeof EXIT_STRATEGIES)[number];

/** One outcome of one (closed) meeting; the application checks that it exists, the decider the shape. */
export interface MeetingOutcomeRef {
  meetingId: string;
  outcomeId: string;
}

export interface SpinOffProfile {
  /** The meeting outcomes it came from: at least one, each once. */
  origins: MeetingOutcomeRef[];
  title: string;
  purpose: string;
  /** At least one ward, in the order of WARDS. */
  wards: Ward[];
  themes: Theme[];
  /** Person ids of the residents who started it: at least one, each once. They become its first organisers. */
  initiators: string[];
}

/**
 * A role the project needs people for. It is filled through matching: the application opens a
 * volunteer-role opportunity with `opportunityId` (owned by the SDC's organisation) and matches fill it.
 */
export interface SpinOffRole {
  roleId: string;
  opportunityId: string;
  title: string;
  places: number;
  requiredSkills: string[];
}

/** At most this many people are invited to a role by one request: an invitation is a personal ask, not a mailing. */
export const MAX_ROLE_INVITATIONS = 50;

export interface Milestone {
  milestoneId: string;
  title: string;
  /** YYYY-MM-DD, Asia/Tokyo. */
  dueOn?: string;
}

export interface ExitStrategyChoice {
  strategy: ExitStrategy;
  note?: string;
}
