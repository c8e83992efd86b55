import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { SummaryQuery } from './statistics-summary.dto';

/** The summary's range (from/to or period) and format, without its grouping. */
export class ServiceRecordsQuery extends OmitType(SummaryQuery, ['groupBy'] as const) {}

/** One completed service, with the fields the national platform's service record (服务记录) asks for. */
export class ServiceRecordDto {
  @ApiProperty({ format: 'uuid' })
  bookingId: string;

  @ApiProperty({ format: 'uuid' })
  instrumentId: string;

  @ApiProperty({ description: '仪器名称' })
  instrumentName: string;

  @ApiPropertyOptional({ description: '资产编号' })
  assetNumber: string | null;

  @ApiProperty({ example: '010102', description: '分类代码' })
  categoryCode: string;

  @ApiProperty({ example: '扫描电镜', description: '仪器分类' })
  categoryName: string;

  @ApiProperty({ description: '所属单位: the owner institution' })
  ownerInstitution: string;

  @ApiProperty({ example: '2026-03-28', description: '服务日期: local day of the check-in (or booked start), as the statistics count it' })
  serviceDate: string;

  @ApiPropertyOptional({ example: '2026-03-28 10:00', description: '开始时间: check-in, local time of the instrument' })
  startedAt: string | null;

  @ApiPropertyOptional({ example: '2026-03-28 11:00', description: '结束时间: check-out, local time' })
  endedAt: string | null;

  @ApiProperty({ enum: ['送样', '自测'], description: '服务方式: sample submission or self-operated' })
  serviceWay: '送样' | '自测';

  @ApiProperty({ enum: ['校内', '校外'], description: '校内/校外: user inside or outside the owner institution' })
  userScope: '校内' | '校外';

  @ApiPropertyOptional({ description: '用户单位: the user\'s institution' })
  userInstitution: string | null;

  @ApiPropertyOptional({ description: '样品数' })
  sampleCount: number | null;

  @ApiPropertyOptional({ description: '有效机时: check-in to check-out, hours with two decimals; null without both' })
  effectiveHours: number | null;

  @ApiProperty({ example: '300.00', description: '金额(元): final fee in yuan with two decimals' })
  amountYuan: string;

  @ApiProperty({ description: 'The same amount in fen' })
  amountFen: number;

  @ApiPropertyOptional({ description: '满意度: the user\'s rating 1-5; null if not rated' })
  rating: number | null;
}

export class ServiceRecordsDto {
  @ApiProperty({ example: '2026-01-01' })
  from: string;

  @ApiProperty({ example: '2026-03-31' })
  to: string;

  @ApiProperty({ type: [ServiceRecordDto], description: 'In order of service start' })
  rows: ServiceRecordDto[];
}
