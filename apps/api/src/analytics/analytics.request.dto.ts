import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { WARDS } from '@tsunagi/domain';
import { ReadPositionRequestDto } from '../common/page.request.dto';
import { IsCalendarDate } from '../common/validators';

/** The slice and period of an analyst's question; every field optional (citywide, the last twelve months, as of today). */
export class AnalyticsFilterRequestDto extends ReadPositionRequestDto {
  @ApiPropertyOptional({ enum: WARDS, description: "People by the ward they registered in, opportunities by theirs, meetings by their SDC" })
  @IsOptional()
  @IsIn(WARDS)
  ward?: string;

  @ApiPropertyOptional({ enum: WARDS, description: 'The SDC, named by its ward (one per ward): the same filter as ward' })
  @IsOptional()
  @IsIn(WARDS)
  sdc?: string;

  @ApiPropertyOptional({ description: 'First day of the period (YYYY-MM-DD, Tokyo); default: the first of the month eleven months before `to`' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ description: 'Last day of the period; default: asOf' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ description: 'Answer as the history stood at the end of this day; default: today' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class FunnelRequestDto extends AnalyticsFilterRequestDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: UTF-8 with BOM, CRLF, headers by Accept-Language, small counts suppressed' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class IndicatorsRequestDto extends FunnelRequestDto {
  @ApiPropertyOptional({ enum: ['month'], description: 'One answer per calendar month of the period' })
  @IsOptional()
  @IsIn(['month'])
  groupBy?: 'month';
}
