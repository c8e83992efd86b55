import 'reflect-metadata';
import { bootstrapHttpApp } from '@app/common';
import { CatalogModule } from './catalog.module';

export const CATALOG_DEFAULT_PORT = 3001;

void bootstrapHttpApp(CatalogModule, {
  name: 'catalog',
  description: 'Accounts, organizations, regions and the catalog of shared research instruments',
  defaultPort: CATALOG_DEFAULT_PORT,
});
