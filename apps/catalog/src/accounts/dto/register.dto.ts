import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { SELF_SERVICE_ROLES } from '@app/db';
import { CreateUserDto } from './create-user.dto';

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

/** The account fields of CreateUserDto, limited to the roles anyone may take, plus a new enterprise. */
export class RegisterDto extends PickType(CreateUserDto, ['email', 'password', 'displayName', 'institutionId', 'language'] as const) {
  @ApiProperty({ enum: SELF_SERVICE_ROLES, description: 'Other roles are created by admins' })
  @IsIn(SELF_SERVICE_ROLES)
  role: (typeof SELF_SERVICE_ROLES)[number];

  @ApiPropertyOptional({ type: NewEnterpriseDto, description: 'Firm members only: register a new enterprise instead of naming one' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NewEnterpriseDto)
  enterprise?: NewEnterpriseDto;
}
