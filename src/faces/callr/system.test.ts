import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendName } from '../../testing/database.js';
import type { TestApp } from '../../testing/app.js';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';

interface Country {
  [field: string]: string;
}
interface Timezone {
  country_codes: string[];
  dst: string;
  iana: string;
  iana_names: string[];
  id: number;
  label: string;
}

const countryFields = [
  'capital_code',
  'continent_code',
  'country_code',
  'country_dialcode',
  'country_en_label',
  'country_fr_label',
  'country_label',
  'country_languages',
  'country_latitude',
  'country_localcode',
  'country_longitude',
  'country_neighbours',
  'country_number_length',
  'country_tld',
  'currency_code',
];

describe(`CALLR system and look-up methods (${backendName})`, () => {
  let app: TestApp;
  let account: CallrTestAccount;

  beforeAll(async () => {
    const kit = await createCallrTestApp();
    app = kit.app;
    account = await kit.account('Lookups');
  });
  afterAll(async () => {
    await app.close();
  });

  it('system.get_timestamp answers the server clock in whole seconds', async () => {
    const timestamp = await account.result<number>('system.get_timestamp');
    expect(Number.isInteger(timestamp)).toBe(true);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5);
  });

  it('list.countries answers Country objects with every seed field as a string, never null', async () => {
    const countries = await account.result<Country[]>('list.countries');
    expect(countries.length).toBeGreaterThan(200);
    for (const country of countries) {
      expect(Object.keys(country).sort()).toEqual(countryFields);
      for (const value of Object.values(country)) expect(typeof value).toBe('string');
    }
    const codes = countries.map((country) => country.country_code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(countries.find((country) => country.country_code === 'FR')).toMatchObject({
      country_code: 'FR',
      country_dialcode: '33',
      country_en_label: 'FRANCE',
      country_fr_label: 'FRANCE',
      country_label: 'France',
      country_localcode: '0',
      country_number_length: '9',
      country_tld: '.fr',
      capital_code: '',
      currency_code: '',
    });
    expect(countries.find((country) => country.country_code === 'DE')).toMatchObject({
      country_dialcode: '49',
      country_en_label: 'GERMANY',
      country_fr_label: 'ALLEMAGNE',
    });
    expect(countries.find((country) => country.country_code === 'GB')?.country_tld).toBe('.uk');
    expect(countries.find((country) => country.country_code === 'US')?.country_localcode).toBe('1');
    // Countries without a trunk prefix have "" (libphonenumber's compact metadata says 0).
    expect(countries.find((country) => country.country_code === 'AD')?.country_localcode).toBe('');
  });

  it('list.timezones answers one Timezone per canonical IANA zone, with DST and offsets', async () => {
    const zones = await account.result<Timezone[]>('list.timezones');
    expect(zones.length).toBeGreaterThan(300);
    const names = zones.map((zone) => zone.iana);
    expect(new Set(names).size).toBe(names.length);
    expect(zones.map((zone) => zone.id)).toEqual(zones.map((_zone, index) => index + 1));
    const paris = zones.find((zone) => zone.iana === 'Europe/Paris');
    expect(paris).toMatchObject({ dst: '1', label: '(UTC+01:00) Europe/Paris' });
    const tokyo = zones.find((zone) => zone.iana === 'Asia/Tokyo');
    expect(tokyo).toMatchObject({ dst: '0', label: '(UTC+09:00) Asia/Tokyo' });
    for (const zone of zones) {
      expect(Array.isArray(zone.country_codes)).toBe(true);
      expect(Array.isArray(zone.iana_names)).toBe(true);
    }
    // Where the system tz database is installed, zones carry their countries and aliases.
    if (existsSync('/usr/share/zoneinfo/zone.tab') && existsSync('/usr/share/zoneinfo/tzdata.zi')) {
      expect(paris?.country_codes).toEqual(['FR']);
      const kolkata = zones.find((zone) => zone.iana === 'Asia/Kolkata');
      expect(kolkata?.iana_names).toContain('Asia/Calcutta');
      expect(kolkata?.label).toBe('(UTC+05:30) Asia/Kolkata');
      expect(names).not.toContain('Asia/Calcutta');
    }
  });

  it('list.number_infos describes valid numbers and flags invalid ones', async () => {
    expect(await account.result('list.number_infos', ['+33678912345'])).toEqual({
      country_code: 'FR',
      intl_code: '33',
      intl_number: '+33678912345',
      is_valid: true,
      local_number: '0678912345',
      local_prefix: '0',
      location: 'France',
      type: 'MOBILE',
    });
    expect(await account.result('list.number_infos', ['+447890123456'])).toMatchObject({
      country_code: 'GB',
      intl_code: '44',
      is_valid: true,
      type: 'MOBILE',
    });
    expect(await account.result('list.number_infos', ['0033142685300'])).toMatchObject({
      country_code: 'FR',
      intl_number: '+33142685300',
      type: 'FIXED_LINE',
    });
    // Too short to be a number, but the calling code still names the country.
    expect(await account.result('list.number_infos', ['+3312'])).toMatchObject({
      is_valid: false,
      country_code: 'FR',
      intl_code: '33',
      type: '',
    });
    expect(await account.result('list.number_infos', ['not a number'])).toEqual({
      country_code: '',
      intl_code: '',
      intl_number: 'not a number',
      is_valid: false,
      local_number: '',
      local_prefix: '',
      location: '',
      type: '',
    });
  });

  it('list.number_infos refuses a missing or non-string number with -32602 naming the param', async () => {
    for (const params of [[], [''], [33678912345]]) {
      const error = await account.error('list.number_infos', params);
      expect(error.code).toBe(-32602);
      expect(error.message).toMatch(/'number'/);
    }
  });
});
