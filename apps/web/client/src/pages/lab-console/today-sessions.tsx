import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { localDate } from '../../shared/format';
import { InstrumentName, StatusBadge, formatSpan, useInstruments, zonedInstant } from '../my-bookings/booking-shared';
import type { Booking } from '../my-bookings/booking-shared';
import { useBookingPolicy } from '../my-bookings/booking-policy';
import { ScanHeader, useInstitutionBookings } from './instrument-bookings';
import { labTexts } from './lab-console-texts';

const ZONE = 'Asia/Shanghai';
const SHOWN = ['confirmed', 'in_use', 'completed', 'no_show'];

/** Today's sessions on the institution's instruments: check in, check out, or record a no-show. */
export function TodaySessions() {
  const texts = useTexts(labTexts);
  const { token } = useSession();
  const [reloads, setReloads] = useState(0);
  const today = localDate(new Date(), ZONE);
  const query = useMemo(() => {
    const next = new Date(Date.parse(`${today}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return { from: zonedInstant(today, '00:00', ZONE), to: zonedInstant(next, '00:00', ZONE) };
  }, [today]);
  const scan = useInstitutionBookings(query, reloads);
  const { bookings } = scan;
  const sessions = bookings?.filter((booking) => SHOWN.includes(booking.status)) ?? null;
  const instruments = useInstruments(sessions?.map((booking) => booking.instrumentId) ?? [], token);
  return (
    <section aria-labelledby="lab-today-title" aria-busy={!bookings}>
      <ScanHeader titleId="lab-today-title" title={texts.todayTitle(today)} scan={scan} onRefresh={() => setReloads(reloads + 1)} />
      {sessions && sessions.length === 0 && <p>{texts.todayNone}</p>}
      {sessions && sessions.length > 0 && (
        <ol className="lab-cards">
          {sessions.map((booking) => (
            <Session key={booking.id} booking={booking} name={<InstrumentName id={booking.instrumentId} instruments={instruments} />} onChanged={() => setReloads(reloads + 1)} />
          ))}
        </ol>
      )}
    </section>
  );
}

function Session({ booking, name, onChanged }: { booking: Booking; name: ReactNode; onChanged(): void }) {
  const { t, language } = useI18n();
  const texts = useTexts(labTexts);
  const { token } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const policy = useBookingPolicy();
  const noShowOpen = policy !== null && Date.now() >= Date.parse(booking.start) + policy.noShowGraceMinutes * 60_000;
  async function act(path: string, done: string) {
    setBusy(true);
    setError(null);
    try {
      await api<Booking>('booking', `/bookings/${booking.id}/${path}`, { method: 'POST', token, body: path === 'no-show' ? {} : undefined });
      setNotice(done);
      onChanged();
    } catch (caught) {
      setError(errorText(caught, t, language));
    } finally {
      setBusy(false);
    }
  }
  return (
    <li className="lab-card">
      <div className="lab-section-head">
        <h3>{name}</h3>
        <StatusBadge status={booking.status} />
      </div>
      <p className="lab-time">
        {formatSpan(booking.start, booking.end, booking.timeZone, language)} · {t.modes[booking.mode]} · {booking.userName ?? <code>{booking.userId?.slice(0, 8)}</code>}
      </p>
      <div className="lab-actions">
        {booking.status === 'confirmed' && (
          <>
            <button type="button" disabled={busy} onClick={() => act('check-in', texts.checkedIn)}>
              {texts.checkIn}
            </button>
            <button type="button" className="secondary" disabled={busy || !noShowOpen} onClick={() => act('no-show', texts.markedNoShow)}>
              {texts.noShow}
            </button>
          </>
        )}
        {booking.status === 'in_use' && (
          <button type="button" disabled={busy} onClick={() => act('check-out', texts.checkedOut)}>
            {texts.checkOut}
          </button>
        )}
      </div>
      {booking.status === 'confirmed' && !noShowOpen && policy && <p className="hint">{texts.noShowHint(policy.noShowGraceMinutes)}</p>}
      <ErrorMessage text={error} />
      {notice && (
        <p role="status" className="success">
          {notice}
        </p>
      )}
    </li>
  );
}
