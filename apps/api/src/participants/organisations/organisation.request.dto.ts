import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { THEMES, Theme, WARDS, Ward } from '@tsunagi/domain';
import { ORGANISATION_TYPES, OrganisationType, REPRESENTATIVE_ROLES, RepresentativeRole } from '@tsunagi/participants';

export class RepresentativeDto {
  @ApiProperty({ format: 'uuid', description: 'The person who acts for the organisation' }) @IsUUID() personId!: string;
  @ApiProperty({ enum: REPRESENTATIVE_ROLES }) @IsIn(REPRESENTATIVE_ROLES) role!: RepresentativeRole;
}

/** Shapes and sizes only: the organisation decider normalises and answers 422 organisation.invalid for the rest. */
export class OrganisationProfileDto {
  @ApiProperty({ example: '中原まちづくりクラブ' }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ enum: ORGANISATION_TYPES }) @IsIn(ORGANISATION_TYPES) type!: OrganisationType;
  @ApiProperty({ enum: WARDS, isArray: true }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(WARDS.length * 2) @IsIn(WARDS, { each: true }) wardsServed!: Ward[];
  @ApiProperty({ enum: THEMES, isArray: true }) @IsArray() @ArrayMaxSize(THEMES.length * 2) @IsIn(THEMES, { each: true }) themes!: Theme[];
  @ApiProperty({ example: 'info@machi.example.jp' }) @IsString() @Length(3, 254) contactEmail!: string;
  @ApiProperty({ example: '月に一度の清掃活動。' }) @IsString() @MaxLength(5000) description!: string;
}

export class RegisterOrganisationRequestDto extends OrganisationProfileDto {
  @ApiPropertyOptional({ type: RepresentativeDto, description: 'A first representative, added in the same decision' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RepresentativeDto)
  representative?: RepresentativeDto;
}

/** Any subset of the profile. Null is refused. */
export class UpdateOrganisationRequestDto extends PartialType(OrganisationProfileDto, { skipNullProperties: false }) {}

export class AddRepresentativeRequestDto extends RepresentativeDto {}
