import type Database from 'better-sqlite3';
import type { Recipient } from '@tsunagi/notifications';

/** Whose inbox is read: every notification addressed to one of these recipients (a caller may be several). */
export type InboxOwner = readonly Recipient[];

export interface InboxFilter {
  /** Only those not read yet. */
  unread?: boolean;
  kind?: string;
  /** Cursor: only notifications delivered before this position (the `$all` position of their delivery). */
  before?: number;
  limit: number;
}

export interface InboxView {
  notificationId: string;
  kind: string;
  /** Rendered for the recipient in `language`; absent only if a delivery came without them. */
  title: string | null;
  body: string | null;
  language: string;
  deliveredAt: string;
  readAt: string | null;
  recipient: Recipient;
}

/** A view and where it sits in the inbox (newest first), for cursors. */
export interface InboxEntry {
  view: InboxView;
  deliveredPosition: number;
}

const RECIPIENT_TYPES: readonly Recipient['type'][] = ['person', 'organisation', 'subject'];

/** `(recipient_type = 'person' AND recipient_id IN (…)) OR …`; undefined when the owner has no recipient at all. */
function ownedBy(owner: InboxOwner, params: unknown[]): string | undefined {
  const scopes: string[] = [];
  for (const type of RECIPIENT_TYPES) {
    const ids = [...new Set(owner.filter((r) => r.type === type).map((r) => r.id))];
    if (ids.length === 0) continue;
    params.push(type, ...ids);
    scopes.push(`(i.recipient_type = ? AND i.recipient_id IN (${ids.map(() => '?').join(', ')}))`);
  }
  return scopes.length ? `(${scopes.join(' OR ')})` : undefined;
}

/** Reads over the inbox read model: newest delivery first; the cursor is the position of the last delivery of a page. */
export class InboxQueries {
  constructor(private readonly db: Database.Database) {}

  entries(owner: InboxOwner, filter: InboxFilter): InboxEntry[] {
    const params: unknown[] = [];
    const scope = ownedBy(owner, params);
    if (!scope) return [];
    const where = [scope];
    if (filter.unread) where.push('i.read_at IS NULL');
    if (filter.kind !== undefined) {
      where.push('i.kind = ?');
      params.push(filter.kind);
    }
    if (filter.before !== undefined) {
      where.push('i.delivered_position < ?');
      params.push(filter.before);
    }
    params.push(filter.limit);
    return this.db
      .prepare(`SELECT * FROM inbox i WHERE ${where.join(' AND ')} ORDER BY i.delivered_position DESC LIMIT ?`)
      .all(...params)
      .map((row) => ({ view: toView(row), deliveredPosition: (row as { delivered_position: number }).delivered_position }));
  }

  unreadCount(owner: InboxOwner): number {
    const params: unknown[] = [];
    const scope = ownedBy(owner, params);
    if (!scope) return 0;
    return (this.db.prepare(`SELECT count(*) AS unread FROM inbox i WHERE ${scope} AND i.read_at IS NULL`).get(...params) as { unread: number }).unread;
  }

  /** The ids of the owner's unread notifications, newest first, at most `limit`. */
  unreadIds(owner: InboxOwner, limit: number): string[] {
    return this.entries(owner, { unread: true, limit }).map((e) => e.view.notificationId);
  }

  notification(notificationId: string): InboxView | undefined {
    const row = this.db.prepare('SELECT * FROM inbox WHERE notification_id = ?').get(notificationId);
    return row ? toView(row) : undefined;
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function toView(row: any): InboxView {
  return {
    notificationId: row.notification_id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    language: row.language,
    deliveredAt: row.delivered_at,
    readAt: row.read_at,
    recipient: { type: row.recipient_type, id: row.recipient_id },
  };
}
