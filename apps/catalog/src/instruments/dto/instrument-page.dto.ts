import { ApiProperty } from '@nestjs/swagger';
import { InstrumentSummaryDto } from './instrument-response.dto';

export class FacetBucketDto {
  @ApiProperty({ example: '010200' })
  code: string;

  @ApiProperty({ example: '质谱仪器' })
  nameZh: string;

  @ApiProperty({ example: 'Mass spectrometry', nullable: true })
  nameEn: string | null;

  @ApiProperty({ example: 412 })
  count: number;
}

export class InstrumentFacetsDto {
  @ApiProperty({
    type: [FacetBucketDto],
    description: 'Counts one level below the category filter (top level without one)',
  })
  category: FacetBucketDto[];

  @ApiProperty({
    type: [FacetBucketDto],
    description: 'Counts by city; by county when a city is filtered',
  })
  region: FacetBucketDto[];
}

export class InstrumentPageDto {
  @ApiProperty({ type: [InstrumentSummaryDto] })
  items: InstrumentSummaryDto[];

  @ApiProperty()
  total: number;

  @ApiProperty()
  page: number;

  @ApiProperty()
  pageSize: number;

  @ApiProperty({ type: InstrumentFacetsDto })
  facets: InstrumentFacetsDto;
}
