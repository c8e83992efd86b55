import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UTILIZATION_BANDS } from '../utilization-band';
import type { UtilizationBand } from '../utilization-band';

/** What buyers see of an instrument's last 12 months: bands and rates, never exact hours or fees. */
export class InstrumentPerformanceDto {
  @ApiProperty({ format: 'uuid' })
  instrumentId: string;

  @ApiProperty({ example: '2025-04-02', description: 'First local day of the window (12 months before today)' })
  from: string;

  @ApiProperty({ example: '2026-04-01', description: 'Last local day of the window (yesterday)' })
  to: string;

  @ApiProperty({
    enum: UTILIZATION_BANDS,
    description:
      'Effective hours against the yearly rated hours: low < 30%, medium 30-70%, high > 70% (PERFORMANCE_*_UTILIZATION_PERCENT); ' +
      'fully_booked at >= FULLY_BOOKED_HOURS (1,200) effective hours',
  })
  utilizationBand: UtilizationBand;

  @ApiPropertyOptional({ description: 'Median hours from request to approval or rejection, one decimal; null without decisions' })
  medianApprovalHours: number | null;

  @ApiProperty({ description: 'Requests approved or rejected by staff in the window' })
  decisions: number;

  @ApiPropertyOptional({
    description:
      'completed / (completed + no-shows + late cancellations by the user (within FREE_CANCELLATION_HOURS of the start) + cancellations by the provider), ' +
      'over bookings starting in the window; null without any',
  })
  completionRate: number | null;

  @ApiProperty({ description: 'Bookings in the denominator of completionRate' })
  settledBookings: number;

  @ApiPropertyOptional({ description: 'Average rating 1-5, two decimals; null without ratings' })
  averageRating: number | null;

  @ApiProperty()
  ratingCount: number;
}
