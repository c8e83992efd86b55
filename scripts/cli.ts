/**
 * Operator commands: `npm run cli -- <command> [options]`.
 *   db:setup                      create the database if missing, migrate, load regions (and demo data when empty)
 *   create-user --email E --role R --name N [--institution-id ID] [--region-code CODE] [--language zh|en]
 *                                 create an account of any role (admins, lab managers, department staff);
 *                                 the password comes from --password or the NEW_USER_PASSWORD variable
 */
import 'reflect-metadata';
import { ConfigError } from '@app/config';
import { DomainError } from '@app/common';
import { runCli } from './cli-commands';

runCli(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error) => {
    if (error instanceof ConfigError || error instanceof DomainError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
