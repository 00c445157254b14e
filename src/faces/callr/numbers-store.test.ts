import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { makeDue } from '../../testing/job-test-kit.js';
import { waitFor } from '../../testing/wait.js';
import { jobs } from '../../platform/jobs/index.js';
import { didStoreOrders, phoneNumbers } from '../../core/numbers/numbers.tables.js';
import { getCreditBalance, setCreditRate } from '../../core/billing/credit.js';
import { voiceApps } from '../../core/voice-apps/voice-apps.tables.js';
import { postRpc, type CallrTestAccount, type Inject } from './callr-test-kit.js';
import { decodeHash } from './hash-ids.js';
import {
  createNumbersTestApp,
  type BuyStatus,
  type NumbersTestApp,
  type Reservation,
} from './numbers.test-kit.js';

describe(`CALLR number store (${backendName})`, () => {
  let kit: NumbersTestApp;
  let app: TestApp;
  let inject: Inject;
  let alice: CallrTestAccount;
  let bob: CallrTestAccount;
  let carol: CallrTestAccount;
  const db = () => app.parley.ctx.db;
  const area = (key: string) => kit.area(key);
  const numberRow = (number: string) => kit.numberRow(number);
  const availableIn = (key: string, numberClass?: 'CLASSIC' | 'GOLD') => kit.availableIn(key, numberClass);

  beforeAll(async () => {
    kit = await createNumbersTestApp();
    ({ app, inject, alice, bob, carol } = kit);
  }, 120_000);
  afterAll(async () => {
    await app.close();
  });

  it('reserves, shows and buys an order: the numbers become the account’s and leave the store', async () => {
    const paris = area('FR|GEOGRAPHIC|01');
    const before = Date.now();
    const reservation = await alice.result<Reservation>('did/store.reserve', [
      paris.id,
      'CLASSIC',
      2,
      'SEQUENTIAL',
    ]);
    expect(reservation.token).toMatch(/^[0-9a-f]{32}$/);
    expect(reservation.items).toEqual([
      {
        hash: expect.stringMatching(/^[0-9A-F]{8}$/),
        intl_number: '+33140000001',
        local_number: '0140000001',
      },
      {
        hash: expect.stringMatching(/^[0-9A-F]{8}$/),
        intl_number: '+33140000002',
        local_number: '0140000002',
      },
    ]);
    const expire = Date.parse(`${reservation.expire.replace(' ', 'T')}Z`);
    expect(expire - before).toBeGreaterThan(14 * 60_000);
    expect(expire - before).toBeLessThan(16 * 60_000);
    expect(reservation.cost).toMatchObject({
      amount_per_month: '200.00',
      amount_prepaid_debit: '200.00',
      amount_unit: '100.00',
      quantity: 2,
    });
    expect(await availableIn('FR|GEOGRAPHIC|01')).toBe(8);
    expect((await numberRow('+33140000001')).state).toBe('reserved');

    expect(await alice.result<Reservation>('did/store.view_order', [reservation.token])).toEqual(reservation);

    await setCreditRate(db(), { accountId: alice.accountId, kind: 'number_month', unitCents: 250 });
    const balanceBefore = (await getCreditBalance(db(), alice.accountId)).balanceCents;
    const bought = await alice.result<BuyStatus>('did/store.buy_order', [reservation.token]);
    expect(bought.errors).toEqual([]);
    // The purchase debits the account's rate per number, in the purchase's transaction.
    expect(bought.cost.amount_prepaid_debit).toBe('500.00');
    expect((await getCreditBalance(db(), alice.accountId)).balanceCents).toBe(balanceBefore - 500);
    expect(bought.success).toEqual(reservation.items);
    expect(bought.cost).toMatchObject({ amount_per_month: '200.00', quantity: 2, quantity_paying: 2 });
    expect(bought.contract.billing_mode).toBe('PREPAID');

    const row = await numberRow('+33140000001');
    expect(row).toMatchObject({ state: 'active', accountId: alice.accountId, reservationToken: null });
    expect(row.acquiredAt).toBeInstanceOf(Date);
    expect(decodeHash('did', reservation.items[0]?.hash ?? '')).toBe(row.id);
    expect(await availableIn('FR|GEOGRAPHIC|01')).toBe(8);

    const listed = await alice.native('GET', '/numbers');
    expect(listed.statusCode).toBe(200);
    expect(
      listed.json<{ data: { number: string; class: string }[] }>().data.map((entry) => entry.number),
    ).toEqual(['+33140000001', '+33140000002']);
    expect((await bob.native('GET', '/numbers')).json<{ data: unknown[] }>().data).toEqual([]);

    const status = await alice.result('did/store.get_quota_status');
    expect(status).toEqual({
      assigned_count: 2,
      assigned_max: 100,
      quota_current_count: 2,
      quota_current_remaining: 98,
      quota_max_over_period: -1,
      quota_period_days: 30,
    });

    const twice = await alice.error('did/store.buy_order', [reservation.token]);
    expect(twice.code).toBe(-32009);
    expect((await alice.error('did/store.cancel_order', [reservation.token])).code).toBe(-32009);
    // After purchase the order still reads back, with what it bought.
    expect((await alice.result<Reservation>('did/store.view_order', [reservation.token])).items).toEqual(
      reservation.items,
    );
  });

  it('keeps orders and numbers to their account', async () => {
    const lyon = area('FR|GEOGRAPHIC|04');
    const reservation = await alice.result<Reservation>('did/store.reserve', [lyon.id, 'CLASSIC', 1]);
    expect((await bob.error('did/store.view_order', [reservation.token])).code).toBe(-32004);
    expect((await bob.error('did/store.buy_order', [reservation.token])).code).toBe(-32004);
    expect((await bob.error('did/store.cancel_order', [reservation.token])).code).toBe(-32004);
    expect((await numberRow(reservation.items[0]?.intl_number ?? '')).state).toBe('reserved');

    const bought = await alice.result<BuyStatus>('did/store.buy_order', [reservation.token]);
    const hash = bought.success[0]?.hash ?? '';
    expect((await bob.error('did/store.cancel_subscription', [hash])).code).toBe(-32004);
    expect((await numberRow(bought.success[0]?.intl_number ?? '')).accountId).toBe(alice.accountId);
    expect((await bob.error('did/store.cancel_subscription', ['not-a-hash'])).code).toBe(-32602);
  });

  it('cancels an order: its numbers go back to the store and it can no longer be bought', async () => {
    const paris = area('FR|GEOGRAPHIC|01');
    const reservation = await alice.result<Reservation>('did/store.reserve', [paris.id, 'GOLD', 2]);
    expect(await availableIn('FR|GEOGRAPHIC|01', 'GOLD')).toBe(0);
    // Nothing left: a reservation is all or nothing.
    const none = await bob.error('did/store.reserve', [paris.id, 'GOLD', 1]);
    expect(none.code).toBe(-32009);
    expect(none.message).toMatch(/Only 0 GOLD/);

    expect(await alice.result('did/store.cancel_order', [reservation.token])).toBe(true);
    expect(await availableIn('FR|GEOGRAPHIC|01', 'GOLD')).toBe(2);
    expect((await numberRow('+33140000090')).reservationToken).toBeNull();
    expect((await alice.error('did/store.buy_order', [reservation.token])).message).toMatch(/cancelled/);
    // Cancelling again changes nothing.
    expect(await alice.result('did/store.cancel_order', [reservation.token])).toBe(true);
  });

  it('ends a subscription: the number returns to the store, unassigned', async () => {
    const mobile = area('FR|MOBILE|06');
    const reservation = await alice.result<Reservation>('did/store.reserve', [mobile.id, 'CLASSIC', 1]);
    const bought = await alice.result<BuyStatus>('did/store.buy_order', [reservation.token]);
    const number = bought.success[0]?.intl_number ?? '';
    const [voiceApp] = await db()
      .insert(voiceApps)
      .values({ accountId: alice.accountId, package: 'REALTIME10', name: 'Support line', options: {} })
      .returning();
    await db()
      .update(phoneNumbers)
      .set({ voiceAppId: voiceApp?.id ?? null })
      .where(eq(phoneNumbers.number, number));
    expect((await numberRow(number)).voiceAppId).toBe(voiceApp?.id);

    expect(await alice.result('did/store.cancel_subscription', [bought.success[0]?.hash])).toBe(true);
    expect(await numberRow(number)).toMatchObject({
      state: 'available',
      accountId: null,
      voiceAppId: null,
      inboxId: null,
      acquiredAt: null,
    });
    expect((await alice.error('did/store.cancel_subscription', [bought.success[0]?.hash])).code).toBe(-32004);
  });

  it('never gives the same number to two reservations made at once', async () => {
    const mobile = area('FR|MOBILE|06');
    const available = (await availableIn('FR|MOBILE|06')) ?? 0;
    expect(available).toBe(6);
    const answers = await Promise.all([
      alice.rpc<Reservation>('did/store.reserve', [mobile.id, 'CLASSIC', 3]),
      bob.rpc<Reservation>('did/store.reserve', [mobile.id, 'CLASSIC', 3]),
      carol.rpc<Reservation>('did/store.reserve', [mobile.id, 'CLASSIC', 3]),
    ]);
    const succeeded = answers.filter((answer) => answer.result);
    expect(succeeded).toHaveLength(2);
    expect(answers.filter((answer) => answer.error?.code === -32009)).toHaveLength(1);
    const numbers = succeeded.flatMap((answer) => answer.result?.items.map((item) => item.intl_number) ?? []);
    expect(new Set(numbers).size).toBe(6);
    for (const answer of succeeded) {
      await db().transaction(async (tx) => {
        const held = await tx
          .select()
          .from(phoneNumbers)
          .where(eq(phoneNumbers.reservationToken, answer.result?.token ?? ''));
        expect(held).toHaveLength(3);
      });
    }
  });

  it('holds purchases to the account’s quota, reporting refused numbers as errors', async () => {
    const newYork = area('US|GEOGRAPHIC|646');
    const setQuota = (body: object) =>
      inject({
        method: 'PUT',
        url: `/api/v1/accounts/${carol.accountId}/number-quota`,
        headers: bearer(TEST_PLATFORM_TOKEN),
        payload: body,
      });
    expect((await setQuota({ assignedMax: 1, maxOverPeriod: -1, periodDays: 30 })).statusCode).toBe(200);
    const tooMany = await carol.error('did/store.reserve', [newYork.id, 'CLASSIC', 2]);
    expect(tooMany.code).toBe(-32009);
    expect(tooMany.message).toMatch(/quota/);

    // Carol still holds 3 mobile numbers from the concurrency test: release them first.
    const open = await db()
      .select()
      .from(didStoreOrders)
      .where(and(eq(didStoreOrders.accountId, carol.accountId), eq(didStoreOrders.state, 'reserved')));
    for (const order of open) await carol.result('did/store.cancel_order', [order.token]);

    const first = await carol.result<Reservation>('did/store.reserve', [newYork.id, 'CLASSIC', 1]);
    expect((await carol.error('did/store.reserve', [newYork.id, 'CLASSIC', 1])).message).toMatch(/allows 0/);

    expect((await setQuota({ assignedMax: 3, maxOverPeriod: 2, periodDays: 7 })).statusCode).toBe(200);
    const second = await carol.result<Reservation>('did/store.reserve', [newYork.id, 'CLASSIC', 1]);
    // Now the operator lowers the period quota: the second purchase no longer fits.
    const lowered = await setQuota({ assignedMax: 3, maxOverPeriod: 1, periodDays: 7 });
    expect(lowered.json()).toMatchObject({ assignedCount: 0, remaining: 1, maxOverPeriod: 1 });

    expect((await carol.result<BuyStatus>('did/store.buy_order', [first.token])).success).toHaveLength(1);
    const refused = await carol.result<BuyStatus>('did/store.buy_order', [second.token]);
    expect(refused.success).toEqual([]);
    expect(refused.cost).toMatchObject({ quantity: 0, amount_per_month: '0.00' });
    expect(refused.errors).toEqual([
      { code: 2, DID: second.items[0], message: expect.stringMatching(/7 days/) },
    ]);
    expect((await numberRow(second.items[0]?.intl_number ?? '')).state).toBe('available');

    expect(await carol.result('did/store.get_quota_status')).toEqual({
      assigned_count: 1,
      assigned_max: 3,
      quota_current_count: 1,
      quota_current_remaining: 0,
      quota_max_over_period: 1,
      quota_period_days: 7,
    });
  });

  it('lets agents look and quote, but keeps buying and releasing to administrators', async () => {
    const key = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${alice.accountId}/api-keys`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { name: 'agent key', role: 'agent' },
    });
    expect(key.statusCode, key.body).toBe(201);
    const secret = key.json<{ token: string }>().token;
    const asAgent = (method: string, params: unknown[]) =>
      postRpc(inject, method, params, { authorization: `Api-Key ${secret}` });
    const paris = area('FR|GEOGRAPHIC|01');
    expect((await asAgent('did/store.get_quote', [paris.id, 'CLASSIC', 1])).result).toBeDefined();
    expect((await asAgent('did/store.get_quota_status', [])).result).toMatchObject({ assigned_count: 3 });
    expect((await asAgent('did/store.reserve', [paris.id, 'CLASSIC', 1])).error?.code).toBe(-32003);
    expect((await asAgent('did/store.cancel_subscription', ['00000000'])).error?.code).toBe(-32003);
  });

  it('pages the account’s numbers on the native API and keeps them to members', async () => {
    const first = await alice.native('GET', '/numbers?limit=2');
    const page = first.json<{
      data: { id: number; number: string; acquiredAt: string }[];
      nextCursor: number;
    }>();
    expect(page.data).toHaveLength(2);
    expect(page.data[0]?.acquiredAt).toMatch(/Z$/);
    expect(page.nextCursor).toBe(page.data[1]?.id);
    const rest = await alice.native('GET', `/numbers?limit=2&cursor=${page.nextCursor}`);
    expect(rest.json<{ data: unknown[]; nextCursor: null }>()).toMatchObject({ nextCursor: null });
    expect(rest.json<{ data: unknown[] }>().data).toHaveLength(1);

    const intruder = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${alice.accountId}/numbers`,
      headers: bearer(bob.apiKey),
    });
    expect([403, 404]).toContain(intruder.statusCode);
    const quota = await inject({
      method: 'PUT',
      url: `/api/v1/accounts/${alice.accountId}/number-quota`,
      headers: bearer(alice.apiKey),
      payload: { assignedMax: 1000, maxOverPeriod: -1, periodDays: 30 },
    });
    expect(quota.statusCode).toBe(403);
    expect((await alice.native('GET', '/number-quota')).json()).toMatchObject({
      assignedCount: 3,
      assignedMax: 100,
    });
  });

  it('releases an expired reservation through its durable job, and refuses to buy it', async () => {
    const london = area('GB|GEOGRAPHIC|020');
    const reservation = await bob.result<Reservation>('did/store.reserve', [london.id, 'CLASSIC', 2]);
    const [order] = await db()
      .select()
      .from(didStoreOrders)
      .where(eq(didStoreOrders.token, reservation.token));
    const [job] = await db()
      .select()
      .from(jobs)
      .where(
        and(
          eq(jobs.name, 'numbers.release_expired_reservation'),
          sql`${jobs.payload}->>'orderId' = ${String(order?.id)}`,
        ),
      );
    expect(job?.runAt.getTime()).toBe(order?.expiresAt.getTime());

    // Time passes: the reservation is past its expiry and its job is due.
    await db()
      .update(didStoreOrders)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(didStoreOrders.token, reservation.token));
    await makeDue(db(), job?.id ?? 0);
    await app.parley.startBackground();
    await waitFor(
      async () => {
        const [row] = await db()
          .select()
          .from(didStoreOrders)
          .where(eq(didStoreOrders.token, reservation.token));
        return row?.state === 'expired';
      },
      { what: 'the reservation to expire' },
    );
    expect(await availableIn('GB|GEOGRAPHIC|020')).toBe(4);
    expect((await numberRow(reservation.items[0]?.intl_number ?? '')).reservationToken).toBeNull();
    expect((await bob.error('did/store.buy_order', [reservation.token])).message).toMatch(/expired/);

    // A purchase that comes after the expiry but before the job releases the numbers itself.
    const late = await bob.result<Reservation>('did/store.reserve', [london.id, 'CLASSIC', 1]);
    await db()
      .update(didStoreOrders)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(didStoreOrders.token, late.token));
    expect((await bob.error('did/store.buy_order', [late.token])).message).toMatch(/expired/);
    expect((await numberRow(late.items[0]?.intl_number ?? '')).state).toBe('available');
  });
});
