import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@tsunagi/event-store';
import type { OrganisationEvent, OrganisationProfile, PersonEvent, PersonProfile } from '@tsunagi/participants';
import { openReadModelDatabase } from '../runner/read-model-database';
import { ParticipantsProjection } from './participants.projection';
import { ParticipantsQueries } from './participants.queries';

const at = '2026-04-01T10:00:00.000Z';
const by = 'coordinator-1';

const hanako: PersonProfile = {
  displayName: '川崎 花子',
  contactEmail: 'hanako@example.jp',
  ward: 'nakahara',
  skills: ['調理', 'it'],
  themes: ['child_rearing', 'elderly'],
  availability: { days: ['weekend'], timeBands: ['morning'], hoursPerMonth: 8 },
  languages: ['ja', 'en'],
  proBono: { offers: true, professions: ['it'] },
  preferredLanguage: 'ja',
  consents: { mayBeContacted: true, visibleToOtherWards: false },
};
const taro: PersonProfile = { ...hanako, displayName: '幸 太郎', contactEmail: 'taro@example.jp', ward: 'saiwai', skills: ['運転'], themes: ['sports'] };
const club: OrganisationProfile = {
  name: '中原まちづくりクラブ',
  type: 'civic_group',
  wardsServed: ['nakahara', 'takatsu'],
  themes: ['town_making'],
  contactEmail: 'info@machi.example.jp',
  description: '月に一度の清掃活動。',
};

/** Recorded events of several streams, interleaved, with increasing positions (as `$all` delivers them). */
function history(): RecordedEvent[] {
  const events: [string, PersonEvent | OrganisationEvent][] = [
    ['person-p1', { type: 'PersonRegistered', data: { personId: 'p1', profile: hanako, by, at } }],
    ['person-p2', { type: 'PersonRegistered', data: { personId: 'p2', profile: taro, by, at } }],
    ['organisation-o1', { type: 'OrganisationRegistered', data: { organisationId: 'o1', profile: club, by, at } }],
    ['organisation-o1', { type: 'RepresentativeAdded', data: { organisationId: 'o1', personId: 'p1', role: 'representative', by, at } }],
    ['person-p1', { type: 'PersonProfileUpdated', data: { personId: 'p1', changes: { skills: ['it', 'デザイン'], consents: { mayBeContacted: false, visibleToOtherWards: true } }, by, at } }],
    ['person-p1', { type: 'PersonPaused', data: { personId: 'p1', reason: '引っ越し', by, at } }],
    ['organisation-o1', { type: 'RepresentativeAdded', data: { organisationId: 'o1', personId: 'p2', role: 'staff', by, at } }],
    ['organisation-o1', { type: 'RepresentativeRemoved', data: { organisationId: 'o1', personId: 'p1', by, at } }],
    ['person-p1', { type: 'PersonResumed', data: { personId: 'p1', by, at } }],
    ['organisation-o1', { type: 'RepresentativeAdded', data: { organisationId: 'o1', personId: 'p1', role: 'staff', by, at } }],
    ['organisation-o1', { type: 'OrganisationUpdated', data: { organisationId: 'o1', changes: { wardsServed: ['saiwai'], name: '幸まちづくりクラブ' }, by, at } }],
    ['person-p2', { type: 'PersonDeactivated', data: { personId: 'p2', by, at } }],
    ['organisation-o1', { type: 'OrganisationDeactivated', data: { organisationId: 'o1', by, at } }],
  ];
  const revisions = new Map<string, number>();
  return events.map(([streamId, event], index) => {
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    return {
      id: `e${index}`,
      type: event.type,
      schemaVersion: 1,
      data: event.data,
      metadata: {},
      streamId,
      revision,
      position: (index + 1) * 10,
      recordedAt: at,
    } as unknown as RecordedEvent;
  });
}

const TABLES = ['people', 'person_skills', 'organisations', 'organisation_wards', 'representatives'];
const rows = (db: Database.Database) => Object.fromEntries(TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]));

