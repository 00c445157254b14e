import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshCliTarget, runCli, type CliTarget } from '../testing/cli-harness.js';
import { didAreaCodes, phoneNumbers } from '../core/numbers/numbers.tables.js';

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
  let target: CliTarget;
  let file: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'parley-cli-numbers-'));
    target = await freshCliTarget();
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
