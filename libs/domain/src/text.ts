/**
 * Japanese text arrives in full-width and half-width forms (ＩＴ / IT, ｶﾌｪ / カフェ); NFKC folds them so
 * that comparison, de-duplication and indexing see one form. Tags are also trimmed, lower-cased and
 * inner white space collapsed.
 */
export function normaliseText(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

export function normaliseTag(value: string): string {
  return normaliseText(value).toLowerCase();
}

/** Normalised, de-duplicated, empty tags dropped, order kept. */
export function normaliseTags(values: readonly string[]): string[] {
  return [...new Set(values.map(normaliseTag).filter((tag) => tag.length > 0))];
}
