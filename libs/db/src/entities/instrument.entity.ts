import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';
import type {
  FeeUnit,
  FundingSource,
  InstrumentCondition,
  InstrumentPurpose,
  InstrumentSource,
  ServiceMode,
  SharingMode,
} from './enums';
import { InstrumentFee } from './instrument-fee.entity';

/** One instrument as recorded on the national sharing platform. */
@Entity('instrument')
export class Instrument {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId: string;

  @Column({ name: 'asset_number', type: 'text', nullable: true })
  assetNumber: string | null;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text', nullable: true })
  nameEn: string | null;

  @Column({ type: 'text', nullable: true })
  model: string | null;

  @Column({ type: 'text', nullable: true })
  manufacturer: string | null;

  /** ISO 3166-1 alpha-2. */
  @Column({ name: 'country_of_origin', type: 'char', length: 2, nullable: true })
  countryOfOrigin: string | null;

  @Column({ name: 'category_code', type: 'char', length: 6 })
  categoryCode: string;

  /** Generated from category_code: the level-1 and level-2 codes, for filters and facets. */
  @Column({ name: 'category_l1_code', type: 'char', length: 6, insert: false, update: false })
  categoryL1Code: string;

  @Column({ name: 'category_l2_code', type: 'char', length: 6, nullable: true, insert: false, update: false })
  categoryL2Code: string | null;

  @Column({ name: 'original_value_fen', type: 'bigint', transformer: bigintNumber })
  originalValueFen: number;

  @Column({ name: 'in_service_date', type: 'date', nullable: true })
  inServiceDate: string | null;

  @Column({ type: 'text' })
  source: InstrumentSource;

  @Column({ name: 'funding_source', type: 'text' })
  fundingSource: FundingSource;

  /** Generated: central or local government funding. */
  @Column({ name: 'is_publicly_funded', type: 'boolean', insert: false, update: false })
  isPubliclyFunded: boolean;

  @Column({ type: 'text', nullable: true })
  department: string | null;

  @Column({ type: 'text' })
  purpose: InstrumentPurpose;

  @Column({ name: 'subject_areas', type: 'text', array: true, default: () => "'{}'" })
  subjectAreas: string[];

  @Column({ type: 'text', default: '' })
  specs: string;

  @Column({ type: 'text', default: '' })
  functions: string;

  @Column({ name: 'service_content', type: 'text', default: '' })
  serviceContent: string;

  @Column({ name: 'service_modes', type: 'text', array: true })
  serviceModes: ServiceMode[];

  @Column({ type: 'text', default: 'normal' })
  condition: InstrumentCondition;

  @Column({ name: 'sharing_mode', type: 'text', default: 'external' })
  sharingMode: SharingMode;

  @Column({ name: 'sharing_rules', type: 'text', default: '' })
  sharingRules: string;

  /** IANA zone; opening hours and daily statistics are wall-clock rules in it. */
  @Column({ name: 'time_zone', type: 'text', default: 'Asia/Shanghai' })
  timeZone: string;

  /** County-level GB/T 2260 code; city and province codes are generated from it. */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ name: 'city_code', type: 'char', length: 6, insert: false, update: false })
  cityCode: string;

  @Column({ name: 'province_code', type: 'char', length: 6, insert: false, update: false })
  provinceCode: string;

  @Column({ type: 'text', default: '' })
  address: string;

  @Column({ type: 'numeric', precision: 9, scale: 6, nullable: true, transformer: { to: (v) => v, from: (v) => (v == null ? null : Number(v)) } })
  latitude: number | null;

  @Column({ type: 'numeric', precision: 9, scale: 6, nullable: true, transformer: { to: (v) => v, from: (v) => (v == null ? null : Number(v)) } })
  longitude: number | null;

  @Column({ name: 'contact_name', type: 'text', default: '' })
  contactName: string;

  @Column({ name: 'contact_phone', type: 'text', default: '' })
  contactPhone: string;

  @Column({ name: 'contact_email', type: 'text', default: '' })
  contactEmail: string;

  @Column({ name: 'photo_urls', type: 'text', array: true, default: () => "'{}'" })
  photoUrls: string[];

  /** The primary (first) fee line, copied here so search can filter and sort by price. */
  @Column({ name: 'price_unit', type: 'text', nullable: true })
  priceUnit: FeeUnit | null;

  @Column({ name: 'external_price_fen', type: 'bigint', nullable: true, transformer: bigintNumber })
  externalPriceFen: number | null;

  @Column({ name: 'internal_price_fen', type: 'bigint', nullable: true, transformer: bigintNumber })
  internalPriceFen: number | null;

  @OneToMany(() => InstrumentFee, (fee) => fee.instrument)
  fees?: InstrumentFee[];

  /** Optimistic lock: a PATCH carrying an old version is refused. */
  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
