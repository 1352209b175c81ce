import { DomainError, normaliseSkills, normaliseText } from '@tsunagi/domain';

/** Throws `<context>.invalid` naming the field (or a sub-field: `availability.hoursPerMonth`). */
export type Fail = (subField?: string) => never;

/**
 * One rule per profile field: it returns the canonical form of a value or fails. Values arrive from DTOs
 * that check shapes, but only the decider sees the normalised form (NFKC can empty a name), and imports
 * and the CLI bypass DTOs, so every rule also checks the type.
 */
export type FieldRules<Profile> = { [Field in keyof Profile]-?: (value: Profile[Field], fail: Fail) => Profile[Field] };

/**
 * Applies the rules to the fields present in `values`; with `complete`, a missing field is invalid.
 * Keys without a rule are dropped, so a command cannot smuggle other data into an event.
 */
export function applyRules<Profile extends object>(
  rules: FieldRules<Profile>,
  values: Partial<Profile> | undefined,
  errorCode: string,
  complete: boolean,
): Partial<Profile> {
  const result: Partial<Profile> = {};
  for (const field of Object.keys(rules) as (keyof Profile & string)[]) {
    const fail: Fail = (sub) => {
      throw new DomainError(errorCode, 'invalid', { field: sub ? `${field}.${sub}` : field });
    };
    const value = values?.[field];
    if (value === undefined) {
      if (complete) fail();
      continue;
    }
    result[field] = rules[field](value as Profile[typeof field], fail);
  }
  return result;
}

/** The fields of `next` whose value differs from `current`: an update carries only what changed. */
export function changedFields<Profile extends object>(current: Profile, next: Partial<Profile>): Partial<Profile> {
  return Object.fromEntries(Object.entries(next).filter(([field, value]) => !sameValue(current[field as keyof Profile], value))) as Partial<Profile>;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

export function requiredText(value: string, fail: Fail): string {
  const text = typeof value === 'string' ? normaliseText(value) : '';
  return text || fail();
}

/** Free prose: NFKC and trimmed, but line breaks kept (normaliseText would collapse paragraphs). */
export function prose(value: string, fail: Fail): string {
  return typeof value === 'string' ? value.normalize('NFKC').trim() : fail();
}

/** Full-width addresses (ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ) fold to ASCII; lower-cased so one address is one contact. */
export function email(value: string, fail: Fail): string {
  const address = typeof value === 'string' ? value.normalize('NFKC').trim().toLowerCase() : '';
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) ? address : fail();
}

export function flag(value: boolean, fail: Fail): boolean {
  return typeof value === 'boolean' ? value : fail();
}

export const oneOf =
  <T extends string>(allowed: readonly T[]) =>
  (value: T, fail: Fail): T =>
    allowed.includes(value) ? value : fail();

/**
 * A set drawn from a fixed list, returned de-duplicated in the list's order, so that ['weekend', 'weekday']
 * and ['weekday', 'weekend'] are one value and re-sending it is no change.
 */
export const setOf =
  <T extends string>(allowed: readonly T[], min = 0) =>
  (values: T[], fail: Fail): T[] => {
    if (!Array.isArray(values) || values.some((value) => !allowed.includes(value))) fail();
    const set = allowed.filter((value) => values.includes(value));
    return set.length >= min ? set : fail();
  };

/** Skills (Japanese or English): NFKC, lower-cased, folded onto the shared taxonomy, de-duplicated; order kept. */
export function tags(values: string[], fail: Fail): string[] {
  return Array.isArray(values) && values.every((value) => typeof value === 'string') ? normaliseSkills(values) : fail();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An optional free-text reason: normalised, and left out of the event when empty. */
export function withReason(reason: string | undefined): { reason?: string } {
  const text = typeof reason === 'string' ? normaliseText(reason) : '';
  return text ? { reason: text } : {};
}
