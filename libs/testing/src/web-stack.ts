import { DataSource } from 'typeorm';
import type { Browser, Page } from 'playwright-core';
import { loadAppConfig } from '@app/config';
import { buildDataSourceOptions } from '@app/db';
import { DEMO_PASSWORD } from '@app/db/demo';
import { seedDemoData } from '@app/db/setup/seed-demo-data';
import { AppProcess, startAppProcess } from './app-process';
import { launchBrowser } from './browser';
import { TestDatabase, createTestDatabase } from './test-database';
import { testAppConfig } from './test-environment';

const JWT_SECRET = 'web-test-secret-web-test-secret-web-test-secret';

/** Everything `npm start` runs, as processes on a database of their own with demo data, and a browser. */
export interface WebStack {
  database: TestDatabase;
  dataSource: DataSource;
  catalog: AppProcess;
  booking: AppProcess;
  worker: AppProcess;
  web: AppProcess;
  browser: Browser;
  /** A fresh browser context (own storage, Chinese locale) on a phone-or-laptop viewport. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Signs in through the login page as a demo account (password demo-password). */
  signIn(page: Page, email: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startWebStack(options: { instrumentCount?: number; now?: Date } = {}): Promise<WebStack> {
  const database = await createTestDatabase();
  const config = testAppConfig(database.url, { JWT_SECRET });
  const dataSource = new DataSource(buildDataSourceOptions(loadAppConfig({ NODE_ENV: 'test' }), { url: database.url, poolSize: 2 }));
  await dataSource.initialize();
  await dataSource.transaction((manager) => seedDemoData(manager, config, { instrumentCount: options.instrumentCount ?? 900, now: options.now }));
  const env = { DATABASE_URL: database.url, JWT_SECRET, REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX, STATISTICS_BACKFILL_DAYS: '0' };
  const apps: AppProcess[] = [];
  const start = async (app: Parameters<typeof startAppProcess>[0], appEnv: Record<string, string>) => {
    const started = await startAppProcess(app, appEnv);
    apps.push(started);
    return started;
  };
  let catalog: AppProcess, booking: AppProcess, worker: AppProcess, web: AppProcess, browser: Browser;
  try {
    // Settled, not Promise.all: every start has ended (and is in `apps` if it started) before a failure is handled.
    const services = await Promise.allSettled([start('catalog', env), start('booking', env), start('worker', env)]);
    const failed = services.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    [catalog, booking, worker] = services.map((outcome) => (outcome as PromiseFulfilledResult<AppProcess>).value);
    web = await start('web', { ...env, CATALOG_URL: catalog.baseUrl, BOOKING_URL: booking.baseUrl, WORKER_URL: worker.baseUrl });
    browser = await launchBrowser();
  } catch (error) {
    // Apps left running when another failed to start (or the browser did not) would keep jest from
    // exiting and write queue keys after the run's teardown removed them.
    await Promise.allSettled(apps.map((app) => app.stop()));
    await dataSource.destroy();
    await database.drop();
    throw error;
  }
  return {
    database,
    dataSource,
    catalog,
    booking,
    worker,
    web,
    browser,
    async newPage(viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', baseURL: web.baseUrl });
      return context.newPage();
    },
    async signIn(page, email) {
      await page.goto('/login');
      await page.getByLabel('邮箱').fill(email);
      await page.getByLabel('密码').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL((url) => url.pathname !== '/login');
    },
    async stop() {
      await browser.close();
      await Promise.all([catalog, booking, worker, web].map((app) => app.stop()));
      await dataSource.destroy();
      await database.drop();
    },
  };
}
