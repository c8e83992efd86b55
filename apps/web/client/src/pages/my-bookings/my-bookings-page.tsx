import { useCallback, useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { localName, useI18n, useTexts } from '../../i18n/i18n';
import { RequireRole } from '../../session/require-role';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatLocal, formatYuan } from '../../shared/format';
import { Loading } from '../../shared/loading';
import { useBookingPolicy } from './booking-policy';
import type { BookingPolicy } from './booking-policy';
import { InstrumentName, StatusBadge, bookingTexts, formatSpan, useInstruments, zonedInstant, zonedParts } from './booking-shared';
import type { Booking, BookingPage } from './booking-shared';
import { CalendarFeed } from './calendar-feed';
import { myBookingsTexts } from './my-bookings-texts';
import { VoucherWallet } from './voucher-wallet';
import './my-bookings.css';

const PAGE_SIZE = 10;

export default function MyBookingsPage() {
  return (
    <RequireRole roles={['researcher', 'firm_member', 'lab_manager', 'admin']}>
      <MyBookings />
    </RequireRole>
  );
}

function MyBookings() {
  const texts = useTexts(myBookingsTexts);
  const { user } = useSession();
  const [tab, setTab] = useState<'upcoming' | 'past'>('upcoming');
  return (
    <section className="bookings">
      <h1>{texts.title}</h1>
      <div className="bookings-layout">
        <div>
          <div className="bookings-tabs" role="group" aria-label={texts.title}>
            <button type="button" className={tab === 'upcoming' ? '' : 'secondary'} aria-pressed={tab === 'upcoming'} onClick={() => setTab('upcoming')}>
              {texts.upcoming}
            </button>
            <button type="button" className={tab === 'past' ? '' : 'secondary'} aria-pressed={tab === 'past'} onClick={() => setTab('past')}>
              {texts.past}
            </button>
          </div>
          <BookingList key={tab} past={tab === 'past'} />
        </div>
        <aside className="bookings-side">
          <CalendarFeed />
          {user?.role === 'firm_member' && <VoucherWallet />}
          {/* Researchers may hold vouchers of their own where a program admits individuals; most hold none and see only the button to apply. */}
          {user?.role === 'researcher' && <VoucherWallet hideWhenEmpty />}
        </aside>
      </div>
    </section>
  );
}

