import { loadAppConfig } from '@app/config';
import type { EntityManager } from 'typeorm';
import { DemoDataRefusedError, seedDemoData, seedDemoDataIfEmpty } from './seed-demo-data';

describe('demo data in production', () => {
  const production = loadAppConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-32-characters!' });
  const untouchable = new Proxy({} as EntityManager, {
    get: () => {
      throw new Error('the database must not be touched');
    },
  });

  it('is refused before anything is written', async () => {
    await expect(seedDemoData(untouchable, production)).rejects.toBeInstanceOf(DemoDataRefusedError);
  });

  it('is skipped by npm start and db:setup, saying why', async () => {
    await expect(seedDemoDataIfEmpty(production, 'postgres://nobody@127.0.0.1:1/none')).resolves.toMatch(/production/);
  });
});
