import { HasAtMostTwoDecimals } from '../../common/validators';
import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNumber, IsObject, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { THEMES, Theme, WARDS, Ward } from '@tsunagi/domain';
import { DAY_KINDS, PROFESSIONS, TIME_BANDS } from '@tsunagi/matching';
import { LANGUAGES, MAX_HOURS_PER_MONTH, MESSAGE_LANGUAGES, MessageLanguage, SpokenLanguage } from '@tsunagi/participants';

/**
 * Shapes and sizes only: the person decider normalises (NFKC, lower-cased e-mail, de-duplicated sets) and
 * answers 422 person.invalid for what only the normalised form shows (an e-mail, a name NFKC empties,
 * a pro-bono offer without a profession).
 */
export class AvailabilityDto {
  @ApiProperty({ enum: DAY_KINDS, isArray: true }) @IsArray() @ArrayMaxSize(DAY_KINDS.length * 2) @IsIn(DAY_KINDS, { each: true }) days!: (typeof DAY_KINDS)[number][];
  @ApiProperty({ enum: TIME_BANDS, isArray: true })
  @IsArray()
  @ArrayMaxSize(TIME_BANDS.length * 2)
  @IsIn(TIME_BANDS, { each: true })
  timeBands!: (typeof TIME_BANDS)[number][];
  @ApiProperty({ minimum: 0, maximum: MAX_HOURS_PER_MONTH, example: 8 })
  @HasAtMostTwoDecimals()
  @Min(0)
  @Max(MAX_HOURS_PER_MONTH)
  hoursPerMonth!: number;
}

export class ProBonoDto {
  @ApiProperty() @IsBoolean() offers!: boolean;
  @ApiProperty({ enum: PROFESSIONS, isArray: true, description: 'At least one when offers is true' })
  @IsArray()
  @ArrayMaxSize(PROFESSIONS.length * 2)
  @IsIn(PROFESSIONS, { each: true })
  professions!: (typeof PROFESSIONS)[number][];
}

export class ConsentsDto {
  @ApiProperty({ description: 'Coordinators may see the contact e-mail' }) @IsBoolean() mayBeContacted!: boolean;
  @ApiProperty({ description: 'Coordinators of other wards may find this person' }) @IsBoolean() visibleToOtherWards!: boolean;
}

export class PersonProfileDto {
  @ApiProperty({ example: '川崎 花子' }) @IsString() @Length(1, 100) displayName!: string;
  @ApiProperty({ example: 'hanako@example.jp' }) @IsString() @Length(3, 254) contactEmail!: string;
  @ApiProperty({ enum: WARDS }) @IsIn(WARDS) ward!: Ward;
  @ApiProperty({ example: ['調理', 'IT'], description: 'Free tags; ＩＴ and IT are the same' })
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  skills!: string[];
  @ApiProperty({ enum: THEMES, isArray: true }) @IsArray() @ArrayMaxSize(THEMES.length * 2) @IsIn(THEMES, { each: true }) themes!: Theme[];
  @ApiProperty({ type: AvailabilityDto }) @IsObject() @ValidateNested() @Type(() => AvailabilityDto) availability!: AvailabilityDto;
  @ApiProperty({ enum: LANGUAGES, isArray: true }) @IsArray() @ArrayMaxSize(LANGUAGES.length * 2) @IsIn(LANGUAGES, { each: true }) languages!: SpokenLanguage[];
  @ApiProperty({ type: ProBonoDto }) @IsObject() @ValidateNested() @Type(() => ProBonoDto) proBono!: ProBonoDto;
  @ApiProperty({ enum: MESSAGE_LANGUAGES }) @IsIn(MESSAGE_LANGUAGES) preferredLanguage!: MessageLanguage;
  @ApiProperty({ type: ConsentsDto }) @IsObject() @ValidateNested() @Type(() => ConsentsDto) consents!: ConsentsDto;
}

export class RegisterPersonRequestDto extends PersonProfileDto {}

/** Any subset of the profile; nested values (availability, proBono, consents) are replaced whole. Null is refused. */
export class UpdatePersonRequestDto extends PartialType(PersonProfileDto, { skipNullProperties: false }) {}
