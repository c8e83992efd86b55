import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RestrictedSharingMode, SharingExemptionStatus } from './enums';

/**
 * A lab's request to restrict sharing of an instrument that policy says must be shared
 * externally; department staff of its region decide. The restriction applies only once approved.
 */
@Entity('sharing_exemption')
export class SharingExemption {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'instrument_id', type: 'uuid' })
  instrumentId: string;

  @Column({ name: 'requested_mode', type: 'text' })
  requestedMode: RestrictedSharingMode;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', default: 'pending' })
  status: SharingExemptionStatus;

  @Column({ name: 'requested_by_id', type: 'uuid' })
  requestedById: string;

  @CreateDateColumn({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column({ name: 'decided_by_id', type: 'uuid', nullable: true })
  decidedById: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_note', type: 'text', nullable: true })
  decisionNote: string | null;
}
