import { Decider, DomainError, THEMES, WARDS, normaliseSkills, normaliseText } from '@tsunagi/domain';
import type { SpinOffCommand, SpinOffCommandType } from './spinoff.commands';
import type { SpinOffEvent } from './spinoff.events';
import {
  ACTIVE_SPINOFF_STATUSES,
  ENDED_SPINOFF_STATUSES,
  EXIT_STRATEGIES,
  ExitStrategyChoice,
  MAX_ROLE_INVITATIONS,
  MEMBER_ROLES,
  MeetingOutcomeRef,
  MemberRole,
  Milestone,
  SpinOffProfile,
  SpinOffRole,
  SpinOffStatus,
} from './spinoff.types';

export interface SpinOffRoleState extends SpinOffRole {
  open: boolean;
  /** Everyone invited to the role so far, in the order they were invited; nobody is invited twice. */
  invited: string[];
}

export interface MilestoneState extends Milestone {
  reached: boolean;
}

export interface SpinOffState {
  status: SpinOffStatus;
  spinOffId?: string;
  profile?: SpinOffProfile;
  /** Person id → role, current members only; the initiators are organisers from the proposal on. */
  members: Record<string, MemberRole>;
  roles: Record<string, SpinOffRoleState>;
  milestones: Record<string, MilestoneState>;
  /** The latest choice; each change is its own ExitStrategyChosen. */
  exitStrategy?: ExitStrategyChoice;
}

export const initialSpinOffState = (): SpinOffState => ({ status: 'none', members: {}, roles: {}, milestones: {} });

/** For the policy and the API: is this person an organiser of the project right now? */
export function isOrganiser(state: Pick<SpinOffState, 'members'>, personId: string | undefined): boolean {
  return !!personId && Object.hasOwn(state.members, personId) && state.members[personId] === 'organiser';
}

export function organisersOf(state: Pick<SpinOffState, 'members'>): string[] {
  return Object.keys(state.members).filter((personId) => state.members[personId] === 'organiser');
}

/**
 * The project's state machine: from which statuses each command may run. Proposed → acknowledged (by a
 * coordinator) → launched (by an initiator) → completed | closed; members, milestones and the exit strategy
 * may change at any time before the end, roles are opened and closed only once launched.
 */
const ALLOWED_FROM: Record<Exclude<SpinOffCommandType, 'ProposeSpinOff'>, readonly SpinOffStatus[]> = {
  AcknowledgeSpinOff: ['proposed'],
  LaunchSpinOff: ['acknowledged'],
  JoinSpinOff: ACTIVE_SPINOFF_STATUSES,
  LeaveSpinOff: ACTIVE_SPINOFF_STATUSES,
  OpenSpinOffRole: ['launched'],
  CloseSpinOffRole: ['launched'],
  InviteToSpinOffRole: ['launched'],
  AddMilestone: ACTIVE_SPINOFF_STATUSES,
  ReachMilestone: ACTIVE_SPINOFF_STATUSES,
  ChooseExitStrategy: ACTIVE_SPINOFF_STATUSES,
  CompleteSpinOff: ['launched'],
  CloseSpinOff: ACTIVE_SPINOFF_STATUSES,
};

/** The status a project is in after each event that moves it (read models use the same table). */
export const SPINOFF_STATUS_AFTER: Partial<Record<SpinOffEvent['type'], SpinOffStatus>> = {
  SpinOffProposed: 'proposed',
  SpinOffAcknowledged: 'acknowledged',
  SpinOffLaunched: 'launched',
  SpinOffCompleted: 'completed',
  SpinOffClosed: 'closed',
};

function requireAllowed(type: Exclude<SpinOffCommandType, 'ProposeSpinOff'>, state: SpinOffState): SpinOffProfile {
  if (state.status === 'none') throw new DomainError('spinoff.not_found', 'not_found');
  if (ENDED_SPINOFF_STATUSES.includes(state.status)) throw new DomainError('spinoff.ended', 'conflict', { status: state.status });
  if (type === 'LaunchSpinOff' && state.status === 'proposed') throw new DomainError('spinoff.not_acknowledged', 'conflict');
  if (!ALLOWED_FROM[type].includes(state.status)) throw new DomainError('spinoff.invalid_transition', 'conflict', { from: state.status, command: type });
  return state.profile!;
}

