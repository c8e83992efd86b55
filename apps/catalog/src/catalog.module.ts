import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { ClockModule, HealthModule, LoggingModule, RedisModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/db';
import { AccountsModule } from './accounts/accounts.module';
import { CategoriesModule } from './categories/categories.module';
import { InstitutionsModule } from './institutions/institutions.module';
import { InstrumentsModule } from './instruments/instruments.module';
import { RegionsModule } from './regions/regions.module';
import { SharingModule } from './sharing/sharing.module';

/** The catalog service: accounts, organizations, regions and the instrument catalog. */
@Module({
  imports: [
    ConfigModule,
    ClockModule,
    LoggingModule,
    DatabaseModule,
    RedisModule,
    AuthModule,
    HealthModule,
    AccountsModule,
    RegionsModule,
    InstitutionsModule,
    CategoriesModule,
    InstrumentsModule,
    SharingModule,
  ],
})
export class CatalogModule {}
