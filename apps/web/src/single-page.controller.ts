import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { CLIENT_DIRECTORY } from './client-directory';
import { join } from 'node:path';

/**
 * Every page path (/instruments/…, /bookings, …) answers the app's index.html; the browser app
 * routes from there. Built files and /api are matched first, being more specific routes.
 */
@ApiExcludeController()
@Controller()
export class SinglePageController {
  private indexHtml: string | null = null;

  @Get('*')
  page(@Res() reply: FastifyReply): void {
    this.indexHtml ??= readFileSync(join(CLIENT_DIRECTORY, 'index.html'), 'utf8');
    void reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(this.indexHtml);
  }
}
