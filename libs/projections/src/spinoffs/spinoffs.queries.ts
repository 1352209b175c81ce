import type Database from 'better-sqlite3';
import { PLACE_HOLDING_STATUSES } from '@tsunagi/matching';

/** Matches in these statuses are people who stepped up through a role (the same table as the opportunity's places). */
const STEPPED_UP = `(${PLACE_HOLDING_STATUSES.map((status) => `'${status}'`).join(', ')})`;

export interface SpinOffFilter {
  ward?: string;
  status?: string;
  theme?: string;
  /** The `nextCursor` of the previous page: the last spin-off id (ids are time-ordered). */
  after?: string;
  limit: number;
}

export interface ExitStrategyView {
  strategy: string;
  note?: string;
  chosenAt: string;
}

/** A project in lists. Person ids are pseudonymous ids: no names or contact details in these views. */
export interface SpinOffView {
  spinOffId: string;
  title: string;
  purpose: string;
  wards: string[];
  themes: string[];
  status: string;
  initiators: string[];
  /** Current members, initiators included while they stay. */
  memberCount: number;
  openRoleCount: number;
  exitStrategy?: ExitStrategyView;
  /** Written when it was completed. */
  summary?: string;
  /** Why it was closed. */
  closeReason?: string;
  proposedAt: string;
  acknowledgedAt?: string;
  launchedAt?: string;
  endedAt?: string;
  updatedAt: string;
}

export interface SpinOffOriginView {
  meetingId: string;
  outcomeId: string;
}

export interface SpinOffMemberView {
  personId: string;
  role: string;
  initiator: boolean;
  since: string;
}

export interface SpinOffRoleView {
  roleId: string;
  /** The volunteer-role opportunity that fills it (matching). */
  opportunityId: string;
  title: string;
  places: number;
  /** From the matching read model: matches holding one of the opportunity's places. */
  placesTaken: number;
  requiredSkills: string[];
  status: 'open' | 'closed';
  openedAt: string;
  closedAt?: string;
  /** Who was invited to it and when, first invited first: only for those who may invite (see the API). */
  invitations?: { personId: string; at: string }[];
}

export interface MilestoneView {
  milestoneId: string;
  title: string;
  dueOn?: string;
  reached: boolean;
  addedAt: string;
  reachedAt?: string;
}

export interface SpinOffDetailView extends SpinOffView {
  origins: SpinOffOriginView[];
  members: SpinOffMemberView[];
  roles: SpinOffRoleView[];
  milestones: MilestoneView[];
}

/** A person's part in one project. */
export interface PersonSpinOffView {
  spinOff: SpinOffView;
  initiator: boolean;
  /** Their role while they are a member. */
  memberRole?: string;
}

export interface PersonSpinOffFilter {
  after?: string;
  limit: number;
}

export interface LineageMatchView {
  matchId: string;
  status: string;
  personId: string;
}

export interface LineageRoleView {
  roleId: string;
  opportunityId: string;
  title: string;
  status: string;
  matches: LineageMatchView[];
}

export interface LineageSpinOffView {
  spinOffId: string;
  title: string;
  status: string;
  wards: string[];
  /** The outcomes of this meeting it came from. */
  outcomeIds: string[];
  exitStrategy: ExitStrategyView | null;
  roles: LineageRoleView[];
  /** People in a role (a match that holds a place: accepted, confirmed, started, completed) and people who joined as members. */
  peopleWhoSteppedUp: string[];
}

export interface MeetingLineageView {
  meetingId: string;
  spinOffs: LineageSpinOffView[];
}

/**
 * Reads over the spin-offs read model. The roles' places and the lineage's matches join the matching read
 * model's `opportunities` and `matches` tables, which live in the same read-model database.
 */
export class SpinOffsQueries {
  constructor(private readonly db: Database.Database) {}

  spinOffs(filter: SpinOffFilter): SpinOffView[] {
    const where: string[] = ['s.spinoff_id > ?'];
    const params: unknown[] = [filter.after ?? ''];
    if (filter.status !== undefined) {
      where.push('s.status = ?');
      params.push(filter.status);
    }
    for (const [column, value] of [
      ['s.wards', filter.ward],
      ['s.themes', filter.theme],
    ] as const) {
      if (value !== undefined) {
        where.push(`EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ?)`);
        params.push(value);
      }
    }
    params.push(filter.limit);
    return this.db
      .prepare(`SELECT ${SPINOFF_COLUMNS} FROM spinoffs s WHERE ${where.join(' AND ')} ORDER BY s.spinoff_id LIMIT ?`)
      .all(...params)
      .map(toSpinOff);
  }

