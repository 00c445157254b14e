import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { DomainError } from '../../platform/errors.js';
import {
  creditBalances,
  creditLedger,
  creditRates,
  type ChargeKind,
  type CreditLedgerRow,
} from './billing.tables.js';

export type { ChargeKind } from './billing.tables.js';

/**
 * Default prices in cents per unit, used for every account without its own rate (credit_rates):
 * an SMS part, a started call minute, a number for one month. Plausible retail prices in EUR.
 */
export const DEFAULT_RATES_CENTS: Readonly<Record<ChargeKind, number>> = {
  sms: 5,
  call_minute: 2,
  number_month: 100,
};

export const DEFAULT_CURRENCY = 'EUR';

export interface CreditBalance {
  balanceCents: number;
  currencyCode: string;
  /** The signed amount of the latest movement (negative for a charge); 0 before any. */
  lastTransactionCents: number;
  warningLimitCents: number;
  shutdownLimitCents: number;
}

function checkQuantity(quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new RangeError(`a charge quantity must be a non-negative integer, got ${quantity}`);
  }
}

/** The account's price for one unit of `kind`: its own rate, else the default. */
export async function creditRateOf(db: Db, accountId: number, kind: ChargeKind): Promise<number> {
  const [own] = await db
    .select({ unitCents: creditRates.unitCents })
    .from(creditRates)
    .where(and(eq(creditRates.accountId, accountId), eq(creditRates.kind, kind)));
  return own?.unitCents ?? DEFAULT_RATES_CENTS[kind];
}

export async function setCreditRate(
  db: Db,
  input: { accountId: number; kind: ChargeKind; unitCents: number },
): Promise<void> {
  if (!Number.isSafeInteger(input.unitCents) || input.unitCents < 0) {
    throw new DomainError('VALIDATION_FAILED', 'A rate is a non-negative whole number of cents');
  }
  await db
    .insert(creditRates)
    .values(input)
    .onConflictDoUpdate({
      target: [creditRates.accountId, creditRates.kind],
      set: { unitCents: input.unitCents, updatedAt: sql`now()` },
    });
}

/**
 * Moves the balance by `amountCents` (negative debits) and writes the ledger row, in `tx`. The
 * balance row is updated with one upsert, which locks it: concurrent charges on one account queue
 * behind each other instead of losing an update.
 */
async function applyMovement(
  tx: Db,
  movement: Omit<CreditLedgerRow, 'id' | 'createdAt' | 'balanceAfterCents'>,
): Promise<number> {
  const [balance] = await tx
    .insert(creditBalances)
    .values({
      accountId: movement.accountId,
      balanceCents: movement.amountCents,
      lastTransactionCents: movement.amountCents,
    })
    .onConflictDoUpdate({
      target: creditBalances.accountId,
      set: {
        balanceCents: sql`${creditBalances.balanceCents} + ${movement.amountCents}`,
        lastTransactionCents: movement.amountCents,
        updatedAt: sql`now()`,
      },
    })
    .returning({ balanceCents: creditBalances.balanceCents });
  if (!balance) throw new Error('the credit balance upsert returned no row');
  await tx.insert(creditLedger).values({ ...movement, balanceAfterCents: balance.balanceCents });
  return balance.balanceCents;
}

/**
 * Debits an account's prepaid credit in the caller's transaction (one ledger row), so a charge and
 * what it pays for commit together. It never refuses: the balance may go negative (refusing on
 * credit, with the shutdown limit, is a later issue). A zero quantity writes nothing.
 */
export async function chargeCredit(
  tx: Db,
  charge: { accountId: number; kind: ChargeKind; quantity: number; reference: string },
): Promise<{ debitCents: number }> {
  checkQuantity(charge.quantity);
  if (charge.quantity === 0) return { debitCents: 0 };
  const unitCents = await creditRateOf(tx, charge.accountId, charge.kind);
  const debitCents = unitCents * charge.quantity;
  await applyMovement(tx, {
    accountId: charge.accountId,
    kind: charge.kind,
    quantity: charge.quantity,
    unitCents,
    amountCents: -debitCents,
    reference: charge.reference,
  });
  return { debitCents };
}

/** Adds credit (a payment received). Returns the new balance in cents. */
export async function topUpCredit(
  db: Db,
  input: { accountId: number; amountCents: number; reference: string },
): Promise<{ balanceCents: number }> {
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) {
    throw new DomainError('VALIDATION_FAILED', 'A top-up is a positive whole number of cents');
  }
  const balanceCents = await db.transaction((tx) =>
    applyMovement(tx, {
      accountId: input.accountId,
      kind: 'top_up',
      quantity: 1,
      unitCents: input.amountCents,
      amountCents: input.amountCents,
      reference: input.reference,
    }),
  );
  return { balanceCents };
}

/** The account's credit; an account that never moved any has a zero balance in the default currency. */
export async function getCreditBalance(db: Db, accountId: number): Promise<CreditBalance> {
  const [row] = await db
    .select({
      balanceCents: creditBalances.balanceCents,
      currencyCode: creditBalances.currencyCode,
      lastTransactionCents: creditBalances.lastTransactionCents,
      warningLimitCents: creditBalances.warningLimitCents,
      shutdownLimitCents: creditBalances.shutdownLimitCents,
    })
    .from(creditBalances)
    .where(eq(creditBalances.accountId, accountId));
  return (
    row ?? {
      balanceCents: 0,
      currencyCode: DEFAULT_CURRENCY,
      lastTransactionCents: 0,
      warningLimitCents: 0,
      shutdownLimitCents: 0,
    }
  );
}

/** The account's ledger, newest first, one keyset page (`beforeId`: the previous page's cursor). */
export async function listCreditLedger(
  db: Db,
  accountId: number,
  options: { limit?: number; beforeId?: number | undefined } = {},
): Promise<Page<CreditLedgerRow>> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const rows = await db
    .select()
    .from(creditLedger)
    .where(
      and(
        eq(creditLedger.accountId, accountId),
        options.beforeId === undefined ? undefined : lt(creditLedger.id, options.beforeId),
      ),
    )
    .orderBy(desc(creditLedger.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => row.id);
}

/** Every kind's price for the account: its own rates over the defaults, in one query. */
export async function creditRatesOf(db: Db, accountId: number): Promise<Record<ChargeKind, number>> {
  const own = await db
    .select({ kind: creditRates.kind, unitCents: creditRates.unitCents })
    .from(creditRates)
    .where(eq(creditRates.accountId, accountId));
  const rates = { ...DEFAULT_RATES_CENTS };
  for (const rate of own) rates[rate.kind] = rate.unitCents;
  return rates;
}
