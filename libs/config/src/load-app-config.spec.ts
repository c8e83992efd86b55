import { ConfigError } from './config-error';
import { loadAppConfig } from './load-app-config';

describe('loadAppConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadAppConfig({});
    expect(config.DATABASE_POOL_SIZE).toBe(8);
    expect(config.sharingThresholdFen).toBe(50_000_000);
    expect(config.voucherTargetFen).toBe(200_000_000_000);
    expect(config.portOr(3001)).toBe(3001);
    expect(config.databaseName).toBe('instrument_marketplace');
  });

  it('converts numbers and reads the port', () => {
    const config = loadAppConfig({ PORT: '4100', SHARING_THRESHOLD_YUAN: '300000' });
    expect(config.portOr(3001)).toBe(4100);
    expect(config.sharingThresholdFen).toBe(30_000_000);
  });

  it('names every bad variable with the value it got', () => {
    let thrown: unknown;
    try {
      loadAppConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x/y', LOG_LEVEL: 'loud' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as ConfigError).message;
    expect(message).toContain('PORT');
    expect(message).toContain('"abc"');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('LOG_LEVEL');
  });

  it('requires a long JWT secret in production', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET must be set/);
    expect(() => loadAppConfig({ JWT_SECRET: 'short' })).toThrow(/at least 32/);
  });
});
