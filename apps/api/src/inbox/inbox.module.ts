import { Module } from '@nestjs/common';
import { InboxController } from './inbox.controller';
import { MarkAllInboxReadHandler, MarkNotificationReadHandler } from './mark-read.command';
import { InboxReadController } from './queries/inbox-read.controller';
import { CountUnreadHandler, ListInboxHandler } from './queries/list-inbox.query';

/** The in-app inbox: notifications the worker delivered on the inbox channel; list, unread count, mark read. */
@Module({
  controllers: [InboxController, InboxReadController],
  providers: [MarkNotificationReadHandler, MarkAllInboxReadHandler, ListInboxHandler, CountUnreadHandler],
})
export class InboxModule {}
