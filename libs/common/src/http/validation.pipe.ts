import { ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-error';
import { toFieldProblems } from '../errors/validation-problems';

/** Strict input: unknown fields are refused, strings converted only where a DTO says so. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(toFieldProblems(errors)),
  });
}
