import './register-paths';
import { loadAppConfig } from '@app/config';
import { prepareDatabase } from '@app/db';
import { dropStaleRunDatabases, templateDatabaseName, testServerUrl } from '@app/testing/test-database';

/** Once per run: a fresh run id and a template database migrated from scratch, that each test file clones. */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  process.env.TEST_RUN_ID = runId;
  const started = Date.now();
  // Runs killed before their teardown leave databases behind; their names carry the run's start time.
  await dropStaleRunDatabases(6 * 3600 * 1000);
  const config = loadAppConfig({ NODE_ENV: 'test' });
  const prepared = await prepareDatabase(config, testServerUrl(templateDatabaseName(runId)));
  // eslint-disable-next-line no-console
  console.log(`\n[e2e] template ${templateDatabaseName(runId)}: ${prepared.migrationsRun.length} migrations, ${prepared.regions} regions in ${Date.now() - started} ms`);
}
