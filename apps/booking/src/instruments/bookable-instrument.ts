import type { EntityManager } from 'typeorm';
import { NotFoundError } from '@app/common';
import type { FeeUnit, ServiceMode, SharingMode } from '@app/db';

/** What the booking service needs to know of a catalog instrument (the catalog owns the row). */
export interface BookableInstrument {
  id: string;
  nameZh: string;
  institutionId: string;
  regionCode: string;
  categoryCode: string;
  timeZone: string;
  sharingMode: SharingMode;
  serviceModes: ServiceMode[];
  /** The primary fee line (position 0), if the instrument has a fee schedule. */
  fee: { unit: FeeUnit; internalRateFen: number; externalRateFen: number } | null;
}

/** The instrument columns (with its primary fee line) both loaders select. */
export interface BookableInstrumentRow {
  id: string;
  name_zh: string;
  institution_id: string;
  region_code: string;
  category_code: string;
  time_zone: string;
  sharing_mode: SharingMode;
  service_modes: ServiceMode[];
  fee_unit: FeeUnit | null;
  internal_rate_fen: string | null;
  external_rate_fen: string | null;
}

/** The instrument with its primary fee line, or INSTRUMENT_NOT_FOUND. */
export async function loadBookableInstrument(manager: EntityManager, id: string): Promise<BookableInstrument> {
  const [row]: BookableInstrumentRow[] = await manager.query(
    `SELECT i.id, i.name_zh, i.institution_id, i.region_code, i.category_code, i.time_zone, i.sharing_mode, i.service_modes,
            f.unit AS fee_unit, f.internal_rate_fen, f.external_rate_fen
     FROM instrument i LEFT JOIN instrument_fee f ON f.instrument_id = i.id AND f.position = 0
     WHERE i.id = $1`,
    [id],
  );
  if (!row) throw new NotFoundError('Instrument', id);
  return bookableInstrumentFromRow(row);
}

export function bookableInstrumentFromRow(row: BookableInstrumentRow): BookableInstrument {
  return {
    id: row.id,
    nameZh: row.name_zh,
    institutionId: row.institution_id,
    regionCode: row.region_code,
    categoryCode: row.category_code,
    timeZone: row.time_zone,
    sharingMode: row.sharing_mode,
    serviceModes: row.service_modes,
    fee:
      row.fee_unit === null
        ? null
        : { unit: row.fee_unit, internalRateFen: Number(row.internal_rate_fen), externalRateFen: Number(row.external_rate_fen) },
  };
}