  spinOff(spinOffId: string): SpinOffDetailView | undefined {
    const row = this.db.prepare(`SELECT ${SPINOFF_COLUMNS} FROM spinoffs s WHERE s.spinoff_id = ?`).get(spinOffId);
    if (!row) return undefined;
    return {
      ...toSpinOff(row),
      origins: this.origins(spinOffId),
      members: this.db
        .prepare("SELECT * FROM spinoff_members WHERE spinoff_id = ? AND status = 'member' ORDER BY since_position, person_id")
        .all(spinOffId)
        .map(toMember),
      roles: this.db
        .prepare(
          `SELECT r.*, coalesce(o.places_taken, 0) AS places_taken FROM spinoff_roles r LEFT JOIN opportunities o ON o.opportunity_id = r.opportunity_id
           WHERE r.spinoff_id = ? ORDER BY r.opened_position, r.role_id`,
        )
        .all(spinOffId)
        .map(toRole),
      milestones: this.db.prepare('SELECT * FROM spinoff_milestones WHERE spinoff_id = ? ORDER BY added_position, milestone_id').all(spinOffId).map(toMilestone),
    };
  }

  /** Each role's invitations (person, when), first invited first. */
  invitations(spinOffId: string): Map<string, { personId: string; at: string }[]> {
    const byRole = new Map<string, { personId: string; at: string }[]>();
    const rows = this.db.prepare('SELECT role_id, person_id, invited_at FROM spinoff_invitations WHERE spinoff_id = ? ORDER BY position, ordinal').all(spinOffId) as Row[];
    for (const row of rows) {
      const roleId = row.role_id as string;
      byRole.set(roleId, [...(byRole.get(roleId) ?? []), { personId: row.person_id as string, at: row.invited_at as string }]);
    }
    return byRole;
  }

  /** The meeting outcomes a project came from, in the order they were recorded. */
  origins(spinOffId: string): SpinOffOriginView[] {
    return (this.db.prepare('SELECT meeting_id, outcome_id FROM spinoff_origins WHERE spinoff_id = ? ORDER BY ordinal').all(spinOffId) as Row[]).map((row) => ({
      meetingId: row.meeting_id as string,
      outcomeId: row.outcome_id as string,
    }));
  }

  /** The projects a person initiated or is a member of, by spin-off id. */
  personSpinOffs(personId: string, filter: PersonSpinOffFilter): PersonSpinOffView[] {
    const rows = this.db
      .prepare(
        `SELECT ${SPINOFF_COLUMNS}, m.initiator AS m_initiator, m.status AS m_status, m.role AS m_role
         FROM spinoff_members m JOIN spinoffs s ON s.spinoff_id = m.spinoff_id
         WHERE m.person_id = @personId AND (m.initiator = 1 OR m.status = 'member') AND s.spinoff_id > @after
         ORDER BY s.spinoff_id LIMIT @limit`,
      )
      .all({ personId, after: filter.after ?? '', limit: filter.limit }) as Row[];
    return rows.map((row) => ({
      spinOff: toSpinOff(row),
      initiator: row.m_initiator === 1,
      ...(row.m_status === 'member' ? { memberRole: row.m_role as string } : {}),
    }));
  }

