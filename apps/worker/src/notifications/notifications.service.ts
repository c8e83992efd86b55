import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { ConflictError, NotFoundError } from '@app/common';
import { ListNotificationsQuery, NotificationPageDto, NotificationResponseDto } from './dto/notification.dto';
import { NotificationQueue } from './notification-queue';

interface NotificationRow {
  id: string;
  kind: NotificationResponseDto['kind'];
  recipient_id: string;
  booking_id: string | null;
  state: NotificationResponseDto['state'];
  generation: number;
  due_at: Date;
  sent_at: Date | null;
  attempts: number;
  channel: string | null;
  subject: string | null;
  body: string | null;
  last_error: string | null;
}

function toResponse(row: NotificationRow): NotificationResponseDto {
  return {
    id: Number(row.id),
    kind: row.kind,
    recipientId: row.recipient_id,
    bookingId: row.booking_id,
    state: row.state,
    dueAt: row.due_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    attempts: row.attempts,
    channel: row.channel,
    subject: row.subject,
    body: row.body,
    lastError: row.last_error,
  };
}

/** What users and admins see of notifications: each user their own, admins every one (failed ones first of all). */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: NotificationQueue,
  ) {}

  listMine(user: AuthUser, query: ListNotificationsQuery): Promise<NotificationPageDto> {
    return this.page(query, user.id);
  }

  listAll(query: ListNotificationsQuery): Promise<NotificationPageDto> {
    return this.page(query, null);
  }

  /** Gives a failed notification a fresh set of attempts (admins, after fixing the cause). */
  async retry(id: number): Promise<NotificationResponseDto> {
    const [row]: NotificationRow[] = await this.dataSource.query(
      `WITH retried AS (
         UPDATE notification SET state = 'pending', generation = generation + 1, attempts = 0, due_at = now(), updated_at = now()
         WHERE id = $1 AND state = 'failed' RETURNING *)
       SELECT * FROM retried`,
      [id],
    );
    if (!row) {
      const [exists] = await this.dataSource.query(`SELECT state FROM notification WHERE id = $1`, [id]);
      if (!exists) throw new NotFoundError('notification', String(id));
      throw new ConflictError('NOTIFICATION_NOT_FAILED', `Only a failed notification can be retried; this one is ${exists.state}`);
    }
    await this.queue.schedule([{ id: Number(row.id), dueAt: row.due_at, generation: row.generation }]);
    return toResponse(row);
  }

  private async page(query: ListNotificationsQuery, recipientId: string | null): Promise<NotificationPageDto> {
    const limit = query.limit ?? 50;
    const rows: NotificationRow[] = await this.dataSource.query(
      `SELECT * FROM notification
       WHERE ($1::uuid IS NULL OR recipient_id = $1) AND ($2::text IS NULL OR state = $2) AND ($3::bigint IS NULL OR id < $3)
       ORDER BY id DESC LIMIT $4`,
      [recipientId, query.state ?? null, query.before ?? null, limit + 1],
    );
    const items = rows.slice(0, limit).map(toResponse);
    return rows.length > limit ? { items, nextBefore: items[items.length - 1].id } : { items };
  }
}
