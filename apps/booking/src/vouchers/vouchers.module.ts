import { Module } from '@nestjs/common';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { VoucherExpiry } from './voucher-expiry';
import { VoucherGrantsService } from './voucher-grants.service';
import { VoucherPaymentsService } from './voucher-payments.service';
import { VoucherProgramsService } from './voucher-programs.service';
import { VouchersController } from './vouchers.controller';

/** Innovation vouchers: programs, grants, the ledger, paying bookings by voucher, expiry. */
@Module({
  controllers: [VouchersController],
  providers: [VoucherProgramsService, VoucherGrantsService, VoucherPaymentsService, VoucherExpiry, BookingAccessPolicy],
  exports: [VoucherPaymentsService, VoucherExpiry],
})
export class VouchersModule {}
