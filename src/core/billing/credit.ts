import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { DomainError } from '../../platform/errors.js';
import { recordEvents } from '../../platform/events/outbox.js';
import { creditLimitReached, type CreditLimit, type CreditSnapshot } from './billing.events.js';
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

/**
 * `lastTransactionCents` is the signed amount of the latest movement (negative for a charge), 0
 * before any; a null limit is none.
 */
export type CreditBalance = CreditSnapshot;

const SYSTEM = { type: 'system' } as const;

function checkQuantity(quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new RangeError(`a charge quantity must be a non-negative integer, got ${quantity}`);
  }
}

/** The account's own price for one unit of `kind`, if it has one. */
export async function ownCreditRate(
  db: Db,
  accountId: number,
  kind: ChargeKind,
): Promise<number | undefined> {
  const [own] = await db
    .select({ unitCents: creditRates.unitCents })
    .from(creditRates)
    .where(and(eq(creditRates.accountId, accountId), eq(creditRates.kind, kind)));
  return own?.unitCents;
}

/** The account's price for one unit of `kind`: its own rate, else the default. */
export async function creditRateOf(db: Db, accountId: number, kind: ChargeKind): Promise<number> {
  return (await ownCreditRate(db, accountId, kind)) ?? DEFAULT_RATES_CENTS[kind];
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

const balanceColumns = {
  balanceCents: creditBalances.balanceCents,
  currencyCode: creditBalances.currencyCode,
  lastTransactionCents: creditBalances.lastTransactionCents,
  warningLimitCents: creditBalances.warningLimitCents,
  shutdownLimitCents: creditBalances.shutdownLimitCents,
};

/** The limits a movement of `amountCents` that left `credit` took the balance down to. */
function limitsReached(credit: CreditSnapshot, amountCents: number): CreditLimit[] {
  const before = credit.balanceCents - amountCents;
  const reached = (limit: number | null) => limit !== null && before > limit && credit.balanceCents <= limit;
  return [
    ...(reached(credit.warningLimitCents) ? (['warning'] as const) : []),
    ...(reached(credit.shutdownLimitCents) ? (['shutdown'] as const) : []),
  ];
}

/**
 * Moves the balance by `amountCents` (negative debits) and writes the ledger row, in `tx`. The
 * balance row is updated with one upsert, which locks it: concurrent charges on one account queue
 * behind each other instead of losing an update. Reaching a limit records its event in `tx`.
 */
async function applyMovement(
  tx: Db,
  movement: Omit<CreditLedgerRow, 'id' | 'createdAt' | 'balanceAfterCents'>,
): Promise<number> {
  const [credit] = await tx
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
    .returning(balanceColumns);
  if (!credit) throw new Error('the credit balance upsert returned no row');
  await tx.insert(creditLedger).values({ ...movement, balanceAfterCents: credit.balanceCents });
  await recordEvents(
    tx,
    creditLimitReached,
    limitsReached(credit, movement.amountCents).map((limit) => ({
      accountId: movement.accountId,
      aggregateId: movement.accountId,
      payload: { limit, credit },
      actor: SYSTEM,
    })),
  );
  return credit.balanceCents;
}

/**
 * Debits an account's prepaid credit in the caller's transaction (one ledger row), so a charge and
 * what it pays for commit together. It never refuses: the balance may go negative, and what starts
 * a service checks `refuseBelowShutdown` first. A zero quantity writes nothing. `listUnitCents` is
 * the unit's own list price (a number's monthly price), charged when the account has no rate of
 * its own for the kind instead of the default rate.
 */
export async function chargeCredit(
  tx: Db,
  charge: {
    accountId: number;
    kind: ChargeKind;
    quantity: number;
    reference: string;
    listUnitCents?: number;
  },
): Promise<{ debitCents: number }> {
  checkQuantity(charge.quantity);
  if (charge.quantity === 0) return { debitCents: 0 };
  const unitCents =
    (await ownCreditRate(tx, charge.accountId, charge.kind)) ??
    charge.listUnitCents ??
    DEFAULT_RATES_CENTS[charge.kind];
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
    .select(balanceColumns)
    .from(creditBalances)
    .where(eq(creditBalances.accountId, accountId));
  return (
    row ?? {
      balanceCents: 0,
      currencyCode: DEFAULT_CURRENCY,
      lastTransactionCents: 0,
      warningLimitCents: null,
      shutdownLimitCents: null,
    }
  );
}

/**
 * Throws when the account's balance is at or below its shutdown limit: called, in the caller's
 * transaction, before a call or an SMS is accepted.
 */
export async function refuseBelowShutdown(db: Db, accountId: number): Promise<void> {
  const credit = await getCreditBalance(db, accountId);
  if (credit.shutdownLimitCents === null || credit.balanceCents > credit.shutdownLimitCents) return;
  throw new DomainError(
    'FORBIDDEN',
    `The prepaid credit (${credit.balanceCents} cents) has reached the shutdown limit ` +
      `(${credit.shutdownLimitCents} cents): calls and SMS are refused until it is topped up`,
  );
}

/** Sets (or, with null, removes) the account's warning and shutdown limits. */
export async function setCreditLimits(
  db: Db,
  input: { accountId: number; warningLimitCents: number | null; shutdownLimitCents: number | null },
): Promise<CreditBalance> {
  for (const [path, cents] of [
    ['warningLimitCents', input.warningLimitCents],
    ['shutdownLimitCents', input.shutdownLimitCents],
  ] as const) {
    if (cents !== null && !Number.isSafeInteger(cents)) {
      throw new DomainError('VALIDATION_FAILED', `${path} must be a whole number of cents`, [
        { path, message: 'must be a whole number of cents' },
      ]);
    }
  }
  const limits = { warningLimitCents: input.warningLimitCents, shutdownLimitCents: input.shutdownLimitCents };
  const [credit] = await db
    .insert(creditBalances)
    .values({ accountId: input.accountId, ...limits })
    .onConflictDoUpdate({ target: creditBalances.accountId, set: { ...limits, updatedAt: sql`now()` } })
    .returning(balanceColumns);
  if (!credit) throw new Error('the credit limits upsert returned no row');
  return credit;
}

/**
 * Moves `amountCents` from one account's credit to another's in one transaction: two ledger rows
 * under the same reference. Both balance rows are locked in account order first, so two transfers
 * between the same accounts in opposite directions cannot deadlock. The giver's balance must cover
 * the amount. The caller checks that the two accounts may trade credit.
 */
export async function transferCredit(
  db: Db,
  input: { fromAccountId: number; toAccountId: number; amountCents: number; reference: string },
): Promise<{ fromBalanceCents: number; toBalanceCents: number }> {
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) {
    throw new DomainError('VALIDATION_FAILED', 'A transfer is a positive whole number of cents', [
      { path: 'amount', message: 'must be a positive whole number of cents' },
    ]);
  }
  if (input.fromAccountId === input.toAccountId) {
    throw new DomainError('VALIDATION_FAILED', 'An account cannot transfer credit to itself');
  }
  return db.transaction(async (tx) => {
    const accountIds = [input.fromAccountId, input.toAccountId].sort((a, b) => a - b);
    await tx
      .insert(creditBalances)
      .values(accountIds.map((accountId) => ({ accountId })))
      .onConflictDoNothing();
    const locked = await tx
      .select({ accountId: creditBalances.accountId, balanceCents: creditBalances.balanceCents })
      .from(creditBalances)
      .where(inArray(creditBalances.accountId, accountIds))
      .orderBy(asc(creditBalances.accountId))
      .for('update');
    const available = locked.find((row) => row.accountId === input.fromAccountId)?.balanceCents ?? 0;
    if (available < input.amountCents) {
      throw new DomainError(
        'INVALID_STATE',
        `Not enough credit: ${available} cents available, ${input.amountCents} cents to transfer`,
      );
    }
    const movement = {
      kind: 'transfer' as const,
      quantity: 1,
      unitCents: input.amountCents,
      reference: input.reference,
    };
    const fromBalanceCents = await applyMovement(tx, {
      ...movement,
      accountId: input.fromAccountId,
      amountCents: -input.amountCents,
    });
    const toBalanceCents = await applyMovement(tx, {
      ...movement,
      accountId: input.toAccountId,
      amountCents: input.amountCents,
    });
    return { fromBalanceCents, toBalanceCents };
  });
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
