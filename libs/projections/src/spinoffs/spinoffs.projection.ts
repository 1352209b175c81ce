import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@tsunagi/event-store';
import { SPINOFF_EVENT_TYPES, SPINOFF_STATUS_AFTER, SpinOffEvent } from '@tsunagi/spinoffs';
import type { Projection } from '../runner/projection';

const json = (value: unknown) => JSON.stringify(value);

/**
 * Spin-off projects with the meeting outcomes they came from, their members, roles and milestones, for lists,
 * a project's page and the lineage meeting → spin-off → roles → people. Everything of a project lives in its
 * stream, so the project row's position guards its other rows (as in the meetings read model): every event
 * after the proposal first moves the row's `last_position` forward (an event that is not newer changes
 * nothing), then touches its member, role or milestone. Replaying events never changes a row.
 *
 * A member row stays when the person leaves (`status` = 'left'), so the lineage keeps who stepped up;
 * `joined` says the person joined through MemberJoined at least once (initiators are members from the
 * proposal on, without it).
 */
export class SpinOffsProjection implements Projection {
  readonly name = 'spinoffs';
  /** 2: invitations to roles. */
  readonly version = 2;
  readonly eventTypes = SPINOFF_EVENT_TYPES;
  private statements!: Record<string, Database.Statement>;