// Shape checks. Values arrive from DTOs that check shapes, but imports and the CLI bypass DTOs and only the
// decider sees the normalised form (NFKC can empty a title), so every field is checked here too.

const invalid = (field: string) => new DomainError('spinoff.invalid', 'invalid', { field });

function id(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value.trim()) throw invalid(field);
  return value;
}

const asText = (value: string) => normaliseText(value);
/** Free prose: NFKC and trimmed, but line breaks kept (normaliseText would collapse paragraphs). */
const asProse = (value: string) => value.normalize('NFKC').trim();

function required(value: unknown, field: string, form = asText): string {
  const text = typeof value === 'string' ? form(value) : '';
  if (!text) throw invalid(field);
  return text;
}

/** An optional text: normalised, and left out of the event when empty. */
function optional(value: unknown, field: string, form = asText): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string') throw invalid(field);
  const text = form(value);
  return text ? { [field]: text } : {};
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown, field: string): T {
  if (!allowed.includes(value as T)) throw invalid(field);
  return value as T;
}

/** A set drawn from a fixed list, de-duplicated and in the list's order. */
function setOf<T extends string>(allowed: readonly T[], values: unknown, field: string, min: number): T[] {
  if (!Array.isArray(values) || values.some((value) => !allowed.includes(value as T))) throw invalid(field);
  const set = allowed.filter((value) => values.includes(value));
  if (set.length < min) throw invalid(field);
  return set;
}

/** Recorded lineage and people: a repeated entry is a mistake in the request, not something to fold away. */
function uniqueIds(values: unknown, field: string): string[] {
  if (!Array.isArray(values) || values.length < 1) throw invalid(field);
  const ids = values.map((value) => id(value, field));
  if (new Set(ids).size !== ids.length) throw invalid(field);
  return ids;
}

function origins(values: unknown): MeetingOutcomeRef[] {
  if (!Array.isArray(values) || values.length < 1) throw invalid('origins');
  const refs = values.map((value: Partial<MeetingOutcomeRef> | null) => {
    if (typeof value !== 'object' || value === null) throw invalid('origins');
    return { meetingId: id(value.meetingId, 'origins'), outcomeId: id(value.outcomeId, 'origins') };
  });
  if (new Set(refs.map((ref) => JSON.stringify([ref.meetingId, ref.outcomeId]))).size !== refs.length) throw invalid('origins');
  return refs;
}

