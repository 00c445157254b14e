import { z } from 'zod';
import { transferCredit, type CreditBalance } from '../../../core/billing/credit.js';
import { getSubAccount } from '../../../core/sub-accounts/sub-accounts.js';
import { callrAmount } from '../formats.js';
import { defineMethod, param, type RpcMethod } from '../rpc-method.js';
import { requireAdministrator, subAccountRefParam, toCallrSubAccount } from './sub-accounts.js';

/** `Webhook.Event.Billing.Credit`, also what `billing.get_prepaid_credit` answers; a limit not set reads "0.00". */
export function toCallrCredit(credit: CreditBalance) {
  return {
    balance: callrAmount(credit.balanceCents),
    currency_code: credit.currencyCode,
    last_transaction_amount: callrAmount(credit.lastTransactionCents),
    shutdown_limit: callrAmount(credit.shutdownLimitCents ?? 0),
    warning_limit: callrAmount(credit.warningLimitCents ?? 0),
  };
}

// 100 million EUR in cents, as the native top-up's bound: far above any real transfer.
const MAX_TRANSFER_CENTS = 10_000_000_000;

/**
 * An `amount` (cents with 2 decimals, "1000.00" for 10 EUR), as a string or a number, in whole
 * cents: the ledger counts cents. Negative takes credit back from the sub-account.
 */
const amountParam = z
  .union([
    z
      .string()
      .trim()
      .regex(/^-?\d+(\.\d{1,2})?$/, 'expected an amount in cents such as "1000.00"'),
    z.number(),
  ])
  .transform(Number)
  .pipe(
    z
      .number()
      .int('must be a whole number of cents')
      .refine((cents) => cents !== 0, 'must not be zero')
      .refine((cents) => Math.abs(cents) <= MAX_TRANSFER_CENTS, 'is too large'),
  );

/** `SubAccount.TransferOptions` is empty in the seed: an object or null. */
const transferOptionsSchema = z.strictObject({}).nullish();

export const billingMethods: readonly RpcMethod[] = [
  defineMethod({
    name: 'subaccount.transfer_credit',
    params: [
      param('login', subAccountRefParam),
      param('amount', amountParam),
      param('options', transferOptionsSchema),
    ],
    // Moves prepaid credit from the parent to one of its own sub-accounts (back with a negative
    // amount), atomically; answers the sub-account, whose `state.credit` shows its new balance.
    handler: async ({ ctx, access }, [ref, amountCents]) => {
      requireAdministrator(access, 'transfer credit to sub-accounts');
      const child = await getSubAccount(ctx.db, access.accountId, ref);
      const [fromAccountId, toAccountId] =
        amountCents > 0 ? [access.accountId, child.accountId] : [child.accountId, access.accountId];
      await transferCredit(ctx.db, {
        fromAccountId,
        toAccountId,
        amountCents: Math.abs(amountCents),
        reference: `subaccount_transfer:${fromAccountId}:${toAccountId}`,
      });
      return toCallrSubAccount(await getSubAccount(ctx.db, access.accountId, { accountId: child.accountId }));
    },
  }),
];
