import { inTokyo, isCalendarDate, isInstant, occurrencesOf, parseInstant, tokyoDayStart } from './meeting-time';

const dates = (list: { startsAt: string }[]) => list.map((o) => o.startsAt);

describe('meeting times (Asia/Tokyo, +09:00, no DST)', () => {
  it('accepts strict ISO-8601 date-times with an offset, and real calendar dates only', () => {
    expect(parseInstant('2026-05-20T19:00:00+09:00')).toBe(Date.parse('2026-05-20T10:00:00Z'));
    expect(parseInstant('2026-05-20T10:00Z')).toBe(Date.parse('2026-05-20T10:00:00Z'));
    expect(parseInstant('2026-05-20T10:00:00.5-02:30')).toBe(Date.parse('2026-05-20T12:30:00.500Z'));
    for (const bad of ['2026-02-30T10:00:00+09:00', '2026-05-20T24:00:00+09:00', '2026-05-20T10:00:00', '2026-05-20', 'tomorrow', 42, '2026-05-20T10:00:00+99:00']) {
      expect([bad, isInstant(bad)]).toEqual([bad, false]);
    }
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(tokyoDayStart('2026-05-20')).toBe(Date.parse('2026-05-20T00:00:00+09:00'));
  });

  it('writes any offset in Tokyo time', () => {
    expect(inTokyo('2026-05-20T10:00:00Z')).toBe('2026-05-20T19:00:00+09:00');
    expect(inTokyo('2026-12-31T20:30:00Z')).toBe('2027-01-01T05:30:00+09:00');
    expect(inTokyo('2026-05-20T19:00:00.250+09:00')).toBe('2026-05-20T19:00:00.250+09:00');
  });

  it('weekly: every 7 days, across months and years, keeping the duration', () => {
    const list = occurrencesOf({ startsAt: '2026-12-24T19:00:00+09:00', endsAt: '2026-12-24T21:30:00+09:00' }, 'weekly', 3);
    expect(list).toEqual([
      { startsAt: '2026-12-24T19:00:00+09:00', endsAt: '2026-12-24T21:30:00+09:00' },
      { startsAt: '2026-12-31T19:00:00+09:00', endsAt: '2026-12-31T21:30:00+09:00' },
      { startsAt: '2027-01-07T19:00:00+09:00', endsAt: '2027-01-07T21:30:00+09:00' },
    ]);
  });

  it('monthly by date: the same day, or the last day of a shorter month', () => {
    const list = occurrencesOf({ startsAt: '2026-01-31T10:00:00+09:00', endsAt: '2026-01-31T12:00:00+09:00' }, 'monthly_by_date', 4);
    expect(dates(list)).toEqual(['2026-01-31T10:00:00+09:00', '2026-02-28T10:00:00+09:00', '2026-03-31T10:00:00+09:00', '2026-04-30T10:00:00+09:00']);
  });

  it('monthly by weekday: the 3rd Thursday of each month; a 5th week means the last one', () => {
    // 2026-05-21 is the third Thursday of May 2026.
    const third = occurrencesOf({ startsAt: '2026-05-21T19:00:00+09:00', endsAt: '2026-05-21T21:00:00+09:00' }, 'monthly_by_weekday', 4);
    expect(dates(third)).toEqual(['2026-05-21T19:00:00+09:00', '2026-06-18T19:00:00+09:00', '2026-07-16T19:00:00+09:00', '2026-08-20T19:00:00+09:00']);
    for (const { startsAt } of third) expect(new Date(startsAt).getUTCDay()).toBe(4);
    // 2026-01-29 is the fifth (and last) Thursday of January; February 2026 has four.
    const last = occurrencesOf({ startsAt: '2026-01-29T10:00:00+09:00', endsAt: '2026-01-29T11:00:00+09:00' }, 'monthly_by_weekday', 3);
    expect(dates(last)).toEqual(['2026-01-29T10:00:00+09:00', '2026-02-26T10:00:00+09:00', '2026-03-26T10:00:00+09:00']);
  });

  it('uses the Tokyo date, not the UTC one, for a meeting early in the Tokyo morning', () => {
    // 08:00 in Tokyo on Thursday 2026-05-21 is still Wednesday in UTC.
    const list = occurrencesOf({ startsAt: '2026-05-20T23:00:00Z', endsAt: '2026-05-21T00:00:00Z' }, 'monthly_by_weekday', 2);
    expect(dates(list)).toEqual(['2026-05-21T08:00:00+09:00', '2026-06-18T08:00:00+09:00']);
  });
});
