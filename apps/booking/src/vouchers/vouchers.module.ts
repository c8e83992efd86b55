import { Module } from '@nestjs/common';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { VoucherClaimsController } from './voucher-claims.controller';
import { VoucherClaimsService } from './voucher-claims.service';
import { VoucherExpiry } from './voucher-expiry';
import { VoucherGrantsService } from './voucher-grants.service';
import { VoucherPaymentsService } from './voucher-payments.service';
import { VoucherProgramsService } from './voucher-programs.service';
import { VouchersController } from './vouchers.controller';

/** Innovation vouchers: programs, grants, the ledger, paying bookings by voucher, expiry, providers' redemption claims. */
@Module({
  controllers: [VouchersController, VoucherClaimsController],
  providers: [VoucherClaimsService, VoucherProgramsService, VoucherGrantsService, VoucherPaymentsService, VoucherExpiry, BookingAccessPolicy],
  exports: [VoucherPaymentsService, VoucherExpiry],
})
export class VouchersModule {}
