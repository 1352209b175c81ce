import { DomainError, Principal } from '@tsunagi/domain';
import { NotificationEvent, Recipient } from '@tsunagi/notifications';
import { spec } from '@tsunagi/testing';
import { authorizeMarkRead, inboxNotificationDecider } from './inbox.decider';
import { inboxOf, isRecipient } from './inbox.policy';

const notificationId = '0b6d3c1e-5f2a-5b7c-9d8e-1a2b3c4d5e6f';
const person: Recipient = { type: 'person', id: 'p1' };
const about = (channel: 'inbox' | 'email', recipient: Recipient = person) => ({
  notificationId,
  recipient,
  channel,
  kind: 'match_proposed' as const,
  sourceEventId: 'e1',
  sourceStreamId: 'opportunity-o1',
  sourceRevision: 2,
  at: '2026-04-01T09:00:00.000Z',
});
const delivered = (channel: 'inbox' | 'email' = 'inbox', recipient: Recipient = person): NotificationEvent => ({
  type: 'NotificationDelivered',
  data: { ...about(channel, recipient), language: 'ja', title: '件名', body: '本文' },
});
const failed: NotificationEvent = { type: 'NotificationFailed', data: { ...about('inbox'), reason: 'timeout', permanent: false } };
const read = (by = 'p1'): NotificationEvent => ({ type: 'NotificationRead', data: { notificationId, recipient: person, by, at: '2026-04-01T10:00:00.000Z' } });
const markRead = { type: 'MarkNotificationRead' as const, notificationId, by: 'p1', at: '2026-04-01T10:00:00.000Z' };

const principal = (role: Principal['role'], extra: Partial<Principal> = {}): Principal => ({ subject: `${role}-1`, role, wards: [], organisationIds: [], ...extra });

describe('inbox notification decider', () => {
  it('reads an inbox delivery once, naming its recipient', () => {
    spec(inboxNotificationDecider).given([delivered()]).when(markRead).then([read()]);
    spec(inboxNotificationDecider).given([failed, delivered()]).when(markRead).then([read()]);
  });

  it('writes nothing for one read already', () => {
    spec(inboxNotificationDecider).given([delivered(), read()]).when(markRead).then([]);
  });

  it('finds no notification that is not an inbox delivery', () => {
    spec(inboxNotificationDecider).given([]).when(markRead).thenFails('inbox.not_found');
    spec(inboxNotificationDecider).given([failed]).when(markRead).thenFails('inbox.not_found');
    spec(inboxNotificationDecider).given([delivered('email')]).when(markRead).thenFails('inbox.not_found');
  });
});

describe('inbox policy', () => {
  it('gives each caller their subject, a volunteer their person, a representative their organisations; admins and analysts their subject only', () => {
    expect(inboxOf(principal('volunteer', { subject: 'p1', personId: 'p1' }))).toEqual([
      { type: 'subject', id: 'p1' },
      { type: 'person', id: 'p1' },
    ]);
    expect(inboxOf(principal('organisation', { organisationIds: ['o1', 'o2'] }))).toEqual([
      { type: 'subject', id: 'organisation-1' },
      { type: 'organisation', id: 'o1' },
      { type: 'organisation', id: 'o2' },
    ]);
    for (const role of ['coordinator', 'admin', 'analyst'] as const) {
      expect(inboxOf(principal(role, { personId: 'p1', organisationIds: ['o1'], wards: ['nakahara'] }))).toEqual([{ type: 'subject', id: `${role}-1` }]);
    }
    expect(isRecipient(principal('admin'), person)).toBe(false);
  });

  it('lets only the recipient mark a notification, and leaves one in no inbox to the decider', () => {
    const state = (events: NotificationEvent[]) => events.reduce(inboxNotificationDecider.evolve, inboxNotificationDecider.initialState());
    const refuses = (who: Principal, events: NotificationEvent[]) => {
      try {
        authorizeMarkRead(who, markRead, state(events));
        return false;
      } catch (error) {
        return error instanceof DomainError && error.code === 'auth.forbidden';
      }
    };
    expect(refuses(principal('volunteer', { personId: 'p1' }), [delivered()])).toBe(false);
    expect(refuses(principal('volunteer', { personId: 'p2' }), [delivered()])).toBe(true);
    expect(refuses(principal('admin'), [delivered(), read()])).toBe(true);
    expect(refuses(principal('organisation', { organisationIds: ['o1'] }), [delivered('inbox', { type: 'organisation', id: 'o1' })])).toBe(false);
    expect(refuses(principal('coordinator', { subject: 'c1' }), [delivered('inbox', { type: 'subject', id: 'c1' })])).toBe(false);
    expect(refuses(principal('volunteer', { personId: 'p2' }), [])).toBe(false);
    expect(refuses(principal('volunteer', { personId: 'p2' }), [delivered('email')])).toBe(false);
  });
});
