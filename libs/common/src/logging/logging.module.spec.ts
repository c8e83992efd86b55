import { withoutSecrets } from './logging.module';

describe('withoutSecrets', () => {
  it('hides the token of a private calendar feed and leaves other URLs alone', () => {
    expect(withoutSecrets('/calendar-feeds/abcDEF123_-xyz.ics')).toBe('/calendar-feeds/[redacted].ics');
    expect(withoutSecrets('/calendar-feeds/abc.ics?x=1')).toBe('/calendar-feeds/[redacted].ics?x=1');
    expect(withoutSecrets('/instruments/1/busy.ics')).toBe('/instruments/1/busy.ics');
    expect(withoutSecrets('/calendar-feeds')).toBe('/calendar-feeds');
  });
});
