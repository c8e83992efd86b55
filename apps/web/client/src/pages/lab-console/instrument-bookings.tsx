import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { ErrorMessage } from '../../shared/error-message';
import { useSession } from '../../session/session';
import type { Booking, BookingPage } from '../my-bookings/booking-shared';
import { useConsole } from './console-context';
import { labTexts } from './lab-console-texts';

const PAGE_SIZE = 200;

/**
 * Bookings of every instrument of the institution matching a query, in time order: one
 * institution-wide listing (GET /bookings?institutionId=), page by page.
 */
export function useInstitutionBookings(query: Record<string, string>, reloads: number) {
  const { t, language } = useI18n();
  const { token } = useSession();
  const { institutionId } = useConsole();
  const [bookings, setBookings] = useState<Booking[] | null>(null);
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(query);
  useEffect(() => {
    const controller = new AbortController();
    setProgress({ done: 0, total: 0 });
    setError(null);
    (async () => {
      const found: Booking[] = [];
      for (let page = 1; ; page++) {
        const answer = await api<BookingPage>('booking', '/bookings', {
          token,
          signal: controller.signal,
          query: { ...query, institutionId, page, pageSize: PAGE_SIZE },
        });
        found.push(...answer.items);
        setProgress({ done: found.length, total: answer.total });
        if (found.length >= answer.total || answer.items.length === 0) return found;
      }
    })()
      .then(setBookings)
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, reloads, institutionId, token]);
  return { bookings, progress: progress.done, total: progress.total, error };
}

/** A section's title with a refresh button, and how many bookings have arrived (or the error). */
export function ScanHeader(props: { titleId: string; title: string; scan: ReturnType<typeof useInstitutionBookings>; onRefresh(): void }) {
  const texts = useTexts(labTexts);
  const { bookings, progress, total, error } = props.scan;
  return (
    <>
      <div className="lab-section-head">
        <h2 id={props.titleId}>{props.title}</h2>
        <button type="button" className="secondary" onClick={props.onRefresh}>
          {texts.refresh}
        </button>
      </div>
      <ErrorMessage text={error} />
      {!bookings && !error && (
        <p role="status" className="muted">
          {total > 0 ? <progress max={total} value={progress} aria-label={texts.checking(progress, total)} /> : <progress aria-label={texts.checking(progress, total)} />}{' '}
          {texts.checking(progress, total)}
        </p>
      )}
    </>
  );
}
