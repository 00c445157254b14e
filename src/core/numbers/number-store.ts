import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { chargeCredit } from '../billing/credit.js';
import { findAreaCode } from './area-codes.js';
import { scheduleReservationExpiry } from './reservation-expiry.job.js';
import { releaseOrder } from './store-release.js';
import { countAssigned, countBoughtInPeriod, countHeld, lockQuota, remainingOf } from './number-quotas.js';
import {
  didStoreOrderItems,
  didStoreOrders,
  phoneNumbers,
  type DidAreaCodeRow,
  type DidStoreOrderRow,
  type NumberClass,
  type StoreItemOutcome,
} from './numbers.tables.js';

/** How long a reservation holds its numbers before the store takes them back. */
export const RESERVATION_TTL_MS = 15 * 60 * 1000;
/** Numbers per order, at most. */
export const MAX_ORDER_QUANTITY = 100;
/** A subscription runs month to month: the contract is one month, renewed. */
export const CONTRACT_MONTHS = 1;

/** `RANDOM`: any available numbers; `SEQUENTIAL`: the lowest available numbers, in order. */
export const reservationModes = ['RANDOM', 'SEQUENTIAL'] as const;
export type ReservationMode = (typeof reservationModes)[number];

export interface StoreRequest {
  areaCodeId: number;
  numberClass: NumberClass;
  quantity: number;
}

export interface Quote {
  /** Numbers the store can sell for the request: at most the quantity asked. */
  available: number;
  quantity: number;
  /** The dearest of the numbers the request could get, per month. */
  unitCents: number;
  /** What `quantity` numbers cost per month at most (the dearest ones). */
  monthlyCents: number;
  contractEndsAt: Date;
}

export interface OrderItem {
  phoneNumberId: number;
  number: string;
  monthlyCents: number;
  outcome: StoreItemOutcome;
}

export interface OrderView {
  order: DidStoreOrderRow;
  items: OrderItem[];
  contractEndsAt: Date;
}

/** Why a reserved number was not bought (CALLR `DID.Store.Error.code`). */
export const storeErrorCodes = { assignedMaxReached: 1, periodQuotaReached: 2 } as const;

export interface BuyResult extends OrderView {
  bought: OrderItem[];
  refused: { item: OrderItem; code: number; message: string }[];
  /** What the purchase debited from the prepaid credit (the first month), in cents. */
  debitCents: number;
}

export function contractEnd(from: Date): Date {
  const end = new Date(from);
  end.setUTCMonth(end.getUTCMonth() + CONTRACT_MONTHS);
  return end;
}

async function areaCodeOrFail(db: Db, id: number): Promise<DidAreaCodeRow> {
  const areaCode = await findAreaCode(db, id);
  if (!areaCode) throw notFound('Area code');
  return areaCode;
}

function storeMatch(areaCode: DidAreaCodeRow, numberClass: NumberClass) {
  return and(
    eq(phoneNumbers.state, 'available'),
    eq(phoneNumbers.countryCode, areaCode.countryCode),
    eq(phoneNumbers.type, areaCode.type),
    eq(phoneNumbers.localPrefix, areaCode.localPrefix),
    eq(phoneNumbers.numberClass, numberClass),
  );
}

/** What `quantity` numbers of an area code and class would cost; reserves nothing. */
export async function quoteNumbers(db: Db, request: StoreRequest): Promise<Quote> {
  const areaCode = await areaCodeOrFail(db, request.areaCodeId);
  // The dearest numbers first: the quote is what the order costs at most, whichever it gets.
  const prices = await db
    .select({ monthlyCents: phoneNumbers.monthlyCents })
    .from(phoneNumbers)
    .where(storeMatch(areaCode, request.numberClass))
    .orderBy(desc(phoneNumbers.monthlyCents))
    .limit(request.quantity);
  const unitCents = prices[0]?.monthlyCents ?? 0;
  return {
    available: prices.length,
    quantity: request.quantity,
    unitCents,
    monthlyCents: prices.reduce((sum, price) => sum + price.monthlyCents, 0),
    contractEndsAt: contractEnd(new Date()),
  };
}

/**
 * Holds `quantity` available numbers for the account under a new order token until the expiry,
 * all or nothing. `FOR UPDATE SKIP LOCKED` lets concurrent reservations pick disjoint numbers
 * instead of waiting on (or double-booking) each other's rows.
 */
