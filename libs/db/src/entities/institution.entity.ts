import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { InstitutionKind } from './enums';

/** A university, institute, hospital or enterprise; firms are institutions of kind 'enterprise'. */
@Entity('institution')
export class Institution {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text', nullable: true })
  nameEn: string | null;

  @Column({ type: 'text' })
  kind: InstitutionKind;

  /** County-level GB/T 2260 code. */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  /** Small or micro enterprise, eligible for innovation vouchers; only meaningful for enterprises. */
  @Column({ name: 'is_small_micro', type: 'boolean', default: false })
  isSmallMicro: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
