import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import type { Language } from '../../i18n/i18n';
import { ErrorMessage } from '../../shared/error-message';
import { instrumentTexts } from './instrument-texts';
import { DAY, addDays, addMonths, firstOfMonth, mondayOf, startOfLocalDay, wallClock, weekday } from './instrument-time';
import type { BookingRules, BusyPeriod, FreeSlot } from './instrument-types';

export type CalendarView = 'week' | 'month';

interface Props {
  instrumentId: string;
  timeZone: string;
  rules: BookingRules;
  durationMinutes: number;
  /** A local date inside the period shown. */
  anchor: string;
  onAnchor(date: string): void;
  selectedStart: string | null;
  onSelect(slot: FreeSlot): void;
  /** Changes whenever the free times must be asked again (after a booking or a clash). */
  refreshKey: number;
}

interface Period {
  days: string[];
  free: Map<string, FreeSlot[]>;
  busy: Map<string, BusyPeriod[]>;
}

/** A local date as the user reads it: "6月3日 周二" / "Tue 3 Jun". */
export function dayLabel(date: string, language: Language, options: Intl.DateTimeFormatOptions = { month: 'numeric', day: 'numeric', weekday: 'short' }): string {
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'UTC', ...options }).format(new Date(`${date}T00:00:00Z`));
}

/** The long date (weekday, month, day) in parts, for a month cell that shows only the day. */
function dayParts(date: string, language: Language): Intl.DateTimeFormatPart[] {
  const parts = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'UTC', month: 'long', day: 'numeric', weekday: 'long' }).formatToParts(
    new Date(`${date}T00:00:00Z`),
  );
  // the pause before the count, joined to the last hidden part (each hidden part is read as a word of its own)
  const separator = language === 'zh' ? '，' : ',';
  const last = parts[parts.length - 1];
  return last.type === 'day' ? [...parts, { type: 'literal', value: separator }] : [...parts.slice(0, -1), { ...last, value: last.value + separator }];
}

/** Week and month views of the free start times for the chosen duration, with the taken periods. */
export function AvailabilityCalendar(props: Props) {
  const { t, language } = useI18n();
  const texts = useTexts(instrumentTexts);
  const [view, setView] = useState<CalendarView>('week');
  const [period, setPeriod] = useState<Period | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [openDay, setOpenDay] = useState<string | null>(null);
  const today = wallClock(Date.now(), props.timeZone).date;
  const lastDay = addDays(today, props.rules.maxAdvanceDays);

  const first = view === 'week' ? mondayOf(props.anchor) : firstOfMonth(props.anchor);
  const end = view === 'week' ? addDays(first, 7) : addMonths(first, 1);

  useEffect(() => {
    const controller = new AbortController();
    const from = new Date(Math.max(startOfLocalDay(first, props.timeZone), Date.now())).toISOString();
    const to = new Date(startOfLocalDay(end, props.timeZone)).toISOString();
    setLoading(true);
    if (Date.parse(to) <= Date.parse(from)) {
      setPeriod({ days: daysBetween(first, end), free: new Map(), busy: new Map() });
      setLoading(false);
      return;
    }
    const path = `/instruments/${props.instrumentId}`;
    Promise.all([
      api<{ slots: FreeSlot[] }>('booking', `${path}/slots`, { signal: controller.signal, query: { from, to, durationMinutes: props.durationMinutes } }),
      api<BusyPeriod[]>('booking', `${path}/busy`, { signal: controller.signal, query: { from, to } }),
    ])
      .then(([slots, busy]) => {
        const days = daysBetween(first, end);
        const free = new Map<string, FreeSlot[]>(days.map((day) => [day, []]));
        for (const slot of slots.slots) free.get(slot.startLocal.slice(0, 10))?.push(slot);
        const taken = new Map<string, BusyPeriod[]>(days.map((day) => [day, []]));
        for (const item of busy) {
          for (const day of days) {
            const dayStart = startOfLocalDay(day, props.timeZone);
            if (Date.parse(item.start) < dayStart + DAY && Date.parse(item.end) > dayStart) taken.get(day)!.push(item);
          }
        }
        setPeriod({ days, free, busy: taken });
        setError(null);
      })
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.instrumentId, props.timeZone, props.durationMinutes, first, end, props.refreshKey]);

  const step = (direction: 1 | -1) => props.onAnchor(view === 'week' ? addDays(first, 7 * direction) : addMonths(first, direction));
  const canGoBack = first > today;
  const canGoOn = end <= lastDay;
  const heading =
    view === 'week'
      ? `${dayLabel(first, language, { month: 'long', day: 'numeric' })} – ${dayLabel(addDays(end, -1), language, { month: 'long', day: 'numeric' })}`
      : dayLabel(first, language, { year: 'numeric', month: 'long' });

  return (
    <div className="instrument-calendar">
      <div className="instrument-calendar-bar">
        <div role="group" aria-label={texts.calendarTitle} className="instrument-view-switch">
          <button type="button" className={view === 'week' ? '' : 'secondary'} aria-pressed={view === 'week'} onClick={() => setView('week')}>
            {texts.week}
          </button>
          <button type="button" className={view === 'month' ? '' : 'secondary'} aria-pressed={view === 'month'} onClick={() => setView('month')}>
            {texts.month}
          </button>
        </div>
        <div className="instrument-calendar-nav">
          <button type="button" className="secondary" disabled={!canGoBack} onClick={() => step(-1)}>
            {view === 'week' ? texts.previousWeek : texts.previousMonth}
          </button>
          <h3 aria-live="polite" className="instrument-period">
            {heading}
          </h3>
          <button type="button" className="secondary" disabled={!canGoOn} onClick={() => step(1)}>
            {view === 'week' ? texts.nextWeek : texts.nextMonth}
          </button>
          {first > today && (
            <button type="button" className="link-button" onClick={() => props.onAnchor(today)}>
              {texts.today}
            </button>
          )}
        </div>
      </div>
      <p className="hint">{texts.calendarHint}</p>
      <ErrorMessage text={error} />
      <div aria-busy={loading} className="instrument-calendar-body">
        {loading && (
          <p role="status" className="muted">
            {texts.loadingSlots}
          </p>
        )}
        {period && view === 'week' && <WeekView period={period} today={today} {...props} />}
        {period && view === 'month' && (
          <MonthView period={period} month={first} today={today} openDay={openDay} onOpenDay={setOpenDay} {...props} />
        )}
      </div>
    </div>
  );
}

