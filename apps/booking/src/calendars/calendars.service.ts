import { createHash, randomBytes } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ical, { ICalCalendar, ICalCalendarMethod, ICalEventBusyStatus, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, DomainError } from '@app/common';
import { inTransaction, isSqlState, SqlState } from '@app/db';
import type { ServiceMode } from '@app/db';
import type { BookingStatus } from '../bookings/dto/booking.dto';
import { loadBookableInstrument } from '../instruments/bookable-instrument';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { CalendarFeedDto } from './dto/calendar.dto';

export enum CalendarErrorCode {
  CALENDAR_FEED_NOT_FOUND = 'CALENDAR_FEED_NOT_FOUND',
}

/** Unknown, revoked and replaced feed tokens all look the same: the token is the only credential. */
export class CalendarFeedNotFoundError extends DomainError {
  constructor() {
    super(
      CalendarErrorCode.CALENDAR_FEED_NOT_FOUND,
      'No calendar feed has this address: it was never issued, or it was revoked or replaced by a newer one',
      HttpStatus.NOT_FOUND,
    );
  }
}

export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';
/** The right-hand side of every UID: globally unique together with the booking or time block id. */
export const CALENDAR_UID_DOMAIN = 'instrument-marketplace';
/** The bookings a personal feed shows: those that still take, or took, the instrument's time. */
export const FEED_STATUSES = ['held', 'pending', 'confirmed', 'in_use', 'completed'] as const satisfies readonly BookingStatus[];
export type FeedStatus = (typeof FEED_STATUSES)[number];

const DAY_MS = 24 * 3600 * 1000;
const FEED_PAST_DAYS = 90;
const FEED_FUTURE_DAYS = 365;
const BUSY_PAST_DAYS = 7;
const BUSY_FUTURE_DAYS = 90;
/** How often subscribed clients are asked to refresh (REFRESH-INTERVAL, X-PUBLISHED-TTL); Google decides by itself. */
const REFRESH_SECONDS = 3600;
const FEED_TOKEN_BYTES = 32;
const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const ONE_LIVE_FEED_PER_USER = 'calendar_feed_one_live_per_user';

/** A booking as the personal feed shows it. */
export interface CalendarBooking {
  id: string;
  status: FeedStatus;
  mode: ServiceMode;
  purpose: string;
  start: Date;
  end: Date;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  instrumentName: string;
  timeZone: string;
  institutionName: string;
  address: string;
}

/** A stretch of an instrument's time that is taken: a booking with its buffer, a live hold, or maintenance. */
export interface CalendarBusyPeriod {
  id: string;
  start: Date;
  end: Date;
  maintenance: boolean;
}

const STATUS_LABELS: Record<FeedStatus, string> = {
  held: '暂留 / Held',
  pending: '待审批 / Pending approval',
  confirmed: '已确认 / Confirmed',
  in_use: '使用中 / In use',
  completed: '已完成 / Completed',
};

const MODE_LABELS: Record<ServiceMode, string> = {
  self_operated: '自主操作 / Self-operated',
  sample_submission: '送样检测 / Sample submission',
};

/**
 * Private iCalendar feeds of a user's bookings behind a revocable token URL, and the public busy
 * time of an instrument. Times are written in UTC (DTSTART:...Z): every client imports them
 * without a VTIMEZONE and shows them on the reader's own clock; the instrument's local time is
 * spelled out in the description.
 */
