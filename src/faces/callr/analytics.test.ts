import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { phoneNumbers } from '../../core/numbers/numbers.tables.js';
import { smsMessages } from '../../core/sms/sms.tables.js';
import { telephonyCalls } from '../../core/telephony/telephony.tables.js';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';
import { decodeHash, encodeHash } from './hash-ids.js';

/**
 * `analytics/*` against a hand-counted set of CDRs and SMS written straight into the tables (the
 * figures must not depend on the simulator's timing). March 2024 is the range; a call and an SMS
 * outside it, a call still dialling and another account's traffic must not count.
 */

let app: TestApp;
let account: CallrTestAccount;
let other: CallrTestAccount;
let appHash: string;
let didHash: string;
const DID = '+33123456789';
const FROM = '2024-03-01 00:00:00';
const TO = '2024-03-31 23:59:59';

const at = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);

interface CdrSpec {
  direction: 'IN' | 'OUT';
  number: string;
  cli?: string;
  withApp?: boolean;
  start: string;
  answer?: string;
  end?: string;
  debit?: number;
}

async function insertCdrs(accountId: number, appId: number | null, specs: CdrSpec[]): Promise<void> {
  await app.parley.ctx.db.insert(telephonyCalls).values(
    specs.map((spec) => ({
      accountId,
      direction: spec.direction,
      kind: 'realtime' as const,
      voiceAppId: spec.withApp === false ? null : appId,
      number: spec.number,
      cli: spec.cli ?? '',
      status: spec.end ? ('ended' as const) : ('dialing' as const),
      startedAt: at(spec.start),
      answeredAt: spec.answer ? at(spec.answer) : null,
      endedAt: spec.end ? at(spec.end) : null,
      debitCents: spec.debit ?? 0,
    })),
  );
}

async function insertSms(accountId: number, specs: { direction: 'IN' | 'OUT'; at: string; parts: number }[]) {
  await app.parley.ctx.db.insert(smsMessages).values(
    specs.map((spec) => ({
      accountId,
      direction: spec.direction,
      sender: '+33612345678',
      recipient: '+33698765432',
      body: 'hello',
      status: 'RECEIVED' as const,
      encoding: 'GSM' as const,
      parts: spec.parts,
      debitCents: spec.direction === 'OUT' ? 5 * spec.parts : 0,
      provider: 'simulator',
      createdAt: at(spec.at),
    })),
  );
}

beforeAll(async () => {
  const kit = await createCallrTestApp();
  app = kit.app;
  account = await kit.account('Analysed');
  other = await kit.account('Someone else');
  const created = await account.result<{ hash: string }>('apps.create', [
    'REALTIME10',
    'Hotline',
    { url: 'https://example.com/rt' },
  ]);
  appHash = created.hash;
  const appId = decodeHash('app', appHash);
  const [did] = await app.parley.ctx.db
    .insert(phoneNumbers)
    .values({
      number: DID,
      countryCode: 'FR',
      localPrefix: '01',
      type: 'GEOGRAPHIC',
      state: 'active',
      accountId: account.accountId,
    })
    .returning();
  if (!did) throw new Error('no DID');
  didHash = encodeHash('did', did.id);
  await insertCdrs(account.accountId, appId, [
    // OUT: 60 s + 30 s answered (30.4 rounds down as the CDR does), one unanswered broadcast.
    {
      direction: 'OUT',
      number: '+33612345678',
      cli: DID,
      start: '2024-03-01 10:00:00',
      answer: '2024-03-01 10:00:05',
      end: '2024-03-01 10:01:05',
      debit: 2,
    },
    {
      direction: 'OUT',
      number: '+33612345679',
      start: '2024-03-01 11:00:00',
      answer: '2024-03-01 11:00:10',
      end: '2024-03-01 11:00:40.400',
      debit: 2,
    },
    {
      direction: 'OUT',
      number: '+447400123456',
      withApp: false,
      start: '2024-03-02 09:00:00',
      end: '2024-03-02 09:00:30',
    },
    {
      direction: 'OUT',
      number: '+33612345678',
      start: '2024-04-05 10:00:00',
      answer: '2024-04-05 10:00:01',
      end: '2024-04-05 10:05:00',
      debit: 10,
    },
    { direction: 'OUT', number: '+33612345678', start: '2024-03-05 10:00:00' },
    // IN on the DID: 120 s and 10 s from one caller, one unanswered withheld number.
    {
      direction: 'IN',
      number: DID,
      cli: '+33698765432',
      start: '2024-03-01 12:00:00',
      answer: '2024-03-01 12:00:02',
      end: '2024-03-01 12:02:02',
      debit: 4,
    },
    {
      direction: 'IN',
      number: DID,
      cli: '+33698765432',
      start: '2024-03-03 08:00:00',
      answer: '2024-03-03 08:00:01',
      end: '2024-03-03 08:00:11',
      debit: 2,
    },
    {
      direction: 'IN',
      number: DID,
      cli: 'BLOCKED',
      start: '2024-03-03 09:00:00',
      end: '2024-03-03 09:00:20',
    },
  ]);
  await insertCdrs(other.accountId, null, [
    {
      direction: 'OUT',
      number: '+4915112345678',
      start: '2024-03-10 10:00:00',
      answer: '2024-03-10 10:00:00',
      end: '2024-03-10 10:10:00',
      debit: 999,
    },
  ]);
  await insertSms(account.accountId, [
    { direction: 'OUT', at: '2024-03-01 10:00:00', parts: 1 },
    { direction: 'OUT', at: '2024-03-02 10:00:00', parts: 3 },
    { direction: 'IN', at: '2024-03-02 11:00:00', parts: 1 },
    { direction: 'OUT', at: '2024-05-01 10:00:00', parts: 2 },
  ]);
  await insertSms(other.accountId, [{ direction: 'OUT', at: '2024-03-02 10:00:00', parts: 7 }]);
});
afterAll(async () => {
  await app.close();
});

