import { useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatLocal } from '../../shared/format';
import { Loading } from '../../shared/loading';
import { formatSpan, zonedInstant } from '../my-bookings/booking-shared';
import type { AffectedBooking } from '../my-bookings/booking-shared';
import { InstrumentPicker, useConsole, useSelectedInstrument } from './console-context';
import { labTexts } from './lab-console-texts';

interface Window {
  weekday: number;
  opens: string;
  closes: string;
}

interface Rules {
  slotMinutes: number;
  minDurationMinutes: number;
  maxDurationMinutes: number;
  bufferMinutes: number;
  minNoticeMinutes: number;
  maxAdvanceDays: number;
  maxMinutesPerDay?: number | null;
  maxMinutesPerWeek?: number | null;
  requiresApproval: boolean;
  reminderOffsetsMinutes: number[];
}

interface OpeningRules {
  instrumentId: string;
  timeZone: string;
  rules: Rules;
  weeklyHours: Window[];
  affectedBookings: AffectedBooking[];
  dryRun: boolean;
}

interface DateException {
  id: string;
  date: string;
  kind: 'closed' | 'open';
  opens?: string;
  closes?: string;
  reason?: string;
  affectedBookings?: AffectedBooking[];
}

interface Closure {
  id: string;
  startsOn: string;
  endsOn: string;
  reason: string;
  affectedBookings?: AffectedBooking[];
}

interface Maintenance {
  id: string;
  start: string;
  end: string;
  reason: string;
}

const SLOT_MINUTES = [5, 10, 15, 20, 30, 60, 120, 240];

/** Weekly hours, booking rules, date exceptions, closures and maintenance of one instrument; each change previewed against the bookings it would affect. */
export function AvailabilityEditor() {
  const { t, language } = useI18n();
  const texts = useTexts(labTexts);
  const { token } = useSession();
  const [instrumentId, setInstrumentId] = useSelectedInstrument();
  const [current, setCurrent] = useState<OpeningRules | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setCurrent(null);
    setError(null);
    api<OpeningRules>('booking', `/instruments/${instrumentId}/booking-rules`, { token, signal: controller.signal })
      .then(setCurrent)
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [instrumentId, token, reloads]);

  return (
    <section aria-labelledby="lab-availability-title">
      <h2 id="lab-availability-title">{texts.availabilityTitle}</h2>
      <InstrumentPicker value={instrumentId} onChange={setInstrumentId} />
      <ErrorMessage text={error} />
      {!current && !error && <Loading />}
      {current && (
        <>
          <p className="hint">
            {texts.zoneHint(current.timeZone)} {texts.previewFirst}
          </p>
          <div className="lab-grid">
            <WeeklyHours key={`hours-${instrumentId}-${reloads}`} current={current} onSaved={() => setReloads(reloads + 1)} />
            <RulesForm key={`rules-${instrumentId}-${reloads}`} current={current} onSaved={() => setReloads(reloads + 1)} />
            <Exceptions key={`exceptions-${instrumentId}`} instrumentId={instrumentId} timeZone={current.timeZone} />
            <Maintenances key={`maintenance-${instrumentId}`} instrumentId={instrumentId} timeZone={current.timeZone} />
            <Closures timeZone={current.timeZone} />
          </div>
        </>
      )}
    </section>
  );
}

/** The bookings a change would affect (dry run) or did affect (saved), with their local times. */
export function AffectedList({ affected, timeZone, saved }: { affected: AffectedBooking[]; timeZone: string; saved: boolean }) {
  const { language } = useI18n();
  const texts = useTexts(labTexts);
  const status = useTexts(labStatusTexts);
  if (affected.length === 0) {
    return (
      <p role="status" className="success">
        {saved ? texts.saved : texts.previewNone}
      </p>
    );
  }
  return (
    <div role="status" className="lab-affected">
      <p>{saved ? texts.affectedSaved(affected.length) : texts.affectedTitle(affected.length)}</p>
      <ul>
        {affected.map((booking) => (
          <li key={booking.id}>
            {formatSpan(booking.start, booking.end, timeZone, language)} · {status[booking.status] ?? booking.status}
          </li>
        ))}
      </ul>
    </div>
  );
}