@Injectable()
export class CalendarsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: BookingAccessPolicy,
    private readonly clock: Clock,
  ) {}

  /** Issues a new feed token for the user; any live one is revoked in the same transaction. */
  async issue(user: AuthUser): Promise<CalendarFeedDto> {
    const token = newFeedToken();
    const now = this.clock.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await inTransaction(this.dataSource, async (manager) => {
          await manager.query(`UPDATE calendar_feed SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [user.id, now]);
          await manager.query(`INSERT INTO calendar_feed (user_id, token_hash, created_at) VALUES ($1, $2, $3)`, [user.id, hashFeedToken(token), now]);
        });
        break;
      } catch (error) {
        // Two issues at once: the other feed went live between our UPDATE and INSERT. Run again,
        // revoking it in turn (the unique index keeps one live feed per user either way).
        if (attempt >= 3 || !isSqlState(error, SqlState.UNIQUE_VIOLATION, ONE_LIVE_FEED_PER_USER)) throw error;
      }
    }
    return { url: feedPath(token), token, createdAt: now.toISOString() };
  }

  /** Revokes the user's live feed, if any; its URL answers 404 from now on. */
  async revoke(user: AuthUser): Promise<void> {
    await this.dataSource.query(`UPDATE calendar_feed SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [user.id, this.clock.now()]);
  }

  /** The feed owner's bookings from 90 days ago to a year ahead, as an iCalendar document. */
  async userFeed(token: string): Promise<string> {
    if (!FEED_TOKEN.test(token)) throw new CalendarFeedNotFoundError();
    const [feed]: { user_id: string }[] = await this.dataSource.query(
      `SELECT user_id FROM calendar_feed WHERE token_hash = $1 AND revoked_at IS NULL`,
      [hashFeedToken(token)],
    );
    if (!feed) throw new CalendarFeedNotFoundError();
    const now = this.clock.now();
    const rows: BookingFeedRow[] = await this.dataSource.query(
      `SELECT b.id, b.status, b.mode, b.purpose, b.starts_at, b.ends_at, b.version, b.created_at, b.updated_at,
              i.name_zh AS instrument_name, i.time_zone, i.address, inst.name_zh AS institution_name
       FROM booking b
       JOIN instrument i ON i.id = b.instrument_id
       JOIN institution inst ON inst.id = i.institution_id
       WHERE b.user_id = $1 AND b.status = ANY($2) AND (b.hold_expires_at IS NULL OR b.hold_expires_at > $3)
         AND b.ends_at > $4 AND b.starts_at < $5
       ORDER BY b.starts_at, b.id`,
      [feed.user_id, [...FEED_STATUSES], now, new Date(now.getTime() - FEED_PAST_DAYS * DAY_MS), new Date(now.getTime() + FEED_FUTURE_DAYS * DAY_MS)],
    );
    return bookingsCalendar(rows.map(toCalendarBooking), now);
  }

  /**
   * When the instrument is taken, from 7 days ago to 90 days ahead: the same time blocks as
   * GET /instruments/:id/busy (bookings with their buffers, live holds, maintenance), never who or why.
   * The URL is public, so only instruments an anonymous caller may see have one.
   */
  async instrumentBusyFeed(instrumentId: string): Promise<string> {
    const instrument = await loadBookableInstrument(this.dataSource.manager, instrumentId);
    this.access.assertCanSee(undefined, instrument);
    const now = this.clock.now();
    const periods: CalendarBusyPeriod[] = await this.dataSource.query(
      `SELECT id, lower(during) AS start, upper(during) AS end, maintenance_id IS NOT NULL AS maintenance
       FROM time_block
       WHERE instrument_id = $1 AND during && tstzrange($2, $3) AND (expires_at IS NULL OR expires_at > $4)
       ORDER BY lower(during)`,
      [instrument.id, new Date(now.getTime() - BUSY_PAST_DAYS * DAY_MS), new Date(now.getTime() + BUSY_FUTURE_DAYS * DAY_MS), now],
    );
    return busyCalendar(instrument.nameZh, periods, now);
  }
}

interface BookingFeedRow {
  id: string;
  status: FeedStatus;
  mode: ServiceMode;
  purpose: string;
  starts_at: Date;
  ends_at: Date;
  version: number;
  created_at: Date;
  updated_at: Date;
  instrument_name: string;
  time_zone: string;
  address: string;
  institution_name: string;
}

function toCalendarBooking(row: BookingFeedRow): CalendarBooking {
  return {
    id: row.id,
    status: row.status,
    mode: row.mode,
    purpose: row.purpose,
    start: row.starts_at,
    end: row.ends_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    instrumentName: row.instrument_name,
    timeZone: row.time_zone,
    institutionName: row.institution_name,
    address: row.address,
  };
}

/** 32 random bytes, base64url (43 characters): the credential in a feed URL. */
export function newFeedToken(): string {
  return randomBytes(FEED_TOKEN_BYTES).toString('base64url');
}

/** What calendar_feed.token_hash holds: the SHA-256 of the token, hex. */
export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The feed's path on this service; clients prefix the public origin. */
export function feedPath(token: string): string {
  return `/calendar-feeds/${token}.ics`;
}

/** One VEVENT per booking: UID from the booking id (stable across fetches), SEQUENCE from its version. */
export function bookingsCalendar(bookings: readonly CalendarBooking[], stamp: Date): string {
  const calendar = newCalendar('我的仪器预约 / My instrument bookings', '共享仪器平台上的预约 / Your bookings on the instrument marketplace');
  for (const booking of bookings) {
    const tentative = booking.status === 'held' || booking.status === 'pending';
    calendar.createEvent({
      id: `${booking.id}@${CALENDAR_UID_DOMAIN}`,
      sequence: booking.version,
      stamp,
      created: booking.createdAt,
      lastModified: booking.updatedAt,
      start: booking.start,
      end: booking.end,
      summary: plainText(`${booking.instrumentName} · ${STATUS_LABELS[booking.status]}`),
      description: bookingDescription(booking),
      location: plainText([booking.institutionName, booking.address].filter((part) => part.trim() !== '').join(' · ')),
      status: tentative ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
      busystatus: tentative ? ICalEventBusyStatus.TENTATIVE : ICalEventBusyStatus.BUSY,
      transparency: ICalEventTransparency.OPAQUE,
    });
  }
  return render(calendar);
}

/** One VEVENT per busy period, saying only that the time is taken (or under maintenance). */
export function busyCalendar(instrumentName: string, periods: readonly CalendarBusyPeriod[], stamp: Date): string {
  const calendar = newCalendar(plainText(`${instrumentName} · 已占用时间 / Busy times`), '已预约或维护的时间 / Times already booked or under maintenance');
  for (const period of periods) {
    calendar.createEvent({
      id: `busy-${period.id}@${CALENDAR_UID_DOMAIN}`,
      stamp,
      start: period.start,
      end: period.end,
      summary: period.maintenance ? 'Maintenance / 维护' : 'Busy / 已占用',
      transparency: ICalEventTransparency.OPAQUE,
      busystatus: ICalEventBusyStatus.BUSY,
    });
  }
  return render(calendar);
}

function newCalendar(name: string, description: string): ICalCalendar {
  return ical({
    prodId: { company: CALENDAR_UID_DOMAIN, product: 'booking', language: 'ZH' },
    method: ICalCalendarMethod.PUBLISH,
    name,
    description,
    ttl: REFRESH_SECONDS,
  });
}

/**
 * ical-generator writes CRLF line endings and folds lines at 75 octets; RFC 5545 ends every
 * content line, the last one included, with CRLF, which it leaves off after END:VCALENDAR.
 */
function render(calendar: ICalCalendar): string {
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}

function bookingDescription(booking: CalendarBooking): string {
  const lines = [`状态 / Status: ${STATUS_LABELS[booking.status]}`, `方式 / Mode: ${MODE_LABELS[booking.mode]}`];
  if (booking.purpose.trim() !== '') lines.push(`用途 / Purpose: ${booking.purpose.trim()}`);
  lines.push(`仪器当地时间 / Local time at the instrument: ${localSpan(booking.start, booking.end, booking.timeZone)}`);
  return plainText(lines.join('\n'));
}

/** "2026-12-02 09:00–10:00 (Asia/Shanghai)", with the end date when the span crosses midnight. */
export function localSpan(start: Date, end: Date, timeZone: string): string {
  const from = DateTime.fromJSDate(start, { zone: timeZone });
  const to = DateTime.fromJSDate(end, { zone: timeZone });
  const endFormat = from.hasSame(to, 'day') ? 'HH:mm' : 'yyyy-MM-dd HH:mm';
  return `${from.toFormat('yyyy-MM-dd HH:mm')}–${to.toFormat(endFormat)} (${timeZone})`;
}

/** TEXT values may not hold control characters other than tab and line breaks (which are escaped). */
function plainText(value: string): string {
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}
