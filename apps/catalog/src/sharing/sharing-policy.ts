import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { PUBLIC_FUNDING_SOURCES } from '@app/db';
import type { FundingSource } from '@app/db';

/**
 * The national rule: instruments bought with public money and worth at least the threshold
 * (setting SHARING_THRESHOLD_YUAN, default 500,000 yuan) must be open for outside use.
 */
@Injectable()
export class SharingPolicy {
  constructor(private readonly config: AppConfig) {}

  get thresholdFen(): number {
    return this.config.sharingThresholdFen;
  }

  mustShareExternally(instrument: { fundingSource: FundingSource; originalValueFen: number }): boolean {
    return PUBLIC_FUNDING_SOURCES.includes(instrument.fundingSource) && instrument.originalValueFen >= this.thresholdFen;
  }
}
