import { NewEvent, RecordedEvent, SqliteEventStore, newId } from '@tsunagi/event-store';
import { NotificationChannel, NotificationEvent, Recipient, notificationIdFor, notificationStreamId } from '@tsunagi/notifications';
import { openReadModelDatabase } from '../runner/read-model-database';
import { InboxProjection } from './inbox.projection';
import { InboxQueries } from './inbox.queries';

const at = (minute: number) => new Date(Date.UTC(2026, 3, 1, 9, minute)).toISOString();

const PERSON: Recipient = { type: 'person', id: 'p1' };
const OTHER_PERSON: Recipient = { type: 'person', id: 'p2' };
const ORGANISATION: Recipient = { type: 'organisation', id: 'o1' };
const COORDINATOR: Recipient = { type: 'subject', id: 'coordinator-nakahara' };

/** What the worker writes: one stream per notification, a delivery (or a failure), and the recipient's read. */
function history(): { streamId: string; events: NotificationEvent[] }[] {
  const streams: { streamId: string; events: NotificationEvent[] }[] = [];
  let minute = 0;
  const deliver = (recipient: Recipient, kind: 'match_proposed' | 'meeting_scheduled', channel: NotificationChannel = 'inbox', read = false, failedFirst = false) => {
    const sourceEventId = newId();
    const notificationId = notificationIdFor(sourceEventId, recipient, channel);
    const about = { notificationId, recipient, channel, kind, sourceEventId, sourceStreamId: `opportunity-${newId()}`, sourceRevision: 3 };
    const events: NotificationEvent[] = [];
    if (failedFirst) events.push({ type: 'NotificationFailed', data: { ...about, at: at(minute++), reason: 'timeout', permanent: false } });
    events.push({
      type: 'NotificationDelivered',
      data: { ...about, at: at(minute++), language: 'ja', ...(channel === 'inbox' ? { title: `件名 ${minute}`, body: '本文' } : { messageId: 'm-1' }) },
    });
    if (read) events.push({ type: 'NotificationRead', data: { notificationId, recipient, by: 'p1', at: at(minute++) } });
    streams.push({ streamId: notificationStreamId(notificationId), events });
  };
  deliver(PERSON, 'match_proposed');
  deliver(PERSON, 'meeting_scheduled', 'inbox', true);
  deliver(PERSON, 'match_proposed', 'email');
  deliver(PERSON, 'match_proposed', 'inbox', false, true);
  deliver(OTHER_PERSON, 'match_proposed');
  deliver(ORGANISATION, 'match_proposed', 'inbox', true);
  deliver(ORGANISATION, 'match_proposed', 'webhook');
  deliver(COORDINATOR, 'meeting_scheduled');
  for (let i = 0; i < 5; i++) deliver(PERSON, 'meeting_scheduled');
  return streams;
}

describe('InboxProjection', () => {
  it('keeps inbox deliveries only, with their read state; replaying or rebuilding gives the same rows', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    for (const { streamId, events } of history()) {
      await store.append(streamId, events.map((e): NewEvent => ({ id: newId(), type: e.type, data: e.data })));
    }
    const recorded: RecordedEvent[] = await store.readAll();
    const db = openReadModelDatabase(':memory:');
    const projection = new InboxProjection();
    projection.setUp(db);
    const relevant = recorded.filter((e) => projection.eventTypes.includes(e.type as never));
    const snapshot = () => db.prepare('SELECT * FROM inbox ORDER BY notification_id').all();
    db.transaction(() => relevant.forEach((e) => projection.apply(e)))();
    const once = snapshot();
    expect(once).toHaveLength(11);
    db.transaction(() => relevant.forEach((e) => projection.apply(e)))();
    expect(snapshot()).toEqual(once);
    // Every event of the store, in any batch split, as the runner would after a version bump or a rebuild.
    projection.tearDown(db);
    projection.setUp(db);
    db.transaction(() => recorded.slice(0, 7).forEach((e) => projection.apply(e)))();
    db.transaction(() => recorded.forEach((e) => projection.apply(e)))();
    expect(snapshot()).toEqual(once);

    const queries = new InboxQueries(db);
    const mine = queries.entries([PERSON], { limit: 100 });
    expect(mine).toHaveLength(8);
    expect(mine.map((e) => e.deliveredPosition)).toEqual([...mine.map((e) => e.deliveredPosition)].sort((a, b) => b - a));
    expect(mine.every((e) => e.view.recipient.id === 'p1' && e.view.language === 'ja' && e.view.title?.startsWith('件名'))).toBe(true);
    expect(mine.filter((e) => e.view.readAt !== null).map((e) => e.view.kind)).toEqual(['meeting_scheduled']);
    expect(queries.unreadCount([PERSON])).toBe(7);
    expect(queries.entries([PERSON], { unread: true, kind: 'match_proposed', limit: 100 })).toHaveLength(2);
    expect(queries.unreadCount([PERSON, ORGANISATION, COORDINATOR])).toBe(8);
    expect(queries.unreadCount([{ type: 'subject', id: 'p1' }])).toBe(0);
    expect(queries.entries([], { limit: 100 })).toEqual([]);
    expect(queries.unreadCount([])).toBe(0);

    // Pages follow the cursor without repeating or skipping.
    const pages: string[] = [];
    let before: number | undefined;
    do {
      const page = queries.entries([PERSON], { before, limit: 3 });
      pages.push(...page.map((e) => e.view.notificationId));
      before = page.length === 3 ? page[2].deliveredPosition : undefined;
    } while (before !== undefined);
    expect(pages).toEqual(mine.map((e) => e.view.notificationId));
    expect(queries.unreadIds([PERSON], 2)).toEqual(mine.filter((e) => !e.view.readAt).slice(0, 2).map((e) => e.view.notificationId));
    expect(queries.notification(mine[0].view.notificationId)).toEqual(mine[0].view);
    db.close();
    await store.close();
  });
});
