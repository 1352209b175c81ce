import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandRequest, Roles, commandContextOf } from '@tsunagi/platform';
import { NoInputRequestDto } from '../common/no-input.request.dto';
import { MarkAllInboxReadCommand, MarkAllReadResult, MarkNotificationReadCommand, MarkReadResult } from './mark-read.command';

/**
 * Reading one's inbox: a NotificationRead in the notification's own stream. Only its recipient may mark it; marking
 * it again writes nothing.
 */
@ApiTags('inbox')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe writes: the same key and body return the first response.' })
@Controller('api/inbox')
export class InboxController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('read-all')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'Mark every unread notification of your inbox read, newest first, at most 500 at a time (more: true says there are others)' })
  readAll(@Body() _body: NoInputRequestDto, @Req() request: CommandRequest): Promise<MarkAllReadResult> {
    return this.commandBus.execute(new MarkAllInboxReadCommand(commandContextOf(request)));
  }

  @Post(':notificationId/read')
  @HttpCode(200)
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'Mark a notification of your inbox read (403 when it is someone else’s, 404 inbox.not_found when it is in no inbox)' })
  read(@Param('notificationId', ParseUUIDPipe) notificationId: string, @Body() _body: NoInputRequestDto, @Req() request: CommandRequest): Promise<MarkReadResult> {
    return this.commandBus.execute(new MarkNotificationReadCommand(notificationId, commandContextOf(request)));
  }
}
