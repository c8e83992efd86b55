import { Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { LoggerModule } from 'nestjs-pino';

/** nestjs-pino: JSON lines in production, pino-pretty in development, quiet in tests. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.NODE_ENV === 'test' ? 'silent' : config.LOG_LEVEL,
          transport:
            config.NODE_ENV === 'development'
              ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } }
              : undefined,
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          // One short line per request: method, URL, status and time; headers stay out of the logs.
          serializers: {
            req: (request: { id: unknown; method: string; url: string }) => ({ id: request.id, method: request.method, url: withoutSecrets(request.url) }),
            res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          },
          autoLogging: { ignore: (request) => request.url === '/health' },
        },
      }),
    }),
  ],
})
export class LoggingModule {}

/** Private calendar feed URLs carry their credential in the path: it never reaches the logs. */
export function withoutSecrets(url: string): string {
  return url.replace(/^\/calendar-feeds\/[^/?]+/, '/calendar-feeds/[redacted].ics');
}
