import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LANGUAGES, SELF_SERVICE_ROLES } from '@app/db';
import type { Language } from '@app/db';

/** A firm that is not in the marketplace yet, registered together with its first member. */
export class NewEnterpriseDto {
  @ApiProperty({ example: '杭州微光检测科技有限公司' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  nameZh: string;

  @ApiPropertyOptional({ example: 'Hangzhou Weiguang Testing Technology Co., Ltd.' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  nameEn?: string;

  @ApiProperty({ example: '330106', description: 'County-level GB/T 2260 code (see GET /regions)' })
  @Matches(/^[0-9]{6}$/, { message: 'regionCode must be a six-digit GB/T 2260 code' })
  regionCode: string;

  @ApiProperty({ description: 'Small or micro enterprise (voucher eligibility, verified by staff)' })
  @IsBoolean()
  isSmallMicro: boolean;
}

export class RegisterDto {
  @ApiProperty({ example: 'li.wei@zju.example' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10, maxLength: 128 })
  @IsString()
  @MinLength(10)
  @MaxLength(128)
  password: string;

  @ApiProperty({ example: '李伟' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  displayName: string;

  @ApiProperty({ enum: SELF_SERVICE_ROLES, description: 'Other roles are created by admins' })
  @IsIn(SELF_SERVICE_ROLES)
  role: (typeof SELF_SERVICE_ROLES)[number];

  @ApiPropertyOptional({ description: 'The institution (researchers) or enterprise (firm members) the user belongs to' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;

  @ApiPropertyOptional({ type: NewEnterpriseDto, description: 'Firm members only: register a new enterprise instead of naming one' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NewEnterpriseDto)
  enterprise?: NewEnterpriseDto;

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'zh' })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;
}
