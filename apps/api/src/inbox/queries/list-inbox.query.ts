import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type Database from 'better-sqlite3';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { Principal } from '@tsunagi/domain';
import { NOTIFICATION_KINDS } from '@tsunagi/notifications';
import { InboxFilter, InboxQueries, InboxView } from '@tsunagi/projections';
import { PageRequestDto, page } from '../../common/page.request.dto';
import { READ_MODELS } from '../../projections/projections.service';
import { inboxOf } from '../inbox.policy';

export class ListInboxRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ description: 'Cursor: nextCursor from the previous page' })
  @IsOptional()
  @Matches(/^[0-9]{1,15}$/)
  override after?: string = undefined;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only those not read yet' }) @IsOptional() @IsIn(['true', 'false']) unread?: 'true' | 'false';
  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS }) @IsOptional() @IsIn(NOTIFICATION_KINDS) kind?: string;
}

/** The caller's own inbox, newest first. */
export class ListInboxQuery extends Query<{ items: InboxView[]; nextCursor?: string }> {
  constructor(
    readonly principal: Principal,
    readonly filter: Omit<InboxFilter, 'before'> & { after?: string },
  ) {
    super();
  }
}

@QueryHandler(ListInboxQuery)
export class ListInboxHandler implements IQueryHandler<ListInboxQuery> {
  private readonly queries: InboxQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new InboxQueries(db);
  }

  async execute({ principal, filter }: ListInboxQuery) {
    const { after, ...rest } = filter;
    const entries = this.queries.entries(inboxOf(principal), { ...rest, before: after === undefined ? undefined : Number(after), limit: filter.limit + 1 });
    const result = page(entries, filter.limit, (e) => String(e.deliveredPosition));
    return { ...result, items: result.items.map((e) => e.view) };
  }
}

export class CountUnreadQuery extends Query<{ unread: number }> {
  constructor(readonly principal: Principal) {
    super();
  }
}

@QueryHandler(CountUnreadQuery)
export class CountUnreadHandler implements IQueryHandler<CountUnreadQuery> {
  private readonly queries: InboxQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new InboxQueries(db);
  }

  async execute({ principal }: CountUnreadQuery) {
    return { unread: this.queries.unreadCount(inboxOf(principal)) };
  }
}
