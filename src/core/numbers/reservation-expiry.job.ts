import { and, eq, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { defineJob, enqueue } from '../../platform/jobs/index.js';
import { didStoreOrders } from './numbers.tables.js';
import { releaseOrder } from './store-release.js';

/**
 * Releases a store reservation nobody bought or cancelled, at its expiry. The handler re-reads the
 * order under a lock and acts only on one still `reserved` and past its expiry (database clock), so a
 * bought or cancelled order, or a run that came early, changes nothing; a repeated run is harmless.
 */
export const releaseExpiredReservationJob = defineJob({
  name: 'numbers.release_expired_reservation',
  payloadSchema: z.object({ orderId: z.number().int().positive() }),
  maxAttempts: 10,
  handler: async (payload, ctx) => {
    await ctx.complete(async (tx) => {
      await releaseIfExpired(tx, payload.orderId);
    });
  },
});

/** Releases the order if it is still reserved and expired; true when it did. */
export async function releaseIfExpired(tx: Db, orderId: number): Promise<boolean> {
  const [order] = await tx
    .select()
    .from(didStoreOrders)
    .where(
      and(
        eq(didStoreOrders.id, orderId),
        eq(didStoreOrders.state, 'reserved'),
        lte(didStoreOrders.expiresAt, sql`now()`),
      ),
    )
    .for('update');
  if (!order) return false;
  await releaseOrder(tx, order, 'expired');
  return true;
}

/** Schedules the release at the order's expiry, in the reserving transaction. */
export async function scheduleReservationExpiry(
  tx: Db,
  order: { id: number; accountId: number; expiresAt: Date },
): Promise<void> {
  await enqueue(
    tx,
    releaseExpiredReservationJob,
    { orderId: order.id },
    { accountId: order.accountId, runAt: order.expiresAt, dedupeKey: `order:${order.id}` },
  );
}
