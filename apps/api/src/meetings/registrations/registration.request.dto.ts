import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class RegisterForMeetingRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Whom to register: yourself when left out (volunteers register only themselves)' })
  @IsOptional()
  @IsUUID()
  personId?: string;
}

export class CheckInRequestDto {
  @ApiProperty({ format: 'uuid', description: 'A registered person or a walk-in (a first-timer is registered through POST /api/people first)' })
  @IsUUID()
  personId!: string;
}
