import { parse } from 'csv-parse/sync';
import { normaliseTag } from '@tsunagi/domain';

/** One data row: its line in the file (for the report) and its cells by canonical column name. */
export interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

export class CsvFileError extends Error {}

/**
 * The text of a CSV file as the city's lists arrive: UTF-8 with or without a BOM, or Shift_JIS (CP932), which
 * Excel on a Japanese PC still writes by default.
 */
export function decodeCsv(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('shift_jis').decode(bytes);
  }
}

/**
 * Parses a CSV whose header names columns in Japanese or English (`aliases`: canonical name → accepted headers,
 * compared after NFKC and lower-casing). Unknown columns are an error, so a misspelt header never silently drops
 * a column; a missing required one too.
 */
export function readCsv(bytes: Buffer, aliases: Record<string, readonly string[]>, required: readonly string[]): CsvRow[] {
  const byHeader = new Map<string, string>();
  for (const [canonical, names] of Object.entries(aliases)) for (const name of [canonical, ...names]) byHeader.set(normaliseTag(name), canonical);
  const unknown: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(decodeCsv(bytes), {
      bom: true,
      columns: (header: string[]) =>
        header.map((h) => {
          const canonical = byHeader.get(normaliseTag(h));
          if (!canonical) unknown.push(h);
          return canonical ?? h;
        }),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
    }) as { record: Record<string, string>; info: { lines: number } }[];
  } catch (error) {
    throw new CsvFileError(`not a readable CSV file: ${(error as Error).message}`);
  }
  if (unknown.length) throw new CsvFileError(`unknown columns: ${unknown.join(', ')} (known: ${Object.keys(aliases).join(', ')})`);
  const present = new Set(records.length ? Object.keys(records[0].record) : []);
  const missing = required.filter((c) => !present.has(c));
  if (records.length && missing.length) throw new CsvFileError(`missing columns: ${missing.join(', ')}`);
  return records.map(({ record, info }) => ({ line: info.lines, cells: record }));
}

/** A list cell: separated by `;`, `、`, `・`, `/` or `|` (commas belong to the CSV). */
export function listCell(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[;、・/|；]/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Yes/no in the forms people type: はい/いいえ, 可/不可, yes/no, true/false, 1/0, ○/×. */
export function flagCell(value: string | undefined, fallback: boolean): boolean {
  const v = normaliseTag(value ?? '');
  if (!v) return fallback;
  if (['はい', '可', 'yes', 'y', 'true', '1', '○', 'o', '有'].includes(v)) return true;
  if (['いいえ', '不可', 'no', 'n', 'false', '0', '×', 'x', '無'].includes(v)) return false;
  throw new RowRejected(`not a yes/no value`);
}

/** A row the import refuses, with the reason the report shows. */
export class RowRejected extends Error {}
