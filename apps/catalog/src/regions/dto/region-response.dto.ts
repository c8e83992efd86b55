import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REGION_LEVELS } from '@app/db';
import type { Region, RegionLevel } from '@app/db';

export class RegionResponseDto {
  @ApiProperty({ example: '330100' })
  code: string;

  @ApiProperty({ example: '杭州市' })
  name: string;

  @ApiProperty({ enum: REGION_LEVELS })
  level: RegionLevel;

  @ApiPropertyOptional({ nullable: true, example: '330000' })
  parentCode: string | null;

  static from(region: Region): RegionResponseDto {
    return { code: region.code, name: region.name, level: region.level, parentCode: region.parentCode };
  }
}

export class RegionDetailResponseDto extends RegionResponseDto {
  @ApiProperty({ type: [RegionResponseDto], description: 'From the province down to the parent' })
  ancestors: RegionResponseDto[];

  @ApiProperty({ type: [RegionResponseDto] })
  children: RegionResponseDto[];
}
