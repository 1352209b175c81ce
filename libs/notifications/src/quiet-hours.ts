import type { NotificationKind } from '@tsunagi/domain';

/** A daily window of local time ("HH:MM"); it runs over midnight when it ends before it starts (21:00–08:00). */
export interface QuietWindow {
  start: string;
  end: string;
}

/**
 * Kinds whose e-mail never waits for quiet hours: news that loses its worth by morning (a meeting cancelled or
 * moved, a place that came free, tomorrow's meeting). Inbox entries never wait at all.
 */
export const URGENT_KINDS: readonly NotificationKind[] = ['meeting_cancelled', 'meeting_rescheduled', 'waitlist_promoted', 'meeting_reminder'];

/** Parses QUIET_HOURS ("21:00-08:00" or "off"). */
export function parseQuietHours(setting: string): QuietWindow | null {
  if (setting === 'off') return null;
  const [start, end] = setting.split('-');
  return { start, end };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const formats = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds since local midnight in a time zone. */
function localTimeOfDay(at: Date, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  return ((part.hour * 60 + part.minute) * 60 + part.second) * 1000 + at.getUTCMilliseconds();
}

/**
 * When the quiet window that `at` falls in ends, or undefined when `at` is outside it. Computed on the local
 * time of day, so a daylight-saving shift inside the window (none in Asia/Tokyo) can move the end by its size.
 */
export function quietUntil(at: Date, window: QuietWindow | null | undefined, timeZone: string): Date | undefined {
  if (!window) return undefined;
  const DAY = 24 * 3_600_000;
  const now = localTimeOfDay(at, timeZone);
  const start = minutesOf(window.start) * 60_000;
  const end = minutesOf(window.end) * 60_000;
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return undefined;
  return new Date(at.getTime() + ((end - now + DAY) % DAY));
}
