import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsObject,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { THEMES, WARDS, Theme, Ward } from '@tsunagi/domain';
import { IsCalendarDate, IsOptionalNotNull } from '../../common/validators';
import { COLLABORATION_RESOURCES, DAY_KINDS, OPPORTUNITY_KINDS, PROFESSIONS, TIME_BANDS } from '@tsunagi/matching';


export class ScheduleDto {
  @ApiPropertyOptional({ example: '2026-05-01' }) @IsOptional() @IsCalendarDate() startsOn?: string;
  @ApiPropertyOptional({ example: '2026-09-30' }) @IsOptional() @IsCalendarDate() endsOn?: string;
  @ApiPropertyOptional({ enum: DAY_KINDS, isArray: true }) @IsOptional() @IsArray() @IsIn(DAY_KINDS, { each: true }) days?: (typeof DAY_KINDS)[number][];
  @ApiPropertyOptional({ enum: TIME_BANDS, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(TIME_BANDS, { each: true })
  timeBands?: (typeof TIME_BANDS)[number][];
  @ApiPropertyOptional({ example: '毎週土曜 10:00–13:00' }) @IsOptional() @IsString() @MaxLength(500) note?: string;
}

/** Shared by the three kinds, so that an unknown `kind` fails validation. */
export class OpportunityDetailsDto {
  @ApiProperty({ enum: OPPORTUNITY_KINDS }) @IsIn(OPPORTUNITY_KINDS) kind!: (typeof OPPORTUNITY_KINDS)[number];
}

const skillTags = () => [IsArray(), ArrayMaxSize(30), IsString({ each: true }), Length(1, 50, { each: true })];
function SkillTags(): PropertyDecorator {
  return (target, key) => skillTags().forEach((decorate) => decorate(target, key));
}

export class VolunteerRoleDetailsDto extends OpportunityDetailsDto {
  declare kind: 'volunteer_role';
  @ApiProperty({ minimum: 1, maximum: 1000 }) @IsInt() @Min(1) @Max(1000) places!: number;
  @ApiProperty({ type: ScheduleDto }) @IsObject() @ValidateNested() @Type(() => ScheduleDto) schedule!: ScheduleDto;
  @ApiProperty({ example: ['調理', 'cooking'] }) @SkillTags() requiredSkills!: string[];
  @ApiProperty({ example: ['衛生管理'] }) @SkillTags() optionalSkills!: string[];
}

export class ProBonoProjectDetailsDto extends OpportunityDetailsDto {
  declare kind: 'pro_bono_project';
  @ApiProperty() @IsString() @Length(1, 1000) deliverable!: string;
  @ApiProperty({ minimum: 1, maximum: 50 }) @IsInt() @Min(1) @Max(50) teamSize!: number;
  @ApiProperty({ minimum: 1, maximum: 104 }) @IsInt() @Min(1) @Max(104) durationWeeks!: number;
  @ApiProperty({ minimum: 1, maximum: 60 }) @IsInt() @Min(1) @Max(60) hoursPerWeek!: number;
  @ApiProperty({ enum: PROFESSIONS, isArray: true }) @IsArray() @ArrayMaxSize(10) @IsIn(PROFESSIONS, { each: true }) professions!: (typeof PROFESSIONS)[number][];
}

export class CollaborationDetailsDto extends OpportunityDetailsDto {
  declare kind: 'collaboration';
  @ApiProperty({ enum: ['offered', 'sought'] }) @IsIn(['offered', 'sought']) direction!: 'offered' | 'sought';
  @ApiProperty({ enum: COLLABORATION_RESOURCES, isArray: true })
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn(COLLABORATION_RESOURCES, { each: true })
  resources!: (typeof COLLABORATION_RESOURCES)[number][];
  @ApiProperty({ minimum: 1, maximum: 20 }) @IsInt() @Min(1) @Max(20) places!: number;
}

const DETAILS_TYPE = {
  discriminator: {
    property: 'kind',
    subTypes: [
      { value: VolunteerRoleDetailsDto, name: 'volunteer_role' },
      { value: ProBonoProjectDetailsDto, name: 'pro_bono_project' },
      { value: CollaborationDetailsDto, name: 'collaboration' },
    ],
  },
  keepDiscriminatorProperty: true,
};
const DETAILS_SCHEMA = {
  oneOf: [
    { $ref: getSchemaPath(VolunteerRoleDetailsDto) },
    { $ref: getSchemaPath(ProBonoProjectDetailsDto) },
    { $ref: getSchemaPath(CollaborationDetailsDto) },
  ],
};
export type DetailsDto = VolunteerRoleDetailsDto | ProBonoProjectDetailsDto | CollaborationDetailsDto;

export class OpenOpportunityRequestDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() organisationId!: string;
  @ApiProperty({ example: '子ども食堂の調理スタッフ' }) @IsString() @Length(1, 200) title!: string;
  @ApiProperty() @IsString() @MaxLength(5000) description!: string;
  @ApiProperty({ enum: WARDS }) @IsIn(WARDS) ward!: Ward;
  @ApiProperty({ enum: THEMES, isArray: true }) @IsArray() @ArrayMaxSize(12) @IsIn(THEMES, { each: true }) themes!: Theme[];
  @ApiProperty(DETAILS_SCHEMA) @IsObject() @ValidateNested() @Type(() => OpportunityDetailsDto, DETAILS_TYPE) details!: DetailsDto;
}

export class UpdateOpportunityRequestDto {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @MaxLength(5000) description?: string;
  // null is not "unchanged": an explicit null must be refused (400), not reach the command as a value.
  @ApiPropertyOptional({ enum: WARDS }) @IsOptionalNotNull() @IsIn(WARDS) ward?: Ward;
  @ApiPropertyOptional({ enum: THEMES, isArray: true }) @IsOptionalNotNull() @IsArray() @ArrayMaxSize(12) @IsIn(THEMES, { each: true }) themes?: Theme[];
  @ApiPropertyOptional(DETAILS_SCHEMA) @IsOptionalNotNull() @IsObject() @ValidateNested() @Type(() => OpportunityDetailsDto, DETAILS_TYPE) details?: DetailsDto;
}

