import 'reflect-metadata';
import compress from '@fastify/compress';
import httpProxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { answerMalformedRequest, configureHttpApp, describeStartupError, listen } from '@app/common';
import { loadAppConfig } from '@app/config';
import { CLIENT_DIRECTORY } from './client-directory';
import { WebModule } from './web.module';

export const WEB_DEFAULT_PORT = 3000;

async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  if (!existsSync(CLIENT_DIRECTORY)) throw new Error(`the browser app is not built (${CLIENT_DIRECTORY} is missing): run npm run build`);
  const adapter = new FastifyAdapter({ trustProxy: config.TRUST_PROXY, clientErrorHandler: answerMalformedRequest });
  const app = await NestFactory.create<NestFastifyApplication>(WebModule, adapter, { logger: false, bodyParser: false, abortOnError: false });
  await app.register(compress, { threshold: 1024 });
  // The services, each under its own prefix; bodies stream through untouched.
  for (const [prefix, upstream] of [
    ['/api/catalog', config.CATALOG_URL],
    ['/api/booking', config.BOOKING_URL],
    ['/api/worker', config.WORKER_URL],
  ]) {
    await app.register(httpProxy, { upstream, prefix, rewritePrefix: '', http2: false });
  }
  // Hashed file names under /assets never change: cached for a year. index.html is served by SinglePageController.
  await app.register(fastifyStatic, {
    root: CLIENT_DIRECTORY,
    wildcard: false,
    index: false,
    setHeaders: (response, path) => {
      if (path.includes('/assets/')) void response.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  configureHttpApp(app, { name: 'web', description: 'The browser app and the services behind /api' });
  await app.init();
  const url = (await listen(app, WEB_DEFAULT_PORT)).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  app.get(Logger).log(`web listening on ${url}`);
}

bootstrap().catch((error) => {
  process.stderr.write(`web could not start: ${describeStartupError(error)}\n`);
  process.exit(1);
});
