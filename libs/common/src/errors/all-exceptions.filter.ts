import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { CommonErrorCode, DomainError } from './domain-error';
import { ErrorResponseDto } from './error-response.dto';

/** Fastify's own request errors (raised before Nest sees the request) mapped to our codes. */
const FASTIFY_ERROR_CODES: Record<string, CommonErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: CommonErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: CommonErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_BODY_TOO_LARGE: CommonErrorCode.PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: CommonErrorCode.VALIDATION_FAILED,
};

const CODES_BY_STATUS: Record<number, CommonErrorCode> = {
  400: CommonErrorCode.VALIDATION_FAILED,
  401: CommonErrorCode.UNAUTHENTICATED,
  403: CommonErrorCode.FORBIDDEN,
  404: CommonErrorCode.ROUTE_NOT_FOUND,
  405: CommonErrorCode.METHOD_NOT_ALLOWED,
  409: CommonErrorCode.CONFLICT,
  413: CommonErrorCode.PAYLOAD_TOO_LARGE,
  415: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: CommonErrorCode.RATE_LIMITED,
  503: CommonErrorCode.SERVICE_UNAVAILABLE,
};

/** Renders every error as { statusCode, code, message, details? }; only the unexpected are 500 and logged. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toResponse(exception);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : exception);
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  toResponse(exception: unknown): ErrorResponseDto {
    if (exception instanceof DomainError) {
      return this.shape(exception.status, exception.code, exception.message, exception.details);
    }
    if (exception instanceof ThrottlerException) {
      return this.shape(HttpStatus.TOO_MANY_REQUESTS, CommonErrorCode.RATE_LIMITED, 'Too many attempts, try again later');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : typeof (response as { message?: unknown }).message === 'string'
            ? (response as { message: string }).message
            : exception.message;
      // Nest's own exceptions carry { statusCode, message, error }; anything richer (terminus's
      // health report on 503, say) is kept as details.
      const details =
        typeof response === 'object' && response !== null && !('statusCode' in response) ? response : undefined;
      return this.shape(status, CODES_BY_STATUS[status] ?? `HTTP_${status}`, message, details);
    }
    const fastifyError = exception as { code?: string; statusCode?: number; message?: string };
    if (fastifyError && typeof fastifyError.code === 'string' && fastifyError.code in FASTIFY_ERROR_CODES) {
      const status = fastifyError.statusCode ?? HttpStatus.BAD_REQUEST;
      const code = FASTIFY_ERROR_CODES[fastifyError.code];
      const message = code === CommonErrorCode.MALFORMED_JSON ? 'The request body is not valid JSON' : fastifyError.message ?? code;
      return this.shape(status, code, message);
    }
    if (fastifyError && typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return this.shape(fastifyError.statusCode, CODES_BY_STATUS[fastifyError.statusCode] ?? `HTTP_${fastifyError.statusCode}`, fastifyError.message ?? 'Bad request');
    }
    return this.shape(HttpStatus.INTERNAL_SERVER_ERROR, CommonErrorCode.INTERNAL_ERROR, 'Something went wrong on our side');
  }

  private shape(statusCode: number, code: string, message: string, details?: unknown): ErrorResponseDto {
    return details === undefined ? { statusCode, code, message } : { statusCode, code, message, details };
  }
}
