import { NestFactory } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parseArgs } from 'node:util';
import { loadAppConfig } from '@app/config';
import { toFieldProblems } from '@app/common';
import { prepareDatabase } from '@app/db';
import { AccountsService } from '../apps/catalog/src/accounts/accounts.service';
import { CreateUserDto } from '../apps/catalog/src/accounts/dto/create-user.dto';
import { CatalogModule } from '../apps/catalog/src/catalog.module';
import { seedDemoDataIfEmpty } from './demo-seeding';

const USAGE = `usage:
  npm run cli -- db:setup
  npm run cli -- create-user --email admin2@example.org --role admin --name "Admin Two" [--password ...]
      [--institution-id <uuid>] [--region-code <GB/T 2260 code>] [--language zh|en]
  (password: --password or the NEW_USER_PASSWORD environment variable)`;

/** Runs one command and returns its exit code; reports go to stdout, usage errors to stderr. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'db:setup':
      return databaseSetup();
    case 'create-user':
      return createUser(rest);
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

async function databaseSetup(): Promise<number> {
  const config = loadAppConfig();
  const prepared = await prepareDatabase(config);
  process.stdout.write(`${prepared.migrationsRun.length} migration(s) applied, ${prepared.regions} regions loaded\n`);
  const seeded = await seedDemoDataIfEmpty(config, (message) => process.stdout.write(`${message}\n`));
  if (seeded) process.stdout.write(`${seeded}\n`);
  return 0;
}

async function createUser(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      'institution-id': { type: 'string' },
      'region-code': { type: 'string' },
      language: { type: 'string' },
    },
    strict: true,
  });
  const dto = plainToInstance(CreateUserDto, {
    email: values.email,
    role: values.role,
    displayName: values.name,
    password: values.password ?? process.env.NEW_USER_PASSWORD,
    institutionId: values['institution-id'],
    regionCode: values['region-code'],
    language: values.language,
  });
  const problems = toFieldProblems(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
  if (problems.length > 0) {
    process.stderr.write(`${problems.map((problem) => `${problem.field}: ${problem.messages.join('; ')}`).join('\n')}\n\n${USAGE}\n`);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(CatalogModule, { logger: ['error'] });
  try {
    const user = await app.get(AccountsService).createUser(dto);
    process.stdout.write(`created ${user.role} ${user.email} (${user.id})\n`);
    return 0;
  } finally {
    await app.close();
  }
}