export async function reserveNumbers(
  db: Db,
  accountId: number,
  request: StoreRequest & { mode: ReservationMode },
): Promise<OrderView> {
  const areaCode = await areaCodeOrFail(db, request.areaCodeId);
  return db.transaction(async (tx) => {
    const quota = await lockQuota(tx, accountId);
    const [assigned, bought, held] = await Promise.all([
      countAssigned(tx, accountId),
      countBoughtInPeriod(tx, accountId, quota.periodDays),
      countHeld(tx, accountId),
    ]);
    const allowance = Math.min(
      remainingOf(quota.assignedMax, assigned + held),
      remainingOf(quota.maxOverPeriod, bought + held),
    );
    if (request.quantity > allowance) {
      throw new DomainError(
        'CONFLICT',
        `The account's number quota allows ${allowance} more number(s) (reserved ones included), not ${request.quantity}`,
      );
    }
    const picked = await tx
      .select({ id: phoneNumbers.id, number: phoneNumbers.number, monthlyCents: phoneNumbers.monthlyCents })
      .from(phoneNumbers)
      .where(storeMatch(areaCode, request.numberClass))
      .orderBy(request.mode === 'RANDOM' ? sql`random()` : asc(phoneNumbers.number))
      .limit(request.quantity)
      .for('update', { skipLocked: true });
    if (picked.length < request.quantity) {
      throw new DomainError(
        'CONFLICT',
        `Only ${picked.length} ${request.numberClass} number(s) available in area code ${areaCode.id}, not ${request.quantity}`,
      );
    }
    const token = randomBytes(16).toString('hex');
    const [order] = await tx
      .insert(didStoreOrders)
      .values({
        accountId,
        token,
        areaCodeId: areaCode.id,
        numberClass: request.numberClass,
        quantity: request.quantity,
        expiresAt: new Date(Date.now() + RESERVATION_TTL_MS),
      })
      .returning();
    if (!order) throw new Error('order insert returned nothing');
    await tx
      .update(phoneNumbers)
      .set({ state: 'reserved', reservationToken: token, updatedAt: sql`now()` })
      .where(
        inArray(
          phoneNumbers.id,
          picked.map((row) => row.id),
        ),
      );
    await tx.insert(didStoreOrderItems).values(
      picked.map((row) => ({
        orderId: order.id,
        phoneNumberId: row.id,
        number: row.number,
        monthlyCents: row.monthlyCents,
      })),
    );
    await scheduleReservationExpiry(tx, order);
    const items = picked
      .map((row) => ({
        phoneNumberId: row.id,
        number: row.number,
        monthlyCents: row.monthlyCents,
        outcome: 'reserved' as const,
      }))
      .sort((a, b) => a.number.localeCompare(b.number));
    return { order, items, contractEndsAt: contractEnd(order.createdAt) };
  });
}

async function lockOrder(tx: Db, accountId: number, token: string): Promise<DidStoreOrderRow> {
  const [order] = await tx
    .select()
    .from(didStoreOrders)
    .where(and(eq(didStoreOrders.accountId, accountId), eq(didStoreOrders.token, token)))
    .for('update');
  if (!order) throw notFound('Order');
  return order;
}

async function orderItems(db: Db, orderId: number): Promise<OrderItem[]> {
  return db
    .select({
      phoneNumberId: didStoreOrderItems.phoneNumberId,
      number: didStoreOrderItems.number,
      monthlyCents: didStoreOrderItems.monthlyCents,
      outcome: didStoreOrderItems.outcome,
    })
    .from(didStoreOrderItems)
    .where(eq(didStoreOrderItems.orderId, orderId))
    .orderBy(asc(didStoreOrderItems.number));
}

/** An order of the account, whatever its state, with the numbers it reserved. */
export async function viewOrder(db: Db, accountId: number, token: string): Promise<OrderView> {
  const [order] = await db
    .select()
    .from(didStoreOrders)
    .where(and(eq(didStoreOrders.accountId, accountId), eq(didStoreOrders.token, token)));
  if (!order) throw notFound('Order');
  return {
    order,
    items: await orderItems(db, order.id),
    contractEndsAt: contractEnd(order.closedAt ?? order.createdAt),
  };
}

/**
 * Buys a reservation: its numbers become the account's (`active`), as many as the quota allows; the
 * rest go back to the store and are reported as errors. Charges one month per number bought, in the
 * same transaction. An expired reservation is released (committed) and then refused.
 */
