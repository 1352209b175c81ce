import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { HasAtMostTwoDecimals, IsCalendarDate } from '../../common/validators';
import { DECLINE_REASONS, DeclineReason, END_EARLY_REASONS, EndEarlyReason } from '@tsunagi/matching';

export class CandidateDto {
  @ApiProperty({ enum: ['person', 'organisation'] }) @IsIn(['person', 'organisation']) type!: 'person' | 'organisation';
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
}

export class ProposeMatchRequestDto {
  @ApiProperty({ type: CandidateDto }) @IsObject() @ValidateNested() @Type(() => CandidateDto) candidate!: CandidateDto;
  @ApiProperty({ example: '土曜の調理スタッフをお願いできませんか？' }) @IsString() @MaxLength(2000) message!: string;
}

export class ExpressInterestRequestDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) message?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'For collaborations: the organisation (one you represent) that is interested' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

export class DeclineMatchRequestDto {
  @ApiProperty({ enum: DECLINE_REASONS }) @IsIn(DECLINE_REASONS) reason!: DeclineReason;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) text?: string;
}

export class EndMatchEarlyRequestDto {
  @ApiProperty({ enum: END_EARLY_REASONS }) @IsIn(END_EARLY_REASONS) reason!: EndEarlyReason;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) text?: string;
}

export class LogHoursRequestDto {
  @ApiProperty({ example: '2026-05-02' }) @IsCalendarDate() date!: string;
  @ApiProperty({ example: 3, minimum: 0.25, maximum: 24 }) @HasAtMostTwoDecimals() @Min(0.25) @Max(24) hours!: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) note?: string;
}