const labStatusTexts = { zh: { held: '暂留', pending: '待审批', confirmed: '已确认' } as Record<string, string>, en: { held: 'held', pending: 'awaiting approval', confirmed: 'confirmed' } as Record<string, string> };

/** Preview and save for a PUT that supports ?dryRun=true. */
function usePreviewAndSave(path: string, onSaved: () => void) {
  const { t, language } = useI18n();
  const { token } = useSession();
  const [outcome, setOutcome] = useState<{ affected: AffectedBooking[]; saved: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function send(body: unknown, dryRun: boolean) {
    setBusy(true);
    setError(null);
    try {
      const answer = await api<OpeningRules>('booking', path, { method: 'PUT', token, body, query: { dryRun: dryRun ? 'true' : undefined } });
      setOutcome({ affected: answer.affectedBookings, saved: !dryRun });
      if (!dryRun) onSaved();
    } catch (caught) {
      setOutcome(null);
      setError(errorText(caught, t, language));
    } finally {
      setBusy(false);
    }
  }
  return { outcome, busy, error, send, clear: () => setOutcome(null) };
}

function Box({ title, children }: { title: string; children: ReactNode }) {
  const id = `lab-box-${title.replace(/\W+/g, '-')}`;
  return (
    <section className="lab-box" aria-label={title}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

function WeeklyHours({ current, onSaved }: { current: OpeningRules; onSaved(): void }) {
  const texts = useTexts(labTexts);
  const [windows, setWindows] = useState<Window[]>(() => [...current.weeklyHours].sort((a, b) => a.weekday - b.weekday || a.opens.localeCompare(b.opens)));
  const [lastSaved, setLastSaved] = useState<{ affected: AffectedBooking[]; saved: boolean } | null>(null);
  const { outcome, busy, error, send, clear } = usePreviewAndSave(`/instruments/${current.instrumentId}/opening-hours`, () => undefined);
  const shown = outcome ?? lastSaved;
  function change(index: number, patch: Partial<Window>) {
    clear();
    setWindows(windows.map((window, at) => (at === index ? { ...window, ...patch } : window)));
  }
  async function save() {
    await send({ windows }, false);
  }
  useEffect(() => {
    if (outcome?.saved) {
      setLastSaved(outcome);
      onSaved();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [outcome]);
  return (
    <Box title={texts.weeklyTitle}>
      {windows.length === 0 && <p className="hint">{texts.noWindows}</p>}
      <ul className="lab-windows">
        {windows.map((window, index) => (
          <li key={index}>
            <label>
              <span className="visually-hidden">{texts.weekday}</span>
              <select value={window.weekday} onChange={(event) => change(index, { weekday: Number(event.target.value) })} aria-label={texts.weekday}>
                {[1, 2, 3, 4, 5, 6, 7].map((day) => (
                  <option key={day} value={day}>
                    {texts.weekdays[day]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span className="visually-hidden">{texts.opens}</span>
              <input type="time" value={window.opens} aria-label={`${texts.weekdays[window.weekday]} ${texts.opens}`} onChange={(event) => change(index, { opens: event.target.value })} required />
            </label>
            <span aria-hidden="true">–</span>
            <label>
              <span className="visually-hidden">{texts.closes}</span>
              <input type="time" value={window.closes} aria-label={`${texts.weekdays[window.weekday]} ${texts.closes}`} onChange={(event) => change(index, { closes: event.target.value })} required />
            </label>
            <button
              type="button"
              className="secondary lab-small"
              aria-label={texts.removeWindow(texts.weekdays[window.weekday], window.opens, window.closes)}
              onClick={() => {
                clear();
                setWindows(windows.filter((_, at) => at !== index));
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="lab-actions">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            clear();
            setWindows([...windows, { weekday: 1, opens: '08:00', closes: '17:00' }]);
          }}
        >
          {texts.addWindow}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => send({ windows }, true)}>
          {texts.preview}
        </button>
        <button type="button" disabled={busy} onClick={save}>
          {texts.save}
        </button>
      </div>
      {busy && <p role="status" className="muted">{texts.working}</p>}
      <ErrorMessage text={error} />
      {shown && <AffectedList affected={shown.affected} timeZone={current.timeZone} saved={shown.saved} />}
    </Box>
  );
}

function RulesForm({ current, onSaved }: { current: OpeningRules; onSaved(): void }) {
  const texts = useTexts(labTexts);
  const [rules, setRules] = useState<Rules>(current.rules);
  const [reminders, setReminders] = useState(current.rules.reminderOffsetsMinutes.join(', '));
  const [lastSaved, setLastSaved] = useState<{ affected: AffectedBooking[]; saved: boolean } | null>(null);
  const { outcome, busy, error, send, clear } = usePreviewAndSave(`/instruments/${current.instrumentId}/booking-rules`, () => undefined);
  const shown = outcome ?? lastSaved;
  useEffect(() => {
    if (outcome?.saved) {
      setLastSaved(outcome);
      onSaved();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [outcome]);
  const body = () => ({
    ...rules,
    maxMinutesPerDay: rules.maxMinutesPerDay || null,
    maxMinutesPerWeek: rules.maxMinutesPerWeek || null,
    reminderOffsetsMinutes: reminders
      .split(/[,，\s]+/)
      .filter(Boolean)
      .map(Number),
  });
  const number = (key: keyof Rules, label: string, optional = false) => (
    <label>
      {label}
      <input
        type="number"
        min={optional ? 1 : 0}
        value={(rules[key] as number | null | undefined) ?? ''}
        required={!optional}
        onChange={(event) => {
          clear();
          setRules({ ...rules, [key]: event.target.value === '' ? null : Number(event.target.value) });
        }}
      />
    </label>
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    void send(body(), false);
  }
  return (
    <Box title={texts.rulesTitle}>
      <form onSubmit={submit} className="lab-form">
        <label>
          {texts.slotMinutes}
          <select
            value={rules.slotMinutes}
            onChange={(event) => {
              clear();
              setRules({ ...rules, slotMinutes: Number(event.target.value) });
            }}
          >
            {SLOT_MINUTES.map((minutes) => (
              <option key={minutes} value={minutes}>
                {minutes}
              </option>
            ))}
          </select>
        </label>
        {number('minDurationMinutes', texts.minDuration)}
        {number('maxDurationMinutes', texts.maxDuration)}
        {number('bufferMinutes', texts.buffer)}
        {number('minNoticeMinutes', texts.minNotice)}
        {number('maxAdvanceDays', texts.maxAdvance)}
        {number('maxMinutesPerDay', texts.maxPerDay, true)}
        {number('maxMinutesPerWeek', texts.maxPerWeek, true)}
        <label>
          {texts.reminders}
          <input
            value={reminders}
            onChange={(event) => {
              clear();
              setReminders(event.target.value);
            }}
          />
        </label>
        <label className="lab-check">
          <input
            type="checkbox"
            checked={rules.requiresApproval}
            onChange={(event) => {
              clear();
              setRules({ ...rules, requiresApproval: event.target.checked });
            }}
          />
          {texts.requiresApproval}
        </label>
        <div className="lab-actions">
          <button type="button" className="secondary" disabled={busy} onClick={() => send(body(), true)}>
            {texts.preview}
          </button>
          <button type="submit" disabled={busy}>
            {texts.save}
          </button>
        </div>
      </form>
      {busy && <p role="status" className="muted">{texts.working}</p>}
      <ErrorMessage text={error} />
      {shown && <AffectedList affected={shown.affected} timeZone={current.timeZone} saved={shown.saved} />}
    </Box>
  );
}

/** A list loaded from a GET, with add (POST) and remove (DELETE); the POST's affected bookings are shown. */
function useEditableList<T extends { id: string }>(path: string | null, timeZone: string) {
  const { t, language } = useI18n();
  const { token } = useSession();
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [affected, setAffected] = useState<AffectedBooking[] | null>(null);
  const [clash, setClash] = useState<AffectedBooking[] | null>(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    api<T[]>('booking', path, { token, signal: controller.signal })
      .then(setItems)
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, reloads, token]);
  async function add(body: unknown): Promise<boolean> {
    setBusy(true);
    setError(null);
    setAffected(null);
    setClash(null);
    try {
      const created = await api<T & { affectedBookings?: AffectedBooking[] }>('booking', path!, { method: 'POST', token, body });
      setAffected(created.affectedBookings ?? []);
      setReloads((count) => count + 1);
      return true;
    } catch (caught) {
      const details = (caught as { details?: unknown }).details as { bookings?: AffectedBooking[] } | AffectedBooking[] | undefined;
      const list = Array.isArray(details) ? details : details?.bookings;
      if ((caught as { code?: string }).code === 'MAINTENANCE_CLASHES_WITH_BOOKINGS' && Array.isArray(list)) setClash(list);
      else setError(errorText(caught, t, language));
      return false;
    } finally {
      setBusy(false);
    }
  }
  async function remove(id: string) {
    setBusy(true);
    setError(null);
    try {
      await api<void>('booking', `${path}/${id}`, { method: 'DELETE', token });
      setReloads((count) => count + 1);
    } catch (caught) {
      setError(errorText(caught, t, language));
    } finally {
      setBusy(false);
    }
  }
  return { items, error, busy, affected, clash, add, remove, timeZone };
}

function Exceptions({ instrumentId, timeZone }: { instrumentId: string; timeZone: string }) {
  const texts = useTexts(labTexts);
  const list = useEditableList<DateException>(`/instruments/${instrumentId}/availability-exceptions`, timeZone);
  const [form, setForm] = useState({ date: '', kind: 'closed' as 'closed' | 'open', opens: '', closes: '', reason: '' });
  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await list.add({
      date: form.date,
      kind: form.kind,
      ...(form.opens ? { opens: form.opens } : {}),
      ...(form.closes ? { closes: form.closes } : {}),
      ...(form.reason.trim() ? { reason: form.reason.trim() } : {}),
    });
    if (ok) setForm({ ...form, date: '', opens: '', closes: '', reason: '' });
  }
  return (
    <Box title={texts.exceptionsTitle}>
      {list.items && list.items.length === 0 && <p className="hint">{texts.noExceptions}</p>}
      <ul className="lab-items">
        {list.items?.map((item) => (
          <li key={item.id}>
            <span>
              {item.date} · {item.kind === 'closed' ? texts.closed : texts.extraOpen}
              {item.opens ? ` ${item.opens}–${item.closes ?? ''}` : ''}
              {item.reason ? ` · ${item.reason}` : ''}
            </span>
            <button type="button" className="secondary lab-small" disabled={list.busy} onClick={() => list.remove(item.id)} aria-label={`${texts.remove} ${item.date}`}>
              {texts.remove}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="lab-form">
        <label>
          {texts.date}
          <input type="date" value={form.date} required onChange={(event) => setForm({ ...form, date: event.target.value })} />
        </label>
        <label>
          {texts.exceptionKind}
          <select value={form.kind} onChange={(event) => setForm({ ...form, kind: event.target.value as 'closed' | 'open' })}>
            <option value="closed">{texts.closed}</option>
            <option value="open">{texts.extraOpen}</option>
          </select>
        </label>
        <div className="lab-pair">
          <label>
            {texts.opens}
            <input type="time" value={form.opens} required={form.kind === 'open'} onChange={(event) => setForm({ ...form, opens: event.target.value })} />
          </label>
          <label>
            {texts.closes}
            <input type="time" value={form.closes} required={form.kind === 'open'} onChange={(event) => setForm({ ...form, closes: event.target.value })} />
          </label>
        </div>
        {form.kind === 'closed' && <p className="hint">{texts.allDay}</p>}
        <label>
          {texts.reason}
          <input value={form.reason} maxLength={500} onChange={(event) => setForm({ ...form, reason: event.target.value })} />
        </label>
        <button type="submit" disabled={list.busy}>
          {texts.addException}
        </button>
      </form>
      <ErrorMessage text={list.error} />
      {list.affected && <AffectedList affected={list.affected} timeZone={timeZone} saved />}
    </Box>
  );
}

function Closures({ timeZone }: { timeZone: string }) {
  const texts = useTexts(labTexts);
  const { institutionId } = useConsole();
  const list = useEditableList<Closure>(`/institutions/${institutionId}/closures`, timeZone);
  const [form, setForm] = useState({ startsOn: '', endsOn: '', reason: '' });
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await list.add({ ...form, reason: form.reason.trim() })) setForm({ startsOn: '', endsOn: '', reason: '' });
  }
  return (
    <Box title={texts.closuresTitle}>
      {list.items && list.items.length === 0 && <p className="hint">{texts.noClosures}</p>}
      <ul className="lab-items">
        {list.items?.map((item) => (
          <li key={item.id}>
            <span>
              {item.startsOn === item.endsOn ? item.startsOn : `${item.startsOn} – ${item.endsOn}`} · {item.reason}
            </span>
            <button type="button" className="secondary lab-small" disabled={list.busy} onClick={() => list.remove(item.id)} aria-label={`${texts.remove} ${item.startsOn}`}>
              {texts.remove}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="lab-form">
        <div className="lab-pair">
          <label>
            {texts.startsOn}
            <input type="date" value={form.startsOn} required onChange={(event) => setForm({ ...form, startsOn: event.target.value, endsOn: form.endsOn || event.target.value })} />
          </label>
          <label>
            {texts.endsOn}
            <input type="date" value={form.endsOn} min={form.startsOn} required onChange={(event) => setForm({ ...form, endsOn: event.target.value })} />
          </label>
        </div>
        <label>
          {texts.reason}
          <input value={form.reason} required maxLength={500} onChange={(event) => setForm({ ...form, reason: event.target.value })} />
        </label>
        <button type="submit" disabled={list.busy}>
          {texts.addClosure}
        </button>
      </form>
      <ErrorMessage text={list.error} />
      {list.affected && <AffectedList affected={list.affected} timeZone={timeZone} saved />}
    </Box>
  );
}

function Maintenances({ instrumentId, timeZone }: { instrumentId: string; timeZone: string }) {
  const { language } = useI18n();
  const texts = useTexts(labTexts);
  const list = useEditableList<Maintenance>(`/instruments/${instrumentId}/maintenance`, timeZone);
  const [form, setForm] = useState({ startDate: '', startTime: '08:00', endDate: '', endTime: '12:00', reason: '' });
  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await list.add({
      start: zonedInstant(form.startDate, form.startTime, timeZone),
      end: zonedInstant(form.endDate || form.startDate, form.endTime, timeZone),
      reason: form.reason.trim(),
    });
    if (ok) setForm({ ...form, startDate: '', endDate: '', reason: '' });
  }
  return (
    <Box title={texts.maintenanceTitle}>
      {list.items && list.items.length === 0 && <p className="hint">{texts.noMaintenance}</p>}
      <ul className="lab-items">
        {list.items?.map((item) => (
          <li key={item.id}>
            <span>
              {formatSpan(item.start, item.end, timeZone, language)} · {item.reason}
            </span>
            <button
              type="button"
              className="secondary lab-small"
              disabled={list.busy}
              onClick={() => list.remove(item.id)}
              aria-label={`${texts.remove} ${formatLocal(item.start, timeZone, language)}`}
            >
              {texts.remove}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="lab-form">
        <div className="lab-pair">
          <label>
            {texts.startDate}
            <input type="date" value={form.startDate} required onChange={(event) => setForm({ ...form, startDate: event.target.value })} />
          </label>
          <label>
            {texts.startTime}
            <input type="time" value={form.startTime} required onChange={(event) => setForm({ ...form, startTime: event.target.value })} />
          </label>
        </div>
        <div className="lab-pair">
          <label>
            {texts.endDate}
            <input type="date" value={form.endDate} min={form.startDate} onChange={(event) => setForm({ ...form, endDate: event.target.value })} />
          </label>
          <label>
            {texts.endTime}
            <input type="time" value={form.endTime} required onChange={(event) => setForm({ ...form, endTime: event.target.value })} />
          </label>
        </div>
        <label>
          {texts.reason}
          <input value={form.reason} required maxLength={500} onChange={(event) => setForm({ ...form, reason: event.target.value })} />
        </label>
        <button type="submit" disabled={list.busy}>
          {texts.addMaintenance}
        </button>
      </form>
      <ErrorMessage text={list.error} />
      {list.clash && (
        <div role="alert" className="lab-affected">
          <p className="error">{texts.maintenanceClash}</p>
          <ul>
            {list.clash.map((booking) => (
              <li key={booking.id}>{formatSpan(booking.start, booking.end, timeZone, language)}</li>
            ))}
          </ul>
        </div>
      )}
    </Box>
  );
}
