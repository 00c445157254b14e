import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { phoneNumbers, type PhoneNumberRow } from '../../core/numbers/numbers.tables.js';
import { createCallrTestApp, type CallrTestAccount, type Inject } from './callr-test-kit.js';

/** Shared by the CALLR numbers tests: the result shapes, an inventory, and an app loaded with it. */

export interface Availability {
  CLASSIC: number;
  GOLD: number;
}
export interface AreaCode {
  available: Availability;
  country_code: string;
  id: number;
  intl_prefix: string;
  label: string;
  local_prefix: string;
  type: string;
}
export interface StoreItem {
  hash: string;
  intl_number: string;
  local_number: string;
}
export interface Cost {
  amount_per_month: string;
  amount_prepaid_debit: string;
  amount_unit: string;
  discount_percent: number;
  quantity: number;
  quantity_paying: number;
}
export interface Contract {
  billing_mode: string;
  duration_month: number;
  end_date: string;
}
export interface Reservation {
  contract: Contract;
  cost: Cost;
  expire: string;
  items: StoreItem[];
  token: string;
}
export interface BuyStatus {
  contract: Contract;
  cost: Cost;
  errors: { code: number; DID: StoreItem; message: string }[];
  success: StoreItem[];
}

const range = (prefix: string, from: number, to: number, width: number) =>
  Array.from(
    { length: to - from + 1 },
    (_, index) => `${prefix}${String(from + index).padStart(width, '0')}`,
  );

export const inventory = [
  ...range('+331400000', 1, 10, 2).map((number) => ({
    number,
    countryCode: 'FR',
    type: 'GEOGRAPHIC',
    localPrefix: '01',
    areaLabel: 'Paris',
    monthlyCents: 100,
  })),
  ...['+33140000090', '+33140000091'].map((number) => ({
    number,
    countryCode: 'fr',
    type: 'geographic',
    class: 'GOLD',
    localPrefix: '01',
    areaLabel: 'Paris',
    monthlyCents: 500,
  })),
  ...range('+3347200000', 1, 2, 1).map((number) => ({
    number,
    countryCode: 'FR',
    type: 'GEOGRAPHIC',
    localPrefix: '04',
    areaLabel: 'Lyon',
    monthlyCents: 120,
  })),
  ...range('+3361234567', 0, 5, 1).map((number) => ({
    number,
    countryCode: 'FR',
    type: 'MOBILE',
    localPrefix: '06',
    monthlyCents: 200,
  })),
  { number: '+33800123456', countryCode: 'FR', type: 'TOLLFREE', localPrefix: '0800', monthlyCents: 900 },
  ...range('+1646982080', 0, 3, 1).map((number) => ({
    number,
    countryCode: 'US',
    type: 'GEOGRAPHIC',
    localPrefix: '646',
    areaLabel: 'New York',
    monthlyCents: 150,
  })),
  ...range('+44207946000', 0, 3, 1).map((number) => ({
    number,
    countryCode: 'GB',
    type: 'GEOGRAPHIC',
    localPrefix: '020',
    areaLabel: 'London',
    monthlyCents: 110,
  })),
];
export const badRows = [
  { number: '+33999', countryCode: 'FR', type: 'GEOGRAPHIC', localPrefix: '01' },
  { number: '+16469820899', countryCode: 'FR', type: 'GEOGRAPHIC', localPrefix: '01' },
  { number: '+33140000050', countryCode: 'FR', type: 'GEOGRAPHIC', localPrefix: '02' },
  { number: '+33140000051', countryCode: 'FR', type: 'LANDLINE', localPrefix: '01' },
];

export interface NumbersTestApp {
  app: TestApp;
  inject: Inject;
  alice: CallrTestAccount;
  bob: CallrTestAccount;
  carol: CallrTestAccount;
  /** The area code "COUNTRY|TYPE|LOCAL_PREFIX" as `did/areacode.get_list` gave it after the import. */
  area(key: string): AreaCode;
  numberRow(number: string): Promise<PhoneNumberRow>;
  /** What `did/areacode.get_list` says is for sale in the area code now. */
  availableIn(key: string, numberClass?: 'CLASSIC' | 'GOLD'): Promise<number | undefined>;
}

/** A CALLR test app with three accounts and the inventory (plus refused rows) imported. */
export async function createNumbersTestApp(): Promise<NumbersTestApp> {
  const kit = await createCallrTestApp();
  const { app, inject } = kit;
  const alice = await kit.account('Alice numbers');
  const bob = await kit.account('Bob numbers');
  const carol = await kit.account('Carol numbers');
  const imported = await inject({
    method: 'POST',
    url: '/api/v1/numbers/import',
    headers: bearer(TEST_PLATFORM_TOKEN),
    payload: { rows: [...inventory, ...badRows] },
  });
  expect(imported.statusCode, imported.body).toBe(200);
  const areaCodes = new Map<string, AreaCode>();
  for (const country of ['FR', 'US', 'GB']) {
    for (const entry of await alice.result<AreaCode[]>('did/areacode.get_list', [country])) {
      areaCodes.set(`${country}|${entry.type}|${entry.local_prefix}`, entry);
    }
  }
  const area = (key: string) => {
    const found = areaCodes.get(key);
    if (!found) throw new Error(`no area code ${key}`);
    return found;
  };
  return {
    app,
    inject,
    alice,
    bob,
    carol,
    area,
    async numberRow(number) {
      const [row] = await app.parley.ctx.db
        .select()
        .from(phoneNumbers)
        .where(eq(phoneNumbers.number, number));
      if (!row) throw new Error(`${number} is not in the inventory`);
      return row;
    },
    async availableIn(key, numberClass = 'CLASSIC') {
      const { country_code: country, type, id } = area(key);
      const list = await alice.result<AreaCode[]>('did/areacode.get_list', [country, type]);
      return list.find((entry) => entry.id === id)?.available[numberClass];
    },
  };
}
