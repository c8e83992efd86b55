import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { ErrorMessage } from '../../shared/error-message';
import { useSession } from '../../session/session';
import { inBatches } from '../my-bookings/booking-shared';
import type { Booking, BookingPage } from '../my-bookings/booking-shared';
import { useConsole } from './console-context';
import { labTexts } from './lab-console-texts';

/**
 * Bookings of every instrument of the institution matching a query, in time order. The booking
 * service lists one instrument's bookings at a time, so this asks per instrument, a few at a time.
 */
export function useInstitutionBookings(query: Record<string, string>, reloads: number) {
  const { t, language } = useI18n();
  const { token } = useSession();
  const { instruments } = useConsole();
  const [bookings, setBookings] = useState<Booking[] | null>(null);
  const [progress, setProgress] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(query);
  useEffect(() => {
    const controller = new AbortController();
    setProgress(0);
    setError(null);
    inBatches(
      instruments,
      6,
      async (instrument) => {
        const found: Booking[] = [];
        for (let page = 1; ; page++) {
          const answer = await api<BookingPage>('booking', '/bookings', {
            token,
            signal: controller.signal,
            query: { ...query, instrumentId: instrument.id, page, pageSize: 200 },
          });
          found.push(...answer.items);
          if (found.length >= answer.total || answer.items.length === 0) return found;
        }
      },
      setProgress,
    )
      .then((lists) => setBookings(lists.flat().sort((left, right) => left.start.localeCompare(right.start))))
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, reloads, instruments, token]);
  return { bookings, progress, total: instruments.length, error };
}

/** A section's title with a refresh button, and the progress of the per-instrument scan (or its error). */
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
          <progress max={total} value={progress} /> {texts.checking(progress, total)}
        </p>
      )}
    </>
  );
}
