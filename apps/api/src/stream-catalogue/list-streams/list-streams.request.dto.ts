import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class ReadPositionRequestDto {
  @ApiPropertyOptional({ description: 'Wait (bounded) until the read model reflects at least this position, e.g. one a write returned.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

export class ListStreamsRequestDto extends ReadPositionRequestDto {
  @ApiPropertyOptional({ example: 'match' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.]{1,64}$/)
  category?: string;

  @ApiPropertyOptional({ description: 'Cursor: the last stream id of the previous page' })
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
