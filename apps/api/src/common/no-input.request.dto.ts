import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * For commands that take no input: any field is refused. An empty class would refuse `{}` too (with
 * forbidUnknownValues, class-validator rejects an object whose class has no rules), so it has one rule that no
 * value passes.
 */
export class NoInputRequestDto {
  @IsOptional() @IsIn([]) readonly none?: never;
}

/** Closing, pausing, withdrawing, deactivating: an optional free-text reason. */
export class ReasonRequestDto {
  @ApiPropertyOptional({ example: '引っ越しのため' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}
