import type { AnalyticsFact, FactKind } from '@tsunagi/analytics';

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
