import type { AnalyticsFact, FactKind } from '@tsunagi/analytics';

/** A row of `analytics_facts` as SQLite returns it. */
export interface FactRow {
  event_id: string;
  kind: string;
  person_id: string;
  position: number;
  at_ms: number;
  subject_id: string | null;
  group_id: string | null;
  ward: string | null;
  detail: string | null;
}

/** The row back as the fact it was made from (empty and NULL columns are absent fields). */
export function factFromRow(row: FactRow): AnalyticsFact {
  const fact: AnalyticsFact = { position: row.position, eventId: row.event_id, atMs: row.at_ms, kind: row.kind as FactKind };
  if (row.person_id) fact.personId = row.person_id;
  if (row.subject_id !== null) fact.subjectId = row.subject_id;
  if (row.group_id !== null) fact.groupId = row.group_id;
  if (row.ward !== null) fact.ward = row.ward;
  if (row.detail !== null) fact.detail = row.detail;
  return fact;
}
