import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { INSTITUTION_KINDS } from '@app/db';
import type { Institution, InstitutionKind } from '@app/db';

export class CreateInstitutionDto {
  @ApiProperty({ example: '浙江大学' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  nameZh: string;

  @ApiPropertyOptional({ example: 'Zhejiang University' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  nameEn?: string;

  @ApiProperty({ enum: INSTITUTION_KINDS })
  @IsIn(INSTITUTION_KINDS)
  kind: InstitutionKind;

  @ApiProperty({ example: '330106', description: 'County-level GB/T 2260 code' })
  @Matches(/^[0-9]{6}$/, { message: 'regionCode must be a six-digit GB/T 2260 code' })
  regionCode: string;

  @ApiPropertyOptional({ default: false, description: 'Enterprises only' })
  @IsOptional()
  @IsBoolean()
  isSmallMicro?: boolean;
}

export class UpdateInstitutionDto extends PartialType(CreateInstitutionDto) {}

export class ListInstitutionsQuery {
  @ApiPropertyOptional({ example: '330100', description: 'Province, city or county code' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'regionCode must be a six-digit GB/T 2260 code' })
  regionCode?: string;

  @ApiPropertyOptional({ enum: INSTITUTION_KINDS })
  @IsOptional()
  @IsIn(INSTITUTION_KINDS)
  kind?: InstitutionKind;

  @ApiPropertyOptional({ description: 'Part of the Chinese or English name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize = 50;
}

export class InstitutionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  nameZh: string;

  @ApiPropertyOptional({ nullable: true })
  nameEn: string | null;

  @ApiProperty({ enum: INSTITUTION_KINDS })
  kind: InstitutionKind;

  @ApiProperty()
  regionCode: string;

  @ApiProperty()
  isSmallMicro: boolean;

  static from(institution: Institution): InstitutionResponseDto {
    return {
      id: institution.id,
      nameZh: institution.nameZh,
      nameEn: institution.nameEn,
      kind: institution.kind,
      regionCode: institution.regionCode,
      isSmallMicro: institution.isSmallMicro,
    };
  }
}

export class InstitutionPageDto {
  @ApiProperty({ type: [InstitutionResponseDto] })
  items: InstitutionResponseDto[];

  @ApiProperty()
  total: number;

  @ApiProperty()
  page: number;

  @ApiProperty()
  pageSize: number;
}
