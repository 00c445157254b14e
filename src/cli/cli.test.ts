import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveToken } from '../core/identity/authenticate.js';
import { freshCliTarget, runCli, startCli, type CliTarget } from '../testing/cli-harness.js';
import { createTestDatabase } from '../testing/database.js';
import { bootstrapIfEmpty } from './bootstrap.js';

// PGlite lets one process at a time open a data dir: every CLI run below is awaited before the next.
describe('parley CLI', { timeout: 60_000 }, () => {
  let target: CliTarget;

  beforeAll(async () => {
    target = await freshCliTarget();
  });

  afterAll(async () => {
    await target.cleanup();
  });

  // First, while the database is still empty: the first start bootstraps an account and an administrator.
  it('serve on an empty database prints working credentials, then exits 0 on SIGTERM', async () => {
    const child = startCli(['serve'], { ...target.env, PORT: '0', HOST: '127.0.0.1' });
    try {
      let stdout = '';
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      const banner = await new Promise<string>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (/curl .*\n/.test(stdout)) resolve(stdout);
        });
        void exited.then((code) => reject(new Error(`serve exited with ${String(code)}: ${stderr}`)));
      });
      const [, apiKey, url] = /Bearer (\S+)" (http:\/\/\S+)\/api\/v1\/accounts/.exec(banner) ?? [];
      const password = /Password:\s+(\S+)/.exec(banner)?.[1];
      expect(apiKey).toMatch(/^pk_/);

      const accounts = await fetch(`${url!}/api/v1/accounts`, {
        headers: { authorization: `Bearer ${apiKey!}` },
      });
      expect(accounts.status).toBe(200);
      expect(await accounts.json()).toMatchObject({ data: [{ name: 'Parley' }] });
      const login = await fetch(`${url!}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@parley.local', password }),
      });
      expect(login.status).toBe(200);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('account create --json prints an account id and an API key that authenticates', async () => {
    const run = await runCli(['account', 'create', '--name', 'Acme', '--json'], target.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as { accountId: number; apiKey: string };
    expect(output).toEqual({ accountId: expect.any(Number), apiKey: expect.stringMatching(/^pk_/) });
    const principal = await target.withDb((db) => resolveToken(db, output.apiKey, undefined));
    expect(principal).toMatchObject({ kind: 'api_key', accountId: output.accountId, role: 'administrator' });
  });

  it('rejects an unknown flag with exit code 1 and a message on stderr', async () => {
    const run = await runCli(['account', 'create', '--name', 'Acme', '--colour', 'blue'], target.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown option '--colour'");
    expect(run.stdout).toBe('');
  });

  it('rejects a missing --name with exit code 1', async () => {
    const run = await runCli(['account', 'create'], target.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("required option '--name <name>' not specified");
  });

  it('refuses a duplicate email with exit code 1 and a clear message', async () => {
    const first = await runCli(
      ['user', 'create', '--email', 'dup@example.com', '--name', 'Dup', '--json'],
      target.env,
    );
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ userId: expect.any(Number), email: 'dup@example.com' });
    const second = await runCli(
      ['user', 'create', '--email', 'DUP@example.com', '--name', 'Dup'],
      target.env,
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toBe('error: A user with email DUP@example.com already exists\n');
  });

  it('creates and revokes a personal access token', async () => {
    const user = await runCli(['user', 'create', '--email', 'pat@example.com', '--name', 'Pat'], target.env);
    expect(user.code).toBe(0);
    const created = await runCli(['token', 'create', '--email', 'pat@example.com', '--json'], target.env);
    expect(created.code).toBe(0);
    const { id, token } = JSON.parse(created.stdout) as { id: number; token: string };
    expect(await target.withDb((db) => resolveToken(db, token, undefined))).toMatchObject({ kind: 'user' });

    const revoked = await runCli(
      ['token', 'revoke', '--email', 'pat@example.com', '--id', String(id)],
      target.env,
    );
    expect(revoked.code).toBe(0);
    expect(await target.withDb((db) => resolveToken(db, token, undefined))).toBeNull();
  });

  it('reports invalid configuration from the environment', async () => {
    const run = await runCli(['migrate'], { ...target.env, PORT: 'not-a-port' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Invalid configuration');
    expect(run.stderr).toContain('PORT');
  });
});

describe('first-start bootstrap', { timeout: 60_000 }, () => {
  it('creates one account, administrator and key, once, even when started twice at the same time', async () => {
    const testDb = await createTestDatabase();
    try {
      const results = await Promise.all([
        bootstrapIfEmpty(testDb.database.db),
        bootstrapIfEmpty(testDb.database.db),
      ]);
      const made = results.filter((result) => result !== null);
      expect(made).toHaveLength(1);
      expect(made[0]).toMatchObject({ email: 'admin@parley.local', apiKey: expect.stringMatching(/^pk_/) });
      expect(await bootstrapIfEmpty(testDb.database.db)).toBeNull();
    } finally {
      await testDb.drop();
    }
  });
});
