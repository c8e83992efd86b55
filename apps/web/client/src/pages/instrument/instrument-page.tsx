import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { localName, useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatYuan } from '../../shared/format';
import { Loading } from '../../shared/loading';
import { AvailabilityCalendar } from './availability-calendar';
import { BookingPanel } from './booking-panel';
import { instrumentTexts } from './instrument-texts';
import { durationText, wallClock } from './instrument-time';
import type { BookingRules, FreeSlot, InstrumentRecord, OpeningRules, Performance } from './instrument-types';
import './instrument-page.css';

/** The instrument's record, fees, rules and public performance, and its calendar to book from. */
export default function InstrumentPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const texts = useTexts(instrumentTexts);
  const { token } = useSession();
  const [instrument, setInstrument] = useState<InstrumentRecord | null>(null);
  const [opening, setOpening] = useState<OpeningRules | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    Promise.all([
      api<InstrumentRecord>('catalog', `/instruments/${id}`, { token, signal: controller.signal }),
      api<OpeningRules>('booking', `/instruments/${id}/booking-rules`, { token, signal: controller.signal }),
    ])
      .then(([record, rules]) => {
        setInstrument(record);
        setOpening(rules);
      })
      .catch((caught) => {
        if ((caught as Error).name === 'AbortError') return;
        setError(caught instanceof ApiError && (caught.status === 404 || caught.status === 400) ? texts.notFound : errorText(caught, t, language));
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, token, attempt]);

  if (error) {
    return (
      <section>
        <ErrorMessage text={error} />
        <p className="instrument-actions">
          <button type="button" onClick={() => setAttempt(attempt + 1)}>
            {texts.retry}
          </button>
          <Link to="/">{texts.back}</Link>
        </p>
      </section>
    );
  }
  if (!instrument || !opening) return <Loading />;

  return (
    <article className="instrument-page" aria-labelledby="instrument-title">
      <header className="instrument-header">
        <h1 id="instrument-title">{localName(language, instrument)}</h1>
        {language === 'zh' && instrument.nameEn && <p className="instrument-subtitle">{instrument.nameEn}</p>}
        <p className="instrument-meta">
          {[instrument.manufacturer, instrument.model].filter(Boolean).join(' ')} · {localName(language, instrument.category)} · {localName(language, instrument.institution)} ·{' '}
          {instrument.location.cityName} {instrument.location.countyName}
        </p>
      </header>
      <div className="instrument-columns">
        <RecordSection instrument={instrument} />
        <div className="instrument-side">
          <FeesSection instrument={instrument} />
          <PerformanceSection instrumentId={instrument.id} />
        </div>
      </div>
      <RulesSection instrument={instrument} opening={opening} />
      <BookingSection instrument={instrument} rules={opening.rules} />
    </article>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <div className="instrument-field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function RecordSection({ instrument }: { instrument: InstrumentRecord }) {
  const { language } = useI18n();
  const texts = useTexts(instrumentTexts);
  const { location, contact } = instrument;
  return (
    <section className="instrument-card" aria-labelledby="record-title">
      <h2 id="record-title">{texts.record}</h2>
      <dl className="instrument-fields">
        <Field label={texts.model}>{instrument.model}</Field>
        <Field label={texts.manufacturer}>{instrument.manufacturer}</Field>
        <Field label={texts.category}>{localName(language, instrument.category)}</Field>
        <Field label={texts.institution}>{localName(language, instrument.institution)}</Field>
        <Field label={texts.department}>{instrument.department}</Field>
        <Field label={texts.location}>{`${location.cityName} ${location.countyName}`}</Field>
        <Field label={texts.address}>{location.address}</Field>
        <Field label={texts.contact}>
          {contact.name} · <a href={`tel:${contact.phone}`}>{contact.phone}</a> · <a href={`mailto:${contact.email}`}>{contact.email}</a>
        </Field>
        <Field label={texts.condition}>{texts.conditions[instrument.condition]}</Field>
        <Field label={texts.originalValue}>{formatYuan(instrument.originalValueFen, language)}</Field>
        <Field label={texts.countryOfOrigin}>{instrument.countryOfOrigin}</Field>
        <Field label={texts.inService}>{instrument.inServiceDate}</Field>
        <Field label={texts.subjectAreas}>{instrument.subjectAreas.join('、')}</Field>
      </dl>
      <dl className="instrument-texts">
        <Field label={texts.functions}>{instrument.functions}</Field>
        <Field label={texts.serviceContent}>{instrument.serviceContent}</Field>
        <Field label={texts.specs}>{instrument.specs}</Field>
      </dl>
    </section>
  );
}

