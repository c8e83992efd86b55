export * from './demo-accounts';
export * from './demo-bookings.generator';
export * from './demo-bookings.loader';
export * from './demo-catalog.generator';
export * from './demo-catalog.loader';
export { DEMO_INSTRUMENT_TYPES } from './instrument-types.data';
export type { DemoInstrumentType } from './instrument-types.data';
export { ZHEJIANG_PROVINCE_CODE, zhejiangCounties } from './zhejiang-counties';
export type { ZhejiangCounty } from './zhejiang-counties';