  /**
   * Meeting → spin-offs → roles → people, as recorded: the origins written when each project was proposed, the
   * opportunity each role opened, and the matches on those opportunities (matching read model).
   */
  lineage(meetingId: string): MeetingLineageView {
    const projects = this.db
      .prepare(
        `SELECT ${SPINOFF_COLUMNS} FROM spinoffs s
         WHERE s.spinoff_id IN (SELECT spinoff_id FROM spinoff_origins WHERE meeting_id = ?) ORDER BY s.spinoff_id`,
      )
      .all(meetingId) as Row[];
    const outcomes = this.db.prepare('SELECT outcome_id FROM spinoff_origins WHERE spinoff_id = ? AND meeting_id = ? ORDER BY ordinal');
    const roles = this.db.prepare('SELECT role_id, opportunity_id, title, status FROM spinoff_roles WHERE spinoff_id = ? ORDER BY opened_position, role_id');
    const matches = this.db.prepare(`
      SELECT r.role_id, m.match_id, m.status, m.candidate_id FROM spinoff_roles r
      JOIN matches m ON m.opportunity_id = r.opportunity_id AND m.candidate_type = 'person'
      WHERE r.spinoff_id = ? ORDER BY m.match_id`);
    const people = this.db.prepare(`
      SELECT m.candidate_id AS person_id FROM spinoff_roles r
      JOIN matches m ON m.opportunity_id = r.opportunity_id AND m.candidate_type = 'person' AND m.status IN ${STEPPED_UP}
      WHERE r.spinoff_id = @spinOffId
      UNION
      SELECT person_id FROM spinoff_members WHERE spinoff_id = @spinOffId AND joined = 1
      ORDER BY 1`);
    return {
      meetingId,
      spinOffs: projects.map((row) => {
        const spinOffId = row.spinoff_id as string;
        const view = toSpinOff(row);
        const byRole = new Map<string, LineageMatchView[]>();
        for (const match of matches.all(spinOffId) as Row[]) {
          const list = byRole.get(match.role_id as string) ?? [];
          list.push({ matchId: match.match_id as string, status: match.status as string, personId: match.candidate_id as string });
          byRole.set(match.role_id as string, list);
        }
        return {
          spinOffId,
          title: view.title,
          status: view.status,
          wards: view.wards,
          outcomeIds: (outcomes.all(spinOffId, meetingId) as Row[]).map((o) => o.outcome_id as string),
          exitStrategy: view.exitStrategy ?? null,
          roles: (roles.all(spinOffId) as Row[]).map((role) => ({
            roleId: role.role_id as string,
            opportunityId: role.opportunity_id as string,
            title: role.title as string,
            status: role.status as string,
            matches: byRole.get(role.role_id as string) ?? [],
          })),
          peopleWhoSteppedUp: (people.all({ spinOffId }) as Row[]).map((p) => p.person_id as string),
        };
      }),
    };
  }
}

type Row = Record<string, unknown>;

const SPINOFF_COLUMNS = `s.*,
  (SELECT count(*) FROM spinoff_members x WHERE x.spinoff_id = s.spinoff_id AND x.status = 'member') AS member_count,
  (SELECT count(*) FROM spinoff_roles x WHERE x.spinoff_id = s.spinoff_id AND x.status = 'open') AS open_role_count`;

/* eslint-disable @typescript-eslint/no-explicit-any */
function toSpinOff(row: any): SpinOffView {
  return {
    spinOffId: row.spinoff_id,
    title: row.title,
    purpose: row.purpose,
    wards: JSON.parse(row.wards),
    themes: JSON.parse(row.themes),
    status: row.status,
    initiators: JSON.parse(row.initiators),
    memberCount: row.member_count,
    openRoleCount: row.open_role_count,
    ...(row.exit_strategy ? { exitStrategy: { strategy: row.exit_strategy, ...(row.exit_note ? { note: row.exit_note } : {}), chosenAt: row.exit_chosen_at } } : {}),
    ...(row.summary !== null ? { summary: row.summary } : {}),
    ...(row.close_reason !== null ? { closeReason: row.close_reason } : {}),
    proposedAt: row.proposed_at,
    ...(row.acknowledged_at ? { acknowledgedAt: row.acknowledged_at } : {}),
    ...(row.launched_at ? { launchedAt: row.launched_at } : {}),
    ...(row.ended_at ? { endedAt: row.ended_at } : {}),
    updatedAt: row.updated_at,
  };
}

function toMember(row: any): SpinOffMemberView {
  return { personId: row.person_id, role: row.role, initiator: row.initiator === 1, since: row.since };
}

function toRole(row: any): SpinOffRoleView {
  return {
    roleId: row.role_id,
    opportunityId: row.opportunity_id,
    title: row.title,
    places: row.places,
    placesTaken: row.places_taken,
    requiredSkills: JSON.parse(row.required_skills),
    status: row.status,
    openedAt: row.opened_at,
    ...(row.closed_at ? { closedAt: row.closed_at } : {}),
  };
}

function toMilestone(row: any): MilestoneView {
  return {
    milestoneId: row.milestone_id,
    title: row.title,
    ...(row.due_on ? { dueOn: row.due_on } : {}),
    reached: row.reached === 1,
    addedAt: row.added_at,
    ...(row.reached_at ? { reachedAt: row.reached_at } : {}),
  };
}
