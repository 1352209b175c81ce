import type Database from 'better-sqlite3';
import {
  ANALYTICS_EVENT_TYPES,
  AnalyticsFact,
  FactLookups,
  LadderRuleSet,
  MatchRef,
  MeetingRef,
  OpportunityRef,
  PERSON_FACT_KINDS,
  SpinOffRef,
  StageReached,
  factsOf,
  ruleSetInForce,
  stageHistory,
} from '@tsunagi/analytics';
import type { RecordedEvent } from '@tsunagi/event-store';
import type { Projection } from '../runner/projection';
import { factFromRow, FactRow } from './analytics.rows';

/** Bump when the tables or the fact extraction change. */
const SCHEMA_VERSION = 1;

/** FNV-1a of the rule set: any change to the rules changes the projection's version, which rebuilds it. */
function rulesFingerprint(rules: LadderRuleSet): number {
  let hash = 0x811c9dc5;
  for (const char of JSON.stringify(rules)) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash % 1_000_000;
}

/**
 * The analysts' read model: anonymous facts with their times (`analytics_facts`), and each person's stage
 * history under the rule set in force (`analytics_stages`). Indicators for any date are answered by filtering
 * on time, so "as of D" is what a rebuild from the events up to D gives (proven by the property test).
 *
 * Facts are keyed by (event, kind, person), so replaying an event adds nothing; the lookups keep the first value
 * of each key; the stage rows of a person are recomputed from all their facts whenever they get a new one.
 */
export class AnalyticsProjection implements Projection {
  readonly name = 'analytics';
  readonly version: number;
  readonly eventTypes = ANALYTICS_EVENT_TYPES;
  private statements!: Record<string, Database.Statement>;
  private lookups!: FactLookups;

  constructor(readonly rules: LadderRuleSet = ruleSetInForce(new Date().toISOString().slice(0, 10))) {
    this.version = SCHEMA_VERSION * 1_000_000 + rulesFingerprint(rules);
  }

