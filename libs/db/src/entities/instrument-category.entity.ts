import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Six-digit category code, three levels: XX0000 / XXYY00 / XXYYZZ. */
@Entity('instrument_category')
export class InstrumentCategory {
  @PrimaryColumn({ type: 'char', length: 6 })
  code: string;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ type: 'smallint' })
  level: number;

  @Column({ name: 'parent_code', type: 'char', length: 6, nullable: true })
  parentCode: string | null;
}
