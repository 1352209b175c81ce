import type { OpportunityEvent, OpportunityProfile } from '@tsunagi/matching';
import type { MeetingEvent } from '@tsunagi/meetings';
import { FollowUpSettings, followUpAtFireTime, followUpsFor } from './follow-ups';

const at = '2026-04-01T01:00:00.000Z';
const DAY = 24 * 3_600_000;
const settings: FollowUpSettings = { matchReminderAfterMs: 3 * DAY, matchExpiryAfterMs: 14 * DAY, meetingReminderBeforeMs: DAY };

const role: OpportunityProfile = {
  organisationId: 'org-1',
  title: '調理スタッフ',
  description: '',
  ward: 'nakahara',
  themes: ['child_rearing'],
  details: { kind: 'volunteer_role', places: 2, schedule: {}, requiredSkills: [], optionalSkills: [] },
};
const opp = (type: OpportunityEvent['type'], data: object = {}) => ({ type, data: { opportunityId: 'opp-1', by: 'c1', at, ...data } }) as OpportunityEvent;
const opened = opp('OpportunityOpened', role);
const proposed = opp('MatchProposed', { matchId: 'm1', candidate: { type: 'person', id: 'p1' }, message: '', proposedBy: 'c1', fromInterest: false });
const proposedOrg = opp('MatchProposed', { matchId: 'm2', candidate: { type: 'organisation', id: 'org-2' }, message: '', proposedBy: 'c1', fromInterest: false });

const mtg = (type: MeetingEvent['type'], data: object = {}) => ({ type, data: { meetingId: 'mt-1', by: 'c1', at, ...data } }) as MeetingEvent;
const proposal = {
  sdc: 'nakahara',
  title: 'YORIAI',
  themes: [],
  purpose: '',
  preferredDates: [],
  format: { mode: 'in_person', venue: '中原市民館' },
  capacity: 2,
  newcomersWelcome: true,
  proposer: { subject: 'c1' },
};
const schedule = (startsAt: string) => ({ startsAt, endsAt: '2026-05-20T12:00:00.000Z', format: { mode: 'in_person', venue: '中原市民館' }, capacity: 2 });
const scheduled = mtg('MeetingScheduled', schedule('2026-05-20T10:00:00.000Z'));
const rescheduled = mtg('MeetingRescheduled', { ...schedule('2026-05-21T10:00:00.000Z'), reason: '会場' });
const beforeTheMeeting = new Date('2026-05-19T10:00:00.000Z');

