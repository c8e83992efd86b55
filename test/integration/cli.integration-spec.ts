import { Client } from 'pg';
import { createTestDatabase, TestDatabase, testRedisPrefix } from '@app/testing';
import { runCli } from '../../scripts/cli-commands';

/** The operator CLI creates privileged accounts with the same rules as POST /users. */
describe('cli create-user (integration)', () => {
  let database: TestDatabase;
  let client: Client;
  const savedEnvironment = { ...process.env };

  beforeAll(async () => {
    database = await createTestDatabase();
    Object.assign(process.env, { NODE_ENV: 'test', DATABASE_URL: database.url, REDIS_KEY_PREFIX: `${testRedisPrefix()}cli:` });
    client = new Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    process.env = savedEnvironment;
    await client?.end();
    await database?.drop();
  });

  it('creates an admin with an argon2id hash', async () => {
    const code = await runCli(['create-user', '--email', 'Ops.Admin@Example.org', '--role', 'admin', '--name', '运维管理员', '--password', 'a-long-password-1']);
    expect(code).toBe(0);
    const { rows } = await client.query(`SELECT role, password_hash FROM app_user WHERE email = 'ops.admin@example.org'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].role).toBe('admin');
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('creates department staff scoped to a city, with the password from NEW_USER_PASSWORD', async () => {
    process.env.NEW_USER_PASSWORD = 'another-long-password';
    try {
      const code = await runCli(['create-user', '--email', 'hz@kj.example', '--role', 'department_staff', '--name', '杭州科技局', '--region-code', '330100']);
      expect(code).toBe(0);
    } finally {
      delete process.env.NEW_USER_PASSWORD;
    }
    const { rows } = await client.query(`SELECT region_code FROM app_user WHERE email = 'hz@kj.example'`);
    expect(rows[0].region_code).toBe('330100');
  });

  it('refuses bad input with exit code 2 and writes nothing', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['create-user', '--email', 'not-an-email', '--role', 'admin', '--name', 'X', '--password', 'a-long-password-1'])).toBe(2);
      expect(await runCli(['create-user', '--email', 'short@example.org', '--role', 'admin', '--name', 'X', '--password', 'short'])).toBe(2);
      expect(await runCli(['unknown-command'])).toBe(2);
    } finally {
      write.mockRestore();
    }
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM app_user WHERE email IN ('not-an-email', 'short@example.org')`);
    expect(rows[0].n).toBe(0);
  });

  it('applies the account rules: a lab manager needs an institution', async () => {
    await expect(
      runCli(['create-user', '--email', 'lm@example.org', '--role', 'lab_manager', '--name', 'LM', '--password', 'a-long-password-1']),
    ).rejects.toMatchObject({ code: 'INSTITUTION_REQUIRED' });
  });
});