function daysBetween(first: string, end: string): string[] {
  const days: string[] = [];
  for (let day = first; day < end; day = addDays(day, 1)) days.push(day);
  return days;
}

/** Arrow keys move between the slot buttons of a grid of columns (roving tab stop: one Tab enters, one leaves). */
function useSlotKeys(columns: FreeSlot[][], selectedStart: string | null) {
  const container = useRef<HTMLDivElement>(null);
  const [focused, setFocused] = useState<string | null>(null);
  const all = columns.flat();
  const stop = [focused, selectedStart].find((start) => start && all.some((slot) => slot.start === start)) ?? all[0]?.start ?? null;

  function onKeyDown(event: KeyboardEvent) {
    const target = event.target as HTMLElement;
    const column = Number(target.dataset.column);
    const row = Number(target.dataset.row);
    if (Number.isNaN(column) || Number.isNaN(row)) return;
    let next: [number, number] | null = null;
    const nearestIn = (from: number, direction: 1 | -1) => {
      for (let index = from + direction; index >= 0 && index < columns.length; index += direction) {
        if (columns[index].length > 0) return [index, Math.min(row, columns[index].length - 1)] as [number, number];
      }
      return null;
    };
    switch (event.key) {
      case 'ArrowDown':
        next = row + 1 < columns[column].length ? [column, row + 1] : null;
        break;
      case 'ArrowUp':
        next = row > 0 ? [column, row - 1] : null;
        break;
      case 'ArrowRight':
        next = nearestIn(column, 1);
        break;
      case 'ArrowLeft':
        next = nearestIn(column, -1);
        break;
      case 'Home':
        next = [column, 0];
        break;
      case 'End':
        next = [column, columns[column].length - 1];
        break;
      default:
        return;
    }
    event.preventDefault();
    if (!next) return;
    container.current?.querySelector<HTMLButtonElement>(`[data-column="${next[0]}"][data-row="${next[1]}"]`)?.focus();
  }
  return { container, stop, onKeyDown, onFocusSlot: setFocused };
}

function SlotButton(props: {
  slot: FreeSlot;
  column: number;
  row: number;
  selected: boolean;
  tabStop: boolean;
  timeZone: string;
  onSelect(slot: FreeSlot): void;
  onFocusSlot(start: string): void;
}) {
  const { language } = useI18n();
  const texts = useTexts(instrumentTexts);
  const start = wallClock(Date.parse(props.slot.start), props.timeZone);
  const end = wallClock(Date.parse(props.slot.end), props.timeZone);
  const when = `${dayLabel(start.date, language)} ${start.time}–${end.time}`;
  return (
    <button
      type="button"
      className="instrument-slot"
      aria-pressed={props.selected}
      aria-label={texts.slotLabel(when)}
      data-column={props.column}
      data-row={props.row}
      data-start={props.slot.start}
      tabIndex={props.tabStop ? 0 : -1}
      onFocus={() => props.onFocusSlot(props.slot.start)}
      onClick={() => props.onSelect(props.slot)}
    >
      {start.time}
    </button>
  );
}

