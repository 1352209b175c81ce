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

/** A fact from its columns: empty and NULL columns are absent fields. */
export function factOf(
  position: number,
  eventId: string,
  atMs: number,
  kind: FactKind,
  personId: string,
  subjectId: string | null,
  groupId: string | null,
  ward: string | null,
  detail: string | null,
): AnalyticsFact {
  const fact: AnalyticsFact = { position, eventId, atMs, kind };
  if (personId) fact.personId = personId;
  if (subjectId !== null) fact.subjectId = subjectId;
  if (groupId !== null) fact.groupId = groupId;
  if (ward !== null) fact.ward = ward;
  if (detail !== null) fact.detail = detail;
  return fact;
}

/** The row back as the fact it was made from. */
export function factFromRow(row: FactRow): AnalyticsFact {
  return factOf(row.position, row.event_id, row.at_ms, row.kind as FactKind, row.person_id, row.subject_id, row.group_id, row.ward, row.detail);
}
