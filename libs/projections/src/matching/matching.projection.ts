import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@tsunagi/event-store';
import { MATCH_STATUS_AFTER, OPPORTUNITY_EVENT_TYPES, OpportunityDetails, OpportunityEvent, PLACE_HOLDING_STATUSES, placesOf } from '@tsunagi/matching';
import type { Projection } from '../runner/projection';

const PLACE_HOLDING = `(${PLACE_HOLDING_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/**
 * Opportunities and their matches, for lists and filters. Every row remembers the position of the last event
 * applied to it, and an update only applies a newer event: replaying events never counts anything twice.
 */
export class MatchingProjection implements Projection {
  readonly name = 'matching';
  readonly version = 1;
  readonly eventTypes = OPPORTUNITY_EVENT_TYPES;
  private statements!: Record<string, Database.Statement>;

  setUp(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS opportunities (
        opportunity_id  TEXT PRIMARY KEY,
        organisation_id TEXT NOT NULL,
        kind            TEXT NOT NULL,
        title           TEXT NOT NULL,
        description     TEXT NOT NULL,
        ward            TEXT NOT NULL,
        themes          TEXT NOT NULL,
        details         TEXT NOT NULL,
        places          INTEGER NOT NULL,
        places_taken    INTEGER NOT NULL DEFAULT 0,
        status          TEXT NOT NULL,
        opened_at       TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        last_position   INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS opportunities_ward ON opportunities (ward, status, opportunity_id);
      CREATE TABLE IF NOT EXISTS opportunity_skills (
        opportunity_id TEXT NOT NULL,
        skill          TEXT NOT NULL,
        required       INTEGER NOT NULL,
        PRIMARY KEY (opportunity_id, skill)
      );
      CREATE INDEX IF NOT EXISTS opportunity_skills_skill ON opportunity_skills (skill);
      CREATE TABLE IF NOT EXISTS matches (
        match_id        TEXT PRIMARY KEY,
        opportunity_id  TEXT NOT NULL,
        organisation_id TEXT NOT NULL,
        kind            TEXT NOT NULL,
        ward            TEXT NOT NULL,
        candidate_type  TEXT NOT NULL,
        candidate_id    TEXT NOT NULL,
        status          TEXT NOT NULL,
        origin          TEXT NOT NULL,
        proposed_by     TEXT,
        proposed_at     TEXT,
        answered_at     TEXT,
        decline_reason  TEXT,
        end_reason      TEXT,
        hours_logged    REAL NOT NULL DEFAULT 0,
        hours_approved  REAL NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        last_position   INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS matches_candidate ON matches (candidate_type, candidate_id, match_id);
      CREATE INDEX IF NOT EXISTS matches_opportunity ON matches (opportunity_id, match_id);
      CREATE INDEX IF NOT EXISTS matches_ward ON matches (ward, status, match_id);
      CREATE INDEX IF NOT EXISTS matches_organisation ON matches (organisation_id, match_id);
      CREATE TABLE IF NOT EXISTS match_hours (
        entry_id  TEXT PRIMARY KEY,
        match_id  TEXT NOT NULL,
        hours     REAL NOT NULL,
        approved  INTEGER NOT NULL DEFAULT 0
      );
    `);
    this.statements = {
      openOpportunity: db.prepare(`
        INSERT INTO opportunities (opportunity_id, organisation_id, kind, title, description, ward, themes, details, places, status, opened_at, updated_at, last_position)
        VALUES (@opportunityId, @organisationId, @kind, @title, @description, @ward, @themes, @details, @places, 'open', @at, @at, @position)
        ON CONFLICT (opportunity_id) DO NOTHING`),
      updateOpportunity: db.prepare(`
        UPDATE opportunities SET title = coalesce(@title, title), description = coalesce(@description, description),
          ward = coalesce(@ward, ward), themes = coalesce(@themes, themes), details = coalesce(@details, details),
          places = coalesce(@places, places), updated_at = @at, last_position = @position
        WHERE opportunity_id = @opportunityId AND last_position < @position`),
      setOpportunityStatus: db.prepare(`
        UPDATE opportunities SET status = @status, updated_at = @at, last_position = @position
        WHERE opportunity_id = @opportunityId AND last_position < @position`),
      recountPlaces: db.prepare(`
        UPDATE opportunities SET places_taken = (SELECT count(*) FROM matches WHERE opportunity_id = @opportunityId AND status IN ${PLACE_HOLDING})
        WHERE opportunity_id = @opportunityId`),
      deleteSkills: db.prepare('DELETE FROM opportunity_skills WHERE opportunity_id = ?'),
      insertSkill: db.prepare('INSERT OR IGNORE INTO opportunity_skills VALUES (?, ?, ?)'),
      createMatch: db.prepare(`
        INSERT INTO matches (match_id, opportunity_id, organisation_id, kind, ward, candidate_type, candidate_id, status, origin,
                             proposed_by, proposed_at, created_at, updated_at, last_position)
        SELECT @matchId, o.opportunity_id, o.organisation_id, o.kind, o.ward, @candidateType, @candidateId, @status, @origin,
               @proposedBy, @proposedAt, @at, @at, @position
        FROM opportunities o WHERE o.opportunity_id = @opportunityId
        ON CONFLICT (match_id) DO UPDATE SET status = excluded.status, proposed_by = excluded.proposed_by,
          proposed_at = excluded.proposed_at, updated_at = excluded.updated_at, last_position = excluded.last_position
        WHERE matches.last_position < excluded.last_position`),
      setMatchStatus: db.prepare(`
        UPDATE matches SET status = @status, updated_at = @at, last_position = @position,
          answered_at = CASE WHEN @answers = 1 THEN @at ELSE answered_at END,
          decline_reason = coalesce(@declineReason, decline_reason), end_reason = coalesce(@endReason, end_reason)
        WHERE match_id = @matchId AND last_position < @position`),
      logHours: db.prepare('INSERT OR IGNORE INTO match_hours (entry_id, match_id, hours) VALUES (@entryId, @matchId, @hours)'),
      approveHours: db.prepare('UPDATE match_hours SET approved = 1 WHERE entry_id = @entryId'),
      sumHours: db.prepare(`
        UPDATE matches SET
          hours_logged = (SELECT coalesce(sum(hours), 0) FROM match_hours WHERE match_id = @matchId),
          hours_approved = (SELECT coalesce(sum(hours), 0) FROM match_hours WHERE match_id = @matchId AND approved = 1)
        WHERE match_id = @matchId`),
    };
  }

  tearDown(db: Database.Database): void {
    db.exec('DROP TABLE IF EXISTS opportunities; DROP TABLE IF EXISTS opportunity_skills; DROP TABLE IF EXISTS matches; DROP TABLE IF EXISTS match_hours;');
  }

  private replaceSkills(opportunityId: string, details: OpportunityDetails): void {
    this.statements.deleteSkills.run(opportunityId);
    const skills = details.kind === 'volunteer_role' ? [...details.requiredSkills.map((s) => [s, 1]), ...details.optionalSkills.map((s) => [s, 0])] : [];
    if (details.kind === 'pro_bono_project') skills.push(...details.professions.map((p) => [p, 1]));
    for (const [skill, required] of skills) this.statements.insertSkill.run(opportunityId, skill, required);
  }

  apply(recorded: RecordedEvent): void {
    const event = recorded as unknown as OpportunityEvent & { position: number };
    const position = recorded.position;
    const s = this.statements;
    switch (event.type) {
      case 'OpportunityOpened': {
        const d = event.data;
        const opened = s.openOpportunity.run({
          opportunityId: d.opportunityId,
          organisationId: d.organisationId,
          kind: d.details.kind,
          title: d.title,
          description: d.description,
          ward: d.ward,
          themes: JSON.stringify(d.themes),
          details: JSON.stringify(d.details),
          places: placesOf(d.details),
          at: d.at,
          position,
        });
        if (opened.changes) this.replaceSkills(d.opportunityId, d.details);
        return;
      }
      case 'OpportunityUpdated': {
        const { opportunityId, changes, at } = event.data;
        const updated = s.updateOpportunity.run({
          opportunityId,
          title: changes.title ?? null,
          description: changes.description ?? null,
          ward: changes.ward ?? null,
          themes: changes.themes ? JSON.stringify(changes.themes) : null,
          details: changes.details ? JSON.stringify(changes.details) : null,
          places: changes.details ? placesOf(changes.details) : null,
          at,
          position,
        });
        if (updated.changes && changes.details) this.replaceSkills(opportunityId, changes.details);
        return;
      }
      case 'OpportunityClosed':
      case 'OpportunityReopened':
        s.setOpportunityStatus.run({ opportunityId: event.data.opportunityId, status: event.type === 'OpportunityClosed' ? 'closed' : 'open', at: event.data.at, position });
        return;
      case 'InterestExpressed':
      case 'MatchProposed': {
        const d = event.data;
        const proposal = event.type === 'MatchProposed';
        s.createMatch.run({
          matchId: d.matchId,
          opportunityId: d.opportunityId,
          candidateType: d.candidate.type,
          candidateId: d.candidate.id,
          status: proposal ? 'proposed' : 'interested',
          origin: proposal && !event.data.fromInterest ? 'coordinator' : 'interest',
          proposedBy: proposal ? event.data.proposedBy : null,
          proposedAt: proposal ? d.at : null,
          at: d.at,
          position,
        });
        return;
      }
      case 'HoursLogged':
        s.logHours.run({ entryId: event.data.entryId, matchId: event.data.matchId, hours: event.data.hours });
        s.sumHours.run({ matchId: event.data.matchId });
        return;
      case 'HoursApproved':
        s.approveHours.run({ entryId: event.data.entryId });
        s.sumHours.run({ matchId: event.data.matchId });
        return;
      default: {
        const d = event.data;
        const status = MATCH_STATUS_AFTER[event.type];
        s.setMatchStatus.run({
          matchId: d.matchId,
          status,
          answers: ANSWERS.has(event.type) ? 1 : 0,
          declineReason: event.type === 'MatchDeclined' ? event.data.reason : null,
          endReason: event.type === 'MatchEndedEarly' ? event.data.reason : null,
          at: d.at,
          position,
        });
        s.recountPlaces.run({ opportunityId: d.opportunityId });
      }
    }
  }
}

/** Events that answer a proposal: the time between proposal and answer is the response time. */
const ANSWERS = new Set(['MatchAccepted', 'MatchDeclined']);