/** One day's free start times as buttons; `column` places them in the arrow-key grid. */
function SlotList(
  props: Pick<Props, 'selectedStart' | 'timeZone' | 'onSelect'> & { slots: FreeSlot[]; column: number; stop: string | null; onFocusSlot(start: string): void; className?: string },
) {
  return (
    <ul className={`instrument-slots ${props.className ?? ''}`}>
      {props.slots.map((slot, row) => (
        <li key={slot.start}>
          <SlotButton
            slot={slot}
            column={props.column}
            row={row}
            selected={slot.start === props.selectedStart}
            tabStop={slot.start === props.stop}
            timeZone={props.timeZone}
            onSelect={props.onSelect}
            onFocusSlot={props.onFocusSlot}
          />
        </li>
      ))}
    </ul>
  );
}

function BusyList({ busy, timeZone }: { busy: BusyPeriod[]; timeZone: string }) {
  const texts = useTexts(instrumentTexts);
  if (busy.length === 0) return null;
  return (
    <ul className="instrument-busy" aria-label={texts.busy}>
      {busy.map((item) => (
        <li key={`${item.start}-${item.kind}`}>
          {wallClock(Date.parse(item.start), timeZone).time}–{wallClock(Date.parse(item.end), timeZone).time} {texts.busyKinds[item.kind]}
        </li>
      ))}
    </ul>
  );
}

function WeekView(props: Props & { period: Period; today: string }) {
  const { language } = useI18n();
  const texts = useTexts(instrumentTexts);
  const columns = useMemo(() => props.period.days.map((day) => props.period.free.get(day) ?? []), [props.period]);
  const keys = useSlotKeys(columns, props.selectedStart);
  return (
    <div className="instrument-week" ref={keys.container} onKeyDown={keys.onKeyDown}>
      {props.period.days.map((day, column) => (
        <section key={day} className="instrument-day" aria-labelledby={`day-${day}`}>
          <h4 id={`day-${day}`}>{dayLabel(day, language)}</h4>
          {columns[column].length === 0 ? (
            <p className="muted instrument-none">{day < props.today ? texts.past : texts.noFree}</p>
          ) : (
            <SlotList {...props} slots={columns[column]} column={column} stop={keys.stop} onFocusSlot={keys.onFocusSlot} />
          )}
          <BusyList busy={props.period.busy.get(day) ?? []} timeZone={props.timeZone} />
        </section>
      ))}
    </div>
  );
}

function MonthView(props: Props & { period: Period; month: string; today: string; openDay: string | null; onOpenDay(day: string): void }) {
  const { language } = useI18n();
  const texts = useTexts(instrumentTexts);
  const leading = weekday(props.month) - 1;
  const selectedDay = props.selectedStart ? wallClock(Date.parse(props.selectedStart), props.timeZone).date : null;
  const shownDay =
    [props.openDay, selectedDay].find((day) => day && props.period.free.has(day)) ?? props.period.days.find((day) => (props.period.free.get(day)?.length ?? 0) > 0) ?? null;
  const daySlots = shownDay ? (props.period.free.get(shownDay) ?? []) : [];
  const keys = useSlotKeys([daySlots], props.selectedStart);
  return (
    <div className="instrument-month-view">
      <div className="instrument-month" role="group" aria-label={texts.chooseDay}>
        {texts.weekdays.map((name) => (
          <div key={name} className="instrument-month-head" aria-hidden="true">
            {name}
          </div>
        ))}
        {Array.from({ length: leading }, (_, index) => (
          <div key={`blank-${index}`} aria-hidden="true" />
        ))}
        {props.period.days.map((day) => {
          const count = props.period.free.get(day)?.length ?? 0;
          return (
            <button
              key={day}
              type="button"
              className="instrument-month-day secondary"
              aria-pressed={day === shownDay}
              disabled={count === 0}
              onClick={() => props.onOpenDay(day)}
            >
              {/* The name is the visible day and count with the rest of the date and the unit read aloud only (the visible text stays part of the name). */}
              <span className="instrument-month-date">
                {dayParts(day, language).map((part, index) =>
                  part.type === 'day' ? (
                    <Fragment key={index}>{Number(part.value)}</Fragment>
                  ) : (
                    <span key={index} className="visually-hidden">
                      {part.value}
                    </span>
                  ),
                )}
              </span>
              <span className="instrument-month-count">
                {count > 0 ? (
                  <>
                    {count}
                    <span className="visually-hidden"> {texts.freeUnit}</span>
                  </>
                ) : (
                  <>
                    <span aria-hidden="true">–</span>
                    <span className="visually-hidden">{texts.noFree}</span>
                  </>
                )}
              </span>
            </button>
          );
        })}
      </div>
      {shownDay && (
        <section className="instrument-month-slots" aria-labelledby="month-day-title">
          <h4 id="month-day-title">{texts.dayTitle(dayLabel(shownDay, language))}</h4>
          <div ref={keys.container} onKeyDown={keys.onKeyDown}>
            <SlotList {...props} slots={daySlots} column={0} stop={keys.stop} onFocusSlot={keys.onFocusSlot} className="instrument-slots-row" />
            <BusyList busy={props.period.busy.get(shownDay) ?? []} timeZone={props.timeZone} />
          </div>
        </section>
      )}
    </div>
  );
}
