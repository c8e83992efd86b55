import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/**
 * Limits login and sign-up attempts per client address and email, so one attacker cannot
 * guess passwords and one busy office behind a NAT does not lock everyone out. The counters
 * live in Redis, shared by every replica.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, any>): Promise<string> {
    const email = typeof request.body?.email === 'string' ? request.body.email.toLowerCase().slice(0, 254) : '';
    return `${request.ip}|${email}`;
  }
}
