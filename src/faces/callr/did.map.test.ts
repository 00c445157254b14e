import { describe, expect, it } from 'vitest';
import type { PhoneNumberRow } from '../../core/numbers/numbers.tables.js';
import { toCallrDid } from './did.map.js';
import { decodeHash, encodeHash } from './hash-ids.js';

function row(overrides: Partial<PhoneNumberRow>): PhoneNumberRow {
  const at = new Date('2026-01-02T03:04:05Z');
  return {
    id: 7,
    number: '+16469820800',
    countryCode: 'US',
    localPrefix: '646',
    areaLabel: 'New York',
    type: 'GEOGRAPHIC',
    numberClass: 'GOLD',
    monthlyCents: 100,
    state: 'active',
    accountId: 1,
    reservationToken: null,
    voiceAppId: null,
    inboxId: null,
    conferenceRoomId: null,
    acquiredAt: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

describe('toCallrDid', () => {
  it("answers the seed's DID fields, with the national forms of the number", () => {
    expect(toCallrDid(row({}))).toEqual({
      app: '',
      class: 'GOLD',
      country_code: 'US',
      hash: encodeHash('did', 7),
      intl_number: '+16469820800',
      local_number: '6469820800',
      local_number_f: '(646) 982-0800',
      type: 'GEOGRAPHIC',
    });
  });

  it('names the assigned app by its hash', () => {
    const did = toCallrDid(
      row({ voiceAppId: 42, number: '+447890123456', countryCode: 'GB', type: 'MOBILE' }),
    );
    expect(decodeHash('app', did.app)).toBe(42);
    expect(did).toMatchObject({
      local_number: '07890123456',
      local_number_f: '07890 123456',
      type: 'MOBILE',
    });
  });

  it('falls back to the digits when the number cannot be placed', () => {
    const did = toCallrDid(row({ number: '+999123' }));
    expect(did).toMatchObject({ intl_number: '+999123', local_number: '999123', local_number_f: '+999123' });
  });
});
