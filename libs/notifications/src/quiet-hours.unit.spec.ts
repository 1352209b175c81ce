import { URGENT_KINDS, parseQuietHours, quietUntil } from './quiet-hours';

const TOKYO = 'Asia/Tokyo';
const night = { start: '21:00', end: '08:00' };
const at = (local: string) => new Date(`${local}+09:00`);

describe('quiet hours', () => {
  it('reads the setting', () => {
    expect(parseQuietHours('21:00-08:00')).toEqual(night);
    expect(parseQuietHours('off')).toBeNull();
  });

  it('a window over midnight: quiet from its start until its end, the end in Japan time', () => {
    expect(quietUntil(at('2026-04-01T21:00:00'), night, TOKYO)).toEqual(at('2026-04-02T08:00:00'));
    expect(quietUntil(at('2026-04-01T23:59:30'), night, TOKYO)).toEqual(at('2026-04-02T08:00:00'));
    expect(quietUntil(at('2026-04-02T00:00:00'), night, TOKYO)).toEqual(at('2026-04-02T08:00:00'));
    expect(quietUntil(at('2026-04-02T07:59:59.250'), night, TOKYO)).toEqual(at('2026-04-02T08:00:00'));
  });

  it('outside the window, nothing waits', () => {
    for (const local of ['2026-04-01T08:00:00', '2026-04-01T12:00:00', '2026-04-01T20:59:59.999']) {
      expect(quietUntil(at(local), night, TOKYO)).toBeUndefined();
    }
  });

  it('a window within a day', () => {
    const lunch = { start: '12:00', end: '13:30' };
    expect(quietUntil(at('2026-04-01T12:10:00'), lunch, TOKYO)).toEqual(at('2026-04-01T13:30:00'));
    expect(quietUntil(at('2026-04-01T13:30:00'), lunch, TOKYO)).toBeUndefined();
    expect(quietUntil(at('2026-04-01T11:59:00'), lunch, TOKYO)).toBeUndefined();
  });

  it('in another time zone, and none at all', () => {
    // 22:00 in London (BST, UTC+1) is 06:00 the next day in Tokyo: each waits until its own 08:00.
    expect(quietUntil(new Date('2026-06-01T21:00:00Z'), night, 'Europe/London')).toEqual(new Date('2026-06-02T07:00:00Z'));
    expect(quietUntil(new Date('2026-06-01T21:00:00Z'), night, TOKYO)).toEqual(new Date('2026-06-01T23:00:00Z'));
    // 10:00 in London is 18:00 in Tokyo: quiet in neither.
    expect(quietUntil(new Date('2026-06-01T09:00:00Z'), night, 'Europe/London')).toBeUndefined();
    expect(quietUntil(new Date('2026-06-01T09:00:00Z'), night, TOKYO)).toBeUndefined();
    expect(quietUntil(at('2026-04-01T23:00:00'), null, TOKYO)).toBeUndefined();
  });

  it('cancellations, reschedules, promotions and meeting reminders are urgent; proposals are not', () => {
    expect(URGENT_KINDS).toEqual(expect.arrayContaining(['meeting_cancelled', 'meeting_rescheduled', 'waitlist_promoted', 'meeting_reminder']));
    expect(URGENT_KINDS).not.toContain('match_proposed');
    expect(URGENT_KINDS).not.toContain('match_reminder');
  });
});
