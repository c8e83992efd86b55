import { InitialCatalog1764100000000 } from './1764100000000-initial-catalog';
import { SearchChangeTracking1764200000000 } from './1764200000000-search-change-tracking';
import { Booking1764300000000 } from './1764300000000-booking';
import { Notifications1764400000000 } from './1764400000000-notifications';
import { Statistics1764500000000 } from './1764500000000-statistics';
import { Waitlist1764600000000 } from './1764600000000-waitlist';
import { StatisticsPerformance1764700000000 } from './1764700000000-statistics-performance';
import { Vouchers1764800000000 } from './1764800000000-vouchers';
import { VoucherIndividuals1764900000000 } from './1764900000000-voucher-individuals';
import { BusyTimeChanges1765000000000 } from './1765000000000-busy-time-changes';
import { StatisticsByMonth1765100000000 } from './1765100000000-statistics-by-month';
import { BusyTimeDeltas1765200000000 } from './1765200000000-busy-time-deltas';

/** The one migration history, in order. Listed explicitly so compiled and ts-jest runs load the same set. */
export const MIGRATIONS = [InitialCatalog1764100000000, SearchChangeTracking1764200000000, Booking1764300000000, Notifications1764400000000, Statistics1764500000000, Waitlist1764600000000, StatisticsPerformance1764700000000, Vouchers1764800000000, VoucherIndividuals1764900000000, BusyTimeChanges1765000000000, StatisticsByMonth1765100000000, BusyTimeDeltas1765200000000];
