import type Database from 'better-sqlite3';

export interface OpportunityFilter {
  ward?: string;
  status?: string;
  kind?: string;
  /** NFKC-normalised, lower-case skill or profession. */
  skill?: string;
  theme?: string;
  organisationId?: string;
  after?: string;
  limit: number;
}

/** Which matches a caller may list: their own as a candidate, their organisations', their wards', or all. */
export interface MatchVisibility {
  all?: boolean;
  candidate?: { type: 'person' | 'organisation'; ids: string[] };
  organisationIds?: string[];
  wards?: string[];
}

export interface MatchFilter {
  matchId?: string;
  status?: string;
  kind?: string;
  opportunityId?: string;
  ward?: string;
  after?: string;
  limit: number;
}

export interface OpportunityView {
  opportunityId: string;
  organisationId: string;
  kind: string;
  title: string;
  description: string;
  ward: string;
  themes: string[];
  details: unknown;
  places: number;
  placesTaken: number;
  filled: boolean;
  status: string;
  openedAt: string;
  updatedAt: string;
}

export interface MatchView {
  matchId: string;
  opportunityId: string;
  organisationId: string;
  kind: string;
  ward: string;
  candidate: { type: string; id: string };
  status: string;
  origin: string;
  proposedBy: string | null;
  proposedAt: string | null;
  answeredAt: string | null;
  declineReason: string | null;
  endReason: string | null;
  hoursLogged: number;
  hoursApproved: number;
  createdAt: string;
  updatedAt: string;
}

const inList = (column: string, values: string[], params: unknown[]) => {
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(', ') || 'NULL'})`;
};

/** Reads over the matching read model; cursors are the last id of the previous page (ids are time-ordered). */
export class MatchingQueries {
  constructor(private readonly db: Database.Database) {}

  opportunities(filter: OpportunityFilter): OpportunityView[] {
    const where: string[] = ['o.opportunity_id > ?'];
    const params: unknown[] = [filter.after ?? ''];
    for (const [column, value] of [
      ['o.ward', filter.ward],
      ['o.status', filter.status],
      ['o.kind', filter.kind],
      ['o.organisation_id', filter.organisationId],
    ] as const) {
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    if (filter.skill !== undefined) {
      where.push('EXISTS (SELECT 1 FROM opportunity_skills s WHERE s.opportunity_id = o.opportunity_id AND s.skill = ?)');
      params.push(filter.skill);
    }
    if (filter.theme !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(o.themes) WHERE value = ?)');
      params.push(filter.theme);
    }
    params.push(filter.limit);
    const rows = this.db.prepare(`SELECT * FROM opportunities o WHERE ${where.join(' AND ')} ORDER BY o.opportunity_id LIMIT ?`).all(...params);
    return rows.map(toOpportunity);
  }

  opportunity(opportunityId: string): OpportunityView | undefined {
    const row = this.db.prepare('SELECT * FROM opportunities WHERE opportunity_id = ?').get(opportunityId);
    return row ? toOpportunity(row) : undefined;
  }

  matches(visibility: MatchVisibility, filter: MatchFilter): MatchView[] {
    const params: unknown[] = [];
    const scopes: string[] = [];
    if (!visibility.all) {
      if (visibility.candidate) scopes.push(`(m.candidate_type = '${visibility.candidate.type === 'person' ? 'person' : 'organisation'}' AND ${inList('m.candidate_id', visibility.candidate.ids, params)})`);
      if (visibility.organisationIds) scopes.push(inList('m.organisation_id', visibility.organisationIds, params));
      if (visibility.wards) scopes.push(inList('m.ward', visibility.wards, params));
      if (scopes.length === 0) return [];
    }
    const where = [scopes.length ? `(${scopes.join(' OR ')})` : '1 = 1', 'm.match_id > ?'];
    params.push(filter.after ?? '');
    for (const [column, value] of [
      ['m.match_id', filter.matchId],
      ['m.status', filter.status],
      ['m.kind', filter.kind],
      ['m.opportunity_id', filter.opportunityId],
      ['m.ward', filter.ward],
    ] as const) {
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    params.push(filter.limit);
    return this.db.prepare(`SELECT * FROM matches m WHERE ${where.join(' AND ')} ORDER BY m.match_id LIMIT ?`).all(...params).map(toMatch);
  }

  match(matchId: string): MatchView | undefined {
    const row = this.db.prepare('SELECT * FROM matches WHERE match_id = ?').get(matchId);
    return row ? toMatch(row) : undefined;
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function toOpportunity(row: any): OpportunityView {
  return {
    opportunityId: row.opportunity_id,
    organisationId: row.organisation_id,
    kind: row.kind,
    title: row.title,
    description: row.description,
    ward: row.ward,
    themes: JSON.parse(row.themes),
    details: JSON.parse(row.details),
    places: row.places,
    placesTaken: row.places_taken,
    filled: row.places_taken >= row.places,
    status: row.status,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
  };
}

function toMatch(row: any): MatchView {
  return {
    matchId: row.match_id,
    opportunityId: row.opportunity_id,
    organisationId: row.organisation_id,
    kind: row.kind,
    ward: row.ward,
    candidate: { type: row.candidate_type, id: row.candidate_id },
    status: row.status,
    origin: row.origin,
    proposedBy: row.proposed_by,
    proposedAt: row.proposed_at,
    answeredAt: row.answered_at,
    declineReason: row.decline_reason,
    endReason: row.end_reason,
    hoursLogged: row.hours_logged,
    hoursApproved: row.hours_approved,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
