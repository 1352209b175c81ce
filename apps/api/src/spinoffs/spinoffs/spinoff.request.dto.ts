import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { THEMES, Theme, WARDS, Ward } from '@tsunagi/domain';
import { EXIT_STRATEGIES, ExitStrategy, MEMBER_ROLES, MemberRole } from '@tsunagi/spinoffs';
import { IsCalendarDate, IsOptionalNotNull } from '../../common/validators';

/** A spin-off comes from at most this many meeting outcomes. */
export const MAX_ORIGINS = 10;

/** Shapes and sizes only: the spin-off decider normalises (NFKC, sets in list order) and answers 422 spinoff.invalid for the rest. */
export class MeetingOutcomeRefDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() meetingId!: string;
  @ApiProperty({ description: 'An outcomeId the meeting closed with' }) @IsString() @Length(1, 100) outcomeId!: string;
}

export class ProposeSpinOffRequestDto {
  @ApiProperty({ type: [MeetingOutcomeRefDto], description: `1 to ${MAX_ORIGINS} outcomes of closed meetings, each once` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORIGINS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => MeetingOutcomeRefDto)
  origins!: MeetingOutcomeRefDto[];
  @ApiProperty({ example: '中原こども食堂' }) @IsString() @Length(1, 200) title!: string;
  @ApiProperty({ example: '土曜の朝、保護者が運営する子ども食堂' }) @IsString() @Length(1, 5000) purpose!: string;
  @ApiProperty({ enum: WARDS, isArray: true }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(WARDS.length * 2) @IsIn(WARDS, { each: true }) wards!: Ward[];
  @ApiProperty({ enum: THEMES, isArray: true }) @IsArray() @ArrayMaxSize(THEMES.length * 2) @IsIn(THEMES, { each: true }) themes!: Theme[];
  @ApiProperty({ description: 'Person ids of the residents who start it; they become its first organisers. A volunteer proposes as one of them.', example: ['0190f2a4-0000-7000-8000-000000000001'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  initiators!: string[];
}

export class CloseSpinOffRequestDto {
  @ApiProperty({ example: '担い手不足のため' }) @IsString() @Length(1, 500) reason!: string;
}

export class CompleteSpinOffRequestDto {
  @ApiPropertyOptional({ example: '保護者会の自主運営に移行した' }) @IsOptional() @IsString() @MaxLength(5000) summary?: string;
}

export class JoinSpinOffRequestDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() personId!: string;
  @ApiProperty({ enum: MEMBER_ROLES, description: 'Only an organiser or a coordinator makes someone an organiser' }) @IsIn(MEMBER_ROLES) role!: MemberRole;
}

export class AddMilestoneRequestDto {
  @ApiProperty({ example: '会場を決める' }) @IsString() @Length(1, 200) title!: string;
  @ApiPropertyOptional({ example: '2026-06-30', description: 'YYYY-MM-DD (Asia/Tokyo)' }) @IsOptionalNotNull() @IsCalendarDate() dueOn?: string;
}

export class ChooseExitStrategyRequestDto {
  @ApiProperty({ enum: EXIT_STRATEGIES }) @IsIn(EXIT_STRATEGIES) strategy!: ExitStrategy;
  @ApiPropertyOptional({ example: '区の事業として続ける' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}
