import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import type { CallrTestAccount, Inject } from './callr-test-kit.js';
import {
  badRows,
  createNumbersTestApp,
  inventory,
  type AreaCode,
  type Availability,
  type Contract,
  type Cost,
  type NumbersTestApp,
} from './numbers.test-kit.js';

describe(`CALLR area codes and quotes (${backendName})`, () => {
  let kit: NumbersTestApp;
  let app: TestApp;
  let inject: Inject;
  let alice: CallrTestAccount;
  const area = (key: string) => kit.area(key);
  const numberRow = (number: string) => kit.numberRow(number);
  const availableIn = (key: string, numberClass?: 'CLASSIC' | 'GOLD') => kit.availableIn(key, numberClass);

  beforeAll(async () => {
    kit = await createNumbersTestApp();
    ({ app, inject, alice } = kit);
  }, 120_000);
  afterAll(async () => {
    await app.close();
  });

  it('imports valid rows, reports refused ones with their reason, and skips known numbers on a re-import', async () => {
    const again = await inject({
      method: 'POST',
      url: '/api/v1/numbers/import',
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: {
        rows: [...inventory.slice(0, 3), { ...inventory[0], number: '+33 1 40 00 00 01' }, ...badRows],
      },
    });
    expect(again.statusCode).toBe(200);
    const report = again.json<{
      total: number;
      imported: number;
      duplicates: number;
      invalid: number;
      areaCodesCreated: number;
      problems: { line: number; message: string }[];
    }>();
    expect(report).toMatchObject({ total: 8, imported: 0, duplicates: 4, invalid: 4, areaCodesCreated: 0 });
    expect(report.problems.map((problem) => problem.line)).toEqual([5, 6, 7, 8]);
    expect(report.problems[0]?.message).toMatch(/not a valid phone number/);
    expect(report.problems[1]?.message).toMatch(/belongs to US/);
    expect(report.problems[2]?.message).toMatch(/does not start with local_prefix "02"/);
    expect(report.problems[3]?.message).toMatch(/type "LANDLINE"/);

    const row = await numberRow('+33140000090');
    expect(row).toMatchObject({
      countryCode: 'FR',
      type: 'GEOGRAPHIC',
      numberClass: 'GOLD',
      monthlyCents: 500,
      state: 'available',
      accountId: null,
    });
  });

  it('keeps the inventory import to the platform token', async () => {
    const byAccount = await inject({
      method: 'POST',
      url: '/api/v1/numbers/import',
      headers: bearer(alice.apiKey),
      payload: { rows: inventory.slice(0, 1) },
    });
    expect(byAccount.statusCode).toBe(403);
  });

  it('lists the store countries with their availability per class', async () => {
    const countries =
      await alice.result<{ available: Availability; code: string; label: string }[]>(
        'did/areacode.countries',
      );
    expect(countries).toEqual(
      [
        { available: { CLASSIC: 4, GOLD: 0 }, code: 'GB', label: 'United Kingdom' },
        { available: { CLASSIC: 19, GOLD: 2 }, code: 'FR', label: 'France' },
        { available: { CLASSIC: 4, GOLD: 0 }, code: 'US', label: 'United States' },
      ].sort((a, b) => a.code.localeCompare(b.code)),
    );
  });

  it('lists a country’s area codes, all or of one type, with stable ids and international prefixes', async () => {
    const all = await alice.result<AreaCode[]>('did/areacode.get_list', ['fr', null]);
    expect(all.map((entry) => `${entry.type} ${entry.local_prefix}`)).toEqual([
      'GEOGRAPHIC 01',
      'GEOGRAPHIC 04',
      'MOBILE 06',
      'TOLLFREE 0800',
    ]);
    expect(all[0]).toEqual({
      available: { CLASSIC: 10, GOLD: 2 },
      country_code: 'FR',
      id: area('FR|GEOGRAPHIC|01').id,
      intl_prefix: '+331',
      label: 'Paris',
      local_prefix: '01',
      type: 'GEOGRAPHIC',
    });
    expect(Number.isInteger(all[0]?.id)).toBe(true);
    expect(all[3]).toMatchObject({ intl_prefix: '+33800', label: '', available: { CLASSIC: 1, GOLD: 0 } });

    const mobiles = await alice.result<AreaCode[]>('did/areacode.get_list', ['FR', 'MOBILE']);
    expect(mobiles.map((entry) => entry.local_prefix)).toEqual(['06']);
    expect(area('US|GEOGRAPHIC|646')).toMatchObject({ intl_prefix: '+1646', label: 'New York' });
    expect(await alice.result('did/areacode.get_list', ['DE'])).toEqual([]);

    const bad = await alice.error('did/areacode.get_list', ['France']);
    expect(bad.code).toBe(-32602);
    expect(bad.message).toMatch(/'country'/);
    const badType = await alice.error('did/areacode.get_list', ['FR', 'LANDLINE']);
    expect(badType.message).toMatch(/'type'/);
  });

  it('lists a country’s DID types with labels and availability', async () => {
    const types = await alice.result<{ available: Availability; code: string; label: string }[]>(
      'did/areacode.types',
      ['FR'],
    );
    expect(types).toEqual([
      { available: { CLASSIC: 12, GOLD: 2 }, code: 'GEOGRAPHIC', label: 'Geographic' },
      { available: { CLASSIC: 6, GOLD: 0 }, code: 'MOBILE', label: 'Mobile' },
      { available: { CLASSIC: 1, GOLD: 0 }, code: 'TOLLFREE', label: 'Toll-free' },
    ]);
  });

  it('quotes without reserving', async () => {
    const paris = area('FR|GEOGRAPHIC|01');
    const quote = await alice.result<{ available: number; contract: Contract; cost: Cost }>(
      'did/store.get_quote',
      [paris.id, 'GOLD', 3],
    );
    expect(quote.available).toBe(2);
    expect(quote.cost).toEqual({
      amount_per_month: '1000.00',
      // What a purchase would debit: the area code's monthly price per number it gets (2 are left).
      amount_prepaid_debit: '1000.00',
      amount_unit: '500.00',
      discount_percent: 0,
      quantity: 3,
      quantity_paying: 3,
    });
    expect(quote.contract.billing_mode).toBe('PREPAID');
    expect(quote.contract.duration_month).toBe(1);
    expect(quote.contract.end_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await availableIn('FR|GEOGRAPHIC|01', 'GOLD')).toBe(2);

    expect((await alice.error('did/store.get_quote', [999_999, 'CLASSIC', 1])).code).toBe(-32004);
    const badClass = await alice.error('did/store.get_quote', [paris.id, 'SILVER', 1]);
    expect(badClass).toMatchObject({ code: -32602 });
    expect(badClass.message).toMatch(/'class'/);
    const badQuantity = await alice.error('did/store.get_quote', [paris.id, 'CLASSIC', 0]);
    expect(badQuantity.message).toMatch(/'quantity'/);
  });
});
