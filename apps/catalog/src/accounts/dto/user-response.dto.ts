import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LANGUAGES, USER_ROLES } from '@app/db';
import type { Language, User, UserRole } from '@app/db';

export class UserResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  email: string;

  @ApiProperty()
  displayName: string;

  @ApiProperty({ enum: USER_ROLES })
  role: UserRole;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  institutionId: string | null;

  @ApiPropertyOptional({ nullable: true })
  regionCode: string | null;

  @ApiProperty({ enum: LANGUAGES })
  language: Language;

  @ApiProperty()
  createdAt: string;

  static from(user: User): UserResponseDto {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      institutionId: user.institutionId,
      regionCode: user.regionCode,
      language: user.language,
      createdAt: user.createdAt.toISOString(),
    };
  }
}

export class AccessTokenResponseDto {
  @ApiProperty({ description: 'JWT; send as "Authorization: Bearer <token>"' })
  accessToken: string;

  @ApiProperty({ example: 3600, description: 'Seconds until the token expires' })
  expiresIn: number;

  @ApiProperty({ type: UserResponseDto })
  user: UserResponseDto;
}
