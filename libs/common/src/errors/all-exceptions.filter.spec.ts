import { BadRequestException, NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { NotFoundError, ValidationFailedError } from './domain-error';

describe('AllExceptionsFilter', () => {
  const filter = new AllExceptionsFilter();

  it('renders domain errors with their code and details', () => {
    expect(filter.toResponse(new NotFoundError('Instrument', 'abc'))).toEqual({
      statusCode: 404,
      code: 'INSTRUMENT_NOT_FOUND',
      message: 'Instrument abc does not exist',
      details: { id: 'abc' },
    });
    const validation = filter.toResponse(new ValidationFailedError([{ field: 'x', messages: ['bad'] }]));
    expect(validation.statusCode).toBe(400);
    expect(validation.details).toEqual([{ field: 'x', messages: ['bad'] }]);
  });

  it('maps Nest and fastify errors to stable codes', () => {
    expect(filter.toResponse(new NotFoundException('Cannot GET /x')).code).toBe('ROUTE_NOT_FOUND');
    expect(filter.toResponse(new BadRequestException('nope')).statusCode).toBe(400);
    expect(filter.toResponse(new ThrottlerException()).code).toBe('RATE_LIMITED');
    const invalidJson = Object.assign(new SyntaxError('x'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 });
    expect(filter.toResponse(invalidJson)).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
  });

  it('hides the details of unexpected errors behind a 500', () => {
    const response = filter.toResponse(new Error('password=secret'));
    expect(response).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Something went wrong on our side' });
  });
});
