import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { INSTANT } from '../../opening-rules/dto/opening-rules.dto';

export class GrantQualificationDto {
  @ApiProperty({ format: 'uuid', description: 'The trained user' })
  @IsUUID()
  userId: string;

  @ApiProperty({ example: '2027-12-31T23:59:59+08:00', description: 'The training expires at this instant' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'validUntil must be an ISO-8601 instant with a UTC offset' })
  validUntil: string;

  @ApiPropertyOptional({ maxLength: 500, example: '完成上机培训与考核' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class AcceptQualificationDto {
  @ApiProperty({ format: 'uuid', description: 'A qualification issued by another institution' })
  @IsUUID()
  qualificationId: string;
}

export class QualificationResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ format: 'uuid' })
  instrumentId: string;

  @ApiProperty({ example: '扫描电子显微镜' })
  instrumentNameZh: string;

  @ApiProperty({ example: '010102' })
  categoryCode: string;

  @ApiProperty({ format: 'uuid', description: 'The institution that trained the user (owner of the instrument)' })
  issuedByInstitutionId: string;

  @ApiProperty({ format: 'date-time' })
  validUntil: string;

  @ApiProperty({ format: 'date-time' })
  grantedAt: string;

  @ApiPropertyOptional({ format: 'date-time' })
  revokedAt?: string;

  @ApiProperty()
  note: string;

  @ApiProperty({ type: [String], description: 'Other institutions that accept it for their instruments of the same category' })
  acceptedBy: string[];
}
