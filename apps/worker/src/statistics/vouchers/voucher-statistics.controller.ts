import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { csvReply } from '../csv';
import { VoucherStatisticsDto, VoucherStatisticsQuery } from './dto/voucher-statistics.dto';
import { VoucherStatisticsService } from './voucher-statistics.service';

@ApiTags('statistics')
@ApiBearerAuth()
@Controller('statistics')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED, STATISTICS_RANGE_* and STATISTICS_INVALID_DATE' })
@ApiForbiddenResponse({ type: ErrorResponseDto })
export class VoucherStatisticsController {
  constructor(private readonly vouchers: VoucherStatisticsService) {}

  @Get('vouchers')
  @Roles('department_staff', 'lab_manager', 'firm_member', 'admin')
  @ApiOperation({
    summary: 'Innovation vouchers (创新券) by program, issuing region, firm or provider: granted, used, expired, released, reserved, available, firms served, paid claims; progress towards the 2-billion-yuan target',
    description:
      'Money in fen. Movements are ledger entries of the period (days in China Standard Time); reserved and available are balances now. ' +
      'Department staff see the programs issued within their region, lab managers what their institution received as provider, firm members their own enterprise. ' +
      '?format=csv answers the rows as text/csv (yuan).',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: VoucherStatisticsDto })
  async figures(@CurrentUser() user: AuthUser, @Query() query: VoucherStatisticsQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<VoucherStatisticsDto | string> {
    const figures = await this.vouchers.figures(user, query);
    if (query.format !== 'csv') return figures;
    return csvReply(reply, `vouchers-${figures.groupBy}-${figures.from}-${figures.to}.csv`, this.vouchers.csv(figures));
  }
}