  setUp(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS spinoffs (
        spinoff_id      TEXT PRIMARY KEY,
        title           TEXT NOT NULL,
        purpose         TEXT NOT NULL,
        wards           TEXT NOT NULL,
        themes          TEXT NOT NULL,
        initiators      TEXT NOT NULL,
        status          TEXT NOT NULL,
        exit_strategy   TEXT,
        exit_note       TEXT,
        exit_chosen_at  TEXT,
        summary         TEXT,
        close_reason    TEXT,
        proposed_by     TEXT NOT NULL,
        proposed_at     TEXT NOT NULL,
        acknowledged_by TEXT,
        acknowledged_at TEXT,
        launched_at     TEXT,
        ended_at        TEXT,
        updated_at      TEXT NOT NULL,
        last_position   INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS spinoffs_status ON spinoffs (status, spinoff_id);
      CREATE TABLE IF NOT EXISTS spinoff_origins (
        spinoff_id  TEXT NOT NULL,
        meeting_id  TEXT NOT NULL,
        outcome_id  TEXT NOT NULL,
        ordinal     INTEGER NOT NULL,
        PRIMARY KEY (spinoff_id, meeting_id, outcome_id)
      );
      CREATE INDEX IF NOT EXISTS spinoff_origins_meeting ON spinoff_origins (meeting_id, spinoff_id);
      CREATE TABLE IF NOT EXISTS spinoff_members (
        spinoff_id     TEXT NOT NULL,
        person_id      TEXT NOT NULL,
        role           TEXT NOT NULL,
        status         TEXT NOT NULL,
        initiator      INTEGER NOT NULL DEFAULT 0,
        joined         INTEGER NOT NULL DEFAULT 0,
        since          TEXT NOT NULL,
        left_at        TEXT,
        since_position INTEGER NOT NULL,
        PRIMARY KEY (spinoff_id, person_id)
      );
      CREATE INDEX IF NOT EXISTS spinoff_members_person ON spinoff_members (person_id, spinoff_id);
      CREATE TABLE IF NOT EXISTS spinoff_roles (
        spinoff_id       TEXT NOT NULL,
        role_id          TEXT NOT NULL,
        opportunity_id   TEXT NOT NULL,
        title            TEXT NOT NULL,
        places           INTEGER NOT NULL,
        required_skills  TEXT NOT NULL,
        status           TEXT NOT NULL,
        opened_at        TEXT NOT NULL,
        closed_at        TEXT,
        opened_position  INTEGER NOT NULL,
        PRIMARY KEY (spinoff_id, role_id)
      );
      CREATE INDEX IF NOT EXISTS spinoff_roles_opportunity ON spinoff_roles (opportunity_id);
      -- Who was invited to which role, and when (the first invitation; a person is invited to a role once).
      CREATE TABLE IF NOT EXISTS spinoff_invitations (
        spinoff_id TEXT NOT NULL,
        role_id    TEXT NOT NULL,
        person_id  TEXT NOT NULL,
        invited_at TEXT NOT NULL,
        invited_by TEXT NOT NULL,
        position   INTEGER NOT NULL,
        ordinal    INTEGER NOT NULL, -- its place in the invitation (best ranked first)
        PRIMARY KEY (spinoff_id, role_id, person_id)
      );
      CREATE TABLE IF NOT EXISTS spinoff_milestones (
        spinoff_id      TEXT NOT NULL,
        milestone_id    TEXT NOT NULL,
        title           TEXT NOT NULL,
        due_on          TEXT,
        reached         INTEGER NOT NULL DEFAULT 0,
        added_at        TEXT NOT NULL,
        reached_at      TEXT,
        added_position  INTEGER NOT NULL,
        PRIMARY KEY (spinoff_id, milestone_id)
      );
    `);
    this.statements = {
      propose: db.prepare(`
        INSERT INTO spinoffs (spinoff_id, title, purpose, wards, themes, initiators, status, proposed_by, proposed_at, updated_at, last_position)
        VALUES (@spinOffId, @title, @purpose, @wards, @themes, @initiators, 'proposed', @by, @at, @at, @position)
        ON CONFLICT (spinoff_id) DO NOTHING`),
      origin: db.prepare(`
        INSERT INTO spinoff_origins (spinoff_id, meeting_id, outcome_id, ordinal) VALUES (@spinOffId, @meetingId, @outcomeId, @ordinal)
        ON CONFLICT DO NOTHING`),
      initiator: db.prepare(`
        INSERT INTO spinoff_members (spinoff_id, person_id, role, status, initiator, since, since_position)
        VALUES (@spinOffId, @personId, 'organiser', 'member', 1, @at, @position)
        ON CONFLICT DO NOTHING`),
      /** Every later event: the project row's position guards the rest. */
      touch: db.prepare(`
        UPDATE spinoffs SET status = coalesce(@status, status), updated_at = @at, last_position = @position
        WHERE spinoff_id = @spinOffId AND last_position < @position`),
      acknowledge: db.prepare('UPDATE spinoffs SET acknowledged_by = @by, acknowledged_at = @at WHERE spinoff_id = @spinOffId'),
      launch: db.prepare('UPDATE spinoffs SET launched_at = @at WHERE spinoff_id = @spinOffId'),
      end: db.prepare('UPDATE spinoffs SET ended_at = @at, summary = @summary, close_reason = @reason WHERE spinoff_id = @spinOffId'),
      exitStrategy: db.prepare('UPDATE spinoffs SET exit_strategy = @strategy, exit_note = @note, exit_chosen_at = @at WHERE spinoff_id = @spinOffId'),
      join: db.prepare(`
        INSERT INTO spinoff_members (spinoff_id, person_id, role, status, joined, since, since_position)
        VALUES (@spinOffId, @personId, @role, 'member', 1, @at, @position)
        ON CONFLICT (spinoff_id, person_id) DO UPDATE SET role = excluded.role, status = 'member', joined = 1, since = excluded.since,
          left_at = NULL, since_position = excluded.since_position`),
      leave: db.prepare("UPDATE spinoff_members SET status = 'left', left_at = @at WHERE spinoff_id = @spinOffId AND person_id = @personId"),
      openRole: db.prepare(`
        INSERT INTO spinoff_roles (spinoff_id, role_id, opportunity_id, title, places, required_skills, status, opened_at, opened_position)
        VALUES (@spinOffId, @roleId, @opportunityId, @title, @places, @requiredSkills, 'open', @at, @position)
        ON CONFLICT DO NOTHING`),
      closeRole: db.prepare("UPDATE spinoff_roles SET status = 'closed', closed_at = @at WHERE spinoff_id = @spinOffId AND role_id = @roleId"),
      addMilestone: db.prepare(`
        INSERT INTO spinoff_milestones (spinoff_id, milestone_id, title, due_on, added_at, added_position)
        VALUES (@spinOffId, @milestoneId, @title, @dueOn, @at, @position)
        ON CONFLICT DO NOTHING`),
      invite: db.prepare(`
        INSERT INTO spinoff_invitations (spinoff_id, role_id, person_id, invited_at, invited_by, position, ordinal)
        VALUES (@spinOffId, @roleId, @personId, @at, @by, @position, @ordinal)
        ON CONFLICT DO NOTHING`),
      reachMilestone: db.prepare('UPDATE spinoff_milestones SET reached = 1, reached_at = @at WHERE spinoff_id = @spinOffId AND milestone_id = @milestoneId'),
    };
  }

  tearDown(db: Database.Database): void {
    db.exec(
      'DROP TABLE IF EXISTS spinoffs; DROP TABLE IF EXISTS spinoff_origins; DROP TABLE IF EXISTS spinoff_members; DROP TABLE IF EXISTS spinoff_roles; DROP TABLE IF EXISTS spinoff_invitations; DROP TABLE IF EXISTS spinoff_milestones;',
    );
  }

  apply(recorded: RecordedEvent): void {
    const event = recorded as unknown as SpinOffEvent;
    const position = recorded.position;
    const s = this.statements;
    const { spinOffId, by, at } = event.data;
    if (event.type === 'SpinOffProposed') {
      const d = event.data;
      const proposed = s.propose.run({
        spinOffId,
        title: d.title,
        purpose: d.purpose,
        wards: json(d.wards),
        themes: json(d.themes),
        initiators: json(d.initiators),
        by,
        at,
        position,
      });
      if (!proposed.changes) return;
      d.origins.forEach((origin, ordinal) => s.origin.run({ spinOffId, meetingId: origin.meetingId, outcomeId: origin.outcomeId, ordinal }));
      for (const personId of d.initiators) s.initiator.run({ spinOffId, personId, at, position });
      return;
    }
    if (!s.touch.run({ spinOffId, status: SPINOFF_STATUS_AFTER[event.type] ?? null, at, position }).changes) return;
    switch (event.type) {
      case 'SpinOffAcknowledged':
        s.acknowledge.run({ spinOffId, by, at });
        return;
      case 'SpinOffLaunched':
        s.launch.run({ spinOffId, at });
        return;
      case 'SpinOffCompleted':
        s.end.run({ spinOffId, at, summary: event.data.summary ?? null, reason: null });
        return;
      case 'SpinOffClosed':
        s.end.run({ spinOffId, at, summary: null, reason: event.data.reason });
        return;
      case 'MemberJoined':
        s.join.run({ spinOffId, personId: event.data.personId, role: event.data.role, at, position });
        return;
      case 'MemberLeft':
        s.leave.run({ spinOffId, personId: event.data.personId, at });
        return;
      case 'SpinOffRoleOpened': {
        const d = event.data;
        s.openRole.run({ spinOffId, roleId: d.roleId, opportunityId: d.opportunityId, title: d.title, places: d.places, requiredSkills: json(d.requiredSkills), at, position });
        return;
      }
      case 'SpinOffRoleClosed':
        s.closeRole.run({ spinOffId, roleId: event.data.roleId, at });
        return;
      case 'SpinOffRoleInvitationsSent':
        event.data.personIds.forEach((personId, ordinal) => s.invite.run({ spinOffId, roleId: event.data.roleId, personId, at, by, position, ordinal }));
        return;
      case 'MilestoneAdded':
        s.addMilestone.run({ spinOffId, milestoneId: event.data.milestoneId, title: event.data.title, dueOn: event.data.dueOn ?? null, at, position });
        return;
      case 'MilestoneReached':
        s.reachMilestone.run({ spinOffId, milestoneId: event.data.milestoneId, at });
        return;
      case 'ExitStrategyChosen':
        s.exitStrategy.run({ spinOffId, strategy: event.data.strategy, note: event.data.note ?? null, at });
        return;
    }
  }
}
