import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { WEBHOOK_DESCRIPTION_MAX_LENGTH, WEBHOOK_URL_MAX_LENGTH } from '@tsunagi/notifications';
import { PageRequestDto } from '../common/page.request.dto';

export class RegisterWebhookRequestDto {
  @ApiProperty({ example: 'https://hooks.example.org/tsunagi', description: 'https only (http in tests); a public address: loopback, private, link-local and metadata addresses are refused' })
  @IsString()
  @MinLength(8)
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  url!: string;

  @ApiPropertyOptional({ example: '会員管理システム' })
  @IsOptional()
  @IsString()
  @MaxLength(WEBHOOK_DESCRIPTION_MAX_LENGTH)
  description?: string;
}

export class ListWebhooksRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ description: 'Cursor: nextCursor from the previous page' })
  @IsOptional()
  @Matches(/^[0-9]{1,15}$/)
  override after?: string = undefined;
}
