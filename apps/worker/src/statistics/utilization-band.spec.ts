import { loadAppConfig } from '@app/config';
import { utilizationBand, utilizationBandPolicyOf } from './utilization-band';

describe('utilizationBand', () => {
  const policy = utilizationBandPolicyOf(loadAppConfig({}));

  it('bands effective against rated hours: low < 30%, medium 30-70%, high > 70%', () => {
    expect(policy).toEqual({ medium: 0.3, high: 0.7, fullyBookedHours: 1200 });
    expect([0, 419, 420, 980, 981].map((hours) => utilizationBand(hours, 1400, policy))).toEqual(['low', 'low', 'medium', 'medium', 'high']);
  });

  it('calls 1,200 effective hours fully booked, whatever the rated hours', () => {
    expect(utilizationBand(1199, 1400, policy)).toBe('high');
    expect(utilizationBand(1200, 1400, policy)).toBe('fully_booked');
    expect(utilizationBand(1200, 800, policy)).toBe('fully_booked');
  });
});