describe('follow-ups', () => {
  describe('what an event starts, and when', () => {
    it('a proposal: a reminder after MATCH_REMINDER_AFTER_MS and an expiry after MATCH_EXPIRY_AFTER_MS, from its decision time', () => {
      expect(followUpsFor(proposed, settings)).toEqual([
        { followUp: 'match_reminder', fireAt: '2026-04-04T01:00:00.000Z' },
        { followUp: 'match_expiry', fireAt: '2026-04-15T01:00:00.000Z' },
      ]);
      expect(followUpsFor(proposed, { ...settings, matchReminderAfterMs: 300, matchExpiryAfterMs: 900 })).toEqual([
        { followUp: 'match_reminder', fireAt: '2026-04-01T01:00:00.300Z' },
        { followUp: 'match_expiry', fireAt: '2026-04-01T01:00:00.900Z' },
      ]);
    });

    it('a scheduled or rescheduled meeting: a reminder MEETING_REMINDER_BEFORE_MS before it starts', () => {
      expect(followUpsFor(scheduled, settings)).toEqual([{ followUp: 'meeting_reminder', fireAt: '2026-05-19T10:00:00.000Z' }]);
      expect(followUpsFor(rescheduled, { ...settings, meetingReminderBeforeMs: 3_600_000 })).toEqual([
        { followUp: 'meeting_reminder', fireAt: '2026-05-21T09:00:00.000Z' },
      ]);
    });

    it('no reminder for a meeting set (or moved) to a time already within the reminder’s reach', () => {
      const soon = mtg('MeetingScheduled', { ...schedule('2026-04-02T00:59:59.000Z'), at });
      expect(followUpsFor(soon, settings)).toEqual([]);
      expect(followUpsFor({ ...soon, data: { ...soon.data, startsAt: '2026-04-02T01:00:01.000Z' } }, settings)).toEqual([
        { followUp: 'meeting_reminder', fireAt: '2026-04-01T01:00:01.000Z' },
      ]);
    });

    it('other events start nothing', () => {
      for (const event of [opened, opp('MatchAccepted', { matchId: 'm1' }), mtg('MeetingCancelled', { reason: 'x' }), mtg('RegisteredForMeeting', { personId: 'a' })]) {
        expect(followUpsFor(event, settings)).toEqual([]);
      }
    });
  });

  describe('at fire time', () => {
    const now = new Date('2026-04-04T01:00:00.000Z');

    it('an unanswered proposal: a reminder to the proposed party, then the expiry', () => {
      expect(followUpAtFireTime('match_reminder', proposed, 1, [opened, proposed], now)).toEqual({
        due: true,
        action: 'notify',
        kind: 'match_reminder',
        recipients: [{ type: 'person', id: 'p1' }],
      });
      expect(followUpAtFireTime('match_reminder', proposedOrg, 1, [opened, proposedOrg], now)).toMatchObject({ recipients: [{ type: 'organisation', id: 'org-2' }] });
      expect(followUpAtFireTime('match_expiry', proposed, 1, [opened, proposed], now)).toEqual({ due: true, action: 'expire_match', opportunityId: 'opp-1', matchId: 'm1' });
    });

    it.each(['MatchAccepted', 'MatchDeclined', 'MatchWithdrawn', 'MatchExpired'] as const)('nothing once the proposal left "proposed" (%s)', (type) => {
      const current = [opened, proposed, opp(type, { matchId: 'm1', reason: 'no_time' })];
      expect(followUpAtFireTime('match_reminder', proposed, 1, current, now)).toEqual({ due: false, reason: 'answered' });
      expect(followUpAtFireTime('match_expiry', proposed, 1, current, now)).toEqual({ due: false, reason: 'answered' });
    });

    it('an answer to another match of the opportunity changes nothing', () => {
      const current = [opened, proposed, proposedOrg, opp('MatchAccepted', { matchId: 'm2' })];
      expect(followUpAtFireTime('match_expiry', proposed, 1, current, now)).toMatchObject({ due: true });
    });

    it('a closed opportunity: no reminder, but the unanswered proposal still expires', () => {
      const current = [opened, proposed, opp('OpportunityClosed')];
      expect(followUpAtFireTime('match_reminder', proposed, 1, current, now)).toEqual({ due: false, reason: 'opportunity_closed' });
      expect(followUpAtFireTime('match_expiry', proposed, 1, current, now)).toMatchObject({ due: true, action: 'expire_match' });
    });

    it('a meeting reminder goes to those registered at fire time, not those waiting or gone', () => {
      const current = [
        mtg('MeetingProposed', proposal),
        scheduled,
        mtg('RegisteredForMeeting', { personId: 'a' }),
        mtg('RegisteredForMeeting', { personId: 'b' }),
        mtg('WaitlistedForMeeting', { personId: 'c', waitlistPosition: 1 }),
        mtg('MeetingRegistrationCancelled', { personId: 'a', wasWaitlisted: false }),
        mtg('PromotedFromWaitlist', { personId: 'c' }),
      ];
      expect(followUpAtFireTime('meeting_reminder', scheduled, 1, current, beforeTheMeeting)).toEqual({
        due: true,
        action: 'notify',
        kind: 'meeting_reminder',
        recipients: [
          { type: 'person', id: 'b' },
          { type: 'person', id: 'c' },
        ],
      });
    });

    it('no meeting reminder when cancelled, rescheduled since (the new time has its own), or already begun', () => {
      const base = [mtg('MeetingProposed', proposal), scheduled, mtg('RegisteredForMeeting', { personId: 'a' })];
      expect(followUpAtFireTime('meeting_reminder', scheduled, 1, [...base, mtg('MeetingCancelled', { reason: 'x' })], beforeTheMeeting)).toEqual({
        due: false,
        reason: 'not_scheduled',
      });
      expect(followUpAtFireTime('meeting_reminder', scheduled, 1, [...base, rescheduled], beforeTheMeeting)).toEqual({ due: false, reason: 'superseded' });
      expect(followUpAtFireTime('meeting_reminder', rescheduled, 3, [...base, rescheduled], beforeTheMeeting)).toMatchObject({ due: true });
      expect(followUpAtFireTime('meeting_reminder', scheduled, 1, base, new Date('2026-05-20T10:00:00.000Z'))).toEqual({ due: false, reason: 'started' });
    });
  });
});
