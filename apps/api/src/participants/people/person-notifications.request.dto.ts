import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { NOTIFICATION_KINDS, PERSON_CHANNELS, PersonChannel, THEMES, Theme, WARDS, Ward } from '@tsunagi/domain';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Channels per kind of message: each kind optional (left out: e-mail and inbox), any other key refused. */
export class NotificationChannelsDto {}
for (const kind of NOTIFICATION_KINDS) {
  const target = NotificationChannelsDto.prototype;
  ApiPropertyOptional({ enum: PERSON_CHANNELS, isArray: true, description: `Channels for ${kind} (empty: none)` })(target, kind);
  IsOptional()(target, kind);
  IsArray()(target, kind);
  ArrayMaxSize(PERSON_CHANNELS.length * 2)(target, kind);
  IsIn(PERSON_CHANNELS, { each: true })(target, kind);
}

export class QuietHoursDto {
  @ApiProperty({ example: '21:00', description: 'Japan time, 24-hour clock' }) @Matches(HH_MM) start!: string;
  @ApiProperty({ example: '08:00', description: 'Earlier than start: the window runs over midnight' }) @Matches(HH_MM) end!: string;
}

export class NotificationPreferencesRequestDto {
  @ApiProperty({ type: NotificationChannelsDto, example: { match_reminder: ['inbox'], meeting_announced: [] } })
  @IsObject()
  @ValidateNested()
  @Type(() => NotificationChannelsDto)
  channels!: Partial<Record<(typeof NOTIFICATION_KINDS)[number], PersonChannel[]>>;

  @ApiPropertyOptional({ type: QuietHoursDto, nullable: true, description: 'null: no quiet hours; left out: the default (QUIET_HOURS)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto | null;
}

/** An SDC (by its ward) or a theme to follow: scheduled meetings there are announced. */
export class FollowRequestDto {
  @ApiProperty({ enum: ['sdc', 'theme'] }) @IsIn(['sdc', 'theme']) type!: 'sdc' | 'theme';
  @ApiPropertyOptional({ enum: WARDS, description: 'With type sdc' })
  @ValidateIf((body: FollowRequestDto) => body.type === 'sdc' || body.ward !== undefined)
  @IsIn(WARDS)
  ward?: Ward;
  @ApiPropertyOptional({ enum: THEMES, description: 'With type theme' })
  @ValidateIf((body: FollowRequestDto) => body.type === 'theme' || body.theme !== undefined)
  @IsIn(THEMES)
  theme?: Theme;
}
