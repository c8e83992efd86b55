import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';
import type { FeeUnit } from './enums';
import { Instrument } from './instrument.entity';

/** One line of an instrument's fee schedule, in fen; position 0 is the primary line. */
@Entity('instrument_fee')
export class InstrumentFee {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'instrument_id', type: 'uuid' })
  instrumentId: string;

  @ManyToOne(() => Instrument, (instrument) => instrument.fees, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instrument_id' })
  instrument?: Instrument;

  @Column({ type: 'smallint' })
  position: number;

  @Column({ type: 'text' })
  unit: FeeUnit;

  /** Rate for members of the owner institution. */
  @Column({ name: 'internal_rate_fen', type: 'bigint', transformer: bigintNumber })
  internalRateFen: number;

  /** Rate for everyone else (typically 1.5 to 3 times the internal rate). */
  @Column({ name: 'external_rate_fen', type: 'bigint', transformer: bigintNumber })
  externalRateFen: number;

  @Column({ type: 'text', default: '' })
  description: string;
}