/** YYYY-MM-DD that is a real calendar day. */
function day(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw invalid(field);
  const date = new Date(`${value}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) throw invalid(field);
  return value;
}

function places(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid('places');
  return value;
}

function skills(values: unknown): string[] {
  if (!Array.isArray(values) || values.some((value) => typeof value !== 'string')) throw invalid('requiredSkills');
  return normaliseSkills(values as string[]);
}

function decide(command: SpinOffCommand, state: SpinOffState): SpinOffEvent[] {
  const { spinOffId, by, at } = command;
  if (command.type === 'ProposeSpinOff') {
    if (state.status !== 'none') throw new DomainError('spinoff.already_exists', 'conflict');
    const profile: SpinOffProfile = {
      origins: origins(command.origins),
      title: required(command.title, 'title'),
      purpose: required(command.purpose, 'purpose', asProse),
      wards: setOf(WARDS, command.wards, 'wards', 1),
      themes: setOf(THEMES, command.themes, 'themes', 0),
      initiators: uniqueIds(command.initiators, 'initiators'),
    };
    return [{ type: 'SpinOffProposed', data: { spinOffId, ...profile, by, at } }];
  }
  requireAllowed(command.type, state);
  switch (command.type) {
    case 'AcknowledgeSpinOff':
      return [{ type: 'SpinOffAcknowledged', data: { spinOffId, by, at } }];
    case 'LaunchSpinOff':
      return [{ type: 'SpinOffLaunched', data: { spinOffId, by, at } }];
    case 'JoinSpinOff': {
      const personId = id(command.personId, 'personId');
      const role = oneOf(MEMBER_ROLES, command.role, 'role');
      if (Object.hasOwn(state.members, personId)) throw new DomainError('spinoff.already_member', 'conflict', { personId });
      return [{ type: 'MemberJoined', data: { spinOffId, personId, role, by, at } }];
    }
    case 'LeaveSpinOff': {
      const personId = id(command.personId, 'personId');
      if (!Object.hasOwn(state.members, personId)) throw new DomainError('spinoff.not_member', 'not_found', { personId });
      // A live project with nobody to run it could only be run by coordinators.
      if (isOrganiser(state, personId) && organisersOf(state).length === 1) throw new DomainError('spinoff.last_organiser', 'conflict');
      return [{ type: 'MemberLeft', data: { spinOffId, personId, ...optional(command.reason, 'reason'), by, at } }];
    }
    case 'OpenSpinOffRole': {
      const role: SpinOffRole = {
        roleId: id(command.roleId, 'roleId'),
        opportunityId: id(command.opportunityId, 'opportunityId'),
        title: required(command.title, 'title'),
        places: places(command.places),
        requiredSkills: skills(command.requiredSkills),
      };
      if (Object.hasOwn(state.roles, role.roleId)) throw new DomainError('spinoff.role_already_exists', 'conflict', { roleId: role.roleId });
      // One opportunity fills one role, or the lineage role → people who stepped up would be ambiguous.
      const linked = Object.values(state.roles).find((r) => r.opportunityId === role.opportunityId);
      if (linked) throw new DomainError('spinoff.role_already_exists', 'conflict', { opportunityId: role.opportunityId, roleId: linked.roleId });
      return [{ type: 'SpinOffRoleOpened', data: { spinOffId, ...role, by, at } }];
    }
    case 'CloseSpinOffRole': {
      const role = Object.hasOwn(state.roles, command.roleId) ? state.roles[command.roleId] : undefined;
      if (!role) throw new DomainError('spinoff.role_not_found', 'not_found', { roleId: command.roleId });
      if (!role.open) throw new DomainError('spinoff.role_closed', 'conflict', { roleId: role.roleId });
      return [{ type: 'SpinOffRoleClosed', data: { spinOffId, roleId: role.roleId, by, at } }];
    }
    case 'InviteToSpinOffRole': {
      const role = Object.hasOwn(state.roles, command.roleId) ? state.roles[command.roleId] : undefined;
      if (!role) throw new DomainError('spinoff.role_not_found', 'not_found', { roleId: command.roleId });
      if (!role.open) throw new DomainError('spinoff.role_closed', 'conflict', { roleId: role.roleId });
      const personIds = uniqueIds(command.personIds, 'personIds');
      if (personIds.length > MAX_ROLE_INVITATIONS) throw new DomainError('spinoff.too_many_invitations', 'invalid', { max: MAX_ROLE_INVITATIONS });
      // Asked once is enough: people already invited to the role are skipped, so a repeated request invites nobody twice.
      const fresh = personIds.filter((personId) => !role.invited.includes(personId));
      if (fresh.length === 0) return [];
      return [{ type: 'SpinOffRoleInvitationsSent', data: { spinOffId, roleId: role.roleId, opportunityId: role.opportunityId, personIds: fresh, by, at } }];
    }
    case 'AddMilestone': {
      const milestoneId = id(command.milestoneId, 'milestoneId');
      const title = required(command.title, 'title');
      const dueOn = command.dueOn === undefined ? {} : { dueOn: day(command.dueOn, 'dueOn') };
      if (Object.hasOwn(state.milestones, milestoneId)) throw new DomainError('spinoff.milestone_already_exists', 'conflict', { milestoneId });
      return [{ type: 'MilestoneAdded', data: { spinOffId, milestoneId, title, ...dueOn, by, at } }];
    }
    case 'ReachMilestone': {
      const milestone = Object.hasOwn(state.milestones, command.milestoneId) ? state.milestones[command.milestoneId] : undefined;
      if (!milestone) throw new DomainError('spinoff.milestone_not_found', 'not_found', { milestoneId: command.milestoneId });
      if (milestone.reached) throw new DomainError('spinoff.milestone_already_reached', 'conflict', { milestoneId: milestone.milestoneId });
      return [{ type: 'MilestoneReached', data: { spinOffId, milestoneId: milestone.milestoneId, by, at } }];
    }
    case 'ChooseExitStrategy': {
      const choice: ExitStrategyChoice = { strategy: oneOf(EXIT_STRATEGIES, command.strategy, 'strategy'), ...optional(command.note, 'note', asProse) };
      // Each change is an event; choosing again what is already chosen changes nothing.
      const current = state.exitStrategy;
      if (current && current.strategy === choice.strategy && current.note === choice.note) return [];
      return [{ type: 'ExitStrategyChosen', data: { spinOffId, ...choice, by, at } }];
    }
    case 'CompleteSpinOff':
      if (!state.exitStrategy) throw new DomainError('spinoff.exit_strategy_required', 'conflict');
      return [{ type: 'SpinOffCompleted', data: { spinOffId, ...optional(command.summary, 'summary', asProse), by, at } }];
    case 'CloseSpinOff':
      return [{ type: 'SpinOffClosed', data: { spinOffId, reason: required(command.reason, 'reason'), by, at } }];
  }
}

function evolve(state: SpinOffState, event: SpinOffEvent): SpinOffState {
  switch (event.type) {
    case 'SpinOffProposed': {
      const { spinOffId, origins, title, purpose, wards, themes, initiators } = event.data;
      const members = Object.fromEntries(initiators.map((personId) => [personId, 'organiser' as MemberRole]));
      return { ...state, status: 'proposed', spinOffId, profile: { origins, title, purpose, wards, themes, initiators }, members };
    }
    case 'SpinOffAcknowledged':
    case 'SpinOffLaunched':
    case 'SpinOffCompleted':
    case 'SpinOffClosed':
      return { ...state, status: SPINOFF_STATUS_AFTER[event.type]! };
    case 'MemberJoined':
      return { ...state, members: { ...state.members, [event.data.personId]: event.data.role } };
    case 'MemberLeft': {
      const { [event.data.personId]: _left, ...members } = state.members;
      return { ...state, members };
    }
    case 'SpinOffRoleOpened': {
      const { roleId, opportunityId, title, places, requiredSkills } = event.data;
      return { ...state, roles: { ...state.roles, [roleId]: { roleId, opportunityId, title, places, requiredSkills, open: true, invited: [] } } };
    }
    case 'SpinOffRoleClosed': {
      const { roleId } = event.data;
      return { ...state, roles: { ...state.roles, [roleId]: { ...state.roles[roleId], open: false } } };
    }
    case 'SpinOffRoleInvitationsSent': {
      const { roleId, personIds } = event.data;
      const role = state.roles[roleId];
      if (!role) return state;
      return { ...state, roles: { ...state.roles, [roleId]: { ...role, invited: [...role.invited, ...personIds] } } };
    }
    case 'MilestoneAdded': {
      const { milestoneId, title, dueOn } = event.data;
      return { ...state, milestones: { ...state.milestones, [milestoneId]: { milestoneId, title, ...(dueOn ? { dueOn } : {}), reached: false } } };
    }
    case 'MilestoneReached': {
      const { milestoneId } = event.data;
      return { ...state, milestones: { ...state.milestones, [milestoneId]: { ...state.milestones[milestoneId], reached: true } } };
    }
    case 'ExitStrategyChosen': {
      const { strategy, note } = event.data;
      return { ...state, exitStrategy: { strategy, ...(note ? { note } : {}) } };
    }
  }
}

export const spinOffDecider: Decider<SpinOffState, SpinOffCommand, SpinOffEvent> = {
  initialState: initialSpinOffState,
  decide,
  evolve,
};
