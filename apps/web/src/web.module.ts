import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggingModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { SinglePageController } from './single-page.controller';
import { WebHealthController } from './web-health.controller';

/**
 * The web app's server: the built browser app, and the services behind /api/<service> (one origin
 * for the browser, so no CORS and the token never crosses origins).
 */
@Module({
  imports: [ConfigModule, LoggingModule, TerminusModule],
  controllers: [WebHealthController, SinglePageController],
})
export class WebModule {}
