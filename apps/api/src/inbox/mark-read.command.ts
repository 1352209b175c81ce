import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { notificationStreamId } from '@tsunagi/notifications';
import { CommandContext, CommandExecutor } from '@tsunagi/platform';
import { InboxQueries } from '@tsunagi/projections';
import { READ_MODELS } from '../projections/projections.service';
import { authorizeMarkRead, inboxNotificationDecider } from './inbox.decider';
import { inboxOf } from './inbox.policy';

/** At most this many notifications are marked by one read-all; `more` tells the client to ask again. */
export const READ_ALL_BATCH = 500;

export interface MarkReadResult {
  notificationId: string;
  /** Position of the NotificationRead (or of the stream's last event, when it was read already): for minPosition. */
  position: number;
}

export interface MarkAllReadResult {
  /** How many this request marked (those read meanwhile by someone else are not counted). */
  marked: number;
  position: number;
  /** Unread notifications were left beyond this batch. */
  more: boolean;
}

/** The recipient reads a notification; reading it again changes nothing. */
export class MarkNotificationReadCommand extends Command<MarkReadResult> {
  constructor(
    readonly notificationId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** The caller reads every unread notification of their inbox, newest first, at most READ_ALL_BATCH of them. */
export class MarkAllInboxReadCommand extends Command<MarkAllReadResult> {
  constructor(readonly context: CommandContext) {
    super();
  }
}

function markRead(executor: CommandExecutor, notificationId: string, context: CommandContext) {
  return executor.execute(inboxNotificationDecider, notificationStreamId(notificationId), context, {
    command: (at) => ({ type: 'MarkNotificationRead' as const, notificationId, by: context.principal.subject, at }),
    authorize: (command, state) => authorizeMarkRead(context.principal, command, state),
  });
}

@CommandHandler(MarkNotificationReadCommand)
export class MarkNotificationReadHandler implements ICommandHandler<MarkNotificationReadCommand, MarkReadResult> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ notificationId, context }: MarkNotificationReadCommand): Promise<MarkReadResult> {
    const result = await markRead(this.executor, notificationId, context);
    return { notificationId, position: result.position };
  }
}

/**
 * Which notifications are unread comes from the read model (what the caller sees); each is then marked through its
 * own stream, so one read meanwhile (by another representative, say) is not marked twice. Event ids are unique
 * across streams: under an Idempotency-Key each notification's write gets a scope of its own.
 */
@CommandHandler(MarkAllInboxReadCommand)
export class MarkAllInboxReadHandler implements ICommandHandler<MarkAllInboxReadCommand, MarkAllReadResult> {
  private readonly queries: InboxQueries;
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(READ_MODELS) db: Database.Database,
  ) {
    this.queries = new InboxQueries(db);
  }

  async execute({ context }: MarkAllInboxReadCommand): Promise<MarkAllReadResult> {
    const unread = this.queries.unreadIds(inboxOf(context.principal), READ_ALL_BATCH + 1);
    let marked = 0;
    let position = 0;
    for (const notificationId of unread.slice(0, READ_ALL_BATCH)) {
      const scoped = context.idempotencyScope ? { ...context, idempotencyScope: `${context.idempotencyScope}:notification-${notificationId}` } : context;
      const result = await markRead(this.executor, notificationId, scoped);
      if (result.events.length > 0) marked++;
      position = Math.max(position, result.position);
    }
    return { marked, position, more: unread.length > READ_ALL_BATCH };
  }
}