describe('ParticipantsProjection', () => {
  let db: Database.Database;
  let projection: ParticipantsProjection;
  beforeEach(() => {
    db = openReadModelDatabase(':memory:');
    projection = new ParticipantsProjection();
    projection.setUp(db);
  });
  afterEach(() => db.close());

  it('replaying the same events twice gives the same rows', () => {
    const events = history();
    events.forEach((e) => projection.apply(e));
    const once = rows(db);
    events.forEach((e) => projection.apply(e));
    expect(rows(db)).toEqual(once);
    // And a replay of any prefix (a restart that re-delivers a batch) changes nothing either.
    events.slice(0, 6).forEach((e) => projection.apply(e));
    expect(rows(db)).toEqual(once);
    expect(once.people).toHaveLength(2);
    expect(once.representatives).toEqual([
      { organisation_id: 'o1', person_id: 'p1', role: 'staff', added_at: at },
      { organisation_id: 'o1', person_id: 'p2', role: 'staff', added_at: at },
    ]);
    expect(once.person_skills).toEqual([
      { person_id: 'p1', skill: 'it' },
      { person_id: 'p1', skill: 'デザイン' },
      { person_id: 'p2', skill: '運転' },
    ]);
    expect(once.organisation_wards).toEqual([{ organisation_id: 'o1', ward: 'saiwai' }]);
  });

  it('reads people and organisations back as views', () => {
    history().forEach((e) => projection.apply(e));
    const queries = new ParticipantsQueries(db);
    expect(queries.person('p1')).toEqual({
      personId: 'p1',
      ...hanako,
      skills: ['it', 'デザイン'],
      consents: { mayBeContacted: false, visibleToOtherWards: true },
      status: 'active',
      registeredAt: at,
      updatedAt: at,
    });
    expect(queries.person('p2')?.status).toBe('deactivated');
    expect(queries.person('nobody')).toBeUndefined();
    expect(queries.organisation('o1')).toMatchObject({
      organisationId: 'o1',
      name: '幸まちづくりクラブ',
      wardsServed: ['saiwai'],
      status: 'deactivated',
      representatives: [
        { personId: 'p1', role: 'staff' },
        { personId: 'p2', role: 'staff' },
      ],
    });
  });

  it('lists people by visibility, filter and cursor', () => {
    history().forEach((e) => projection.apply(e));
    const queries = new ParticipantsQueries(db);
    const ids = (people: { personId: string }[]) => people.map((p) => p.personId);
    expect(ids(queries.people({ all: true }, { limit: 10 }))).toEqual(['p1', 'p2']);
    // p1 (nakahara) agreed to be seen from other wards; p2 (saiwai) did not.
    expect(ids(queries.people({ wards: ['asao'], visibleToOtherWards: true }, { limit: 10 }))).toEqual(['p1']);
    expect(ids(queries.people({ wards: ['saiwai'], visibleToOtherWards: true }, { limit: 10 }))).toEqual(['p1', 'p2']);
    expect(ids(queries.people({ wards: ['saiwai'] }, { limit: 10 }))).toEqual(['p2']);
    expect(ids(queries.people({}, { limit: 10 }))).toEqual([]);
    expect(ids(queries.people({ all: true }, { skill: 'it', limit: 10 }))).toEqual(['p1']);
    expect(ids(queries.people({ all: true }, { theme: 'sports', limit: 10 }))).toEqual(['p2']);
    expect(ids(queries.people({ all: true }, { status: 'active', limit: 10 }))).toEqual(['p1']);
    expect(ids(queries.people({ all: true }, { ward: 'saiwai', limit: 10 }))).toEqual(['p2']);
    expect(ids(queries.people({ all: true }, { after: 'p1', limit: 10 }))).toEqual(['p2']);
    expect(ids(queries.people({ all: true }, { limit: 1 }))).toEqual(['p1']);
  });

  it('lists organisations by served ward, type and theme', () => {
    history().forEach((e) => projection.apply(e));
    const queries = new ParticipantsQueries(db);
    const ids = (orgs: { organisationId: string }[]) => orgs.map((o) => o.organisationId);
    expect(ids(queries.organisations({ ward: 'saiwai', limit: 10 }))).toEqual(['o1']);
    expect(ids(queries.organisations({ ward: 'nakahara', limit: 10 }))).toEqual([]);
    expect(ids(queries.organisations({ type: 'civic_group', theme: 'town_making', limit: 10 }))).toEqual(['o1']);
    expect(ids(queries.organisations({ type: 'npo', limit: 10 }))).toEqual([]);
    expect(ids(queries.organisations({ after: 'o1', limit: 10 }))).toEqual([]);
  });

  it('tears down its tables', () => {
    projection.tearDown(db);
    const left = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${TABLES.map(() => '?').join(', ')})`).all(...TABLES);
    expect(left).toEqual([]);
  });
});
