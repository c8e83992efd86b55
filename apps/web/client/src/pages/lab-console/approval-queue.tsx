import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatLocal, formatYuan } from '../../shared/format';
import { InstrumentName, formatSpan, useInstruments } from '../my-bookings/booking-shared';
import type { Booking } from '../my-bookings/booking-shared';
import { ScanHeader, useInstitutionBookings } from './instrument-bookings';
import { labTexts } from './lab-console-texts';

/** Pending requests on the institution's instruments, oldest start first: approve, or reject with a reason. */
export function ApprovalQueue() {
  const texts = useTexts(labTexts);
  const { token } = useSession();
  const [reloads, setReloads] = useState(0);
  const scan = useInstitutionBookings({ status: 'pending' }, reloads);
  const { bookings } = scan;
  const instruments = useInstruments(bookings?.map((booking) => booking.instrumentId) ?? [], token);
  return (
    <section aria-labelledby="lab-approvals-title" aria-busy={!bookings}>
      <ScanHeader titleId="lab-approvals-title" title={texts.approvalsTitle} scan={scan} onRefresh={() => setReloads(reloads + 1)} />
      {bookings && bookings.length === 0 && <p>{texts.approvalsNone}</p>}
      {bookings && bookings.length > 0 && (
        <>
          <p className="muted">{texts.approvalsCount(bookings.length)}</p>
          <ol className="lab-cards">
            {bookings.map((booking) => (
              <Request key={booking.id} booking={booking} name={<InstrumentName id={booking.instrumentId} instruments={instruments} />} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function Request({ booking, name }: { booking: Booking; name: ReactNode }) {
  const { t, language } = useI18n();
  const texts = useTexts(labTexts);
  const { token } = useSession();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const id = useId();

  async function decide(action: 'approve' | 'reject') {
    if (action === 'reject' && !reason.trim()) {
      setError(texts.reasonRequired);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api<Booking>('booking', `/bookings/${booking.id}/${action}`, { method: 'POST', token, body: action === 'reject' ? { reason: reason.trim() } : {} });
      setDone(action === 'approve' ? texts.approvedNotice : texts.rejectedNotice);
    } catch (caught) {
      setError(errorText(caught, t, language));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="lab-card" aria-labelledby={id}>
      <h3 id={id}>{name}</h3>
      <p className="lab-time">{formatSpan(booking.start, booking.end, booking.timeZone, language)}</p>
      <dl className="lab-facts">
        <div>
          <dt>{texts.booker}</dt>
          <dd>{booking.userName ?? <code>{booking.userId?.slice(0, 8)}</code>}</dd>
        </div>
        <div>
          <dt>{t.find.serviceMode}</dt>
          <dd>
            {t.modes[booking.mode]}
            {booking.sampleCount ? ` · ${texts.samples(booking.sampleCount)}` : ''}
          </dd>
        </div>
        {booking.quote && (
          <div>
            <dt>{texts.quote}</dt>
            <dd>{formatYuan(booking.quote.amountFen, language)}</dd>
          </div>
        )}
        {booking.voucher && (
          <div>
            <dt>{texts.voucher}</dt>
            <dd>
              {booking.voucher.programName} {formatYuan(booking.voucher.reservedFen, language)}
            </dd>
          </div>
        )}
        <div>
          <dt>{texts.submitted}</dt>
          <dd>{formatLocal(booking.createdAt, booking.timeZone, language)}</dd>
        </div>
        {booking.purpose && (
          <div className="lab-wide">
            <dt>{texts.purpose}</dt>
            <dd>{booking.purpose}</dd>
          </div>
        )}
        {booking.notes && (
          <div className="lab-wide">
            <dt>{texts.notes}</dt>
            <dd>{booking.notes}</dd>
          </div>
        )}
      </dl>
      {done ? (
        <p role="status" className="success">
          {done}
        </p>
      ) : (
        <>
          <div className="lab-actions">
            <button type="button" disabled={busy} onClick={() => decide('approve')}>
              {texts.approve}
            </button>
            <button type="button" className="secondary" disabled={busy} aria-expanded={rejecting} onClick={() => setRejecting(!rejecting)}>
              {texts.reject}
            </button>
          </div>
          {rejecting && (
            <form
              className="lab-panel"
              onSubmit={(event) => {
                event.preventDefault();
                void decide('reject');
              }}
            >
              <label>
                {texts.rejectReason}
                <textarea value={reason} required maxLength={1000} rows={2} onChange={(event) => setReason(event.target.value)} />
              </label>
              <button type="submit" disabled={busy}>
                {texts.confirmReject}
              </button>
            </form>
          )}
          {busy && (
            <p role="status" className="muted">
              {texts.working}
            </p>
          )}
          <ErrorMessage text={error} />
        </>
      )}
    </li>
  );
}
