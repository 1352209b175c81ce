import type { OpportunityEvent } from '@tsunagi/matching';
import type { MeetingEvent } from '@tsunagi/meetings';
import type { SpinOffEvent } from '@tsunagi/spinoffs';
import { ABOUT_OF_KIND, MessageFacts, messageFactsFor } from './message-facts';
import { NOTIFICATION_KINDS, NotificationKind } from './notification.events';
import { formatMeetingTime, renderNotification } from './templates';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

const factsFor = (kind: NotificationKind): MessageFacts => {
  switch (ABOUT_OF_KIND[kind]) {
    case 'opportunity':
      return { about: 'opportunity', opportunityTitle: 'Kitchen help', declineReason: 'too_far', hoursLogged: 7.5 };
    case 'meeting':
      return {
        about: 'meeting',
        meetingTitle: 'YORIAI May',
        startsAt: '2026-05-20T19:00:00+09:00',
        endsAt: '2026-05-20T21:00:00+09:00',
        format: { mode: 'hybrid', venue: 'Nakahara Civic Hall', url: 'https://meet.example.jp/yoriai' },
        reason: 'typhoon',
      };
    case 'spinoff':
      return { about: 'spinoff', spinOffTitle: 'Morning market', ...(kind === 'spinoff_role_invitation' ? { roleTitle: 'Stall helper' } : {}) };
  }
};

