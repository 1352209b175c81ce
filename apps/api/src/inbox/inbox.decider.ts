import { Decider, DomainError, Principal } from '@tsunagi/domain';
import type { NotificationEvent, Recipient } from '@tsunagi/notifications';
import { isRecipient } from './inbox.policy';

/**
 * A notification's stream (`notification-<id>`) seen from the inbox: delivered to an inbox, then read. The worker
 * writes the delivery; this decider writes only the read. A notification that is not (yet) an inbox delivery
 * (none at all, a failed attempt, an e-mail or a webhook) is not in anybody's inbox.
 */
export interface InboxNotificationState {
  status: 'absent' | 'unread' | 'read';
  recipient?: Recipient;
}

export interface MarkNotificationRead {
  type: 'MarkNotificationRead';
  notificationId: string;
  /** The subject of who read it. */
  by: string;
  at: string;
}

export const inboxNotificationDecider: Decider<InboxNotificationState, MarkNotificationRead, NotificationEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    if (state.status === 'absent') throw new DomainError('inbox.not_found', 'not_found');
    if (state.status === 'read') return [];
    return [{ type: 'NotificationRead', data: { notificationId: command.notificationId, recipient: state.recipient!, by: command.by, at: command.at } }];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'NotificationDelivered':
        if (event.data.channel !== 'inbox' || state.status !== 'absent') return state;
        return { status: 'unread', recipient: event.data.recipient };
      case 'NotificationRead':
        return state.status === 'absent' ? state : { ...state, status: 'read' };
      default:
        return state;
    }
  },
};

/** Only the recipient marks a notification read (403 for anyone else); one that is in no inbox is left to the decider (404). */
export function authorizeMarkRead(principal: Principal, _command: MarkNotificationRead, state: InboxNotificationState): void {
  if (state.recipient && !isRecipient(principal, state.recipient)) throw new DomainError('auth.forbidden', 'forbidden');
}
