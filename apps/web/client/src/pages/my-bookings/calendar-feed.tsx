import { useId, useState } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { myBookingsTexts } from './my-bookings-texts';

interface CalendarFeedAnswer {
  url: string;
  token: string;
  createdAt: string;
}

/** The private iCalendar feed: issued (replacing any earlier one), shown once with a copy button, revoked. */
export function CalendarFeed() {
  const { t, language } = useI18n();
  const texts = useTexts(myBookingsTexts);
  const { token } = useSession();
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const inputId = useId();

  async function issue() {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const answer = await api<CalendarFeedAnswer>('booking', '/calendar-feeds', { method: 'POST', token });
      // The service answers a path on itself; the web server serves it under /api/booking.
      setUrl(`${window.location.origin}/api/booking${answer.url}`);
    } catch (caught) {
      setError(errorText(caught, t, language));
    } finally {
      setBusy(false);
    }
  }

  async function revoke() {
    setBusy(true);
    setError(null);
    try {
      await api<void>('booking', '/calendar-feeds', { method: 'DELETE', token });
      setUrl(null);
      setNotice(texts.feedRevoked);
    } catch (caught) {
      setError(errorText(caught, t, language));
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setNotice(texts.copied);
    } catch {
      (document.getElementById(inputId) as HTMLInputElement | null)?.select();
      setNotice(texts.copyFailed);
    }
  }

  return (
    <section className="bookings-box" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>{texts.feedTitle}</h2>
      <p className="hint">{texts.feedHint}</p>
      {url && (
        <div className="bookings-feed">
          <label htmlFor={inputId}>{texts.feedLabel}</label>
          <input id={inputId} type="text" readOnly value={url} onFocus={(event) => event.target.select()} />
          <p className="hint">{texts.feedShownOnce}</p>
          <button type="button" onClick={copy}>
            {texts.copy}
          </button>
        </div>
      )}
      <div className="bookings-actions">
        <button type="button" className={url ? 'secondary' : ''} disabled={busy} onClick={issue}>
          {url ? texts.feedReissue : texts.feedIssue}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={revoke}>
          {texts.feedRevoke}
        </button>
      </div>
      <ErrorMessage text={error} />
      {notice && (
        <p role="status" className="success">
          {notice}
        </p>
      )}
    </section>
  );
}
