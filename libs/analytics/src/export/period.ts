import { DomainError } from '@tsunagi/domain';
import { DAY_MS, addMonths, monthsBetween, tokyoDay } from '../time';

/** Days as analysts write them (YYYY-MM-DD, Tokyo); any may be left out. */
export interface PeriodRequest {
  from?: string;
  to?: string;
  asOf?: string;
}

export interface Period {
  from: string;
  to: string;
  asOf: string;
  fromMs: number;
  /** The last millisecond of `to`. */
  toMs: number;
  /** The last millisecond of `asOf`: "as of a day" includes that day. */
  asOfMs: number;
}

/** Ten years of months or weeks is as much as one answer computes. */
export const MAX_PERIOD_DAYS = 3_660;

const startOf = (day: string) => Date.parse(`${day}T00:00:00+09:00`);

/**
 * The period of an analyst's question. Defaults: as of today, up to `asOf`, from the first day of the month
 * eleven months before (twelve calendar months). The period must not end after `asOf`: nothing after it is known.
 */
export function resolvePeriod(request: PeriodRequest, nowMs: number): Period {
  const asOf = request.asOf ?? tokyoDay(nowMs);
  const to = request.to ?? asOf;
  const from = request.from ?? `${addMonths(to.slice(0, 7), -11)}-01`;
  const fromMs = startOf(from);
  const toMs = startOf(to) + DAY_MS - 1;
  const asOfMs = startOf(asOf) + DAY_MS - 1;
  if (!(fromMs <= toMs && toMs <= asOfMs) || toMs - fromMs > MAX_PERIOD_DAYS * DAY_MS) {
    throw new DomainError('analytics.period_invalid', 'invalid', { from, to, asOf });
  }
  return { from, to, asOf, fromMs, toMs, asOfMs };
}

/** The Tokyo months a period touches. */
export function periodMonths(period: Period): string[] {
  return monthsBetween(period.fromMs, period.toMs);
}
