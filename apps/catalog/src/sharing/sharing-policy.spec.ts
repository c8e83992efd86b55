import { loadAppConfig } from '@app/config';
import { SharingPolicy } from './sharing-policy';

describe('SharingPolicy', () => {
  const policy = new SharingPolicy(loadAppConfig({}));

  it('requires external sharing from publicly funded instruments at or above 500,000 yuan', () => {
    expect(policy.mustShareExternally({ fundingSource: 'central_government', originalValueFen: 50_000_000 })).toBe(true);
    expect(policy.mustShareExternally({ fundingSource: 'local_government', originalValueFen: 90_000_000 })).toBe(true);
  });

  it('exempts cheaper and privately funded instruments', () => {
    expect(policy.mustShareExternally({ fundingSource: 'central_government', originalValueFen: 49_999_999 })).toBe(false);
    expect(policy.mustShareExternally({ fundingSource: 'own_funds', originalValueFen: 900_000_000 })).toBe(false);
  });

  it('follows the threshold setting', () => {
    const lower = new SharingPolicy(loadAppConfig({ SHARING_THRESHOLD_YUAN: '300000' }));
    expect(lower.mustShareExternally({ fundingSource: 'central_government', originalValueFen: 30_000_000 })).toBe(true);
  });
});
