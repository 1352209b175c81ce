/**
 * Calendar arithmetic for the indicators. Months and weeks are Asia/Tokyo calendar periods: the city reports
 * in local months, and Tokyo has no daylight saving time, so a fixed +09:00 shift is exact.
 */
export const DAY_MS = 86_400_000;
export const TOKYO_OFFSET_MS = 9 * 3_600_000;

/** Days since 1970-01-01 in Tokyo: day buckets that are whole Tokyo days. */
export const tokyoDayNumber = (atMs: number): number => Math.floor((atMs + TOKYO_OFFSET_MS) / DAY_MS);

/** The first instant of a Tokyo day number. */
export const tokyoDayStartMs = (day: number): number => day * DAY_MS - TOKYO_OFFSET_MS;

/** `YYYY-MM-DD` of the Tokyo calendar day an instant falls on. */
export function tokyoDay(atMs: number): string {
  // Formatting a date is slow and an indicator asks for the same few thousand days again and again: remember them.
  const day = tokyoDayNumber(atMs);
  let name = dayNames.get(day);
  if (name === undefined) {
    name = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayNames.size >= 100_000) dayNames.clear();
    dayNames.set(day, name);
  }
  return name;
}
const dayNames = new Map<number, string>();

/** `YYYY-MM` of the Tokyo month an instant falls on. */
export function tokyoMonth(atMs: number): string {
  return tokyoDay(atMs).slice(0, 7);
}

/** The first instant of a Tokyo month (`YYYY-MM`). */
export function monthStartMs(month: string): number {
  return Date.parse(`${month}-01T00:00:00+09:00`);
}

/** `YYYY-MM` plus `n` months (n may be negative). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The last millisecond of a Tokyo month. */
export function monthEndMs(month: string): number {
  return monthStartMs(addMonths(month, 1)) - 1;
}

/** Every `YYYY-MM` from the month of `fromMs` to the month of `toMs`, inclusive. */
export function monthsBetween(fromMs: number, toMs: number): string[] {
  const months: string[] = [];
  for (let month = tokyoMonth(fromMs), last = tokyoMonth(toMs); month <= last; month = addMonths(month, 1)) months.push(month);
  return months;
}

/** The first instant of the Tokyo week (Monday 00:00) that `atMs` falls in. */
export function weekStartMs(atMs: number): number {
  const local = atMs + TOKYO_OFFSET_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const weekday = (new Date(dayStart).getUTCDay() + 6) % 7; // Monday = 0
  return dayStart - weekday * DAY_MS - TOKYO_OFFSET_MS;
}

/** The median of some numbers, or null when there are none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A share rounded to 4 decimals, or null when nothing could be counted (0/0 is not 0 %). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;
}
