import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { headersSetBy } from './create-http-app';

describe('headersSetBy', () => {
  it('records exactly the headers helmet sets on a real response', () => {
    const middleware = helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", "'unsafe-inline'"] } } });
    const request = new IncomingMessage(new Socket());
    const response = new ServerResponse(request);
    let called = false;
    middleware(request, response, () => (called = true));
    expect(called).toBe(true);

    const recorded = Object.fromEntries(headersSetBy(middleware).map(([name, value]) => [name.toLowerCase(), String(value)]));
    const actual = Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]));
    expect(recorded).toEqual(actual);
    expect(recorded['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
  });

  it('refuses a middleware that does not finish at once, whose headers could depend on the request', () => {
    expect(() => headersSetBy(() => undefined)).toThrow(/did not finish at once/);
  });

  it('passes on a middleware’s own failure', () => {
    expect(() => headersSetBy((_request, _response, next) => next(new Error('bad directive')))).toThrow('bad directive');
  });
});
