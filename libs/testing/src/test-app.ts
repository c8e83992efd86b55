import { Type } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppConfig } from '@app/config';
import { Clock } from '@app/common';
import { answerMalformedRequest, configureHttpApp } from '@app/common/http/create-http-app';
import { createTestDatabase, TestDatabase } from './test-database';
import { testAppConfig } from './test-environment';
import { HttpClient } from './http-client';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  database: TestDatabase;
  http: HttpClient;
  baseUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** Run on this database (another app's, as a second replica would) instead of a fresh one; it is not dropped on close. */
  database?: TestDatabase;
}

/**
 * Boots an app module on a real port, over its own database cloned from the migrated
 * template, exactly as production configures it (validation, error filter, Swagger).
 */
export async function startTestApp(module: Type<unknown>, options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = testAppConfig(database.url, options.env);
  let builder = Test.createTestingModule({ imports: [module] }).overrideProvider(AppConfig).useValue(config);
  if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    new FastifyAdapter({ bodyLimit: config.HTTP_BODY_LIMIT_BYTES, routerOptions: { maxParamLength: 200 }, clientErrorHandler: answerMalformedRequest }),
    { logger: false, bodyParser: false },
  );
  configureHttpApp(app, { name: 'test', description: 'test' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    config,
    database,
    baseUrl,
    http: new HttpClient(baseUrl),
    async close() {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}
