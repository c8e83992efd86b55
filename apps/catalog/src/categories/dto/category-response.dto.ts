import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { InstrumentCategory } from '@app/db';

export class CategoryResponseDto {
  @ApiProperty({ example: '010200' })
  code: string;

  @ApiProperty({ example: '质谱仪器' })
  nameZh: string;

  @ApiProperty({ example: 'Mass spectrometry' })
  nameEn: string;

  @ApiProperty({ enum: [1, 2, 3] })
  level: number;

  @ApiPropertyOptional({ nullable: true, example: '010000' })
  parentCode: string | null;

  @ApiPropertyOptional({ type: () => [CategoryResponseDto], description: 'Present in the tree view' })
  children?: CategoryResponseDto[];

  static from(category: InstrumentCategory): CategoryResponseDto {
    return {
      code: category.code,
      nameZh: category.nameZh,
      nameEn: category.nameEn,
      level: category.level,
      parentCode: category.parentCode,
    };
  }
}
