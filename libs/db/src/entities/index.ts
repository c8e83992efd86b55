export * from './bigint-number.transformer';
export * from './enums';
export * from './institution.entity';
export * from './instrument-category.entity';
export * from './instrument-fee.entity';
export * from './instrument.entity';
export * from './region.entity';
export * from './sharing-exemption.entity';
export * from './user.entity';

import { Institution } from './institution.entity';
import { InstrumentCategory } from './instrument-category.entity';
import { InstrumentFee } from './instrument-fee.entity';
import { Instrument } from './instrument.entity';
import { Region } from './region.entity';
import { SharingExemption } from './sharing-exemption.entity';
import { User } from './user.entity';

export const ENTITIES = [Region, Institution, User, InstrumentCategory, Instrument, InstrumentFee, SharingExemption];
