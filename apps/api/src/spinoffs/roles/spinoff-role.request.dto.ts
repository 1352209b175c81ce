import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsString, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
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
