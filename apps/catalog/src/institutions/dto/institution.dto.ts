import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '@app/common';
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

export class ListInstitutionsQuery extends PageQuery {
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
