import { JwtService } from '@nestjs/jwt';
import { sign } from 'jsonwebtoken';
import { loadAppConfig } from '@app/config';
import { AccessTokenService } from './access-token.service';

const SECRET = 'access-token-spec-secret-of-enough-length';

describe('AccessTokenService', () => {
  const config = loadAppConfig({ JWT_SECRET: SECRET });
  const user = { id: '7d0c3a58-94c6-4f5e-9d0a-1d2e3f405162', role: 'researcher' as const, institutionId: null, regionCode: null };

  afterEach(() => jest.useRealTimers());

  it('verifies its own tokens, again from memory, and hands out a copy each time', () => {
    const tokens = new AccessTokenService(new JwtService({ signOptions: { expiresIn: 3600 } }), config);
    const token = tokens.sign(user);
    const first = tokens.verify(token);
    const second = tokens.verify(token);
    expect(first).toEqual(user);
    expect(second).toEqual(user);
    expect(second).not.toBe(first);
  });

  it('refuses a forged token, and a remembered token once it has expired', () => {
    jest.useFakeTimers({ now: new Date('2026-11-26T08:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const tokens = new AccessTokenService(new JwtService(), config);
    const claims = { sub: user.id, role: user.role, inst: null, region: null };
    const shortLived = sign(claims, SECRET, { algorithm: 'HS256', expiresIn: 30 });
    expect(tokens.verify(shortLived)).toEqual(user);
    jest.setSystemTime(new Date('2026-11-26T08:00:31Z'));
    expect(() => tokens.verify(shortLived)).toThrow(/invalid or expired/);
    expect(() => tokens.verify(sign(claims, 'another-secret-another-secret-another', { algorithm: 'HS256' }))).toThrow(/invalid or expired/);
  });
});
