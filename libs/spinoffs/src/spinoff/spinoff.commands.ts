import type { ExitStrategy, MemberRole, Milestone, SpinOffProfile, SpinOffRole } from './spinoff.types';

/** `by` is the acting principal's subject; `at` comes from the injected clock. */
interface Base {
  spinOffId: string;
  by: string;
  at: string;
}

export type SpinOffCommand =
  | ({ type: 'ProposeSpinOff' } & Base & SpinOffProfile)
  | ({ type: 'AcknowledgeSpinOff' } & Base)
  | ({ type: 'LaunchSpinOff' } & Base)
  | ({ type: 'JoinSpinOff'; personId: string; role: MemberRole } & Base)
  | ({ type: 'LeaveSpinOff'; personId: string; reason?: string } & Base)
  | ({ type: 'OpenSpinOffRole' } & Base & SpinOffRole)
  | ({ type: 'CloseSpinOffRole'; roleId: string } & Base)
  /** Invites people to an open role (a coordinator's choice, usually the people the suggestions rank highest). */
  | ({ type: 'InviteToSpinOffRole'; roleId: string; personIds: string[] } & Base)
  | ({ type: 'AddMilestone' } & Base & Milestone)
  | ({ type: 'ReachMilestone'; milestoneId: string } & Base)
  | ({ type: 'ChooseExitStrategy'; strategy: ExitStrategy; note?: string } & Base)
  | ({ type: 'CompleteSpinOff'; summary?: string } & Base)
  | ({ type: 'CloseSpinOff'; reason: string } & Base);

export type SpinOffCommandType = SpinOffCommand['type'];
