import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { LANGUAGES, USER_ROLES } from '@app/db';
import type { Language, UserRole } from '@app/db';

/** Admins create any account, including lab managers, department staff and other admins. */
export class CreateUserDto {
  @ApiProperty()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10, maxLength: 128 })
  @IsString()
  @MinLength(10)
  @MaxLength(128)
  password: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  displayName: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role: UserRole;

  @ApiPropertyOptional({ description: 'Required for researchers, firm members and lab managers' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;

  @ApiPropertyOptional({ example: '330100', description: 'Required for department staff: a province, city or county code' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'regionCode must be a six-digit GB/T 2260 code' })
  regionCode?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'zh' })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;
}
