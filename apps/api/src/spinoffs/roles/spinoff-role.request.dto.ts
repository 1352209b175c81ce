import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { MAX_ROLE_INVITATIONS } from '@tsunagi/spinoffs';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { IsOptionalNotNull } from '../../common/validators';
import { ScheduleDto } from '../../matching/opportunities/opportunity.request.dto';

/** A role the project needs people for: its opportunity (a volunteer role) is what volunteers are matched to. */
export class OpenSpinOffRoleRequestDto {
  @ApiProperty({ example: '調理スタッフ' }) @IsString() @Length(1, 200) title!: string;
  @ApiProperty({ example: '土曜の朝、調理と配膳を手伝ってください。' }) @IsString() @MaxLength(5000) description!: string;
  @ApiProperty({ minimum: 1, maximum: 1000 }) @IsInt() @Min(1) @Max(1000) places!: number;
  @ApiProperty({ example: ['調理'] }) @IsArray() @ArrayMaxSize(30) @IsString({ each: true }) @Length(1, 50, { each: true }) requiredSkills!: string[];
  @ApiPropertyOptional({ type: ScheduleDto }) @IsOptionalNotNull() @IsObject() @ValidateNested() @Type(() => ScheduleDto) schedule?: ScheduleDto;
}

/** `top` is only for a body without `personIds`: one way of choosing whom to invite per request. */
function IsAbsentWith(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAbsentWith',
      constraints: [other],
      validator: {
        validate: (value: unknown, args) => value === undefined || (args?.object as Record<string, unknown>)[other] === undefined,
        defaultMessage: () => `$property cannot be sent with ${other}`,
      },
    },
    options,
  );
}

/**
 * Whom to invite to an open role: the people the coordinator chose (say from the opportunity's suggestions), or the
 * `top` people the suggestions rank highest for the role's opportunity. One or the other.
 */
export class InviteToSpinOffRoleRequestDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_ROLE_INVITATIONS, description: 'People to invite, each once' })
  @ValidateIf((body: InviteToSpinOffRoleRequestDto) => body.top === undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ROLE_INVITATIONS)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  personIds?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ROLE_INVITATIONS, description: 'Invite the N people the suggestions rank highest for the role (instead of personIds)' })
  @ValidateIf((body: InviteToSpinOffRoleRequestDto) => body.personIds === undefined || body.top !== undefined)
  @IsAbsentWith('personIds')
  @IsInt()
  @Min(1)
  @Max(MAX_ROLE_INVITATIONS)
  top?: number;
}
