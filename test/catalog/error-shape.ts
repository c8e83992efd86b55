import type { HttpResponse } from '@app/testing';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

/**
 * Asserts the one error shape of every 4xx/5xx answer: the HTTP status, a JSON body with exactly
 * the keys statusCode, code, message (and optionally details), statusCode equal to the HTTP status,
 * the expected stable code and a non-empty message. Returns the body for further checks.
 */
export function expectErrorShape(response: HttpResponse, status: number, code?: string): ErrorBody {
  const context = `${status}${code ? ` ${code}` : ''} expected, got ${response.status}: ${response.text.slice(0, 500)}`;
  expect({ status: response.status, context }).toEqual({ status, context });
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  expect(response.body).toEqual(expect.any(Object));
  const keys = Object.keys(response.body).sort();
  expect(['code', 'details', 'message', 'statusCode']).toEqual(expect.arrayContaining(keys));
  expect(keys).toEqual(expect.arrayContaining(['code', 'message', 'statusCode']));
  expect(response.body.statusCode).toBe(response.status);
  expect(typeof response.body.code).toBe('string');
  expect(response.body.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
  if (code !== undefined) expect(response.body.code).toBe(code);
  expect(typeof response.body.message).toBe('string');
  expect(response.body.message.length).toBeGreaterThan(0);
  return response.body as ErrorBody;
}

/** The field paths named by a VALIDATION_FAILED answer (`details: [{ field, messages }]`). */
export function problemFields(response: HttpResponse): string[] {
  const details = response.body?.details;
  expect(Array.isArray(details)).toBe(true);
  for (const problem of details) {
    expect(typeof problem.field).toBe('string');
    expect(Array.isArray(problem.messages)).toBe(true);
    expect(problem.messages.length).toBeGreaterThan(0);
  }
  return (details as { field: string }[]).map((problem) => problem.field);
}

/** 400 VALIDATION_FAILED whose details name (at least) every given field. */
export function expectValidationFailed(response: HttpResponse, ...fields: string[]): string[] {
  expectErrorShape(response, 400, 'VALIDATION_FAILED');
  const named = problemFields(response);
  expect(named).toEqual(expect.arrayContaining(fields));
  return named;
}