const zero = { aloc: 0, count: 0, credit: '0.0000', debit: '0.0000', duration: 0 };

describe('analytics/calls', () => {
  it('summarizes each direction: counts, answered duration, average length, amounts', async () => {
    const summary = await account.result('analytics/calls.summary', [FROM, TO]);

    expect(summary).toEqual({
      IN: { aloc: 65, count: 3, credit: '0.0000', debit: '6.0000', duration: 130, unique_callers: 1 },
      OUT: { aloc: 45, count: 3, credit: '0.0000', debit: '4.0000', duration: 90 },
    });
  });

  it('gives zero figures for a range without calls', async () => {
    const summary = await account.result('analytics/calls.summary', [
      '2020-01-01 00:00:00',
      '2020-01-31 00:00:00',
    ]);

    expect(summary).toEqual({ IN: { ...zero, unique_callers: 0 }, OUT: zero });
  });

  it('histories by day and by month, dated at the start of each bucket', async () => {
    const daily = await account.result('analytics/calls.history', [FROM, TO, 'DAY']);
    const monthly = await account.result('analytics/calls.history', [FROM, TO, 'MONTH']);

    expect(daily).toEqual({
      IN: [
        {
          aloc: 120,
          count: 1,
          credit: '0.0000',
          date: '2024-03-01 00:00:00',
          debit: '4.0000',
          duration: 120,
        },
        { aloc: 10, count: 2, credit: '0.0000', date: '2024-03-03 00:00:00', debit: '2.0000', duration: 10 },
      ],
      OUT: [
        { aloc: 45, count: 2, credit: '0.0000', date: '2024-03-01 00:00:00', debit: '4.0000', duration: 90 },
        { ...zero, count: 1, date: '2024-03-02 00:00:00' },
      ],
    });
    expect(monthly).toMatchObject({
      IN: [{ count: 3, date: '2024-03-01 00:00:00', duration: 130 }],
      OUT: [{ count: 3, date: '2024-03-01 00:00:00', duration: 90 }],
    });
  });

  it('groups by app, calls without an app under an empty hash', async () => {
    const byApp = await account.result('analytics/calls.by_app', ['OUT', FROM, TO]);

    expect(byApp).toEqual([
      { aloc: 45, count: 2, credit: '0.0000', debit: '4.0000', duration: 90, hash: appHash },
      { ...zero, count: 1, hash: '' },
    ]);
  });

  it('groups by the other party’s country and by the destination as billed', async () => {
    const outCountries = await account.result('analytics/calls.by_country', ['OUT', FROM, TO]);
    const inCountries = await account.result('analytics/calls.by_country', ['IN', FROM, TO]);
    const destinations = await account.result('analytics/calls.by_destination', ['OUT', FROM, TO]);

    expect(outCountries).toEqual([
      { aloc: 45, count: 2, country_code: 'FR', credit: '0.0000', debit: '4.0000', duration: 90 },
      { ...zero, count: 1, country_code: 'GB' },
    ]);
    expect(inCountries).toEqual([
      { aloc: 65, count: 2, country_code: 'FR', credit: '0.0000', debit: '6.0000', duration: 130 },
      { ...zero, count: 1, country_code: '' },
    ]);
    expect(destinations).toEqual([
      { aloc: 45, billing_label: 'France MOBILE', count: 2, credit: '0.0000', debit: '4.0000', duration: 90 },
      { ...zero, billing_label: 'United Kingdom MOBILE', count: 1 },
    ]);
  });

  it('groups by DID: called on it (IN), presented from it (OUT)', async () => {
    const inbound = await account.result('analytics/calls.by_did', ['IN', FROM, TO]);
    const outbound = await account.result('analytics/calls.by_did', ['OUT', FROM, TO]);

    expect(inbound).toEqual([
      {
        aloc: 65,
        billing_label: 'France FIXED_LINE',
        count: 3,
        credit: '0.0000',
        debit: '6.0000',
        duration: 130,
        hash: didHash,
        intl: DID,
      },
    ]);
    expect(outbound).toEqual([
      {
        ...zero,
        aloc: 60,
        billing_label: 'France FIXED_LINE',
        count: 1,
        debit: '2.0000',
        duration: 60,
        hash: didHash,
        intl: DID,
      },
    ]);
  });

  it('shows an account only its own calls', async () => {
    const summary = await other.result('analytics/calls.summary', [FROM, TO]);
    const byDid = await other.result('analytics/calls.by_did', ['IN', FROM, TO]);

    expect(summary).toEqual({
      IN: { ...zero, unique_callers: 0 },
      OUT: { aloc: 600, count: 1, credit: '0.0000', debit: '999.0000', duration: 600 },
    });
    expect(byDid).toEqual([]);
  });

  it('names the bad param', async () => {
    const badType = await account.error('analytics/calls.by_app', ['SIDEWAYS', FROM, TO]);
    const badFrom = await account.error('analytics/calls.summary', ['yesterday', TO]);
    const reversed = await account.error('analytics/calls.by_country', ['IN', TO, FROM]);
    const badStep = await account.error('analytics/calls.history', [FROM, TO, 'FORTNIGHT']);

    expect(badType).toMatchObject({ code: -32602, message: expect.stringContaining("#1 'type'") });
    expect(badFrom).toMatchObject({ code: -32602, message: expect.stringContaining("#1 'from'") });
    expect(reversed).toMatchObject({ code: -32602, message: expect.stringContaining("#3 'to'") });
    expect(badStep).toMatchObject({ code: -32602, message: expect.stringContaining("#3 'step'") });
  });
});

describe('analytics/sms', () => {
  it('summarizes each direction: count, parts and amounts', async () => {
    const summary = await account.result('analytics/sms.summary', [FROM, TO]);

    expect(summary).toEqual({
      IN: { count: 1, credit: '0.0000', debit: '0.0000', parts: 1 },
      OUT: { count: 2, credit: '0.0000', debit: '20.0000', parts: 4 },
    });
  });

  it('histories by day', async () => {
    const history = await account.result('analytics/sms.history', [FROM, TO]);

    expect(history).toEqual({
      IN: [{ count: 1, credit: '0.0000', date: '2024-03-02 00:00:00', debit: '0.0000', parts: 1 }],
      OUT: [
        { count: 1, credit: '0.0000', date: '2024-03-01 00:00:00', debit: '5.0000', parts: 1 },
        { count: 1, credit: '0.0000', date: '2024-03-02 00:00:00', debit: '15.0000', parts: 3 },
      ],
    });
  });

  it('shows an account only its own SMS', async () => {
    const summary = await other.result('analytics/sms.summary', [FROM, TO]);

    expect(summary).toMatchObject({ IN: { count: 0 }, OUT: { count: 1, parts: 7 } });
  });
});