export async function buyOrder(db: Db, accountId: number, token: string): Promise<BuyResult> {
  const outcome = await db.transaction(async (tx) => {
    const quota = await lockQuota(tx, accountId);
    const order = await lockOrder(tx, accountId, token);
    if (order.state !== 'reserved') return { kind: 'closed' as const, state: order.state };
    // The database's clock decides, as it does for the release job.
    const [clock] = await queryRows<{ expired: boolean }>(
      tx,
      sql`SELECT ${order.expiresAt.toISOString()}::timestamptz <= now() AS expired`,
    );
    if (clock?.expired) {
      await releaseOrder(tx, order, 'expired');
      return { kind: 'closed' as const, state: 'expired' as const };
    }
    const items = (await orderItems(tx, order.id)).filter((item) => item.outcome === 'reserved');
    const [assigned, boughtBefore] = await Promise.all([
      countAssigned(tx, accountId),
      countBoughtInPeriod(tx, accountId, quota.periodDays),
    ]);
    const byAssigned = remainingOf(quota.assignedMax, assigned);
    const byPeriod = remainingOf(quota.maxOverPeriod, boughtBefore);
    const allowance = Math.min(byAssigned, byPeriod, items.length);
    const bought = items.slice(0, allowance);
    const refusal =
      byAssigned <= byPeriod
        ? {
            code: storeErrorCodes.assignedMaxReached,
            message: `The account holds the most numbers it may (${quota.assignedMax})`,
          }
        : {
            code: storeErrorCodes.periodQuotaReached,
            message: `The account bought the most numbers it may in ${quota.periodDays} days (${quota.maxOverPeriod})`,
          };
    const refused = items.slice(allowance).map((item) => ({ item, ...refusal }));

    let debitCents = 0;
    const boughtIds = bought.map((item) => item.phoneNumberId);
    const refusedIds = refused.map(({ item }) => item.phoneNumberId);
    if (boughtIds.length > 0) {
      await tx
        .update(phoneNumbers)
        .set({
          state: 'active',
          accountId,
          reservationToken: null,
          voiceAppId: null,
          inboxId: null,
          acquiredAt: sql`now()`,
          updatedAt: sql`now()`,
        })
        .where(and(inArray(phoneNumbers.id, boughtIds), eq(phoneNumbers.reservationToken, token)));
      await tx
        .update(didStoreOrderItems)
        .set({ outcome: 'bought' })
        .where(
          and(eq(didStoreOrderItems.orderId, order.id), inArray(didStoreOrderItems.phoneNumberId, boughtIds)),
        );
      // Each number at its own monthly price (one ledger row per price), unless the account has a rate.
      for (const price of new Set(bought.map((item) => item.monthlyCents))) {
        const charged = await chargeCredit(tx, {
          accountId,
          kind: 'number_month',
          quantity: bought.filter((item) => item.monthlyCents === price).length,
          reference: `did_store_order:${order.id}`,
          listUnitCents: price,
        });
        debitCents += charged.debitCents;
      }
    }
    if (refusedIds.length > 0) {
      await tx
        .update(phoneNumbers)
        .set({ state: 'available', reservationToken: null, updatedAt: sql`now()` })
        .where(and(inArray(phoneNumbers.id, refusedIds), eq(phoneNumbers.reservationToken, token)));
      await tx
        .update(didStoreOrderItems)
        .set({ outcome: 'released' })
        .where(
          and(
            eq(didStoreOrderItems.orderId, order.id),
            inArray(didStoreOrderItems.phoneNumberId, refusedIds),
          ),
        );
    }
    const [closed] = await tx
      .update(didStoreOrders)
      .set({ state: 'bought', closedAt: sql`now()` })
      .where(eq(didStoreOrders.id, order.id))
      .returning();
    const finalOrder = closed ?? order;
    return {
      kind: 'bought' as const,
      result: {
        order: finalOrder,
        items: await orderItems(tx, order.id),
        contractEndsAt: contractEnd(finalOrder.closedAt ?? new Date()),
        bought: bought.map((item) => ({ ...item, outcome: 'bought' as const })),
        refused: refused.map((entry) => ({
          ...entry,
          item: { ...entry.item, outcome: 'released' as const },
        })),
        debitCents,
      },
    };
  });
  if (outcome.kind === 'closed') {
    throw new DomainError('CONFLICT', `The order is ${outcome.state}: it cannot be bought`);
  }
  return outcome.result;
}

/** Cancels a reservation: its numbers go back to the store. A closed (cancelled/expired) order is left as is. */
export async function cancelOrder(db: Db, accountId: number, token: string): Promise<void> {
  await db.transaction(async (tx) => {
    const order = await lockOrder(tx, accountId, token);
    if (order.state === 'bought') {
      throw new DomainError('CONFLICT', 'The order is bought: cancel each number’s subscription instead');
    }
    if (order.state === 'reserved') await releaseOrder(tx, order, 'cancelled');
  });
}

/**
 * Ends the account's subscription to one of its numbers: it goes back to the store, unassigned from
 * any voice app or inbox.
 */
export async function cancelSubscription(db: Db, accountId: number, phoneNumberId: number): Promise<void> {
  const released = await db
    .update(phoneNumbers)
    .set({
      state: 'available',
      accountId: null,
      voiceAppId: null,
      inboxId: null,
      acquiredAt: null,
      reservationToken: null,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(phoneNumbers.id, phoneNumberId),
        eq(phoneNumbers.accountId, accountId),
        eq(phoneNumbers.state, 'active'),
      ),
    )
    .returning({ id: phoneNumbers.id });
  if (released.length === 0) throw notFound('DID');
}
