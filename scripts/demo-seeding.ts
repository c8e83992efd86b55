import { AppConfig } from '@app/config';
import { seedDemoDataIfEmpty as seed } from '@app/db/setup/seed-demo-data';

/** npm start and db:setup load the demo catalog into an empty database (never in production). */
export async function seedDemoDataIfEmpty(config: AppConfig, log: (message: string) => void): Promise<string> {
  log('checking for demo data ...');
  return seed(config);
}
