import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUrl,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { THEMES, Theme } from '@tsunagi/domain';
import { IsCalendarDate } from '../../common/validators';
import { MAX_OCCURRENCES, RECURRENCE_FREQUENCIES, RecurrenceFrequency, isInstant } from '../meeting-time';

/** An ISO-8601 date-time with its offset (`2026-05-21T19:00:00+09:00`, or Z); stored in Tokyo time. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isInstant', validator: { validate: isInstant, defaultMessage: () => '$property must be an ISO-8601 date-time with an offset' } }, options);
}

const HTTPS_URL = { protocols: ['https'], require_protocol: true, require_tld: true };
export const MEETING_MODES = ['in_person', 'online', 'hybrid'] as const;
export const MAX_CAPACITY = 10_000;

/** Shared by the three modes, so that an unknown `mode` fails validation. */
export class MeetingFormatDto {
  @ApiProperty({ enum: MEETING_MODES }) @IsIn(MEETING_MODES) mode!: (typeof MEETING_MODES)[number];
}

export class InPersonFormatDto extends MeetingFormatDto {
  declare mode: 'in_person';
  @ApiProperty({ example: '中原市民館 第1会議室' }) @IsString() @Length(1, 200) venue!: string;
}

export class OnlineFormatDto extends MeetingFormatDto {
  declare mode: 'online';
  @ApiProperty({ example: 'https://meet.example.jp/yoriai', description: 'https only' }) @IsString() @MaxLength(2000) @IsUrl(HTTPS_URL) url!: string;
}

export class HybridFormatDto extends MeetingFormatDto {
  declare mode: 'hybrid';
  @ApiProperty({ example: '中原市民館 第1会議室' }) @IsString() @Length(1, 200) venue!: string;
  @ApiProperty({ example: 'https://meet.example.jp/yoriai', description: 'https only' }) @IsString() @MaxLength(2000) @IsUrl(HTTPS_URL) url!: string;
}

const FORMAT_TYPE = {
  discriminator: {
    property: 'mode',
    subTypes: [
      { value: InPersonFormatDto, name: 'in_person' },
      { value: OnlineFormatDto, name: 'online' },
      { value: HybridFormatDto, name: 'hybrid' },
    ],
  },
  keepDiscriminatorProperty: true,
};
const FORMAT_SCHEMA = { oneOf: [{ $ref: getSchemaPath(InPersonFormatDto) }, { $ref: getSchemaPath(OnlineFormatDto) }, { $ref: getSchemaPath(HybridFormatDto) }] };
export type FormatDto = InPersonFormatDto | OnlineFormatDto | HybridFormatDto;

/** Shapes and sizes only: the meeting decider answers 422 meeting.invalid for the rest (a title NFKC empties, a capacity of 0). */
export class ProposeMeetingRequestDto {
  @ApiProperty({ example: 'YORIAI 5月' }) @IsString() @Length(1, 200) title!: string;
  @ApiProperty({ enum: THEMES, isArray: true }) @IsArray() @ArrayMaxSize(THEMES.length * 2) @IsIn(THEMES, { each: true }) themes!: Theme[];
  @ApiProperty({ example: '地域の困りごとを話そう' }) @IsString() @MaxLength(5000) purpose!: string;
  @ApiProperty({ example: ['2026-05-21'], description: 'Up to 10 dates, YYYY-MM-DD (Asia/Tokyo)' })
  @IsArray()
  @ArrayMaxSize(10)
  @IsCalendarDate({ each: true })
  preferredDates!: string[];
  @ApiProperty(FORMAT_SCHEMA) @IsObject() @ValidateNested() @Type(() => MeetingFormatDto, FORMAT_TYPE) format!: FormatDto;
  @ApiProperty({ minimum: 1, maximum: MAX_CAPACITY, example: 30 }) @IsInt() @Min(1) @Max(MAX_CAPACITY) capacity!: number;
  @ApiProperty() @IsBoolean() newcomersWelcome!: boolean;
}

