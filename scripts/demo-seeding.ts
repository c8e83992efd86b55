import { AppConfig } from '@app/config';

/** Placeholder until the demo loader lands. */
export async function seedDemoDataIfEmpty(_config: AppConfig, _log: (message: string) => void): Promise<string | null> {
  return null;
}
