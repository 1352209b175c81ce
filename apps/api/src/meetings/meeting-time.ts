/**
 * Meeting times are Asia/Tokyo wall-clock times. Japan has had no daylight saving time since 1951, so Tokyo is
 * always UTC+09:00 and plain arithmetic on a shifted UTC date gives local dates, weekdays and times.
 * Times reach the domain as ISO-8601 strings with the +09:00 offset, whatever offset the client sent.
 */
const TOKYO_OFFSET_MS = 9 * 3600_000;
export const DAY_MS = 24 * 3600_000;

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date that exists (no 2026-02-30), as its UTC midnight; undefined otherwise. */
function calendarDay(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? ms : undefined;
}

/** Milliseconds since the epoch of a strict ISO-8601 date-time with an offset (Z or ±hh:mm); undefined when it is not one. */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = INSTANT.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone, sign, oh, om] = m;
  const day = calendarDay(Number(y), Number(mo), Number(d));
  if (day === undefined || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let offset = 0;
  if (zone !== 'Z') {
    if (Number(oh) > 14 || Number(om) > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  }
  return day + Number(h) * 3600_000 + Number(mi) * 60_000 + Number(s) * 1000 + Number(frac.padEnd(3, '0')) - offset;
}

/** The start of a Tokyo calendar day (YYYY-MM-DD), in milliseconds since the epoch; undefined when there is no such date. */
export function tokyoDayStart(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE.exec(value);
  const day = m ? calendarDay(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  return day === undefined ? undefined : day - TOKYO_OFFSET_MS;
}

export const isInstant = (value: unknown) => parseInstant(value) !== undefined;
export const isCalendarDate = (value: unknown) => tokyoDayStart(value) !== undefined;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-05-20T19:00:00+09:00`: the same instant, written in Tokyo time. */
export function toTokyoIso(ms: number): string {
  const t = new Date(ms + TOKYO_OFFSET_MS);
  const seconds = t.getUTCMilliseconds() ? `${pad(t.getUTCSeconds())}.${pad(t.getUTCMilliseconds(), 3)}` : pad(t.getUTCSeconds());
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${seconds}+09:00`;
}

/** Rewrites a valid ISO-8601 date-time in Tokyo time; callers validate first. */
export function inTokyo(iso: string): string {
  const ms = parseInstant(iso);
  if (ms === undefined) throw new Error('inTokyo: not an ISO-8601 date-time');
  return toTokyoIso(ms);
}

export const RECURRENCE_FREQUENCIES = ['weekly', 'monthly_by_date', 'monthly_by_weekday'] as const;
export type RecurrenceFrequency = (typeof RECURRENCE_FREQUENCIES)[number];
export const MAX_OCCURRENCES = 24;

const daysInMonth = (year: number, monthIndex: number) => new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();

/**
 * The first `count` occurrences of a repeating meeting, the first one included, each lasting as long as the
 * first and starting at the same Tokyo time of day:
 * - `weekly`: every 7 days;
 * - `monthly_by_date`: the same day of each month; a month without that day (the 31st in June) uses its last day;
 * - `monthly_by_weekday`: the same weekday in the same week of each month (the 3rd Thursday); a first meeting in
 *   the 5th week means "the last such weekday", which every month has.
 */
export function occurrencesOf(first: { startsAt: string; endsAt: string }, frequency: RecurrenceFrequency, count: number): { startsAt: string; endsAt: string }[] {
  const start = parseInstant(first.startsAt);
  const end = parseInstant(first.endsAt);
  if (start === undefined || end === undefined) throw new Error('occurrencesOf: not ISO-8601 date-times');
  const duration = end - start;
  const local = new Date(start + TOKYO_OFFSET_MS);
  const [year, month, day] = [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()];
  const timeOfDay = start + TOKYO_OFFSET_MS - Date.UTC(year, month, day);
  const weekday = local.getUTCDay();
  const week = Math.ceil(day / 7);

  const localDayOf = (n: number): number => {
    if (frequency === 'weekly') return Date.UTC(year, month, day + 7 * n);
    const y = year + Math.floor((month + n) / 12);
    const m = (month + n) % 12;
    const length = daysInMonth(y, m);
    if (frequency === 'monthly_by_date') return Date.UTC(y, m, Math.min(day, length));
    const firstWeekday = 1 + ((weekday - new Date(Date.UTC(y, m, 1)).getUTCDay() + 7) % 7);
    let d = firstWeekday + 7 * (week - 1);
    if (week === 5) d = firstWeekday + 7 * Math.floor((length - firstWeekday) / 7);
    return Date.UTC(y, m, d);
  };

  return Array.from({ length: count }, (_, n) => {
    const startsAt = localDayOf(n) + timeOfDay - TOKYO_OFFSET_MS;
    return { startsAt: toTokyoIso(startsAt), endsAt: toTokyoIso(startsAt + duration) };
  });
}

