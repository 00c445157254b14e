import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../platform/config.js';
import { openDatabase, type Db } from '../platform/db/database.js';
import { createTestDatabase } from '../testing/database.js';
import { loadCampaign } from '../core/campaigns/campaigns.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mainPath = path.join(projectRoot, 'src/cli/main.ts');

interface Target {
  env: Record<string, string>;
  withDb<T>(work: (db: Db) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

async function freshTarget(): Promise<Target> {
  if (process.env.TEST_DATABASE_URL) {
    const testDb = await createTestDatabase();
    return {
      env: { DATABASE_URL: testDb.url! },
      withDb: (work) => work(testDb.database.db),
      cleanup: () => testDb.drop(),
    };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-cli-campaign-'));
  return {
    env: { PARLEY_DATA_DIR: dataDir },
    async withDb(work) {
      const database = await openDatabase({ dataDir });
      try {
        return await work(database.db);
      } finally {
        await database.close();
      }
    },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

function runCli(args: string[], env: Record<string, string>) {
  const clean = { ...process.env };
  for (const key of Object.keys(configSchema.shape)) Reflect.deleteProperty(clean, key);
  const child = spawn(process.execPath, ['--import', 'tsx', mainPath, ...args], {
    cwd: projectRoot,
    env: { ...clean, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// PGlite lets one process at a time open a data dir: every CLI run is awaited before the next.
describe('parley campaign create', { timeout: 240_000 }, () => {
  let target: Target;
  let accountId: number;

  beforeAll(async () => {
    target = await freshTarget();
    const run = await runCli(['account', 'create', '--name', 'Dialers', '--json'], target.env);
    accountId = (JSON.parse(run.stdout) as { accountId: number }).accountId;
  }, 240_000);
  afterAll(() => target.cleanup());

  it('creates a paused campaign and prints its id', async () => {
    const run = await runCli(
      [
        'campaign',
        'create',
        '--account',
        String(accountId),
        '--name',
        'Winter',
        '--mode',
        'predictive',
        '--timezone',
        'Europe/Paris',
        '--json',
      ],
      target.env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as { campaignId: number };
    expect(output).toEqual({
      campaignId: expect.any(Number),
      accountId,
      name: 'Winter',
      mode: 'predictive',
      isPaused: true,
    });
    const row = await target.withDb((db) => loadCampaign(db, accountId, output.campaignId));
    expect(row).toMatchObject({ name: 'Winter', timezone: 'Europe/Paris', createdBy: 'cli' });
  });

  it('refuses a bad mode, a bad time zone and an unknown account with exit code 1', async () => {
    const base = ['campaign', 'create', '--name', 'X'];
    const mode = await runCli([...base, '--account', String(accountId), '--mode', 'turbo'], target.env);
    expect(mode.code).toBe(1);
    expect(mode.stderr).toContain('--mode');
    const zone = await runCli(
      [...base, '--account', String(accountId), '--mode', 'preview', '--timezone', 'Mars/Base'],
      target.env,
    );
    expect(zone.code).toBe(1);
    expect(zone.stderr).toContain('timezone');
    const account = await runCli([...base, '--account', '999999', '--mode', 'preview'], target.env);
    expect(account.code).toBe(1);
    expect(account.stderr).toContain('account 999999 not found');
  });
});
