import type Database from 'better-sqlite3';

/** Which people a caller may list: everyone, or those of some wards plus (optionally) those who agreed to be seen from other wards. */
export interface PeopleVisibility {
  all?: boolean;
  wards?: string[];
  visibleToOtherWards?: boolean;
}

export interface PeopleFilter {
  ward?: string;
  /** NFKC-normalised, lower-case skill. */
  skill?: string;
  theme?: string;
  status?: string;
  after?: string;
  limit: number;
}

export interface OrganisationFilter {
  /** A ward the organisation serves. */
  ward?: string;
  type?: string;
  theme?: string;
  after?: string;
  limit: number;
}

export interface PersonView {
  personId: string;
  displayName: string;
  /** Left out by the API for callers who may not contact the person. */
  contactEmail?: string;
  ward: string;
  skills: string[];
  themes: string[];
  availability: { days: string[]; timeBands: string[]; hoursPerMonth: number };
  languages: string[];
  proBono: { offers: boolean; professions: string[] };
  preferredLanguage: string;
  consents: { mayBeContacted: boolean; visibleToOtherWards: boolean };
  status: string;
  registeredAt: string;
  updatedAt: string;
}

export interface RepresentativeView {
  personId: string;
  role: string;
  addedAt: string;
}

export interface OrganisationView {
  organisationId: string;
  name: string;
  type: string;
  wardsServed: string[];
  themes: string[];
  /** Left out by the API for analysts. */
  contactEmail?: string;
  description: string;
  status: string;
  registeredAt: string;
  updatedAt: string;
  representatives?: RepresentativeView[];
}

const inList = (column: string, values: string[], params: unknown[]) => {
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(', ') || 'NULL'})`;
};

/** Reads over the participants read model; cursors are the last id of the previous page. */
export class ParticipantsQueries {
  constructor(private readonly db: Database.Database) {}

  people(visibility: PeopleVisibility, filter: PeopleFilter): PersonView[] {
    const params: unknown[] = [];
    const scopes: string[] = [];
    if (!visibility.all) {
      if (visibility.wards) scopes.push(inList('p.ward', visibility.wards, params));
      if (visibility.visibleToOtherWards) scopes.push('p.visible_to_other_wards = 1');
      if (scopes.length === 0) return [];
    }
    const where = [scopes.length ? `(${scopes.join(' OR ')})` : '1 = 1', 'p.person_id > ?'];
    params.push(filter.after ?? '');
    for (const [column, value] of [
      ['p.ward', filter.ward],
      ['p.status', filter.status],
    ] as const) {
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    if (filter.skill !== undefined) {
      where.push('EXISTS (SELECT 1 FROM person_skills s WHERE s.person_id = p.person_id AND s.skill = ?)');
      params.push(filter.skill);
    }
    if (filter.theme !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(p.themes) WHERE value = ?)');
      params.push(filter.theme);
    }
    params.push(filter.limit);
    return this.db.prepare(`SELECT * FROM people p WHERE ${where.join(' AND ')} ORDER BY p.person_id LIMIT ?`).all(...params).map(toPerson);
  }

  person(personId: string): PersonView | undefined {
    const row = this.db.prepare('SELECT * FROM people WHERE person_id = ?').get(personId);
    return row ? toPerson(row) : undefined;
  }

  organisations(filter: OrganisationFilter): OrganisationView[] {
    const where = ['o.organisation_id > ?'];
    const params: unknown[] = [filter.after ?? ''];
    if (filter.type !== undefined) {
      where.push('o.type = ?');
      params.push(filter.type);
    }
    if (filter.ward !== undefined) {
      where.push('EXISTS (SELECT 1 FROM organisation_wards w WHERE w.organisation_id = o.organisation_id AND w.ward = ?)');
      params.push(filter.ward);
    }
    if (filter.theme !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(o.themes) WHERE value = ?)');
      params.push(filter.theme);
    }
    params.push(filter.limit);
    return this.db
      .prepare(`SELECT * FROM organisations o WHERE ${where.join(' AND ')} ORDER BY o.organisation_id LIMIT ?`)
      .all(...params)
      .map(toOrganisation);
  }

  /** One organisation with its representatives (in the order they were added). */
  organisation(organisationId: string): OrganisationView | undefined {
    const row = this.db.prepare('SELECT * FROM organisations WHERE organisation_id = ?').get(organisationId);
    if (!row) return undefined;
    const representatives = this.db
      .prepare('SELECT person_id, role, added_at FROM representatives WHERE organisation_id = ? ORDER BY added_at, person_id')
      .all(organisationId)
      .map(toRepresentative);
    return { ...toOrganisation(row), representatives };
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function toPerson(row: any): PersonView {
  return {
    personId: row.person_id,
    displayName: row.display_name,
    contactEmail: row.contact_email,
    ward: row.ward,
    skills: JSON.parse(row.skills),
    themes: JSON.parse(row.themes),
    availability: JSON.parse(row.availability),
    languages: JSON.parse(row.languages),
    proBono: JSON.parse(row.pro_bono),
    preferredLanguage: row.preferred_language,
    consents: { mayBeContacted: row.may_be_contacted === 1, visibleToOtherWards: row.visible_to_other_wards === 1 },
    status: row.status,
    registeredAt: row.registered_at,
    updatedAt: row.updated_at,
  };
}

function toOrganisation(row: any): OrganisationView {
  return {
    organisationId: row.organisation_id,
    name: row.name,
    type: row.type,
    wardsServed: JSON.parse(row.wards_served),
    themes: JSON.parse(row.themes),
    contactEmail: row.contact_email,
    description: row.description,
    status: row.status,
    registeredAt: row.registered_at,
    updatedAt: row.updated_at,
  };
}

function toRepresentative(row: any): RepresentativeView {
  return { personId: row.person_id, role: row.role, addedAt: row.added_at };
}
