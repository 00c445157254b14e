import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { CREDIT_LIMIT_REACHED } from '../../core/billing/billing.events.js';
import { getCreditBalance, listCreditLedger, topUpCredit } from '../../core/billing/credit.js';
import type { CallrTestAccount } from './callr-test-kit.js';
import {
  createNumbersTestApp,
  type BuyStatus,
  type NumbersTestApp,
  type Reservation,
} from './numbers.test-kit.js';
import { callrEventOf } from './webhook-render.js';
import { callrMappers } from './webhook-mappers.js';

interface Credit {
  balance: string;
  currency_code: string;
  last_transaction_amount: string;
  shutdown_limit: string;
  warning_limit: string;
}

interface SubAccount {
  credentials: { login: string };
  state: { credit: string };
}

describe(`Credit transfers, limits and number prices (${backendName})`, () => {
  let kit: NumbersTestApp;
  let parent: CallrTestAccount;
  let stranger: CallrTestAccount;
  let child: SubAccount;
  let sibling: SubAccount;
  let foreignChild: SubAccount;
  const db = () => kit.app.parley.ctx.db;
  const balanceOf = async (account: CallrTestAccount, headers: Record<string, string> = {}) =>
    (await account.result<Credit>('billing.get_prepaid_credit', [], headers)).balance;
  const createChild = (account: CallrTestAccount, email: string) =>
    account.result<SubAccount>('subaccount.create', [
      { account: { company: email }, contact: { emails: [email] } },
      null,
    ]);
  const loginAs = (login: string) => ({ 'CALLR-Login-As': `user.login ${login}` });

  beforeAll(async () => {
    kit = await createNumbersTestApp();
    parent = kit.alice;
    stranger = kit.bob;
    child = await createChild(parent, 'child@example.com');
    sibling = await createChild(parent, 'sibling@example.com');
    foreignChild = await createChild(stranger, 'foreign@example.com');
    await topUpCredit(db(), { accountId: parent.accountId, amountCents: 1000, reference: 'payment:1' });
  });
  afterAll(async () => {
    await kit.app.close();
  });

  it('moves credit to a sub-account and back in one step, answering the SubAccount', async () => {
    const moved = await parent.result<SubAccount>('subaccount.transfer_credit', [
      child.credentials.login,
      '300.00',
      {},
    ]);
    expect(moved.credentials.login).toBe('child@example.com');
    expect(moved.state.credit).toBe('300.00');
    expect(await balanceOf(parent)).toBe('700.00');
    expect(await balanceOf(parent, loginAs(child.credentials.login))).toBe('300.00');

    const back = await parent.result<SubAccount>('subaccount.transfer_credit', [
      child.credentials.login,
      -50,
      null,
    ]);
    expect(back.state.credit).toBe('250.00');
    expect(await parent.result<Credit>('billing.get_prepaid_credit')).toEqual({
      balance: '750.00',
      currency_code: 'EUR',
      last_transaction_amount: '50.00',
      shutdown_limit: '0.00',
      warning_limit: '0.00',
    });
    const [latest] = (await listCreditLedger(db(), parent.accountId)).items;
    expect(latest).toMatchObject({ kind: 'transfer', amountCents: 50, balanceAfterCents: 750 });
  });

  it('refuses what the giver cannot cover and bad params, changing nothing', async () => {
    const tooMuch = await parent.error('subaccount.transfer_credit', [
      child.credentials.login,
      '100000.00',
      null,
    ]);
    expect(tooMuch.code).toBe(-32009);
    expect(tooMuch.message).toMatch(/Not enough credit/);
    // The sub-account cannot give back more than it holds either.
    expect((await parent.error('subaccount.transfer_credit', [child.credentials.login, -99_999])).code).toBe(
      -32009,
    );
    for (const [amount, problem] of [
      ['12.345', /amount/],
      ['0', /amount.*zero/],
      [1.5, /amount.*whole number of cents/],
    ] as const) {
      const error = await parent.error('subaccount.transfer_credit', [child.credentials.login, amount]);
      expect(error.code).toBe(-32602);
      expect(error.message).toMatch(problem);
    }
    const withOptions = await parent.error('subaccount.transfer_credit', [
      child.credentials.login,
      '1.00',
      { notify: true },
    ]);
    expect(withOptions.code).toBe(-32602);
    expect(withOptions.message).toMatch(/options/);
    expect(await balanceOf(parent)).toBe('750.00');
    expect(await balanceOf(parent, loginAs(child.credentials.login))).toBe('250.00');
  });

  it("keeps transfers to the parent's own sub-accounts, also when acting as one", async () => {
    const foreign = await parent.error('subaccount.transfer_credit', [
      foreignChild.credentials.login,
      '1.00',
    ]);
    expect(foreign.code).toBe(-32004);
    expect((await stranger.error('subaccount.transfer_credit', [child.credentials.login, '1.00'])).code).toBe(
      -32004,
    );
    // Acting as the child, its sibling is nobody it can pay.
    const asChild = await parent.error(
      'subaccount.transfer_credit',
      [sibling.credentials.login, '1.00'],
      loginAs(child.credentials.login),
    );
    expect(asChild.code).toBe(-32004);
    expect(await balanceOf(parent, loginAs(sibling.credentials.login))).toBe('0.00');
    expect(await balanceOf(parent, loginAs(child.credentials.login))).toBe('250.00');
    expect(await balanceOf(stranger)).toBe('0.00');
  });

  it('raises the warning at its limit and refuses SMS and calls at the shutdown limit', async () => {
    const carol = kit.carol;
    await topUpCredit(db(), { accountId: carol.accountId, amountCents: 12, reference: 'payment:2' });
    const limits = await kit.inject({
      method: 'PUT',
      url: `/api/v1/accounts/${carol.accountId}/credit/limits`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { warningLimitCents: 10, shutdownLimitCents: 0 },
    });
    expect(limits.statusCode, limits.body).toBe(200);
    expect(limits.json()).toMatchObject({ balanceCents: 12, warningLimitCents: 10, shutdownLimitCents: 0 });
    // Members may read the limits but not set them.
    const refused = await carol.native('PUT', '/credit/limits', {
      warningLimitCents: 0,
      shutdownLimitCents: null,
    });
    expect(refused.statusCode).toBe(403);

    await carol.result('sms.send', ['SMS', '+33612345678', 'one', null]); // 12 -> 7: warning
    await carol.result('sms.send', ['SMS', '+33612345678', 'two', null]); // 7 -> 2: no new event
    await carol.result('sms.send', ['SMS', '+33612345678', 'three', null]); // 2 -> -3: shutdown
    const reached = await db()
      .select()
      .from(events)
      .where(and(eq(events.accountId, carol.accountId), eq(events.type, CREDIT_LIMIT_REACHED)))
      .orderBy(asc(events.id));
    expect(reached.map((event) => callrEventOf(event, callrMappers))).toEqual([
      {
        type: 'billing.credit_warning',
        data: {
          balance: '7.00',
          currency_code: 'EUR',
          last_transaction_amount: '-5.00',
          shutdown_limit: '0.00',
          warning_limit: '10.00',
        },
      },
      {
        type: 'billing.credit_shutdown',
        data: {
          balance: '-3.00',
          currency_code: 'EUR',
          last_transaction_amount: '-5.00',
          shutdown_limit: '0.00',
          warning_limit: '10.00',
        },
      },
    ]);
    const sms = await carol.error('sms.send', ['SMS', '+33612345678', 'four', null]);
    expect(sms.code).toBe(-32003);
    expect(sms.message).toMatch(/shutdown limit/);
    const app = await carol.result<{ hash: string }>('apps.create', [
      'REALTIME10',
      'Credit check',
      { url: 'http://127.0.0.1:9/realtime' },
    ]);
    const call = await carol.error('calls.realtime', [
      app.hash,
      { number: '+33612345678', timeout: 30 },
      null,
    ]);
    expect(call.code).toBe(-32003);
    expect((await getCreditBalance(db(), carol.accountId)).balanceCents).toBe(-3);

    // Topped up above the limit, the account sends again.
    await topUpCredit(db(), { accountId: carol.accountId, amountCents: 100, reference: 'payment:3' });
    expect(typeof (await carol.result('sms.send', ['SMS', '+33612345678', 'five', null]))).toBe('string');
  });

  it("charges each number its area code's monthly price, not a flat rate", async () => {
    const lyon = kit.area('FR|GEOGRAPHIC|04');
    const before = (await getCreditBalance(db(), stranger.accountId)).balanceCents;
    const reservation = await stranger.result<Reservation>('did/store.reserve', [lyon.id, 'CLASSIC', 2]);
    expect(reservation.cost).toMatchObject({ amount_per_month: '240.00', amount_prepaid_debit: '240.00' });
    const bought = await stranger.result<BuyStatus>('did/store.buy_order', [reservation.token]);
    expect(bought.cost.amount_prepaid_debit).toBe('240.00');
    expect((await getCreditBalance(db(), stranger.accountId)).balanceCents).toBe(before - 240);
    const [ledger] = (await listCreditLedger(db(), stranger.accountId)).items;
    expect(ledger).toMatchObject({ kind: 'number_month', quantity: 2, unitCents: 120, amountCents: -240 });
  });
});
