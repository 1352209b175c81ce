import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@tsunagi/event-store';
import { ORGANISATION_EVENT_TYPES, OrganisationEvent, PERSON_EVENT_TYPES, PersonEvent, PersonProfile } from '@tsunagi/participants';
import type { Projection } from '../runner/projection';

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
const bit = (value: boolean | undefined) => (value === undefined ? null : value ? 1 : 0);

/**
 * People and organisations, for directories and filters. Every person and organisation row remembers the
 * position of the last event of its stream applied to it, and nothing applies an event that is not newer,
 * representatives included: replaying events changes nothing.
 * Event values are already normalised by the deciders (NFKC skills, canonical set order), so they are stored as is.
 */
export class ParticipantsProjection implements Projection {
  readonly name = 'participants';
  readonly version = 1;
  readonly eventTypes: readonly string[] = [...PERSON_EVENT_TYPES, ...ORGANISATION_EVENT_TYPES];
  private statements!: Record<string, Database.Statement>;

  setUp(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS people (
        person_id              TEXT PRIMARY KEY,
        display_name           TEXT NOT NULL,
        contact_email          TEXT NOT NULL,
        ward                   TEXT NOT NULL,
        skills                 TEXT NOT NULL,
        themes                 TEXT NOT NULL,
        availability           TEXT NOT NULL,
        languages              TEXT NOT NULL,
        pro_bono               TEXT NOT NULL,
        preferred_language     TEXT NOT NULL,
        may_be_contacted       INTEGER NOT NULL,
        visible_to_other_wards INTEGER NOT NULL,
        status                 TEXT NOT NULL,
        registered_at          TEXT NOT NULL,
        updated_at             TEXT NOT NULL,
        last_position          INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS people_ward ON people (ward, status, person_id);
      CREATE INDEX IF NOT EXISTS people_visible ON people (visible_to_other_wards, person_id);
      CREATE TABLE IF NOT EXISTS person_skills (
        person_id TEXT NOT NULL,
        skill     TEXT NOT NULL,
        PRIMARY KEY (person_id, skill)
      );
      CREATE INDEX IF NOT EXISTS person_skills_skill ON person_skills (skill);
      CREATE TABLE IF NOT EXISTS organisations (
        organisation_id TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        type            TEXT NOT NULL,
        wards_served    TEXT NOT NULL,
        themes          TEXT NOT NULL,
        contact_email   TEXT NOT NULL,
        description     TEXT NOT NULL,
        status          TEXT NOT NULL,
        registered_at   TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        last_position   INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS organisations_type ON organisations (type, organisation_id);
      CREATE TABLE IF NOT EXISTS organisation_wards (
        organisation_id TEXT NOT NULL,
        ward            TEXT NOT NULL,
        PRIMARY KEY (organisation_id, ward)
      );
      CREATE INDEX IF NOT EXISTS organisation_wards_ward ON organisation_wards (ward, organisation_id);
      CREATE TABLE IF NOT EXISTS representatives (
        organisation_id TEXT NOT NULL,
        person_id       TEXT NOT NULL,
        role            TEXT NOT NULL,
        added_at        TEXT NOT NULL,
        PRIMARY KEY (organisation_id, person_id)
      );
      CREATE INDEX IF NOT EXISTS representatives_person ON representatives (person_id);
    `);
    this.statements = {
      registerPerson: db.prepare(`
        INSERT INTO people (person_id, display_name, contact_email, ward, skills, themes, availability, languages, pro_bono,
                            preferred_language, may_be_contacted, visible_to_other_wards, status, registered_at, updated_at, last_position)
        VALUES (@personId, @displayName, @contactEmail, @ward, @skills, @themes, @availability, @languages, @proBono,
                @preferredLanguage, @mayBeContacted, @visibleToOtherWards, 'active', @at, @at, @position)
        ON CONFLICT (person_id) DO NOTHING`),
      updatePerson: db.prepare(`
        UPDATE people SET display_name = coalesce(@displayName, display_name), contact_email = coalesce(@contactEmail, contact_email),
          ward = coalesce(@ward, ward), skills = coalesce(@skills, skills), themes = coalesce(@themes, themes),
          availability = coalesce(@availability, availability), languages = coalesce(@languages, languages),
          pro_bono = coalesce(@proBono, pro_bono), preferred_language = coalesce(@preferredLanguage, preferred_language),
          may_be_contacted = coalesce(@mayBeContacted, may_be_contacted),
          visible_to_other_wards = coalesce(@visibleToOtherWards, visible_to_other_wards),
          updated_at = @at, last_position = @position
        WHERE person_id = @personId AND last_position < @position`),
      setPersonStatus: db.prepare(`
        UPDATE people SET status = @status, updated_at = @at, last_position = @position
        WHERE person_id = @personId AND last_position < @position`),
      deleteSkills: db.prepare('DELETE FROM person_skills WHERE person_id = ?'),
      insertSkill: db.prepare('INSERT OR IGNORE INTO person_skills (person_id, skill) VALUES (?, ?)'),
      registerOrganisation: db.prepare(`
        INSERT INTO organisations (organisation_id, name, type, wards_served, themes, contact_email, description, status, registered_at, updated_at, last_position)
        VALUES (@organisationId, @name, @type, @wardsServed, @themes, @contactEmail, @description, 'active', @at, @at, @position)
        ON CONFLICT (organisation_id) DO NOTHING`),
      updateOrganisation: db.prepare(`
        UPDATE organisations SET name = coalesce(@name, name), type = coalesce(@type, type), wards_served = coalesce(@wardsServed, wards_served),
          themes = coalesce(@themes, themes), contact_email = coalesce(@contactEmail, contact_email),
          description = coalesce(@description, description), updated_at = @at, last_position = @position
        WHERE organisation_id = @organisationId AND last_position < @position`),
      setOrganisationStatus: db.prepare(`
        UPDATE organisations SET status = @status, updated_at = @at, last_position = @position
        WHERE organisation_id = @organisationId AND last_position < @position`),
      /** Representatives live in the organisation's stream: the organisation row's position guards them too. */
      touchOrganisation: db.prepare(`
        UPDATE organisations SET updated_at = @at, last_position = @position
        WHERE organisation_id = @organisationId AND last_position < @position`),
      deleteWards: db.prepare('DELETE FROM organisation_wards WHERE organisation_id = ?'),
      insertWard: db.prepare('INSERT OR IGNORE INTO organisation_wards (organisation_id, ward) VALUES (?, ?)'),
      addRepresentative: db.prepare(`
        INSERT INTO representatives (organisation_id, person_id, role, added_at) VALUES (@organisationId, @personId, @role, @at)
        ON CONFLICT (organisation_id, person_id) DO UPDATE SET role = excluded.role, added_at = excluded.added_at`),
      removeRepresentative: db.prepare('DELETE FROM representatives WHERE organisation_id = @organisationId AND person_id = @personId'),
    };
  }

  tearDown(db: Database.Database): void {
    db.exec(`
      DROP TABLE IF EXISTS people; DROP TABLE IF EXISTS person_skills;
      DROP TABLE IF EXISTS organisations; DROP TABLE IF EXISTS organisation_wards; DROP TABLE IF EXISTS representatives;
    `);
  }

  private replaceSkills(personId: string, skills: string[]): void {
    this.statements.deleteSkills.run(personId);
    for (const skill of skills) this.statements.insertSkill.run(personId, skill);
  }

  private replaceWards(organisationId: string, wards: string[]): void {
    this.statements.deleteWards.run(organisationId);
    for (const ward of wards) this.statements.insertWard.run(organisationId, ward);
  }

  apply(recorded: RecordedEvent): void {
    const event = recorded as unknown as (PersonEvent | OrganisationEvent) & { position: number };
    const position = recorded.position;
    const s = this.statements;
    switch (event.type) {
      case 'PersonRegistered': {
        const { personId, profile, at } = event.data;
        const registered = s.registerPerson.run({ personId, ...personColumns(profile), at, position });
        if (registered.changes) this.replaceSkills(personId, profile.skills);
        return;
      }
      case 'PersonProfileUpdated': {
        const { personId, changes, at } = event.data;
        const updated = s.updatePerson.run({ personId, ...personColumns(changes), at, position });
        if (updated.changes && changes.skills) this.replaceSkills(personId, changes.skills);
        return;
      }
      case 'PersonPaused':
      case 'PersonResumed':
      case 'PersonDeactivated':
        s.setPersonStatus.run({ personId: event.data.personId, status: PERSON_STATUS_AFTER[event.type], at: event.data.at, position });
        return;
      case 'OrganisationRegistered': {
        const { organisationId, profile, at } = event.data;
        const registered = s.registerOrganisation.run({
          organisationId,
          name: profile.name,
          type: profile.type,
          wardsServed: json(profile.wardsServed),
          themes: json(profile.themes),
          contactEmail: profile.contactEmail,
          description: profile.description,
          at,
          position,
        });
        if (registered.changes) this.replaceWards(organisationId, profile.wardsServed);
        return;
      }
      case 'OrganisationUpdated': {
        const { organisationId, changes, at } = event.data;
        const updated = s.updateOrganisation.run({
          organisationId,
          name: changes.name ?? null,
          type: changes.type ?? null,
          wardsServed: json(changes.wardsServed),
          themes: json(changes.themes),
          contactEmail: changes.contactEmail ?? null,
          description: changes.description ?? null,
          at,
          position,
        });
        if (updated.changes && changes.wardsServed) this.replaceWards(organisationId, changes.wardsServed);
        return;
      }
      case 'OrganisationDeactivated':
        s.setOrganisationStatus.run({ organisationId: event.data.organisationId, status: 'deactivated', at: event.data.at, position });
        return;
      case 'RepresentativeAdded': {
        const { organisationId, personId, role, at } = event.data;
        if (s.touchOrganisation.run({ organisationId, at, position }).changes) s.addRepresentative.run({ organisationId, personId, role, at });
        return;
      }
      case 'RepresentativeRemoved': {
        const { organisationId, personId, at } = event.data;
        if (s.touchOrganisation.run({ organisationId, at, position }).changes) s.removeRepresentative.run({ organisationId, personId });
        return;
      }
    }
  }
}

/** Column values of a whole or partial profile; null leaves a column as it is (coalesce). */
function personColumns(profile: Partial<PersonProfile>) {
  return {
    displayName: profile.displayName ?? null,
    contactEmail: profile.contactEmail ?? null,
    ward: profile.ward ?? null,
    skills: json(profile.skills),
    themes: json(profile.themes),
    availability: json(profile.availability),
    languages: json(profile.languages),
    proBono: json(profile.proBono),
    preferredLanguage: profile.preferredLanguage ?? null,
    mayBeContacted: bit(profile.consents?.mayBeContacted),
    visibleToOtherWards: bit(profile.consents?.visibleToOtherWards),
  };
}

const PERSON_STATUS_AFTER = { PersonPaused: 'paused', PersonResumed: 'active', PersonDeactivated: 'deactivated' } as const;