/** One page of the user's bookings: upcoming in time order, past newest first. */
function BookingList({ past }: { past: boolean }) {
  const { t, language } = useI18n();
  const texts = useTexts(myBookingsTexts);
  const { token } = useSession();
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<{ items: Booking[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [reloads, setReloads] = useState(0);
  // What the last action did: kept by the list, not the card, so it stays while the list reloads (a card may move or leave).
  const [notice, setNotice] = useState<string | null>(null);
  const policy = useBookingPolicy();
  const changed = useCallback((done: string) => {
    setNotice(done);
    setReloads((count) => count + 1);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    const now = new Date().toISOString();
    const fetchPage = (serverPage: number, size: number) =>
      api<BookingPage>('booking', '/bookings', {
        token,
        signal: controller.signal,
        query: { mine: true, page: serverPage, pageSize: size, ...(past ? { to: now } : { from: now }) },
      });
    setLoading(true);
    (async () => {
      if (!past) {
        const answer = await fetchPage(page, PAGE_SIZE);
        return { items: answer.items, total: answer.total };
      }
      // Newest first: the service lists in time order, so take the window counted from the end.
      const first = await fetchPage(1, 1);
      const endIndex = first.total - (page - 1) * PAGE_SIZE;
      const startIndex = Math.max(0, endIndex - PAGE_SIZE);
      if (endIndex <= 0) return { items: [], total: first.total };
      const firstServerPage = Math.floor(startIndex / PAGE_SIZE) + 1;
      const lastServerPage = Math.floor((endIndex - 1) / PAGE_SIZE) + 1;
      const pages = await Promise.all(
        Array.from({ length: lastServerPage - firstServerPage + 1 }, (_, index) => fetchPage(firstServerPage + index, PAGE_SIZE)),
      );
      const offset = (firstServerPage - 1) * PAGE_SIZE;
      const window = pages.flatMap((answer) => answer.items).slice(startIndex - offset, endIndex - offset);
      // Bookings under way are listed with the upcoming ones.
      return { items: window.filter((booking) => Date.parse(booking.end) <= Date.parse(now)).reverse(), total: first.total };
    })()
      .then((answer) => {
        setResult(answer);
        setError(null);
      })
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [page, past, token, reloads, language]);

  const instruments = useInstruments(result?.items.map((booking) => booking.instrumentId) ?? [], token);
  const pages = result ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : 1;
  return (
    <div aria-busy={loading} className="bookings-list-wrap">
      <p role="status" className={notice ? 'success bookings-notice' : 'bookings-notice'}>
        {notice}
      </p>
      <ErrorMessage text={error} />
      {!result && loading && <Loading />}
      {result && result.items.length === 0 && (
        <p>
          {texts.none} <Link to="/">{texts.findLink}</Link>
        </p>
      )}
      {result && result.items.length > 0 && (
        <>
          <p className="muted">{texts.count(result.total)}</p>
          <ol className="bookings-list">
            {result.items.map((booking) => (
              <BookingCard key={booking.id} booking={booking} instruments={instruments} policy={policy} onChanged={changed} onAction={() => setNotice(null)} />
            ))}
          </ol>
        </>
      )}
      {result && pages > 1 && (
        <nav className="bookings-pager" aria-label={texts.pageOf(page, pages)}>
          <button type="button" className="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {texts.previous}
          </button>
          <span>{texts.pageOf(page, pages)}</span>
          <button type="button" className="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {texts.next}
          </button>
        </nav>
      )}
    </div>
  );
}

type Panel = 'cancel' | 'reschedule' | 'rate' | null;

function BookingCard(props: {
  booking: Booking;
  instruments: ReturnType<typeof useInstruments>;
  policy: BookingPolicy | null;
  /** After an action succeeded, with what it did in words (the list shows it and reloads). */
  onChanged(done: string): void;
  /** When an action starts (the list clears the last one's message). */
  onAction(): void;
}) {
  const { booking, instruments, policy, onChanged, onAction } = props;
  const { t, language } = useI18n();
  const texts = useTexts(myBookingsTexts);
  const shared = useTexts(bookingTexts);
  const { token } = useSession();
  const [panel, setPanel] = useState<Panel>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const now = Date.now();
  const start = Date.parse(booking.start);
  const end = Date.parse(booking.end);
  const notStarted = start > now;
  const canCancel = notStarted && ['held', 'pending', 'confirmed'].includes(booking.status);
  const canReschedule = notStarted && ['pending', 'confirmed'].includes(booking.status);
  const canCheckIn = booking.status === 'confirmed' && now < end;
  const checkInOpen = policy !== null && now >= start - policy.checkInOpensMinutesBefore * 60_000;
  const canCheckOut = booking.status === 'in_use';
  const canRate = booking.status === 'completed' && booking.rating === undefined;

  async function act(path: string, body: unknown, done: string) {
    setBusy(true);
    setError(null);
    onAction();
    try {
      await api<Booking>('booking', `/bookings/${booking.id}/${path}`, { method: 'POST', token, body });
      setPanel(null);
      const instrument = instruments.get(booking.instrumentId);
      onChanged(texts.actionDone(`${instrument ? `${localName(language, instrument)}, ` : ''}${formatSpan(booking.start, booking.end, booking.timeZone, language)}`, done));
    } catch (caught) {
      setError(errorText(caught, t, language));
    } finally {
      setBusy(false);
    }
  }

  const zone = booking.timeZone;
  return (
    <li className="bookings-card" aria-labelledby={headingId} data-booking-id={booking.id}>
      <div className="bookings-card-head">
        <h2 id={headingId}>
          <Link to={`/instruments/${booking.instrumentId}`}>
            <InstrumentName id={booking.instrumentId} instruments={instruments} />
          </Link>
        </h2>
        <StatusBadge status={booking.status} />
      </div>
      <p className="bookings-time">{formatSpan(booking.start, booking.end, zone, language)}</p>
      <dl className="bookings-facts">
        <div>
          <dt>{texts.mode}</dt>
          <dd>
            {t.modes[booking.mode]}
            {booking.sampleCount ? ` · ${texts.samples(booking.sampleCount)}` : ''}
          </dd>
        </div>
        {booking.quote && (
          <div>
            <dt>{texts.quote}</dt>
            <dd>
              {formatYuan(booking.quote.amountFen, language)}
              {booking.quote.internal ? ` (${texts.internalRate})` : ''}
            </dd>
          </div>
        )}
        {booking.finalFeeFen !== undefined && (
          <div>
            <dt>{texts.finalFee}</dt>
            <dd>{formatYuan(booking.finalFeeFen, language)}</dd>
          </div>
        )}
        {booking.cancellationFeeFen !== undefined && booking.cancellationFeeFen > 0 && (
          <div>
            <dt>{texts.cancellationFee}</dt>
            <dd>{formatYuan(booking.cancellationFeeFen, language)}</dd>
          </div>
        )}
        {booking.actualStart && (
          <div>
            <dt>{texts.actualTime}</dt>
            <dd>{booking.actualEnd ? formatSpan(booking.actualStart, booking.actualEnd, zone, language) : formatLocal(booking.actualStart, zone, language)}</dd>
          </div>
        )}
        {booking.purpose && (
          <div>
            <dt>{texts.purpose}</dt>
            <dd>{booking.purpose}</dd>
          </div>
        )}
        {booking.decisionReason && (
          <div>
            <dt>{texts.decisionReason}</dt>
            <dd>{booking.decisionReason}</dd>
          </div>
        )}
        {booking.cancellationReason && (
          <div>
            <dt>{texts.cancellationReason}</dt>
            <dd>{booking.cancellationReason}</dd>
          </div>
        )}
      </dl>
      {booking.voucher && (
        <p className="bookings-voucher">
          {texts.voucherPart(
            booking.voucher.programName,
            formatYuan(booking.voucher.status === 'redeemed' ? booking.voucher.redeemedFen : booking.voucher.reservedFen, language),
            shared.voucherStatus[booking.voucher.status],
          )}
        </p>
      )}
      {canCheckIn && !checkInOpen && policy && <p className="hint">{texts.checkInOpens(policy.checkInOpensMinutesBefore)}</p>}
      {booking.status === 'held' && booking.holdExpiresAt && <p className="hint">{texts.holdExpires(formatLocal(booking.holdExpiresAt, zone, language))}</p>}
      {booking.rating !== undefined && (
        <p className="bookings-rating">
          {texts.yourRating(booking.rating)}
          {booking.ratingComment ? ` · ${booking.ratingComment}` : ''}
        </p>
      )}
      <div className="bookings-actions">
        {canCheckIn && checkInOpen && (
          <button type="button" disabled={busy} onClick={() => act('check-in', undefined, texts.checkedIn)}>
            {texts.checkIn}
          </button>
        )}
        {canCheckOut && (
          <button type="button" disabled={busy} onClick={() => act('check-out', undefined, texts.checkedOut)}>
            {texts.checkOut}
          </button>
        )}
        {canReschedule && (
          <button type="button" className="secondary" aria-expanded={panel === 'reschedule'} onClick={() => setPanel(panel === 'reschedule' ? null : 'reschedule')}>
            {texts.reschedule}
          </button>
        )}
        {canCancel && (
          <button type="button" className="secondary" aria-expanded={panel === 'cancel'} onClick={() => setPanel(panel === 'cancel' ? null : 'cancel')}>
            {texts.cancel}
          </button>
        )}
        {canRate && (
          <button type="button" className="secondary" aria-expanded={panel === 'rate'} onClick={() => setPanel(panel === 'rate' ? null : 'rate')}>
            {texts.rate}
          </button>
        )}
      </div>
      {panel === 'cancel' && <CancelPanel booking={booking} policy={policy} busy={busy} onConfirm={() => act('cancel', {}, texts.cancelled)} onKeep={() => setPanel(null)} />}
      {panel === 'reschedule' && (
        <ReschedulePanel
          booking={booking}
          busy={busy}
          onSubmit={(newStart, newEnd) => act('reschedule', { start: newStart, end: newEnd }, texts.rescheduled)}
        />
      )}
      {panel === 'rate' && <RatingPanel busy={busy} onSubmit={(rating, comment) => act('rating', { rating, ...(comment ? { comment } : {}) }, texts.rated)} />}
      {busy && (
        <p role="status" className="muted">
          {texts.working}
        </p>
      )}
      <ErrorMessage text={error} />
    </li>
  );
}

function CancelPanel(props: { booking: Booking; policy: BookingPolicy | null; busy: boolean; onConfirm(): void; onKeep(): void }) {
  const { booking, policy, busy, onConfirm, onKeep } = props;
  const { language } = useI18n();
  const texts = useTexts(myBookingsTexts);
  function rule(rules: BookingPolicy): string {
    const hours = rules.freeCancellationHours;
    const late = booking.status === 'confirmed' && Date.parse(booking.start) - Date.now() < hours * 3_600_000;
    if (!late) return texts.cancelFree(hours);
    if (!booking.quote) return texts.cancelLateNoFee(hours);
    const fee = Math.floor((booking.quote.amountFen * rules.lateCancellationFeePercent) / 100);
    return texts.cancelLate(hours, rules.lateCancellationFeePercent, formatYuan(fee, language));
  }
  return (
    <div className="bookings-panel" role="group" aria-label={texts.cancelTitle}>
      <h3>{texts.cancelTitle}</h3>
      <p>
        {policy ? rule(policy) : texts.ruleLoading}
        {booking.voucher?.status === 'reserved' ? ` ${texts.cancelVoucher}` : ''}
      </p>
      <div className="bookings-actions">
        <button type="button" disabled={busy} onClick={onConfirm}>
          {texts.confirmCancel}
        </button>
        <button type="button" className="secondary" onClick={onKeep}>
          {texts.keep}
        </button>
      </div>
    </div>
  );
}

function ReschedulePanel({ booking, busy, onSubmit }: { booking: Booking; busy: boolean; onSubmit(start: string, end: string): void }) {
  const texts = useTexts(myBookingsTexts);
  const zone = booking.timeZone;
  const startParts = zonedParts(booking.start, zone);
  const endParts = zonedParts(booking.end, zone);
  const [date, setDate] = useState(startParts.date);
  const [startTime, setStartTime] = useState(startParts.time);
  const [endDate, setEndDate] = useState(endParts.date);
  const [endTime, setEndTime] = useState(endParts.time);
  const id = useId();
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(zonedInstant(date, startTime, zone), zonedInstant(endDate, endTime, zone));
  }
  return (
    <form className="bookings-panel" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{texts.rescheduleTitle}</h3>
      <p className="hint">{texts.rescheduleHint(zone)}</p>
      <div className="bookings-fields">
        <label>
          {texts.date}
          <input
            type="date"
            value={date}
            required
            onChange={(event) => {
              if (endDate === date) setEndDate(event.target.value);
              setDate(event.target.value);
            }}
          />
        </label>
        <label>
          {texts.startTime}
          <input type="time" step={300} value={startTime} required onChange={(event) => setStartTime(event.target.value)} />
        </label>
        <label>
          {texts.endDate}
          <input type="date" value={endDate} min={date} required onChange={(event) => setEndDate(event.target.value)} />
        </label>
        <label>
          {texts.endTime}
          <input type="time" step={300} value={endTime} required onChange={(event) => setEndTime(event.target.value)} />
        </label>
      </div>
      <button type="submit" disabled={busy}>
        {texts.saveReschedule}
      </button>
    </form>
  );
}

function RatingPanel({ busy, onSubmit }: { busy: boolean; onSubmit(rating: number, comment: string): void }) {
  const texts = useTexts(myBookingsTexts);
  const [rating, setRating] = useState(5);
  const [comment, setComment] = useState('');
  const name = useId();
  return (
    <form
      className="bookings-panel"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(rating, comment.trim());
      }}
    >
      <fieldset className="bookings-stars">
        <legend>{texts.ratingLegend}</legend>
        {[1, 2, 3, 4, 5].map((stars) => (
          <label key={stars}>
            <input type="radio" name={name} value={stars} checked={rating === stars} onChange={() => setRating(stars)} />
            <span aria-hidden="true">{'★'.repeat(stars)}</span>
            <span className="visually-hidden">{texts.stars(stars)}</span>
          </label>
        ))}
      </fieldset>
      <label>
        {texts.comment}
        <textarea value={comment} maxLength={2000} rows={2} onChange={(event) => setComment(event.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        {texts.submitRating}
      </button>
    </form>
  );
}
