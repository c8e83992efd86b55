import { createHash } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import * as argon2 from 'argon2';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { QUEUES } from '@app/queue';
import { MonitoredQueues } from './monitored-queues';

export const QUEUE_DASHBOARD_PATH = '/queues';
/** A verified admin login is remembered this long, so the dashboard's many requests do not each pay for argon2. */
const LOGIN_MEMORY_MS = 60_000;
/** Failed logins allowed per client address and minute before the dashboard stops checking passwords. */
const FAILURES_PER_MINUTE = 10;

/**
 * Bull Board at /queues, for admins only: a browser logs in with the admin's email and password
 * (HTTP Basic, checked against the argon2 hash), a script with the admin's bearer token.
 */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  private readonly verifiedLogins = new Map<string, number>();
  private readonly failures = new Map<string, { count: number; since: number }>();
  // Verified when the email is not an admin's, so both answers take as long (no probing for admins).
  private readonly decoyHash = argon2.hash(`decoy-${Math.random()}`, { type: argon2.argon2id });

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: MonitoredQueues,
    private readonly tokens: AccessTokenService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const board = new FastifyAdapter();
    createBullBoard({
      // Notification jobs only trigger what PostgreSQL decides: promoting or retrying one by hand would send early or twice.
      queues: this.queues.all().map((queue) => new BullMQAdapter(queue, { readOnlyMode: queue.name === QUEUES.notifications })),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'Instrument Marketplace queues' } },
    });
    board.setBasePath(QUEUE_DASHBOARD_PATH);
    const fastify: FastifyInstance = this.adapterHost.httpAdapter.getInstance();
    void fastify.register(
      async (scope) => {
        scope.addHook('onRequest', (request, reply) => this.adminOnly(request, reply));
        await scope.register(board.registerPlugin());
      },
      { prefix: QUEUE_DASHBOARD_PATH },
    );
  }

  private async adminOnly(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization ?? '';
    const failures = this.failures.get(request.ip);
    const limited = failures !== undefined && Date.now() - failures.since < 60_000 && failures.count >= FAILURES_PER_MINUTE;
    if (limited) {
      await reply.code(429).send({ statusCode: 429, code: 'TOO_MANY_LOGIN_ATTEMPTS', message: 'Too many failed logins; try again in a minute' });
      return;
    }
    if (await this.isAdmin(header)) return;
    if (header) {
      const current = failures && Date.now() - failures.since < 60_000 ? failures : { count: 0, since: Date.now() };
      this.failures.set(request.ip, { count: current.count + 1, since: current.since });
    }
    await reply
      .code(401)
      .header('WWW-Authenticate', 'Basic realm="Instrument Marketplace queues", charset="UTF-8"')
      .send({ statusCode: 401, code: 'ADMIN_LOGIN_REQUIRED', message: 'Log in as an admin (email and password, or an admin bearer token)' });
  }

  private async isAdmin(header: string): Promise<boolean> {
    if (header.startsWith('Bearer ')) {
      try {
        return this.tokens.verify(header.slice(7)).role === 'admin';
      } catch {
        return false;
      }
    }
    if (!header.startsWith('Basic ')) return false;
    const key = createHash('sha256').update(header).digest('hex');
    const remembered = this.verifiedLogins.get(key);
    if (remembered && remembered > Date.now()) return true;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator < 0) return false;
    const [user]: { password_hash: string }[] = await this.dataSource.query(`SELECT password_hash FROM app_user WHERE email = $1 AND role = 'admin'`, [
      decoded.slice(0, separator).trim().toLowerCase(),
    ]);
    const valid = await argon2.verify(user?.password_hash ?? (await this.decoyHash), decoded.slice(separator + 1)).catch(() => false);
    if (!user) return false;
    if (valid) this.verifiedLogins.set(key, Date.now() + LOGIN_MEMORY_MS);
    return valid;
  }
}