function FeesSection({ instrument }: { instrument: InstrumentRecord }) {
  const { t, language } = useI18n();
  const texts = useTexts(instrumentTexts);
  return (
    <section className="instrument-card" aria-labelledby="fees-title">
      <h2 id="fees-title">{texts.feesTitle}</h2>
      <p>
        {texts.serviceModes}: <strong>{instrument.serviceModes.map((mode) => t.modes[mode]).join(' / ')}</strong>
      </p>
      {instrument.fees.length === 0 ? (
        <p>{texts.noFees}</p>
      ) : (
        <div className="instrument-table-wrap">
          <table className="instrument-fees">
            <thead>
              <tr>
                <th scope="col">{texts.feeItem}</th>
                <th scope="col">{texts.internalRate}</th>
                <th scope="col">{texts.externalRate}</th>
              </tr>
            </thead>
            <tbody>
              {instrument.fees.map((fee, index) => (
                <tr key={index}>
                  <th scope="row">{fee.description || t.units[fee.unit]}</th>
                  <td>
                    {formatYuan(fee.internalRateFen, language)}
                    {t.price.per(t.units[fee.unit])}
                  </td>
                  <td>
                    {formatYuan(fee.externalRateFen, language)}
                    {t.price.per(t.units[fee.unit])}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PerformanceSection({ instrumentId }: { instrumentId: string }) {
  const { t, language } = useI18n();
  const texts = useTexts(instrumentTexts);
  const { token } = useSession();
  const [performance, setPerformance] = useState<Performance | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api<Performance>('worker', `/instruments/${instrumentId}/performance`, { token, signal: controller.signal })
      .then(setPerformance)
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [instrumentId, token]);
  const percent = (rate: number) => new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { style: 'percent', maximumFractionDigits: 0 }).format(rate);
  return (
    <section className="instrument-card" aria-labelledby="performance-title">
      <h2 id="performance-title">{texts.performanceTitle}</h2>
      <ErrorMessage text={error} />
      {!performance && !error && <Loading />}
      {performance && (
        <dl className="instrument-fields instrument-performance">
          <Field label={texts.utilization}>{texts.bands[performance.utilizationBand]}</Field>
          <Field label={texts.medianApproval}>
            {performance.medianApprovalHours === null ? texts.noDecisions : texts.approvalHours(performance.medianApprovalHours, performance.decisions)}
          </Field>
          <Field label={texts.completionRate}>
            {performance.completionRate === null ? texts.noSettled : texts.completion(percent(performance.completionRate), performance.settledBookings)}
          </Field>
          <Field label={texts.rating}>
            {performance.averageRating === null ? texts.noRatings : texts.ratingValue(performance.averageRating.toFixed(1), performance.ratingCount)}
          </Field>
        </dl>
      )}
    </section>
  );
}

function RulesSection({ instrument, opening }: { instrument: InstrumentRecord; opening: OpeningRules }) {
  const texts = useTexts(instrumentTexts);
  const { rules } = opening;
  const hours = (weekday: number) =>
    opening.weeklyHours
      .filter((window) => window.weekday === weekday)
      .map((window) => `${window.opens}–${window.closes}`)
      .join('，');
  return (
    <section className="instrument-card" aria-labelledby="rules-title">
      <h2 id="rules-title">{texts.rulesTitle}</h2>
      <p>
        <strong>{texts.sharing[instrument.sharingMode]}</strong>
      </p>
      {instrument.sharingRules && <p className="instrument-prose">{instrument.sharingRules}</p>}
      <div className="instrument-columns">
        <div>
          <h3>{texts.bookingRules}</h3>
          <ul className="instrument-rules">
            <li>{rules.requiresApproval ? texts.approval : texts.instant}</li>
            <li>{texts.durationRange(durationText(rules.minDurationMinutes, texts), durationText(rules.maxDurationMinutes, texts))}</li>
            <li>{texts.slotGrid(rules.slotMinutes)}</li>
            <li>{texts.notice(durationText(rules.minNoticeMinutes, texts))}</li>
            <li>{texts.advance(rules.maxAdvanceDays)}</li>
            {rules.bufferMinutes > 0 && <li>{texts.buffer(rules.bufferMinutes)}</li>}
            {rules.maxMinutesPerDay ? <li>{texts.perDay(durationText(rules.maxMinutesPerDay, texts))}</li> : null}
            {rules.maxMinutesPerWeek ? <li>{texts.perWeek(durationText(rules.maxMinutesPerWeek, texts))}</li> : null}
          </ul>
        </div>
        <div>
          <h3>{texts.openingHours}</h3>
          <table className="instrument-hours">
            <tbody>
              {texts.weekdays.map((name, index) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{hours(index + 1) || texts.closed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

/** Durations the rules allow: multiples of the slot grid from the shortest to the longest. */
function durations(rules: BookingRules): number[] {
  const list: number[] = [];
  const first = Math.ceil(rules.minDurationMinutes / rules.slotMinutes) * rules.slotMinutes;
  for (let minutes = first; minutes <= rules.maxDurationMinutes && list.length < 48; minutes += rules.slotMinutes) list.push(minutes);
  return list.length > 0 ? list : [first];
}

function BookingSection({ instrument, rules }: { instrument: InstrumentRecord; rules: BookingRules }) {
  const texts = useTexts(instrumentTexts);
  const [params] = useSearchParams();
  const wanted = params.get('start');
  const options = durations(rules);
  const [duration, setDuration] = useState(() => options.find((minutes) => minutes >= 60) ?? options[options.length - 1]);
  const [anchor, setAnchor] = useState(() => wallClock(wanted && !Number.isNaN(Date.parse(wanted)) ? Date.parse(wanted) : Date.now(), instrument.timeZone).date);
  const [slot, setSlot] = useState<FreeSlot | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);

  // A link with ?start=<instant> (from the find page) preselects that time when it is free for the duration.
  useEffect(() => {
    if (!wanted || Number.isNaN(Date.parse(wanted))) return;
    const at = Date.parse(wanted);
    const controller = new AbortController();
    api<{ slots: FreeSlot[] }>('booking', `/instruments/${instrument.id}/slots`, {
      signal: controller.signal,
      query: { from: new Date(at).toISOString(), to: new Date(at + rules.slotMinutes * 60_000).toISOString(), durationMinutes: duration },
    })
      .then((answer) => {
        const match = answer.slots.find((candidate) => Date.parse(candidate.start) === at);
        if (match) setSlot(match);
      })
      .catch(() => undefined);
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wanted, instrument.id]);

  function choose(next: FreeSlot) {
    setSlot(next);
    setAnchor(wallClock(Date.parse(next.start), instrument.timeZone).date);
  }

  return (
    <section className="instrument-card instrument-booking" aria-labelledby="calendar-title">
      <h2 id="calendar-title">{texts.calendarTitle}</h2>
      <div className="instrument-duration">
        <label htmlFor="booking-duration">{texts.duration}</label>
        <select
          id="booking-duration"
          value={duration}
          onChange={(event) => {
            setDuration(Number(event.target.value));
            setSlot(null);
          }}
        >
          {options.map((minutes) => (
            <option key={minutes} value={minutes}>
              {durationText(minutes, texts)}
            </option>
          ))}
        </select>
      </div>
      <div className="instrument-booking-layout">
        <AvailabilityCalendar
          instrumentId={instrument.id}
          timeZone={instrument.timeZone}
          rules={rules}
          durationMinutes={duration}
          anchor={anchor}
          onAnchor={setAnchor}
          selectedStart={slot?.start ?? null}
          onSelect={setSlot}
          refreshKey={refreshKey}
        />
        <BookingPanel
          instrument={instrument}
          slot={slot}
          durationMinutes={duration}
          onChooseSlot={choose}
          onTimeChanged={() => setRefreshKey((key) => key + 1)}
          onBooked={() => {
            setSlot(null);
            setRefreshKey((key) => key + 1);
          }}
        />
      </div>
    </section>
  );
}
