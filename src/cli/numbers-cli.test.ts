import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../platform/config.js';
import { openDatabase, type Db } from '../platform/db/database.js';
import { createTestDatabase } from '../testing/database.js';
import { didAreaCodes, phoneNumbers } from '../core/numbers/numbers.tables.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mainPath = path.join(projectRoot, 'src/cli/main.ts');

interface Target {
  env: Record<string, string>;
  withDb<T>(work: (db: Db) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

async function freshTarget(workDir: string): Promise<Target> {
  if (process.env.TEST_DATABASE_URL) {
    const testDb = await createTestDatabase();
    return {
      env: { DATABASE_URL: testDb.url ?? '' },
      withDb: (work) => work(testDb.database.db),
      cleanup: () => testDb.drop(),
    };
  }
  const dataDir = path.join(workDir, 'data');
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
    cleanup: () => Promise.resolve(),
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

const csv = [
  'number,country_code,type,class,local_prefix,area_label,monthly_cents',
  '+33140000001,FR,GEOGRAPHIC,CLASSIC,01,Paris,100',
  '"+33 1 40 00 00 02",FR,GEOGRAPHIC,GOLD,01,"Paris, centre",300',
  '+16469820800,US,GEOGRAPHIC,,646,New York,150',
  '+33999,FR,GEOGRAPHIC,CLASSIC,01,Paris,100',
].join('\n');

// PGlite lets one process at a time open a data dir: every CLI run is awaited before the next.
describe('parley numbers import', { timeout: 240_000 }, () => {
  let workDir: string;
  let target: Target;
  let file: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'parley-cli-numbers-'));
    target = await freshTarget(workDir);
    file = path.join(workDir, 'numbers.csv');
    await writeFile(file, csv);
  });
  afterAll(async () => {
    await target.cleanup();
    await rm(workDir, { recursive: true, force: true });
  });

  it('loads the CSV, prints the counts as JSON, and skips known numbers on a second run', async () => {
    const run = await runCli(['numbers', 'import', file, '--json'], target.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      total: 4,
      imported: 3,
      duplicates: 0,
      invalid: 1,
      areaCodesCreated: 2,
      problems: [{ line: 5, message: expect.stringMatching(/not a valid phone number/) }],
    });

    const again = await runCli(['numbers', 'import', file], target.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 number(s) imported, 3 already in the inventory, 1 refused');
    expect(again.stdout).toContain('line 5: number "+33999"');

    const stored = await target.withDb(async (db) => ({
      numbers: await db.select().from(phoneNumbers).orderBy(asc(phoneNumbers.number)),
      areaCodes: await db.select().from(didAreaCodes).orderBy(asc(didAreaCodes.id)),
    }));
    expect(stored.numbers.map((row) => [row.number, row.numberClass, row.areaLabel, row.state])).toEqual([
      ['+16469820800', 'CLASSIC', 'New York', 'available'],
      ['+33140000001', 'CLASSIC', 'Paris', 'available'],
      ['+33140000002', 'GOLD', 'Paris, centre', 'available'],
    ]);
    expect(stored.areaCodes.map((row) => row.intlPrefix)).toEqual(['+331', '+1646']);
  });

  it('refuses a missing file and a bad header with exit code 1, before touching the database', async () => {
    const missing = await runCli(['numbers', 'import', path.join(workDir, 'nope.csv')], target.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    const bad = path.join(workDir, 'bad.csv');
    await writeFile(bad, 'phone,country\n+33140000001,FR\n');
    const header = await runCli(['numbers', 'import', bad], target.env);
    expect(header.code).toBe(1);
    expect(header.stderr).toMatch(/error: The CSV header must name the columns .*missing: number/);
  });
});