export class MeetingTimesDto {
  @ApiProperty({ example: '2026-05-21T19:00:00+09:00', description: 'ISO-8601 with an offset; answered in Tokyo time (+09:00)' }) @IsString() @IsInstant() startsAt!: string;
  @ApiProperty({ example: '2026-05-21T21:00:00+09:00', description: 'After startsAt' }) @IsString() @IsInstant() endsAt!: string;
}

/** When, how and for how many: approving a proposal, or scheduling a new meeting. */
export class MeetingScheduleRequestDto extends MeetingTimesDto {
  @ApiProperty(FORMAT_SCHEMA) @IsObject() @ValidateNested() @Type(() => MeetingFormatDto, FORMAT_TYPE) format!: FormatDto;
  @ApiProperty({ minimum: 1, maximum: MAX_CAPACITY, example: 30 }) @IsInt() @Min(1) @Max(MAX_CAPACITY) capacity!: number;
}

export class ScheduleNewMeetingRequestDto extends ProposeMeetingRequestDto {
  @ApiProperty({ type: MeetingScheduleRequestDto }) @IsObject() @ValidateNested() @Type(() => MeetingScheduleRequestDto) schedule!: MeetingScheduleRequestDto;
}

export class RecurrenceDto {
  @ApiProperty({ enum: RECURRENCE_FREQUENCIES, description: 'monthly_by_weekday: the same weekday of the same week as the first (the 3rd Thursday)' })
  @IsIn(RECURRENCE_FREQUENCIES)
  frequency!: RecurrenceFrequency;
  @ApiProperty({ minimum: 1, maximum: MAX_OCCURRENCES, example: 3 }) @IsInt() @Min(1) @Max(MAX_OCCURRENCES) count!: number;
}

/** A repeating meeting: the proposal, the first occurrence's times, and how it repeats; format and capacity are the proposal's. */
export class ScheduleMeetingSeriesRequestDto extends ProposeMeetingRequestDto {
  @ApiProperty({ type: MeetingTimesDto }) @IsObject() @ValidateNested() @Type(() => MeetingTimesDto) first!: MeetingTimesDto;
  @ApiProperty({ type: RecurrenceDto }) @IsObject() @ValidateNested() @Type(() => RecurrenceDto) recurrence!: RecurrenceDto;
}

export class RescheduleMeetingRequestDto extends MeetingScheduleRequestDto {
  @ApiProperty({ example: '会場の変更' }) @IsString() @Length(1, 500) reason!: string;
}

/** Rejecting a proposal or cancelling a meeting: the reason is required. */
export class RequiredReasonRequestDto {
  @ApiProperty({ example: '台風のため' }) @IsString() @Length(1, 500) reason!: string;
}

export const OUTCOME_KINDS = ['idea', 'decision', 'action'] as const;

export class OutcomeDto {
  @ApiProperty({ enum: OUTCOME_KINDS }) @IsIn(OUTCOME_KINDS) kind!: (typeof OUTCOME_KINDS)[number];
  @ApiProperty({ example: '子ども食堂を始めたい' }) @IsString() @Length(1, 2000) text!: string;
}

export class CloseMeetingRequestDto {
  @ApiProperty({ example: '参加者で地域の困りごとを共有した。' }) @IsString() @MaxLength(20_000) minutes!: string;
  @ApiProperty({ example: ['活動紹介: なかはら子ども食堂'] }) @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @Length(1, 500, { each: true }) contributions!: string[];
  @ApiProperty({ type: [OutcomeDto], description: 'The server assigns each an outcomeId, so spin-offs can cite it' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OutcomeDto)
  outcomes!: OutcomeDto[];
  @ApiProperty({ minimum: 0, maximum: MAX_CAPACITY, description: 'People who came without checking in' }) @IsInt() @Min(0) @Max(MAX_CAPACITY) anonymousAttendees!: number;
}

