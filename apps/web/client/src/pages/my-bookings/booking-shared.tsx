import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import type { InstrumentSummary } from '../../api/catalog-types';
import { defineTexts, localName, useI18n, useTexts } from '../../i18n/i18n';
import type { Language } from '../../i18n/i18n';
import { formatLocal } from '../../shared/format';

/** The booking service's answers, as My bookings and the lab console use them (see the booking service's /docs). */
export type BookingStatus = 'held' | 'pending' | 'confirmed' | 'in_use' | 'completed' | 'rejected' | 'cancelled' | 'no_show' | 'expired' | 'lapsed';
export type ServiceMode = 'self_operated' | 'sample_submission';

export interface Booking {
  id: string;
  instrumentId: string;
  status: BookingStatus;
  mode: ServiceMode;
  start: string;
  end: string;
  timeZone: string;
  startLocal: string;
  endLocal: string;
  holdExpiresAt?: string;
  userId?: string;
  /** The booker's name, for the booker, the lab managers and staff of the region. */
  userName?: string;
  purpose?: string;
  sampleCount?: number;
  notes?: string;
  quote?: { unit: 'hour' | 'sample' | 'day' | 'run'; rateFen: number; amountFen: number; internal: boolean } | null;
  finalFeeFen?: number;
  cancellationFeeFen?: number;
  actualStart?: string;
  actualEnd?: string;
  decisionReason?: string;
  cancellationReason?: string;
  rating?: number;
  ratingComment?: string;
  voucher?: { grantId: string; programId: string; programName: string; status: 'reserved' | 'released' | 'redeemed'; reservedFen: number; redeemedFen: number; allowTopUp: boolean };
  version: number;
  createdAt: string;
}

export interface BookingPage {
  items: Booking[];
  total: number;
  page: number;
  pageSize: number;
}

/** A booking that a change of hours or rules would leave outside them. */
export interface AffectedBooking {
  id: string;
  status: string;
  start: string;
  end: string;
}

export const bookingTexts = defineTexts({
  zh: {
    status: {
      held: '暂留中',
      pending: '待审批',
      confirmed: '已确认',
      in_use: '使用中',
      completed: '已完成',
      rejected: '已拒绝',
      cancelled: '已取消',
      no_show: '未到场',
      expired: '审批超时',
      lapsed: '暂留已失效',
    } satisfies Record<BookingStatus, string>,
    voucherStatus: { reserved: '已预留', released: '已退回', redeemed: '已兑付' },
    instrumentLoading: '仪器名称加载中…',
  },
  en: {
    status: {
      held: 'Held',
      pending: 'Awaiting approval',
      confirmed: 'Confirmed',
      in_use: 'In use',
      completed: 'Completed',
      rejected: 'Rejected',
      cancelled: 'Cancelled',
      no_show: 'No-show',
      expired: 'Not decided in time',
      lapsed: 'Hold lapsed',
    },
    voucherStatus: { reserved: 'reserved', released: 'released', redeemed: 'redeemed' },
    instrumentLoading: 'Loading the instrument’s name…',
  },
});

/** Start and end on the instrument's clock: the end without its date when both fall on the same local day. */
export function formatSpan(start: string, end: string, timeZone: string, language: Language): string {
  const sameDay = localDay(start, timeZone) === localDay(end, timeZone);
  const endText = sameDay
    ? formatLocal(end, timeZone, language, { month: undefined, day: undefined, weekday: undefined })
    : formatLocal(end, timeZone, language);
  return `${formatLocal(start, timeZone, language)} – ${endText}`;
}

function localDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** The offset of a zone at an instant, in minutes east of UTC. */
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const value = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  const asUtc = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour') % 24, value('minute'), value('second'));
  return Math.round((asUtc - instant) / 60_000);
}

/** A wall-clock date (YYYY-MM-DD) and time (HH:mm) in a zone, as an ISO instant (UTC). */
export function zonedInstant(date: string, time: string, timeZone: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let instant = wall - offsetMinutes(wall, timeZone) * 60_000;
  instant = wall - offsetMinutes(instant, timeZone) * 60_000;
  return new Date(instant).toISOString();
}

/** The local date and time (HH:mm) of an instant in a zone, for date and time inputs. */
export function zonedParts(iso: string, timeZone: string): { date: string; time: string } {
  const date = localDay(iso, timeZone);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  return { date, time };
}

const nameCache = new Map<string, Promise<InstrumentSummary | null>>();

/** The catalog's record of each instrument (for its name), fetched once per instrument and kept. */
export function useInstruments(ids: string[], token: string | null): Map<string, InstrumentSummary | null> {
  const [known, setKnown] = useState<Map<string, InstrumentSummary | null>>(new Map());
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    let live = true;
    const wanted = key ? key.split(',') : [];
    Promise.all(
      wanted.map((id) => {
        if (!nameCache.has(id)) {
          const request = api<InstrumentSummary>('catalog', `/instruments/${id}`, { token }).catch(() => {
            nameCache.delete(id);
            return null;
          });
          nameCache.set(id, request);
        }
        return nameCache.get(id)!.then((instrument) => [id, instrument] as const);
      }),
    ).then((entries) => {
      if (live) setKnown(new Map(entries));
    });
    return () => {
      live = false;
    };
  }, [key, token]);
  return known;
}

/** Remembers instruments the page already has in full (the lab console's list), so names need no request. */
export function rememberInstruments(instruments: InstrumentSummary[]): void {
  for (const instrument of instruments) if (!nameCache.has(instrument.id)) nameCache.set(instrument.id, Promise.resolve(instrument));
}

export function InstrumentName({ id, instruments }: { id: string; instruments: Map<string, InstrumentSummary | null> }) {
  const { language } = useI18n();
  const texts = useTexts(bookingTexts);
  const instrument = instruments.get(id);
  if (instrument === undefined) return <span className="muted">{texts.instrumentLoading}</span>;
  return <>{instrument ? localName(language, instrument) : id}</>;
}

export function StatusBadge({ status }: { status: BookingStatus }) {
  const texts = useTexts(bookingTexts);
  return <span className={`bookings-status bookings-status-${status}`}>{texts.status[status]}</span>;
}
