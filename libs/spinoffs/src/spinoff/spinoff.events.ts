import type { DomainEvent } from '@tsunagi/domain';
import type { ExitStrategy, MemberRole, Milestone, SpinOffProfile, SpinOffRole } from './spinoff.types';

/**
 * Everything that happens to a spin-off project is one stream, `spinoff-<id>`: its members, its roles, its
 * milestones and its exit strategy are decided against one state, so "the last organiser cannot leave"
 * holds with a single expected-revision check. Every event says who (`by`, the principal's subject) and
 * when (`at`, the decision time from the injected clock, ISO-8601).
 */
export type SpinOffEvent =
  /** The initiators become members with the role 'organiser' by this event alone (no MemberJoined for them). */
  | DomainEvent<'SpinOffProposed', { spinOffId: string; by: string; at: string } & SpinOffProfile>
  | DomainEvent<'SpinOffAcknowledged', { spinOffId: string; by: string; at: string }>
  | DomainEvent<'SpinOffLaunched', { spinOffId: string; by: string; at: string }>
  | DomainEvent<'MemberJoined', { spinOffId: string; personId: string; role: MemberRole; by: string; at: string }>
  | DomainEvent<'MemberLeft', { spinOffId: string; personId: string; reason?: string; by: string; at: string }>
  | DomainEvent<'SpinOffRoleOpened', { spinOffId: string; by: string; at: string } & SpinOffRole>
  | DomainEvent<'SpinOffRoleClosed', { spinOffId: string; roleId: string; by: string; at: string }>
  /** People invited to an open role (never someone invited to it before); the role's opportunity is named for the lineage. */
  | DomainEvent<'SpinOffRoleInvitationsSent', { spinOffId: string; roleId: string; opportunityId: string; personIds: string[]; by: string; at: string }>
  | DomainEvent<'MilestoneAdded', { spinOffId: string; by: string; at: string } & Milestone>
  | DomainEvent<'MilestoneReached', { spinOffId: string; milestoneId: string; by: string; at: string }>
  | DomainEvent<'ExitStrategyChosen', { spinOffId: string; strategy: ExitStrategy; note?: string; by: string; at: string }>
  | DomainEvent<'SpinOffCompleted', { spinOffId: string; summary?: string; by: string; at: string }>
  | DomainEvent<'SpinOffClosed', { spinOffId: string; reason: string; by: string; at: string }>;

export type SpinOffEventType = SpinOffEvent['type'];

export const SPINOFF_EVENT_TYPES: readonly SpinOffEventType[] = [
  'SpinOffProposed',
  'SpinOffAcknowledged',
  'SpinOffLaunched',
  'MemberJoined',
  'MemberLeft',
  'SpinOffRoleOpened',
  'SpinOffRoleClosed',
  'SpinOffRoleInvitationsSent',
  'MilestoneAdded',
  'MilestoneReached',
  'ExitStrategyChosen',
  'SpinOffCompleted',
  'SpinOffClosed',
];

export const spinOffStreamId = (spinOffId: string) => `spinoff-${spinOffId}`;
