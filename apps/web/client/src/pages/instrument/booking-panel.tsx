import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { ApiError, api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatLocal, formatYuan } from '../../shared/format';
import { dayLabel } from './availability-calendar';
import { instrumentTexts } from './instrument-texts';
import { randomKey } from '../../shared/random-key';
import { DAY, wallClock } from './instrument-time';
import type { Booking, BookingQuote, FreeSlot, InstrumentRecord, ServiceMode } from './instrument-types';

/** Refusals after which other times may work: the user is offered the nearest free ones. */
const TIME_CODES = new Set(['SLOT_TAKEN', 'OUTSIDE_OPENING_HOURS', 'TOO_SOON', 'TOO_FAR_AHEAD', 'NOT_ALIGNED', 'DAILY_LIMIT_EXCEEDED', 'WEEKLY_LIMIT_EXCEEDED', 'HOLD_NOT_USABLE']);
const NEAREST_COUNT = 5;

interface Props {
  instrument: InstrumentRecord;
  slot: FreeSlot | null;
  durationMinutes: number;
  onChooseSlot(slot: FreeSlot): void;
  /** The instrument's time changed (booked, or found taken): the calendar asks again. */
  onTimeChanged(): void;
  /** Booked: the chosen time is no longer free. */
  onBooked(): void;
}