  setUp(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS analytics_facts (
        event_id   TEXT NOT NULL,
        kind       TEXT NOT NULL,
        person_id  TEXT NOT NULL DEFAULT '',
        position   INTEGER NOT NULL,
        at_ms      INTEGER NOT NULL,
        subject_id TEXT,
        group_id   TEXT,
        ward       TEXT,
        detail     TEXT,
        PRIMARY KEY (event_id, kind, person_id)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS analytics_facts_time ON analytics_facts (at_ms);
      CREATE INDEX IF NOT EXISTS analytics_facts_person ON analytics_facts (person_id, at_ms);
      CREATE TABLE IF NOT EXISTS analytics_stages (
        person_id  TEXT NOT NULL,
        stage      INTEGER NOT NULL,
        ward       TEXT,
        at_ms      INTEGER NOT NULL,
        position   INTEGER NOT NULL,
        event_id   TEXT NOT NULL,
        via        TEXT NOT NULL,
        PRIMARY KEY (person_id, stage)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS analytics_stages_ward ON analytics_stages (ward, stage, at_ms);
      CREATE INDEX IF NOT EXISTS analytics_stages_time ON analytics_stages (stage, at_ms);
      CREATE TABLE IF NOT EXISTS analytics_opportunities (opportunity_id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, ward TEXT NOT NULL, kind TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS analytics_matches (match_id TEXT PRIMARY KEY, opportunity_id TEXT NOT NULL, person_id TEXT) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS analytics_meetings (meeting_id TEXT PRIMARY KEY, sdc TEXT NOT NULL, proposer_person_id TEXT) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS analytics_spinoffs (spinoff_id TEXT PRIMARY KEY, ward TEXT NOT NULL, initiators TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS analytics_rule_set (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), rules TEXT NOT NULL);
    `);
    // The rules the stage rows were computed with, so every answer can name them (the version guarantees they match).
    db.prepare('INSERT OR REPLACE INTO analytics_rule_set (singleton, rules) VALUES (1, ?)').run(JSON.stringify(this.rules));
    const s = (sql: string) => db.prepare(sql);
    this.statements = {
      insertFact: s(`INSERT OR IGNORE INTO analytics_facts (event_id, kind, person_id, position, at_ms, subject_id, group_id, ward, detail)
                     VALUES (@eventId, @kind, @personId, @position, @atMs, @subjectId, @groupId, @ward, @detail)`),
      personFacts: s(`SELECT * FROM analytics_facts WHERE person_id = ?`),
      deleteStages: s(`DELETE FROM analytics_stages WHERE person_id = ?`),
      insertStage: s(`INSERT INTO analytics_stages (person_id, stage, ward, at_ms, position, event_id, via) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      getOpportunity: s(`SELECT organisation_id AS organisationId, ward, kind FROM analytics_opportunities WHERE opportunity_id = ?`),
      putOpportunity: s(`INSERT OR IGNORE INTO analytics_opportunities VALUES (?, ?, ?, ?)`),
      getMatch: s(`SELECT opportunity_id AS opportunityId, person_id AS personId FROM analytics_matches WHERE match_id = ?`),
      putMatch: s(`INSERT OR IGNORE INTO analytics_matches VALUES (?, ?, ?)`),
      getMeeting: s(`SELECT sdc, proposer_person_id AS proposerPersonId FROM analytics_meetings WHERE meeting_id = ?`),
      putMeeting: s(`INSERT OR IGNORE INTO analytics_meetings VALUES (?, ?, ?)`),
      getSpinOff: s(`SELECT ward, initiators FROM analytics_spinoffs WHERE spinoff_id = ?`),
      putSpinOff: s(`INSERT OR IGNORE INTO analytics_spinoffs VALUES (?, ?, ?)`),
    };
    const st = this.statements;
    const orUndefined = <T extends object>(row: T | undefined): T | undefined =>
      row && (Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? undefined])) as T);
    this.lookups = {
      opportunity: (id) => st.getOpportunity.get(id) as OpportunityRef | undefined,
      putOpportunity: (id, r) => void st.putOpportunity.run(id, r.organisationId, r.ward, r.kind),
      match: (id) => orUndefined(st.getMatch.get(id) as MatchRef | undefined),
      putMatch: (id, r) => void st.putMatch.run(id, r.opportunityId, r.personId ?? null),
      meeting: (id) => orUndefined(st.getMeeting.get(id) as MeetingRef | undefined),
      putMeeting: (id, r) => void st.putMeeting.run(id, r.sdc, r.proposerPersonId ?? null),
      spinOff: (id) => {
        const row = st.getSpinOff.get(id) as { ward: string; initiators: string } | undefined;
        return row && ({ ward: row.ward, initiators: JSON.parse(row.initiators) } as SpinOffRef);
      },
      putSpinOff: (id, r) => void st.putSpinOff.run(id, r.ward, JSON.stringify(r.initiators)),
    };
  }

  tearDown(db: Database.Database): void {
    for (const table of ['analytics_rule_set', 'analytics_facts', 'analytics_stages', 'analytics_opportunities', 'analytics_matches', 'analytics_meetings', 'analytics_spinoffs']) db.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  apply(event: RecordedEvent): void {
    this.applyBatch([event]);
  }

  /** Facts first, then each touched person's stages once per batch: a rebuild recomputes a person per batch, not per event. */
  applyBatch(events: readonly RecordedEvent[]): void {
    const touched = new Set<string>();
    for (const event of events) {
      for (const fact of factsOf(event, this.lookups)) {
        this.statements.insertFact.run(toRow(fact));
        if (fact.personId && PERSON_FACT_KINDS.includes(fact.kind)) touched.add(fact.personId);
      }
    }
    for (const personId of touched) this.restage(personId);
  }

  private restage(personId: string): void {
    const facts = (this.statements.personFacts.all(personId) as FactRow[]).map(factFromRow);
    const ward = facts.find((f) => f.kind === 'person_registered')?.ward ?? null;
    const history: StageReached[] = stageHistory(facts, this.rules);
    this.statements.deleteStages.run(personId);
    for (const r of history) this.statements.insertStage.run(personId, r.stage, ward, r.atMs, r.position, r.eventId, r.via);
  }
}

function toRow(fact: AnalyticsFact) {
  return {
    eventId: fact.eventId,
    kind: fact.kind,
    personId: fact.personId ?? '',
    position: fact.position,
    atMs: fact.atMs,
    subjectId: fact.subjectId ?? null,
    groupId: fact.groupId ?? null,
    ward: fact.ward ?? null,
    detail: fact.detail ?? null,
  };
}
