import { and, count, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { didStoreOrderItems, didStoreOrders, numberQuotas, phoneNumbers } from './numbers.tables.js';

/** An account without a quota row has these limits (the table's column defaults). */
export const DEFAULT_QUOTA = { assignedMax: 100, maxOverPeriod: -1, periodDays: 30 } as const;

export interface QuotaStatus {
  assignedCount: number;
  assignedMax: number;
  periodCount: number;
  /** Numbers the account can still buy, -1 when unlimited. */
  remaining: number;
  maxOverPeriod: number;
  periodDays: number;
}

/** Locks the account's quota row (made with the defaults when absent): store writes of one account queue here. */
export async function lockQuota(tx: Db, accountId: number) {
  await tx.insert(numberQuotas).values({ accountId }).onConflictDoNothing();
  const [quota] = await tx
    .select()
    .from(numberQuotas)
    .where(eq(numberQuotas.accountId, accountId))
    .for('update');
  if (!quota) throw new Error(`quota row of account ${accountId} vanished`);
  return quota;
}

export async function countAssigned(db: Db, accountId: number): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.accountId, accountId), eq(phoneNumbers.state, 'active')));
  return row?.value ?? 0;
}

export async function countBoughtInPeriod(db: Db, accountId: number, periodDays: number): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(didStoreOrderItems)
    .innerJoin(didStoreOrders, eq(didStoreOrders.id, didStoreOrderItems.orderId))
    .where(
      and(
        eq(didStoreOrders.accountId, accountId),
        eq(didStoreOrders.state, 'bought'),
        gt(didStoreOrders.closedAt, sql`now() - make_interval(days => ${periodDays})`),
        eq(didStoreOrderItems.outcome, 'bought'),
      ),
    );
  return row?.value ?? 0;
}

export async function countHeld(db: Db, accountId: number, exceptOrderId?: number): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(didStoreOrderItems)
    .innerJoin(didStoreOrders, eq(didStoreOrders.id, didStoreOrderItems.orderId))
    .where(
      and(
        eq(didStoreOrders.accountId, accountId),
        eq(didStoreOrders.state, 'reserved'),
        eq(didStoreOrderItems.outcome, 'reserved'),
        exceptOrderId === undefined ? undefined : sql`${didStoreOrders.id} <> ${exceptOrderId}`,
      ),
    );
  return row?.value ?? 0;
}

export function remainingOf(limit: number, used: number): number {
  return limit < 0 ? Number.POSITIVE_INFINITY : Math.max(0, limit - used);
}

/** The account's store limits and where it stands (CALLR `did/store.get_quota_status`). */
export async function getQuotaStatus(db: Db, accountId: number): Promise<QuotaStatus> {
  const [stored] = await db.select().from(numberQuotas).where(eq(numberQuotas.accountId, accountId));
  const quota = stored ?? DEFAULT_QUOTA;
  const [assignedCount, periodCount] = await Promise.all([
    countAssigned(db, accountId),
    countBoughtInPeriod(db, accountId, quota.periodDays),
  ]);
  const remaining = Math.min(
    remainingOf(quota.assignedMax, assignedCount),
    remainingOf(quota.maxOverPeriod, periodCount),
  );
  return {
    assignedCount,
    assignedMax: quota.assignedMax,
    periodCount,
    remaining: Number.isFinite(remaining) ? remaining : -1,
    maxOverPeriod: quota.maxOverPeriod,
    periodDays: quota.periodDays,
  };
}

/** Sets an account's store limits (operator action); -1 means unlimited. */
export async function setQuota(
  db: Db,
  accountId: number,
  limits: { assignedMax: number; maxOverPeriod: number; periodDays: number },
): Promise<void> {
  await db
    .insert(numberQuotas)
    .values({ accountId, ...limits })
    .onConflictDoUpdate({ target: numberQuotas.accountId, set: { ...limits, updatedAt: sql`now()` } });
}
