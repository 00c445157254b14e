import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

/** What a debit pays for; each kind has a rate per unit (see credit.ts for the defaults). */
export const chargeKinds = ['sms', 'call_minute', 'number_month'] as const;
export type ChargeKind = (typeof chargeKinds)[number];

/** Ledger entries: the charges, top-ups that credit the account, and transfers with its sub-accounts. */
export const ledgerKinds = [...chargeKinds, 'top_up', 'transfer'] as const;
export type LedgerKind = (typeof ledgerKinds)[number];

/**
 * An account's prepaid credit, in cents. The row is created by the first charge or top-up, so an
 * account that never paid or spent has none and reads as a zero balance. Reaching the warning limit
 * raises a credit event; at or below the shutdown limit calls and SMS are refused. A null limit is
 * none: a new account is never shut down.
 */
export const creditBalances = pgTable('credit_balances', {
  accountId: bigint('account_id', { mode: 'number' })
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  balanceCents: bigint('balance_cents', { mode: 'number' }).notNull().default(0),
  currencyCode: text('currency_code').notNull().default('EUR'),
  lastTransactionCents: bigint('last_transaction_cents', { mode: 'number' }).notNull().default(0),
  warningLimitCents: bigint('warning_limit_cents', { mode: 'number' }),
  shutdownLimitCents: bigint('shutdown_limit_cents', { mode: 'number' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An account's own price for one kind of charge; kinds without a row use the default rate. */
export const creditRates = pgTable(
  'credit_rates',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: chargeKinds }).notNull(),
    unitCents: integer('unit_cents').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.kind] }),
    check('credit_rates_unit_cents_non_negative', sql`${table.unitCents} >= 0`),
  ],
);

/**
 * One row per movement of credit: `amount_cents` is negative for a charge and positive for a
 * top-up, and `balance_after_cents` is the balance once it applied, so the ledger explains the
 * balance line by line. `reference` names what was paid for (an SMS, a call, an order).
 */
export const creditLedger = pgTable(
  'credit_ledger',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ledgerKinds }).notNull(),
    quantity: integer('quantity').notNull(),
    unitCents: integer('unit_cents').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    balanceAfterCents: bigint('balance_after_cents', { mode: 'number' }).notNull(),
    reference: text('reference').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('credit_ledger_account_idx').on(table.accountId, table.id)],
);

export type CreditBalanceRow = typeof creditBalances.$inferSelect;
export type CreditLedgerRow = typeof creditLedger.$inferSelect;
