import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { PageRequestDto } from '../../common/page.request.dto';

export class ListStreamsRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ example: 'match' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.]{1,64}$/)
  category?: string;
}
