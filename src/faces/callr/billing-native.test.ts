import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { chargeCredit } from '../../core/billing/credit.js';
import { createCallrTestApp, type CallrTestAccount, type Inject } from './callr-test-kit.js';

interface CreditDto {
  balanceCents: number;
  currencyCode: string;
  lastTransactionCents: number;
  ratesCents: Record<string, number>;
}

/**
 * The native credit routes (src/faces/native/billing.routes.ts). They run once the lead registers
 * registerNativeBillingRoutes in the native face; until then each test skips itself.
 */
describe(`Native prepaid credit routes (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: CallrTestAccount;
  let globex: CallrTestAccount;
  let isWired = false;

  beforeAll(async () => {
    const kit = await createCallrTestApp();
    ({ app, inject } = kit);
    acme = await kit.account('Acme');
    globex = await kit.account('Globex');
    isWired = app.parley.server.hasRoute({ method: 'GET', url: '/api/v1/accounts/:accountId/credit' });
  });
  afterAll(async () => {
    await app.close();
  });

  const topUp = (accountId: number, body: unknown, headers: Record<string, string> = {}) =>
    inject({
      method: 'POST',
      url: `/api/v1/accounts/${accountId}/credit/top-ups`,
      headers: { ...bearer(TEST_PLATFORM_TOKEN), ...headers },
      payload: body as Record<string, unknown>,
    });

  it('records payments with the platform token only, once per Idempotency-Key', async (context) => {
    if (!isWired) context.skip();
    const paid = await topUp(
      acme.accountId,
      { amountCents: 5000, reference: 'INV-1' },
      { 'idempotency-key': 'pay-1' },
    );
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json<CreditDto>()).toMatchObject({
      balanceCents: 5000,
      currencyCode: 'EUR',
      lastTransactionCents: 5000,
    });
    const replayed = await topUp(
      acme.accountId,
      { amountCents: 5000, reference: 'INV-1' },
      { 'idempotency-key': 'pay-1' },
    );
    expect(replayed.statusCode).toBe(201);
    const read = await acme.native('GET', '/credit');
    expect(read.json<CreditDto>().balanceCents).toBe(5000);

    const byAccount = await acme.native('POST', '/credit/top-ups', {
      amountCents: 100,
      reference: 'self-service',
    });
    expect(byAccount.statusCode).toBe(403);
    expect((await topUp(acme.accountId, { amountCents: 0, reference: 'x' })).statusCode).toBe(422);
    expect((await acme.result<{ balance: string }>('billing.get_prepaid_credit')).balance).toBe('5000.00');
  });

  it('sets per-account rates that charges then use', async (context) => {
    if (!isWired) context.skip();
    const set = await inject({
      method: 'PUT',
      url: `/api/v1/accounts/${globex.accountId}/credit/rates/sms`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { unitCents: 9 },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json<CreditDto>().ratesCents).toEqual({ sms: 9, call_minute: 2, number_month: 100 });
    const db = app.parley.ctx.db;
    await db.transaction((tx) =>
      chargeCredit(tx, { accountId: globex.accountId, kind: 'sms', quantity: 2, reference: 'sms:x' }),
    );
    expect((await globex.native('GET', '/credit')).json<CreditDto>().balanceCents).toBe(-18);
    // Acme keeps the defaults.
    expect((await acme.native('GET', '/credit')).json<CreditDto>().ratesCents.sms).toBe(5);
  });

  it('pages the ledger newest first and keeps accounts apart', async (context) => {
    if (!isWired) context.skip();
    await topUp(acme.accountId, { amountCents: 100, reference: 'INV-2' });
    const first = await acme.native('GET', '/credit/ledger?limit=1');
    expect(first.statusCode, first.body).toBe(200);
    const firstPage = first.json<{ data: { reference: string }[]; nextCursor: number | null }>();
    expect(firstPage.data.map((entry) => entry.reference)).toEqual(['INV-2']);
    const second = await acme.native('GET', `/credit/ledger?limit=1&cursor=${firstPage.nextCursor}`);
    expect(second.json<{ data: { reference: string }[] }>().data.map((entry) => entry.reference)).toEqual([
      'INV-1',
    ]);

    const foreign = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${acme.accountId}/credit`,
      headers: bearer(globex.apiKey),
    });
    expect(foreign.statusCode).toBe(404);
  });
});