describe('notification templates', () => {
  it.each(NOTIFICATION_KINDS)('%s has a Japanese and an English title and body', (kind) => {
    const ja = renderNotification(kind, 'ja', factsFor(kind));
    const en = renderNotification(kind, 'en', factsFor(kind));
    for (const message of [ja, en]) {
      expect(message.title.length).toBeGreaterThan(5);
      expect(message.body.length).toBeGreaterThan(20);
      expect(message.title).not.toContain('undefined');
      expect(message.body).not.toContain('undefined');
    }
    expect(ja.title).toMatch(JAPANESE);
    expect(ja.body).toMatch(JAPANESE);
    expect(en.title).not.toMatch(JAPANESE);
    expect(en.body).not.toMatch(JAPANESE);
    expect(ja.title).not.toEqual(en.title);
  });

  it('names what the message is about', () => {
    expect(renderNotification('match_proposed', 'ja', factsFor('match_proposed')).title).toContain('「Kitchen help」');
    expect(renderNotification('meeting_cancelled', 'en', factsFor('meeting_cancelled')).body).toContain('"YORIAI May"');
    expect(renderNotification('meeting_cancelled', 'en', factsFor('meeting_cancelled')).body).toContain('Reason: typhoon');
    expect(renderNotification('spinoff_launched', 'ja', factsFor('spinoff_launched')).title).toBe('スピンオフ企画「Morning market」が始動しました');
  });

  it('invites to a role by naming the role and the spin-off, in the reader’s language', () => {
    const facts = factsFor('spinoff_role_invitation');
    expect(renderNotification('spinoff_role_invitation', 'ja', facts).title).toBe('スピンオフ企画「Morning market」の「Stall helper」にご参加いただけませんか');
    expect(renderNotification('spinoff_role_invitation', 'en', facts).title).toBe('Would you join "Morning market" as "Stall helper"?');
    expect(renderNotification('spinoff_role_invitation', 'en', facts).body).toContain('A coordinator invites you to the role "Stall helper" in the spin-off project "Morning market".');
  });

  it('thanks with the hours logged', () => {
    expect(renderNotification('match_completed', 'ja', factsFor('match_completed')).body).toContain('合計 7.5 時間');
    expect(renderNotification('match_completed', 'en', factsFor('match_completed')).body).toContain('Hours logged: 7.5 in total');
  });

  it('gives the reason a match was declined in the reader’s language', () => {
    expect(renderNotification('match_declined', 'ja', factsFor('match_declined')).body).toContain('理由: 場所が遠い');
    expect(renderNotification('match_declined', 'en', factsFor('match_declined')).body).toContain('Reason: too far away');
  });

  it('shows meeting times in Asia/Tokyo, whatever offset they were stored with', () => {
    expect(formatMeetingTime('2026-05-10T10:00:00+09:00', '2026-05-10T12:00:00+09:00', 'ja')).toBe('2026年5月10日(日) 10:00〜12:00');
    expect(formatMeetingTime('2026-05-10T01:00:00Z', '2026-05-10T03:00:00Z', 'en')).toBe('Sun, 10 May 2026, 10:00–12:00 (Japan time)');
    expect(formatMeetingTime('2026-05-10T23:00:00+09:00', '2026-05-11T01:00:00+09:00', 'ja')).toBe('2026年5月10日(日) 23:00〜2026年5月11日(月) 01:00');
    const body = renderNotification('meeting_scheduled', 'ja', factsFor('meeting_scheduled')).body;
    expect(body).toContain('日時: 2026年5月20日(水) 19:00〜21:00');
    expect(body).toContain('場所: Nakahara Civic Hall / オンライン (https://meet.example.jp/yoriai)');
  });

  it('refuses facts about something else than the kind is about', () => {
    expect(() => renderNotification('meeting_scheduled', 'ja', factsFor('match_proposed'))).toThrow(/needs facts about meeting/);
  });

  describe('facts from the source stream', () => {
    const at = '2026-04-01T10:00:00.000Z';
    const o = (type: OpportunityEvent['type'], data: object = {}) => ({ type, data: { opportunityId: 'o1', by: 'c1', at, ...data } }) as OpportunityEvent;
    const opportunity = [
      o('OpportunityOpened', {
        organisationId: 'org-1',
        title: '子ども食堂の調理スタッフ',
        description: '…',
        ward: 'nakahara',
        themes: [],
        details: { kind: 'volunteer_role', places: 2, schedule: {}, requiredSkills: [], optionalSkills: [] },
      }),
      o('MatchProposed', { matchId: 'm1', candidate: { type: 'person', id: 'p1' }, message: '', proposedBy: 'c1', fromInterest: false }),
      o('MatchAccepted', { matchId: 'm1' }),
      o('MatchConfirmed', { matchId: 'm1' }),
      o('MatchStarted', { matchId: 'm1' }),
      o('HoursLogged', { matchId: 'm1', entryId: 'e1', date: '2026-04-02', hours: 3 }),
      o('HoursLogged', { matchId: 'm1', entryId: 'e2', date: '2026-04-09', hours: 2.25 }),
      o('OpportunityUpdated', { changes: { title: '子ども食堂の調理（土曜）' } }),
      o('MatchCompleted', { matchId: 'm1' }),
    ];

    it('takes the title as of the source event and adds up the hours logged for the match', () => {
      expect(messageFactsFor('match_completed', opportunity)).toEqual({ about: 'opportunity', opportunityTitle: '子ども食堂の調理（土曜）', hoursLogged: 5.25 });
      expect(messageFactsFor('match_proposed', opportunity.slice(0, 2))).toEqual({ about: 'opportunity', opportunityTitle: '子ども食堂の調理スタッフ' });
    });

    it('takes a reschedule’s own time and reason', () => {
      const m = (type: MeetingEvent['type'], data: object = {}) => ({ type, data: { meetingId: 'mt', by: 'c1', at, ...data } }) as MeetingEvent;
      const format = { mode: 'online', url: 'https://meet.example.jp/x' };
      const events = [
        m('MeetingProposed', { sdc: 'nakahara', title: 'YORIAI', themes: [], purpose: '', preferredDates: [], format, capacity: 5, newcomersWelcome: true, proposer: { subject: 'c1' } }),
        m('MeetingScheduled', { startsAt: '2026-05-20T19:00:00+09:00', endsAt: '2026-05-20T21:00:00+09:00', format, capacity: 5 }),
        m('MeetingRescheduled', { startsAt: '2026-05-27T19:00:00+09:00', endsAt: '2026-05-27T21:00:00+09:00', format, capacity: 5, reason: '祝日のため' }),
      ];
      expect(messageFactsFor('meeting_rescheduled', events)).toEqual({
        about: 'meeting',
        meetingTitle: 'YORIAI',
        startsAt: '2026-05-27T19:00:00+09:00',
        endsAt: '2026-05-27T21:00:00+09:00',
        format,
        reason: '祝日のため',
      });
    });

    it('names the role an invitation is for, as opened in the spin-off', () => {
      const s = (type: SpinOffEvent['type'], data: object = {}) => ({ type, data: { spinOffId: 's1', by: 'c1', at, ...data } }) as SpinOffEvent;
      const events = [
        s('SpinOffProposed', { origins: [], title: '中原の朝市', purpose: '朝市', wards: ['nakahara'], themes: [], initiators: ['p1'] }),
        s('SpinOffAcknowledged'),
        s('SpinOffLaunched'),
        s('SpinOffRoleOpened', { roleId: 'r1', opportunityId: 'o1', title: '出店の手伝い', places: 2, requiredSkills: [] }),
        s('SpinOffRoleInvitationsSent', { roleId: 'r1', opportunityId: 'o1', personIds: ['v1'] }),
      ];
      expect(messageFactsFor('spinoff_role_invitation', events)).toEqual({ about: 'spinoff', spinOffTitle: '中原の朝市', roleTitle: '出店の手伝い' });
      expect(messageFactsFor('spinoff_launched', events.slice(0, 3))).toEqual({ about: 'spinoff', spinOffTitle: '中原の朝市' });
      expect(() => messageFactsFor('spinoff_role_invitation', [...events.slice(0, 3), events[4]])).toThrow('the role was never opened');
    });
  });
});
