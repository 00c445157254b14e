import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendName } from '../../testing/database.js';
import type { TestApp } from '../../testing/app.js';
import type { Db } from '../../platform/db/database.js';
import {
  chargeCredit,
  DEFAULT_RATES_CENTS,
  listCreditLedger,
  setCreditRate,
  topUpCredit,
} from '../../core/billing/credit.js';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';

interface Credit {
  balance: string;
  currency_code: string;
  last_transaction_amount: string;
  shutdown_limit: string;
  warning_limit: string;
}

describe(`Prepaid credit: chargeCredit and billing.get_prepaid_credit (${backendName})`, () => {
  let app: TestApp;
  let db: Db;
  let payer: CallrTestAccount;
  let other: CallrTestAccount;

  beforeAll(async () => {
    const kit = await createCallrTestApp();
    app = kit.app;
    db = app.parley.ctx.db;
    payer = await kit.account('Payer');
    other = await kit.account('Other');
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers a zero EUR balance for an account that never paid or spent', async () => {
    expect(await other.result<Credit>('billing.get_prepaid_credit')).toEqual({
      balance: '0.00',
      currency_code: 'EUR',
      last_transaction_amount: '0.00',
      shutdown_limit: '0.00',
      warning_limit: '0.00',
    });
  });

  it('debits charges at the default rates, lets the balance go negative, and credits top-ups', async () => {
    const charged = await db.transaction((tx) =>
      chargeCredit(tx, { accountId: payer.accountId, kind: 'sms', quantity: 3, reference: 'sms:1' }),
    );
    expect(charged).toEqual({ debitCents: 3 * DEFAULT_RATES_CENTS.sms });
    expect(await payer.result<Credit>('billing.get_prepaid_credit')).toMatchObject({
      balance: '-15.00',
      last_transaction_amount: '-15.00',
    });

    expect(
      await topUpCredit(db, { accountId: payer.accountId, amountCents: 1000, reference: 'payment:1' }),
    ).toEqual({ balanceCents: 985 });
    await db.transaction((tx) =>
      chargeCredit(tx, {
        accountId: payer.accountId,
        kind: 'number_month',
        quantity: 2,
        reference: 'order:1',
      }),
    );
    expect(await payer.result<Credit>('billing.get_prepaid_credit')).toMatchObject({
      balance: '785.00',
      last_transaction_amount: '-200.00',
    });

    const ledger = (await listCreditLedger(db, payer.accountId)).items;
    expect(
      ledger.map(({ kind, quantity, unitCents, amountCents, balanceAfterCents, reference }) => ({
        kind,
        quantity,
        unitCents,
        amountCents,
        balanceAfterCents,
        reference,
      })),
    ).toEqual([
      {
        kind: 'number_month',
        quantity: 2,
        unitCents: 100,
        amountCents: -200,
        balanceAfterCents: 785,
        reference: 'order:1',
      },
      {
        kind: 'top_up',
        quantity: 1,
        unitCents: 1000,
        amountCents: 1000,
        balanceAfterCents: 985,
        reference: 'payment:1',
      },
      {
        kind: 'sms',
        quantity: 3,
        unitCents: 5,
        amountCents: -15,
        balanceAfterCents: -15,
        reference: 'sms:1',
      },
    ]);
    // Another account's credit is untouched.
    expect((await other.result<Credit>('billing.get_prepaid_credit')).balance).toBe('0.00');
  });

  it("uses the account's own rate over the default", async () => {
    await setCreditRate(db, { accountId: other.accountId, kind: 'call_minute', unitCents: 7 });
    const charged = await db.transaction((tx) =>
      chargeCredit(tx, { accountId: other.accountId, kind: 'call_minute', quantity: 4, reference: 'call:1' }),
    );
    expect(charged.debitCents).toBe(28);
    // The payer keeps the default rate.
    const payerCharge = await db.transaction((tx) =>
      chargeCredit(tx, { accountId: payer.accountId, kind: 'call_minute', quantity: 4, reference: 'call:2' }),
    );
    expect(payerCharge.debitCents).toBe(4 * DEFAULT_RATES_CENTS.call_minute);
    expect((await other.result<Credit>('billing.get_prepaid_credit')).balance).toBe('-28.00');
  });

  it('is undone with the transaction it was made in', async () => {
    const before = await payer.result<Credit>('billing.get_prepaid_credit');
    const ledgerBefore = (await listCreditLedger(db, payer.accountId)).items;
    await expect(
      db.transaction(async (tx) => {
        await chargeCredit(tx, {
          accountId: payer.accountId,
          kind: 'sms',
          quantity: 10,
          reference: 'sms:rolled-back',
        });
        throw new Error('the SMS could not be stored');
      }),
    ).rejects.toThrow('the SMS could not be stored');
    expect(await payer.result<Credit>('billing.get_prepaid_credit')).toEqual(before);
    expect((await listCreditLedger(db, payer.accountId)).items).toEqual(ledgerBefore);
  });

  it('loses no concurrent charge', async () => {
    const balanceBefore = (await listCreditLedger(db, payer.accountId)).items[0]?.balanceAfterCents ?? 0;
    await Promise.all(
      Array.from({ length: 12 }, (_unused, index) =>
        db.transaction((tx) =>
          chargeCredit(tx, {
            accountId: payer.accountId,
            kind: 'sms',
            quantity: 1,
            reference: `sms:burst-${index}`,
          }),
        ),
      ),
    );
    const ledger = (await listCreditLedger(db, payer.accountId, { limit: 12 })).items;
    expect(ledger[0]?.balanceAfterCents).toBe(balanceBefore - 12 * DEFAULT_RATES_CENTS.sms);
    expect(new Set(ledger.map((row) => row.balanceAfterCents)).size).toBe(12);
  });

  it('writes nothing for a zero quantity and refuses a negative or fractional one', async () => {
    const ledgerBefore = (await listCreditLedger(db, other.accountId)).items;
    expect(
      await db.transaction((tx) =>
        chargeCredit(tx, {
          accountId: other.accountId,
          kind: 'call_minute',
          quantity: 0,
          reference: 'call:unanswered',
        }),
      ),
    ).toEqual({ debitCents: 0 });
    expect((await listCreditLedger(db, other.accountId)).items).toEqual(ledgerBefore);
    for (const quantity of [-1, 1.5]) {
      await expect(
        db.transaction((tx) =>
          chargeCredit(tx, { accountId: other.accountId, kind: 'sms', quantity, reference: 'bad' }),
        ),
      ).rejects.toThrow(RangeError);
    }
    await expect(
      topUpCredit(db, { accountId: other.accountId, amountCents: 0, reference: 'x' }),
    ).rejects.toThrow(/positive/);
  });
});