/** The request for the chosen time: mode, purpose, samples, the live quote with vouchers; refusals in words. */
export function BookingPanel(props: Props) {
  const { t, language } = useI18n();
  const texts = useTexts(instrumentTexts);
  const { token, user } = useSession();
  const location = useLocation();
  const { instrument, slot } = props;
  const modes = instrument.serviceModes;
  const [mode, setMode] = useState<ServiceMode>(modes.includes('sample_submission') ? 'sample_submission' : (modes[0] ?? 'self_operated'));
  const [purpose, setPurpose] = useState('');
  const [samples, setSamples] = useState('1');
  const [notes, setNotes] = useState('');
  const [quote, setQuote] = useState<BookingQuote | null>(null);
  const [quoting, setQuoting] = useState(false);
  const [grantId, setGrantId] = useState<string>('');
  const [voucherYuan, setVoucherYuan] = useState('');
  const voucherTouched = useRef(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [nearest, setNearest] = useState<FreeSlot[] | 'loading' | null>(null);
  const [result, setResult] = useState<Booking | null>(null);
  const attempt = useRef<{ body: string; key: string } | null>(null);

  const sampleCount = mode === 'sample_submission' ? Number(samples) : undefined;
  const samplesValid = sampleCount === undefined || (Number.isInteger(sampleCount) && sampleCount >= 1 && sampleCount <= 10000);

  // A new time or mode: the last refusal no longer applies.
  useEffect(() => {
    setError(null);
    setRefusal(null);
    setNearest(null);
  }, [slot?.start, slot?.end, mode]);

  useEffect(() => {
    if (!token || !slot || !samplesValid || user?.role === 'department_staff') {
      setQuote(null);
      return;
    }
    const controller = new AbortController();
    setQuoting(true);
    const timer = setTimeout(() => {
      api<BookingQuote>('booking', '/bookings/quote', {
        token,
        signal: controller.signal,
        query: { instrumentId: instrument.id, start: slot.start, end: slot.end, mode, sampleCount },
      })
        .then((answer) => {
          setQuote(answer);
          if (!voucherTouched.current) {
            const best = answer.voucherOptions.find((option) => option.grantId === answer.bestGrantId);
            setGrantId(best ? best.grantId : '');
            setVoucherYuan(best ? yuanInput(best.coverableFen) : '');
          }
        })
        .catch((caught) => {
          if ((caught as Error).name !== 'AbortError') setQuote(null);
        })
        .finally(() => {
          if (!controller.signal.aborted) setQuoting(false);
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [token, user?.role, instrument.id, slot?.start, slot?.end, mode, sampleCount, samplesValid]);

  if (result) return <BookingResult booking={result} onAnother={() => setResult(null)} />;

  if (!user) {
    const from = `${location.pathname}${slot ? `?start=${encodeURIComponent(slot.start)}` : location.search}`;
    return (
      <div className="instrument-booking-form">
        <SelectedSlot slot={slot} timeZone={instrument.timeZone} />
        <p>
          <Link to="/login" state={{ from }} className="instrument-login">
            {texts.loginToBook}
          </Link>
        </p>
        <p className="hint">{texts.loginHint}</p>
      </div>
    );
  }
  if (user.role === 'department_staff') return <p className="hint">{texts.cannotBook}</p>;

  const chosen = quote?.voucherOptions.find((option) => option.grantId === grantId && option.coverableFen > 0) ?? null;
  const voucherFen = chosen ? Math.round(Number(voucherYuan || '0') * 100) : 0;
  const voucherInvalid = chosen !== null && (!Number.isFinite(voucherFen) || voucherFen < 0 || voucherFen > chosen.coverableFen);
  const feeFen = quote?.fee?.amountFen ?? 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!slot || submitting || voucherInvalid || !samplesValid) return;
    const body = {
      instrumentId: instrument.id,
      start: slot.start,
      end: slot.end,
      mode,
      purpose: purpose.trim(),
      ...(sampleCount !== undefined && { sampleCount }),
      ...(notes.trim() && { notes: notes.trim() }),
      ...(chosen && voucherFen > 0 && { voucher: { grantId: chosen.grantId, amountFen: voucherFen } }),
    };
    const json = JSON.stringify(body);
    // One key per attempt: the same request sent again (a double click, a retry after a lost answer) books once.
    if (attempt.current?.body !== json) attempt.current = { body: json, key: randomKey() };
    setSubmitting(true);
    setError(null);
    setRefusal(null);
    setNearest(null);
    try {
      const booking = await api<Booking>('booking', '/bookings', { method: 'POST', token, body, headers: { 'Idempotency-Key': attempt.current.key } });
      attempt.current = null;
      setResult(booking);
      setPurpose('');
      setNotes('');
      props.onBooked();
    } catch (caught) {
      if (!(caught instanceof ApiError) || caught.code !== 'NETWORK') attempt.current = null;
      setError(describe(caught));
      if (caught instanceof ApiError) {
        setRefusal(caught.code);
        if (TIME_CODES.has(caught.code)) {
          if (caught.code === 'SLOT_TAKEN') props.onTimeChanged();
          void findNearest(slot);
        }
      }
    } finally {
      setSubmitting(false);
    }
  }

  function describe(caught: unknown): string {
    const words = errorText(caught, t, language);
    const clash = caught instanceof ApiError ? (caught.details as { clash?: { start: string; end: string } } | undefined)?.clash : undefined;
    if (caught instanceof ApiError && caught.code === 'SLOT_TAKEN' && clash) {
      const from = formatLocal(clash.start, instrument.timeZone, language);
      const to = wallClock(Date.parse(clash.end), instrument.timeZone).time;
      return `${texts.clash(from, to)} ${words}`;
    }
    return words;
  }

  async function findNearest(wanted: FreeSlot) {
    setNearest('loading');
    const at = Date.parse(wanted.start);
    try {
      const answer = await api<{ slots: FreeSlot[] }>('booking', `/instruments/${instrument.id}/slots`, {
        query: {
          from: new Date(Math.max(Date.now(), at - 3 * DAY)).toISOString(),
          to: new Date(at + 4 * DAY).toISOString(),
          durationMinutes: props.durationMinutes,
        },
      });
      const closest = answer.slots
        .filter((candidate) => candidate.start !== wanted.start)
        .sort((left, right) => Math.abs(Date.parse(left.start) - at) - Math.abs(Date.parse(right.start) - at))
        .slice(0, NEAREST_COUNT)
        .sort((left, right) => left.start.localeCompare(right.start));
      setNearest(closest);
    } catch {
      setNearest([]);
    }
  }

  return (
    <form className="instrument-booking-form" onSubmit={submit} aria-labelledby="booking-form-title">
      <h3 id="booking-form-title">{texts.form}</h3>
      <SelectedSlot slot={slot} timeZone={instrument.timeZone} />
      <label htmlFor="booking-mode">{texts.mode}</label>
      <select id="booking-mode" value={mode} onChange={(event) => setMode(event.target.value as ServiceMode)} aria-describedby={mode === 'self_operated' ? 'self-hint' : undefined}>
          {modes.map((offered) => (
            <option key={offered} value={offered}>
              {t.modes[offered]}
            </option>
          ))}
      </select>
      {mode === 'self_operated' && (
        <p id="self-hint" className="hint">
          {texts.selfHint}
        </p>
      )}
      <label>
        {texts.purpose}
        <textarea required maxLength={2000} rows={3} value={purpose} onChange={(event) => setPurpose(event.target.value)} />
      </label>
      {mode === 'sample_submission' && (
        <label>
          {texts.samples}
          <input type="number" min={1} max={10000} step={1} inputMode="numeric" required value={samples} onChange={(event) => setSamples(event.target.value)} />
        </label>
      )}
      <label>
        {texts.notes}
        <input type="text" maxLength={2000} value={notes} onChange={(event) => setNotes(event.target.value)} />
      </label>

      {slot && (
        <section className="instrument-quote" aria-labelledby="quote-title" aria-busy={quoting}>
          <h4 id="quote-title">{texts.quoteTitle}</h4>
          {quoting && !quote && (
            <p role="status" className="muted">
              {texts.quoteLoading}
            </p>
          )}
          {quote && (
            <>
              <p className="instrument-fee">
                {quote.fee ? (
                  <>
                    {texts.fee}: <strong>{formatYuan(quote.fee.amountFen, language)}</strong>{' '}
                    <span className="muted">
                      ({texts.feeRate(`${formatYuan(quote.fee.rateFen, language)}${t.price.per(t.units[quote.fee.unit])}`, quote.fee.internal)})
                    </span>
                  </>
                ) : (
                  texts.noFee
                )}
              </p>
              {user.role === 'firm_member' && (
                <fieldset className="instrument-voucher">
                  <legend>{texts.voucherTitle}</legend>
                  {quote.voucherOptions.length === 0 && <p className="hint">{texts.noVouchers}</p>}
                  {quote.voucherOptions.length > 0 && (
                    <label className="instrument-radio">
                      <input
                        type="radio"
                        name="voucher"
                        checked={!chosen}
                        onChange={() => {
                          voucherTouched.current = true;
                          setGrantId('');
                        }}
                      />
                      {texts.noVoucher}
                    </label>
                  )}
                  {quote.voucherOptions.map((option) => (
                    <div key={option.grantId}>
                      <label className="instrument-radio">
                        <input
                          type="radio"
                          name="voucher"
                          disabled={option.coverableFen <= 0}
                          checked={chosen?.grantId === option.grantId}
                          aria-describedby={option.refusal ? `refusal-${option.grantId}` : undefined}
                          onChange={() => {
                            voucherTouched.current = true;
                            setGrantId(option.grantId);
                            setVoucherYuan(yuanInput(option.coverableFen));
                          }}
                        />
                        {texts.voucherOption(option.programName, formatYuan(option.coverableFen, language), formatYuan(option.availableFen, language))}
                      </label>
                      {option.refusal && (
                        <p id={`refusal-${option.grantId}`} className="hint instrument-refusal">
                          {errorText(new ApiError(422, option.refusal, option.refusal), t, language)}
                        </p>
                      )}
                    </div>
                  ))}
                  {chosen && (
                    <label>
                      {texts.voucherAmount}
                      <input
                        type="number"
                        min={0}
                        max={chosen.coverableFen / 100}
                        step={0.01}
                        inputMode="decimal"
                        value={voucherYuan}
                        aria-describedby="voucher-max"
                        aria-invalid={voucherInvalid}
                        onChange={(event) => {
                          voucherTouched.current = true;
                          setVoucherYuan(event.target.value);
                        }}
                      />
                      <span id="voucher-max" className="hint">
                        {texts.voucherAmountHint(formatYuan(chosen.coverableFen, language))}
                      </span>
                    </label>
                  )}
                  {voucherInvalid && chosen && <ErrorMessage text={texts.voucherTooMuch(formatYuan(chosen.coverableFen, language))} />}
                </fieldset>
              )}
              {user.role === 'firm_member' && quote.fee && !voucherInvalid && (
                <dl className="instrument-pay" aria-live="polite">
                  <dt>{texts.voucherPart}</dt>
                  <dd>{formatYuan(voucherFen, language)}</dd>
                  <dt>{texts.rest}</dt>
                  <dd>
                    <strong>{formatYuan(feeFen - voucherFen, language)}</strong>
                  </dd>
                </dl>
              )}
            </>
          )}
        </section>
      )}

      <ErrorMessage text={error} />
      {refusal === 'QUALIFICATION_REQUIRED' && modes.includes('sample_submission') && (
        <button type="button" className="secondary" onClick={() => setMode('sample_submission')}>
          {texts.sampleOption}
        </button>
      )}
      {nearest === 'loading' && (
        <p role="status" className="muted">
          {texts.nearestLoading}
        </p>
      )}
      {Array.isArray(nearest) && (
        <div className="instrument-nearest" role="group" aria-labelledby="nearest-title">
          <p id="nearest-title">{nearest.length > 0 ? texts.nearestTitle : texts.nearestNone}</p>
          <ul>
            {nearest.map((candidate) => (
              <li key={candidate.start}>
                <button type="button" className="secondary" onClick={() => props.onChooseSlot(candidate)}>
                  {formatLocal(candidate.start, instrument.timeZone, language)}–{wallClock(Date.parse(candidate.end), instrument.timeZone).time}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <button type="submit" disabled={!slot || submitting || voucherInvalid || !samplesValid} aria-describedby={slot ? undefined : 'no-slot-hint'}>
        {submitting ? texts.submitting : texts.submit}
      </button>
      {submitting && <span role="status" className="visually-hidden">{texts.submitting}</span>}
    </form>
  );
}

function yuanInput(fen: number): string {
  return fen % 100 === 0 ? String(fen / 100) : `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

function SelectedSlot({ slot, timeZone }: { slot: FreeSlot | null; timeZone: string }) {
  const { language } = useI18n();
  const texts = useTexts(instrumentTexts);
  if (!slot) {
    return (
      <p id="no-slot-hint" className="hint">
        {texts.noneSelected}
      </p>
    );
  }
  const start = wallClock(Date.parse(slot.start), timeZone);
  const end = wallClock(Date.parse(slot.end), timeZone);
  return (
    <p className="instrument-selected">
      {texts.selected}: <strong>{`${dayLabel(start.date, language)} ${start.time}–${end.date === start.date ? end.time : `${dayLabel(end.date, language)} ${end.time}`}`}</strong>
    </p>
  );
}

function BookingResult({ booking, onAnother }: { booking: Booking; onAnother(): void }) {
  const { language } = useI18n();
  const texts = useTexts(instrumentTexts);
  const confirmed = booking.status === 'confirmed';
  return (
    <div className="instrument-result" role="status">
      <p className={confirmed ? 'success' : 'instrument-pending'}>{confirmed ? texts.confirmed : texts.pending}</p>
      <dl>
        <dt>{texts.resultWhen}</dt>
        <dd>
          {formatLocal(booking.start, booking.timeZone, language)}–{wallClock(Date.parse(booking.end), booking.timeZone).time}
        </dd>
        {booking.quote && (
          <>
            <dt>{texts.resultFee}</dt>
            <dd>{formatYuan(booking.quote.amountFen, language)}</dd>
          </>
        )}
        {booking.voucher && booking.voucher.reservedFen > 0 && (
          <>
            <dt>{texts.voucherPart}</dt>
            <dd>{texts.resultVoucher(booking.voucher.programName, formatYuan(booking.voucher.reservedFen, language))}</dd>
          </>
        )}
      </dl>
      <p className="instrument-result-actions">
        <Link to="/bookings">{texts.myBookings}</Link>
        <button type="button" className="secondary" onClick={onAnother}>
          {texts.bookAnother}
        </button>
      </p>
    </div>
  );
}
