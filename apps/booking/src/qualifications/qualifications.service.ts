import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, DomainError, ForbiddenError, NotFoundError, ValidationFailedError } from '@app/common';
import { inTransaction } from '@app/db';
import { loadBookableInstrument } from '../instruments/bookable-instrument';
import { BookingAccessErrorCode, BookingAccessPolicy } from '../instruments/booking-access.policy';
import { AcceptQualificationDto, GrantQualificationDto, QualificationResponseDto } from './dto/qualification.dto';

export enum QualificationErrorCode {
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  OWN_QUALIFICATION = 'QUALIFICATION_ALREADY_OWN',
}

interface QualificationRow {
  id: string;
  user_id: string;
  instrument_id: string;
  name_zh: string;
  category_code: string;
  institution_id: string;
  valid_until: Date;
  granted_at: Date;
  revoked_at: Date | null;
  note: string;
  accepted_by: string[];
}

const QUALIFICATION_SELECT = `
  SELECT q.id, q.user_id, q.instrument_id, i.name_zh, i.category_code, i.institution_id, q.valid_until, q.granted_at, q.revoked_at, q.note,
         coalesce((SELECT array_agg(a.institution_id ORDER BY a.accepted_at) FROM qualification_acceptance a WHERE a.qualification_id = q.id), '{}') AS accepted_by
  FROM qualification q JOIN instrument i ON i.id = q.instrument_id`;

/**
 * Training records: a lab manager of the owner records that a user may operate an instrument
 * themselves until a date; another institution's lab manager may accept that training for its own
 * instruments of the same category. Bookings in self_operated mode need one of the two.
 */
@Injectable()
export class QualificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: BookingAccessPolicy,
    private readonly clock: Clock,
  ) {}

  grant(user: AuthUser, instrumentId: string, dto: GrantQualificationDto): Promise<QualificationResponseDto> {
    const validUntil = new Date(dto.validUntil);
    if (validUntil.getTime() <= this.clock.now().getTime()) {
      throw new ValidationFailedError([{ field: 'validUntil', messages: ['validUntil must be in the future'] }]);
    }
    return inTransaction(this.dataSource, async (manager) => {
      const instrument = await loadBookableInstrument(manager, instrumentId);
      this.access.assertManager(user, instrument);
      const [trainee] = await manager.query(`SELECT 1 FROM app_user WHERE id = $1`, [dto.userId]);
      if (!trainee) throw new DomainError(QualificationErrorCode.USER_NOT_FOUND, `User ${dto.userId} does not exist`, 422);
      const [{ id }] = await manager.query(
        `INSERT INTO qualification (user_id, instrument_id, valid_until, granted_by, note) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [dto.userId, instrument.id, validUntil, user.id, dto.note ?? ''],
      );
      return this.one(manager, id);
    });
  }

  async listForInstrument(user: AuthUser, instrumentId: string): Promise<QualificationResponseDto[]> {
    const instrument = await loadBookableInstrument(this.dataSource.manager, instrumentId);
    this.access.assertManager(user, instrument);
    const rows: QualificationRow[] = await this.dataSource.query(`${QUALIFICATION_SELECT} WHERE q.instrument_id = $1 ORDER BY q.granted_at DESC`, [instrumentId]);
    return rows.map(toDto);
  }

  async listMine(user: AuthUser): Promise<QualificationResponseDto[]> {
    const rows: QualificationRow[] = await this.dataSource.query(`${QUALIFICATION_SELECT} WHERE q.user_id = $1 ORDER BY q.granted_at DESC`, [user.id]);
    return rows.map(toDto);
  }

  revoke(user: AuthUser, instrumentId: string, qualificationId: string): Promise<QualificationResponseDto> {
    return inTransaction(this.dataSource, async (manager) => {
      const instrument = await loadBookableInstrument(manager, instrumentId);
      this.access.assertManager(user, instrument);
      const updated = await manager.query(
        `UPDATE qualification SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND instrument_id = $2 RETURNING id`,
        [qualificationId, instrument.id, this.clock.now()],
      );
      if (updated[0].length === 0) throw new NotFoundError('Qualification', qualificationId);
      return this.one(manager, qualificationId);
    });
  }

  /** This institution's lab manager accepts another institution's training for instruments of the same category. */
  accept(user: AuthUser, institutionId: string, dto: AcceptQualificationDto): Promise<QualificationResponseDto> {
    if (!(user.role === 'admin' || (user.role === 'lab_manager' && user.institutionId === institutionId))) {
      throw new ForbiddenError('Only lab managers of this institution accept training for it', BookingAccessErrorCode.NOT_INSTRUMENT_MANAGER);
    }
    return inTransaction(this.dataSource, async (manager) => {
      const qualification = await this.one(manager, dto.qualificationId);
      if (qualification.issuedByInstitutionId === institutionId) {
        throw new DomainError(QualificationErrorCode.OWN_QUALIFICATION, 'This institution issued the qualification; it applies already', 422);
      }
      await manager.query(
        `INSERT INTO qualification_acceptance (qualification_id, institution_id, accepted_by) VALUES ($1, $2, $3)
         ON CONFLICT (qualification_id, institution_id) DO NOTHING`,
        [dto.qualificationId, institutionId, user.id],
      );
      return this.one(manager, dto.qualificationId);
    });
  }

  private async one(manager: EntityManager, id: string): Promise<QualificationResponseDto> {
    const [row]: QualificationRow[] = await manager.query(`${QUALIFICATION_SELECT} WHERE q.id = $1`, [id]);
    if (!row) throw new NotFoundError('Qualification', id);
    return toDto(row);
  }
}

function toDto(row: QualificationRow): QualificationResponseDto {
  return {
    id: row.id,
    userId: row.user_id,
    instrumentId: row.instrument_id,
    instrumentNameZh: row.name_zh,
    categoryCode: row.category_code,
    issuedByInstitutionId: row.institution_id,
    validUntil: row.valid_until.toISOString(),
    grantedAt: row.granted_at.toISOString(),
    ...(row.revoked_at && { revokedAt: row.revoked_at.toISOString() }),
    note: row.note,
    acceptedBy: row.accepted_by,
  };
}
