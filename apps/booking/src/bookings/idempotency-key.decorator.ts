import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { ValidationFailedError } from '@app/common';

/** The Idempotency-Key header: absent, or 1 to 200 visible ASCII characters (400 otherwise). */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(value)) {
    throw new ValidationFailedError([{ field: 'Idempotency-Key', messages: ['Idempotency-Key must be 1 to 200 visible ASCII characters'] }]);
  }
  return value;
});
