import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { parseCsv } from './csv.js';
import { importInventory, inventoryFromCsv } from './number-import.js';
import { didAreaCodes, phoneNumbers } from './numbers.tables.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and newlines, and skips blank lines', () => {
    const text = '\ufeffa,b,c\r\n1,"x, y","say ""hi"""\n\n2,"two\nlines",\n3,last';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 4, fields: ['2', 'two\nlines', ''] },
      { line: 6, fields: ['3', 'last'] },
    ]);
  });
});

describe('inventoryFromCsv', () => {
  it('maps columns by header name, in any order, with optional columns absent', () => {
    const inputs = inventoryFromCsv('type,local_prefix,number,country_code\nGEOGRAPHIC,01,+33140000001,FR\n');
    expect(inputs).toEqual([
      {
        line: 2,
        number: '+33140000001',
        countryCode: 'FR',
        type: 'GEOGRAPHIC',
        localPrefix: '01',
        numberClass: undefined,
        areaLabel: undefined,
        monthlyCents: undefined,
      },
    ]);
  });

  it('refuses a header with missing or unknown columns, naming them', () => {
    expect(() => inventoryFromCsv('number,country,type\n')).toThrow(
      /missing: country_code, local_prefix; unknown: country/,
    );
    expect(() => inventoryFromCsv('')).toThrow(/empty/);
  });
});

describe('importInventory', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  }, 120_000);
  afterAll(async () => {
    await testDb.drop();
  });

  it('normalises numbers, creates each area code once, keeps the first label and skips repeats', async () => {
    const db = testDb.database.db;
    const inputs = inventoryFromCsv(
      [
        'number,country_code,type,class,local_prefix,area_label,monthly_cents',
        '+33 1 40 00 00 01,fr,geographic,,01,Paris,100',
        '0140000002,FR,GEOGRAPHIC,gold,01,Paris centre,250',
        '+33140000001,FR,GEOGRAPHIC,CLASSIC,01,Paris,100',
        '+33140000003,FR,GEOGRAPHIC,PLATINUM,01,Paris,100',
        '+33140000004,FR,GEOGRAPHIC,CLASSIC,01,Paris,-5',
        '+39061234567,IT,GEOGRAPHIC,CLASSIC,06,Roma,80',
      ].join('\n'),
    );
    const report = await importInventory(db, inputs);
    expect(report).toEqual({
      total: 6,
      imported: 3,
      duplicates: 1,
      invalid: 2,
      areaCodesCreated: 2,
      problems: [
        { line: 5, message: expect.stringMatching(/class "PLATINUM"/) },
        { line: 6, message: expect.stringMatching(/monthly_cents "-5"/) },
      ],
    });
    const areaCodes = await db.select().from(didAreaCodes).orderBy(didAreaCodes.id);
    expect(areaCodes.map((row) => [row.countryCode, row.localPrefix, row.intlPrefix, row.label])).toEqual([
      ['FR', '01', '+331', 'Paris'],
      ['IT', '06', '+3906', 'Roma'],
    ]);
    const [second] = await db.select().from(phoneNumbers).where(eq(phoneNumbers.number, '+33140000002'));
    expect(second).toMatchObject({
      numberClass: 'GOLD',
      monthlyCents: 250,
      state: 'available',
      areaLabel: 'Paris centre',
    });

    const again = await importInventory(db, inputs.slice(0, 2));
    expect(again).toMatchObject({ imported: 0, duplicates: 2, areaCodesCreated: 0 });
  });
});
