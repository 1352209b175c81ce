import type Database from 'better-sqlite3';
import {
  ANALYTICS_EVENT_TYPES,
  COUNTED_KINDS,
  STAGES,
  AnalyticsFact,
  FactLookups,
  LadderProgress,
  LadderRuleSet,
  MatchRef,
  MeetingRef,
  OpportunityRef,
  PERSON_FACT_KINDS,
  SpinOffRef,
  StageReached,
  byTime,
  tokyoDayNumber,
  factsOf,
  ruleSetInForce,
} from '@tsunagi/analytics';
import type { RecordedEvent } from '@tsunagi/event-store';
import type { Projection } from '../runner/projection';
import { factOf } from './analytics.rows';

/** The read model's tables. */
export const ANALYTICS_TABLES = [
  'analytics_applied', 'analytics_rule_set', 'analytics_facts', 'analytics_stages', 'analytics_stage_days', 'analytics_ladders', 'analytics_fact_days', 'analytics_first_attendances',
  'analytics_opportunities', 'analytics_matches', 'analytics_meetings', 'analytics_spinoffs',
] as const;

/** Bump when the tables or the fact extraction change. */
const SCHEMA_VERSION = 4;

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
 * Events come in position order and the last position applied is kept with the model, so replaying an event adds
 * nothing; the lookups keep the first value of each key; a person's stage rows are recomputed from all their facts
 * when new facts may change them.
 */
