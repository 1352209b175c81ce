import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { THEMES, WARDS } from '@tsunagi/domain';
import { PageRequestDto } from '../../common/page.request.dto';

export class SuggestionsRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ enum: WARDS, description: 'Candidates of this ward (for a person: opportunities in this ward)' }) @IsOptional() @IsIn(WARDS) ward?: string;
  @ApiPropertyOptional({ description: 'Candidates with this skill (for a person: opportunities asking for it); 料理, 調理 and cooking are the same' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  skill?: string;
  @ApiPropertyOptional({ enum: THEMES }) @IsOptional() @IsIn(THEMES) theme?: string;
}
