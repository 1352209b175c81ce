import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ReadPositionRequestDto {
  @ApiPropertyOptional({ description: 'Wait (bounded) until the read model reflects at least this position, e.g. one a write returned.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

/** Cursor pagination: `after` is the `nextCursor` of the previous page. */
export class PageRequestDto extends ReadPositionRequestDto {
  @ApiPropertyOptional({ description: 'Cursor: nextCursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  after?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;
}

/** Fetches one more than asked, to know whether there is a next page without counting. */
export function page<T>(rows: T[], limit: number, cursorOf: (row: T) => string) {
  const items = rows.slice(0, limit);
  return { items, ...(rows.length > limit ? { nextCursor: cursorOf(items[items.length - 1]) } : {}) };
}