export class AnalyticsProjection implements Projection {
  readonly name = 'analytics';
  readonly version: number;
  readonly eventTypes = ANALYTICS_EVENT_TYPES;
  /**
   * Large batches: each touched person is restaged once per batch (before the ladder state was kept in memory,
   * their stage rows were read and often all their facts reloaded), so a rebuild's cost falls with the batch size (1k → 10k: 0.16× → 0.22× of a raw scan; 25k: about
   * 10% less CPU again); 25k small events are some tens of MB in memory while a batch is applied.
   */
  readonly batchSize = 25_000;
  private statements!: Record<string, Database.Statement>;
  private lookups!: FactLookups;
  private forgetLookups!: () => void;
  /**
   * Each restaged person's stage rows as stored and ladder state, so a batch need not read them again. They are valid at the
   * applied position recorded after the last batch that finished (-1 while one runs): a batch that failed or was
   * rolled back leaves the stored position elsewhere, and the next batch then forgets them all (and the lookups' memory).
   */
  private readonly people = new Map<string, RememberedPerson>();
  private peopleAt = -1;
  /**
   * True while `people` holds everyone with a ladder fact: remembered since nothing was applied (a rebuild), and
   * never forgotten since. A person it does not hold then has no facts and no stage rows before the batch, so
   * nothing needs reading for them.
   */
  private everyoneRemembered = false;
  /**
   * Whether LADDER_INDEX exists as this transaction sees it. False after a rollback may have dropped it (then it is
   * created again, IF NOT EXISTS, before the next read that needs it).
   */
  private ladderIndexBuilt = false;
  /** The batch's new or changed stage rows (values of STAGE_COLUMNS), written together at its end. */
  private stageWrites: unknown[][] = [];
  /** The batch's changed rows of `analytics_ladders`. */
  private ladderWrites: unknown[][] = [];
  /** The batch's changes to `analytics_stage_days` by bucket (ward, stage, day), written once at its end. */
  private readonly dayChanges = new Map<string, { ward: string; stage: number; day: number; people: number }>();

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
        PRIMARY KEY (kind, at_ms, position, person_id)
      ) WITHOUT ROWID;
      -- Clustered by kind and time: an indicator reads one kind over a period, a contiguous range. Facts come
      -- roughly in time order, so a batch's facts go to the end of each kind's range, not all over the table.
      -- A person's ladder facts by time (LADDER_INDEX): read back when their state is not in memory, and probed by the
      -- indicators (came back within 90 days, active n months later). Built when first needed or when a catch-up
      -- ends, not kept up row by row during a rebuild.
      -- Events are applied in position order: the last one applied guards against applying any twice.
      CREATE TABLE IF NOT EXISTS analytics_applied (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), position INTEGER NOT NULL);
      INSERT OR IGNORE INTO analytics_applied VALUES (1, 0);
      CREATE TABLE IF NOT EXISTS analytics_stages (
        person_id  TEXT NOT NULL,
        stage      INTEGER NOT NULL,
        ward       TEXT,
        at_ms      INTEGER NOT NULL,
        position   INTEGER NOT NULL,
        event_id   TEXT NOT NULL,
        via        TEXT NOT NULL
      );
      -- Rows in the order they were written (mostly time order: a stage row is written when it is reached), so a
      -- batch appends its new rows instead of touching every person's page; only this narrow index is kept in person
      -- order, for restaging (upserts and a person's rows).
      CREATE UNIQUE INDEX IF NOT EXISTS analytics_stages_person ON analytics_stages (person_id, stage);
      -- The queries' indexes on the stages (STAGE_INDEXES) are built when a catch-up ends: a rebuild inserts the
      -- rows without keeping them up (the model is complete only then anyway).
      -- How many people reached each stage on each Tokyo day, per ward ('' = none known): the funnel sums a few
      -- hundred of these instead of counting people, so it stays fast on a large city.
      CREATE TABLE IF NOT EXISTS analytics_stage_days (ward TEXT NOT NULL, stage INTEGER NOT NULL, day INTEGER NOT NULL, people INTEGER NOT NULL, PRIMARY KEY (ward, stage, day)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS analytics_opportunities (opportunity_id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, ward TEXT NOT NULL, kind TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS analytics_matches (match_id TEXT PRIMARY KEY, opportunity_id TEXT NOT NULL, person_id TEXT) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS analytics_meetings (meeting_id TEXT PRIMARY KEY, sdc TEXT NOT NULL, proposer_person_id TEXT) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS analytics_spinoffs (spinoff_id TEXT PRIMARY KEY, ward TEXT NOT NULL, initiators TEXT NOT NULL) WITHOUT ROWID;
      -- Each person's ladder in one row: when they reached each stage (NULL: not yet) and how they became a bearer.
      -- The indicators read these (a scan of one narrow row per person) rather than grouping stage rows by person.
      CREATE TABLE IF NOT EXISTS analytics_ladders (person_id TEXT PRIMARY KEY, ${LADDER_TIME_COLUMNS.map((column) => `${column} INTEGER`).join(', ')}, bearer_via TEXT) WITHOUT ROWID;
      -- How many facts of each counted kind (COUNTED_KINDS) each Tokyo day, by ward and detail ('' = none): a period's
      -- counts sum its whole days here and count only its first and last day's facts.
      CREATE TABLE IF NOT EXISTS analytics_fact_days (kind TEXT NOT NULL, day INTEGER NOT NULL, ward TEXT NOT NULL, detail TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (kind, day, ward, detail)) WITHOUT ROWID;
      -- Each person's first meeting (the earliest check-in): newcomers and first-timers coming back.
      CREATE TABLE IF NOT EXISTS analytics_first_attendances (person_id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL, position INTEGER NOT NULL, meeting_id TEXT NOT NULL, sdc TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS analytics_rule_set (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), rules TEXT NOT NULL);
    `);
    // The rules the stage rows were computed with, so every answer can name them (the version guarantees they match).
    this.people.clear();
    this.peopleAt = -1;
    this.everyoneRemembered = false;
    this.ladderIndexBuilt = false;
    db.prepare('INSERT OR REPLACE INTO analytics_rule_set (singleton, rules) VALUES (1, ?)').run(JSON.stringify(this.rules));
    const s = (sql: string) => db.prepare(sql);
    this.statements = {
      applied: s(`SELECT position FROM analytics_applied WHERE singleton = 1`),
      buildLadderIndex: s(LADDER_INDEX),
      setApplied: s(`UPDATE analytics_applied SET position = ? WHERE singleton = 1`),
      insertFact: s(`INSERT INTO analytics_facts (${FACT_COLUMNS}) VALUES ${FACT_VALUES}`),
      insertFacts: s(`INSERT INTO analytics_facts (${FACT_COLUMNS}) VALUES ${Array(ROWS_PER_INSERT).fill(FACT_VALUES).join(', ')}`),
      // Only the kinds the ladder reads, as arrays (a reload of the most active people's facts is most of a restage),
      // through LADDER_INDEX once it is built (a statement is compiled again when the schema changes).
      personFacts: s(`SELECT position, event_id, at_ms, kind, person_id, subject_id, group_id, ward, detail FROM analytics_facts
                      WHERE person_id = ? AND kind IN (${LADDER_KIND_LIST})`).raw(),
      stagesOf: s(`SELECT * FROM analytics_stages WHERE person_id = ?`),
      deleteStage: s(`DELETE FROM analytics_stages WHERE person_id = ? AND stage = ?`),
      countDay: s(`INSERT INTO analytics_stage_days (ward, stage, day, people) VALUES (?, ?, ?, ?)
                   ON CONFLICT (ward, stage, day) DO UPDATE SET people = people + excluded.people`),
      dropEmptyDay: s(`DELETE FROM analytics_stage_days WHERE ward = ? AND stage = ? AND day = ? AND people = 0`),
      upsertStage: s(`INSERT OR REPLACE INTO analytics_stages (${STAGE_COLUMNS}) VALUES ${STAGE_VALUES}`),
      upsertStages: s(`INSERT OR REPLACE INTO analytics_stages (${STAGE_COLUMNS}) VALUES ${Array(ROWS_PER_INSERT).fill(STAGE_VALUES).join(', ')}`),
      putLadder: s(`INSERT OR REPLACE INTO analytics_ladders VALUES ${LADDER_VALUES}`),
      putLadders: s(`INSERT OR REPLACE INTO analytics_ladders VALUES ${Array(ROWS_PER_INSERT).fill(LADDER_VALUES).join(', ')}`),
      countFacts: s(`INSERT INTO analytics_fact_days (kind, day, ward, detail, n) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, day, ward, detail) DO UPDATE SET n = n + excluded.n`),
      noteFirstAttendance: s(`INSERT INTO analytics_first_attendances (person_id, at_ms, position, meeting_id, sdc) VALUES (?, ?, ?, ?, ?)
                              ON CONFLICT (person_id) DO UPDATE SET at_ms = excluded.at_ms, position = excluded.position, meeting_id = excluded.meeting_id, sdc = excluded.sdc
                              WHERE (excluded.at_ms, excluded.position) < (at_ms, position)`),
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
    const opportunity = remembered((id) => st.getOpportunity.get(id) as OpportunityRef | undefined, (id, r: OpportunityRef) => st.putOpportunity.run(id, r.organisationId, r.ward, r.kind));
    const match = remembered((id) => orUndefined(st.getMatch.get(id) as MatchRef | undefined), (id, r: MatchRef) => st.putMatch.run(id, r.opportunityId, r.personId ?? null));
    const meeting = remembered((id) => orUndefined(st.getMeeting.get(id) as MeetingRef | undefined), (id, r: MeetingRef) => st.putMeeting.run(id, r.sdc, r.proposerPersonId ?? null));
    const spinOff = remembered(
      (id) => {
        const row = st.getSpinOff.get(id) as { ward: string; initiators: string } | undefined;
        return row && ({ ward: row.ward, initiators: JSON.parse(row.initiators) } as SpinOffRef);
      },
      (id, r: SpinOffRef) => st.putSpinOff.run(id, r.ward, JSON.stringify(r.initiators)),
    );
    this.forgetLookups = () => [opportunity, match, meeting, spinOff].forEach((lookup) => lookup.forget());
    this.lookups = {
      opportunity: opportunity.get,
      putOpportunity: opportunity.put,
      match: match.get,
      putMatch: match.put,
      meeting: meeting.get,
      putMeeting: meeting.put,
      spinOff: spinOff.get,
      putSpinOff: spinOff.put,
    };
  }

  /** The end of a catch-up (of a rebuild, mostly): the indexes left out of the bulk load are built, each at once. */
  caughtUp(db: Database.Database): void {
    db.exec(STAGE_INDEXES);
    this.buildLadderIndex();
  }

  private buildLadderIndex(): void {
    if (this.ladderIndexBuilt) return;
    this.statements.buildLadderIndex.run();
    this.ladderIndexBuilt = true;
  }

  tearDown(db: Database.Database): void {
    for (const table of ANALYTICS_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  apply(event: RecordedEvent): void {
    this.applyBatch([event]);
  }

  /** Facts first, then each touched person's stages once per batch: a rebuild restages a person per batch, not per event. */
  applyBatch(events: readonly RecordedEvent[]): void {
    const touched: RememberedPerson[] = [];
    let applied = (this.statements.applied.get() as { position: number }).position;
    if (applied !== this.peopleAt || this.people.size > MAX_REMEMBERED_PEOPLE) {
      this.people.clear();
      this.forgetLookups();
      this.everyoneRemembered = applied === 0;
      this.ladderIndexBuilt = false;
    }
    this.peopleAt = -1;
    this.dayChanges.clear();
    this.stageWrites = [];
    this.ladderWrites = [];
    const facts: AnalyticsFact[] = [];
    const firstAttendances = new Map<RememberedPerson, AnalyticsFact>();
    /** Counted facts by kind|day|ward|detail. */
    const factDays = new Map<string, number>();
    for (const event of events) {
      if (event.position <= applied) continue; // replayed: already in the model
      applied = event.position;
      for (const fact of factsOf(event, this.lookups)) {
        facts.push(fact);
        if (COUNTED.has(fact.kind)) {
          const key = `${fact.kind}|${tokyoDayNumber(fact.atMs)}|${fact.ward ?? ''}|${fact.detail ?? ''}`;
          factDays.set(key, (factDays.get(key) ?? 0) + 1);
        }
        if (!fact.personId || !LADDER_KINDS.has(fact.kind)) continue;
        const person = this.people.get(fact.personId) ?? this.rememberPerson(fact.personId);
        if (person.added.length === 0) touched.push(person);
        person.added.push(fact);
        if (fact.kind === 'attended' && (!person.firstAttendance || byTime(fact, person.firstAttendance) < 0)) {
          const first = firstAttendances.get(person);
          if (!first || byTime(fact, first) < 0) firstAttendances.set(person, fact);
        }
      }
    }
    this.insertFacts(facts);
    for (const [key, n] of factDays) {
      const [kind, day, ward, detail] = key.split('|');
      this.statements.countFacts.run(kind, Number(day), ward, detail, n);
    }
    for (const [person, fact] of firstAttendances) {
      this.statements.noteFirstAttendance.run(person.id, fact.atMs, fact.position, fact.subjectId, fact.ward);
      // Known from here on only if the stored one was known (none, or an earlier one than the table's).
      if (person.firstAttendance !== undefined) person.firstAttendance = fact;
    }
    for (const person of touched) this.restage(person);
    // In the person index's order (person, stage): neighbouring rows share its pages.
    this.stageWrites.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : (a[1] as number) - (b[1] as number)));
    this.writeRows(this.stageWrites, STAGE_COLUMN_COUNT, putRow, this.statements.upsertStages, this.statements.upsertStage);
    this.writeRows(this.ladderWrites, LADDER_TIME_COLUMNS.length + 2, putRow, this.statements.putLadders, this.statements.putLadder);
    this.writeDayChanges();
    this.statements.setApplied.run(applied);
    this.peopleAt = applied;
  }

  /**
   * Brings a person's stage rows up to date with their new facts. Their ladder state is kept in memory between
   * batches (`LadderProgress`, equal to `stageHistory` of all their facts), so a history that arrives in time
   * order never reloads a person's facts: only the first time they are seen, and when a fact comes before one
   * already taken (facts of different streams out of time order), are all their facts read and the state rebuilt.
   */
  private restage(person: RememberedPerson): void {
    const added = person.added.sort(byTime);
    person.added = [];
    if (!person.progress && this.everyoneRemembered) {
      // New to the model: their facts are exactly the batch's.
      person.progress = LadderProgress.of(added, this.rules);
      for (const fact of added) noteRegistration(person, fact);
    } else if (!person.progress || !added.every((fact) => person.progress!.add(fact))) this.reload(person);
    else for (const fact of added) noteRegistration(person, fact);

    const ward = person.ward;
    const progress = person.progress!;
    // Most facts change nothing once a stage is reached: then the rows as written are still the history.
    if (person.rowsFrom.progress === progress && person.rowsFrom.changes === progress.changes && person.rowsFrom.ward === ward) return;
    person.rowsFrom = { progress, changes: progress.changes, ward };
    const reached = new Map(person.rows.map((row) => [row.stage, row]));
    const history: StageReached[] = progress.history();
    person.rows = history.map((r) => ({ stage: r.stage, at_ms: r.atMs, position: r.position, event_id: r.eventId, via: r.via, ward }));
    let changed = reached.size !== history.length;
    for (const r of history) {
      const row = reached.get(r.stage);
      reached.delete(r.stage);
      if (row && row.at_ms === r.atMs && row.position === r.position && row.event_id === r.eventId && row.via === r.via && row.ward === ward) continue;
      changed = true;
      this.stageWrites.push([person.id, r.stage, ward, r.atMs, r.position, r.eventId, r.via]);
      if (row) this.countDay(row.ward, r.stage, row.at_ms, -1);
      this.countDay(ward, r.stage, r.atMs, +1);
    }
    for (const [stage, row] of reached) {
      this.statements.deleteStage.run(person.id, stage);
      this.countDay(row.ward, stage, row.at_ms, -1);
    }
    if (!changed) return;
    const ladder: unknown[] = [person.id, ...LADDER_TIME_COLUMNS.map(() => null), null];
    for (const r of history) ladder[1 + r.stage] = r.atMs;
    ladder[1 + LADDER_TIME_COLUMNS.length] = history.find((r) => r.stage === BEARER)?.via ?? null;
    this.ladderWrites.push(ladder);
  }

  /** A person first seen in this batch, with their stage rows as stored (none when new to the model). */
  private rememberPerson(personId: string): RememberedPerson {
    const rows = this.everyoneRemembered ? [] : (this.statements.stagesOf.all(personId) as StageRow[]);
    const person: RememberedPerson = { id: personId, added: [], rows, ward: null, registeredAt: Infinity, rowsFrom: UNKNOWN, firstAttendance: this.everyoneRemembered ? null : undefined };
    this.people.set(personId, person);
    return person;
  }

  /** A person's ladder state and home ward (their first registration's) from all their facts. */
  private reload(person: RememberedPerson): void {
    this.buildLadderIndex();
    const facts = (this.statements.personFacts.all(person.id) as Parameters<typeof factOf>[]).map((row) => factOf(...row));
    person.progress = LadderProgress.of(facts, this.rules);
    person.registeredAt = Infinity;
    person.ward = null;
    for (const fact of facts) noteRegistration(person, fact);
  }

  /**
   * Inserts the batch's facts in the table's order (kind, time, event, person), ROWS_PER_INSERT rows per
   * statement: each kind's go to the end of its range, one page after the other.
   */
  private insertFacts(facts: AnalyticsFact[]): void {
    facts.sort(byFactKey);
    this.writeRows(facts, FACT_COLUMN_COUNT, putFactValues, this.statements.insertFacts, this.statements.insertFact);
  }

  /**
   * Items as rows of `columns` values each (`put` writes one item's at an offset of the parameters, without an array
   * per row), ROWS_PER_INSERT rows per statement (`many`), the rest one by one (`one`).
   */
  private writeRows<T>(items: readonly T[], columns: number, put: (values: unknown[], at: number, item: T) => void, many: Database.Statement, one: Database.Statement): void {
    const values: unknown[] = new Array(ROWS_PER_INSERT * columns);
    let i = 0;
    for (; i + ROWS_PER_INSERT <= items.length; i += ROWS_PER_INSERT) {
      for (let r = 0; r < ROWS_PER_INSERT; r++) put(values, r * columns, items[i + r]);
      many.run(values);
    }
    const row: unknown[] = new Array(columns);
    for (; i < items.length; i++) {
      put(row, 0, items[i]);
      one.run(row);
    }
  }

  private countDay(ward: string | null, stage: number, atMs: number, people: number): void {
    const day = tokyoDayNumber(atMs);
    const key = `${ward ?? ''}|${stage}|${day}`;
    const change = this.dayChanges.get(key);
    if (change) change.people += people;
    else this.dayChanges.set(key, { ward: ward ?? '', stage, day, people });
  }

  /** The batch's net changes of the day buckets: one statement per bucket that changed, not per stage row. */
  private writeDayChanges(): void {
    for (const { ward, stage, day, people } of this.dayChanges.values()) {
      if (people === 0) continue;
      this.statements.countDay.run(ward, stage, day, people);
      // An empty bucket is no bucket: the model stays the same however the events were batched.
      if (people < 0) this.statements.dropEmptyDay.run(ward, stage, day);
    }
    this.dayChanges.clear();
  }
}

/** A row of `analytics_stages` of one person (the columns restaging compares). */
interface StageRow {
  stage: number;
  at_ms: number;
  position: number;
  event_id: string;
  via: string;
  ward: string | null;
}
const LADDER_KINDS: ReadonlySet<string> = new Set(PERSON_FACT_KINDS);
const COUNTED: ReadonlySet<string> = new Set(COUNTED_KINDS);
/** The ladder's kinds as a SQL list of literals (fixed identifiers). */
const LADDER_KIND_LIST = PERSON_FACT_KINDS.map((kind) => `'${kind}'`).join(', ');
/** The queries' indexes: stage rows by stage and time, ladder rows by when participant, bearer, planner were reached, proposals by match. */
const STAGE_INDEXES = `
  CREATE INDEX IF NOT EXISTS analytics_stages_ward ON analytics_stages (ward, stage, at_ms);
  CREATE INDEX IF NOT EXISTS analytics_stages_time ON analytics_stages (stage, at_ms, person_id);
  CREATE INDEX IF NOT EXISTS analytics_facts_proposals ON analytics_facts (subject_id) WHERE kind = 'match_proposed';
  CREATE INDEX IF NOT EXISTS analytics_ladders_participant ON analytics_ladders (at1);
  CREATE INDEX IF NOT EXISTS analytics_ladders_bearer ON analytics_ladders (at3);
  CREATE INDEX IF NOT EXISTS analytics_ladders_planner ON analytics_ladders (at4);
`;
/** A person's ladder facts by time: for `reload`, and the indicators' probes of one person's facts. */
const LADDER_INDEX = `CREATE INDEX IF NOT EXISTS analytics_facts_ladder ON analytics_facts (person_id, at_ms) WHERE kind IN (${LADDER_KIND_LIST})`;

/** What a batch remembers of a person for the next: stage rows as stored, ladder state, home ward. */
interface RememberedPerson {
  id: string;
  /** Their ladder facts of the batch being applied, until it restages them (empty between batches). */
  added: AnalyticsFact[];
  rows: StageRow[];
  /** Absent until their facts were first read. */
  progress?: LadderProgress;
  /** The ward of their first registration (lowest position), and its position. */
  ward: string | null;
  registeredAt: number;
  /** The ladder state (and its count of changes) and ward that `rows` were computed from. */
  rowsFrom: { progress?: LadderProgress; changes: number; ward: string | null };
  /**
   * Their first meeting as `analytics_first_attendances` holds it: null for none, undefined when not known (then
   * every check-in is offered to the table, which keeps the earliest). Only an earlier check-in changes it.
   */
  firstAttendance: AnalyticsFact | null | undefined;
}
/** Rows read from the table, or none yet: not known to match any state. */
const UNKNOWN: RememberedPerson['rowsFrom'] = { changes: -1, ward: null };
function noteRegistration(person: RememberedPerson, fact: AnalyticsFact): void {
  if (fact.kind === 'person_registered' && fact.position < person.registeredAt) [person.registeredAt, person.ward] = [fact.position, fact.ward ?? null];
}
/** People whose stage rows are remembered at most: about 50 MB. */
const MAX_REMEMBERED_PEOPLE = 200_000;


/**
 * A lookup table with its recent values in memory. Values never change once written (the first one wins). The
 * memory holds only values in the table as the current transaction sees it: loaded ones, and ones this put
 * inserted; the projection forgets it all whenever a batch may have been rolled back (as it forgets people). So
 * a put of a known key is a no-op without a statement, and a get after an inserting put reads nothing.
 */
function remembered<T>(load: (id: string) => T | undefined, store: (id: string, value: T) => Database.RunResult, limit = 100_000) {
  const memory = new Map<string, T>();
  const remember = (id: string, value: T) => {
    if (memory.size >= limit) memory.clear(); // bounded: the oldest are the least likely to be asked for again
    memory.set(id, value);
  };
  return {
    get: (id: string): T | undefined => {
      const known = memory.get(id);
      if (known !== undefined) return known;
      const loaded = load(id);
      if (loaded !== undefined) remember(id, loaded);
      return loaded;
    },
    put: (id: string, value: T): void => {
      if (memory.has(id)) return; // stored already, with its first value
      // Remembered only when this put stored it: an ignored one leaves an earlier value, which a get loads.
      if (store(id, value).changes > 0) remember(id, value);
    },
    forget: () => memory.clear(),
  };
}

const FACT_COLUMNS = 'event_id, kind, person_id, position, at_ms, subject_id, group_id, ward, detail';
const FACT_COLUMN_COUNT = 9;
/** Puts a fact's values of FACT_COLUMNS (absent fields: '' for the person, part of the key, else NULL). */
function putFactValues(values: unknown[], at: number, fact: AnalyticsFact): void {
  values[at] = fact.eventId;
  values[at + 1] = fact.kind;
  values[at + 2] = fact.personId ?? '';
  values[at + 3] = fact.position;
  values[at + 4] = fact.atMs;
  values[at + 5] = fact.subjectId ?? null;
  values[at + 6] = fact.groupId ?? null;
  values[at + 7] = fact.ward ?? null;
  values[at + 8] = fact.detail ?? null;
}
/** The order of the facts' primary key (kind, at_ms, position, person_id). */
function byFactKey(a: AnalyticsFact, b: AnalyticsFact): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  if (a.atMs !== b.atMs) return a.atMs - b.atMs;
  if (a.position !== b.position) return a.position - b.position;
  const personA = a.personId ?? '';
  const personB = b.personId ?? '';
  return personA < personB ? -1 : personA > personB ? 1 : 0;
}
/** Puts a row's values as they are (a stage row, the values of STAGE_COLUMNS). */
function putRow(values: unknown[], at: number, row: readonly unknown[]): void {
  for (let c = 0; c < row.length; c++) values[at + c] = row[c];
}
const FACT_VALUES = `(${Array(FACT_COLUMN_COUNT).fill('?').join(', ')})`;
const STAGE_COLUMNS = 'person_id, stage, ward, at_ms, position, event_id, via';
const STAGE_COLUMN_COUNT = 7;
/** `analytics_ladders`: the time each stage was reached (at0 … at5). */
export const LADDER_TIME_COLUMNS = STAGES.map((s) => `at${s.stage}`);
const LADDER_VALUES = `(${Array(LADDER_TIME_COLUMNS.length + 2).fill('?').join(', ')})`;
const BEARER = 3;
const STAGE_VALUES = `(${Array(STAGE_COLUMN_COUNT).fill('?').join(', ')})`;
/** Rows per multi-row insert: at most 900 parameters, well under SQLite's limit. */
const ROWS_PER_INSERT = 100;
