import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { didStoreOrderItems, didStoreOrders, phoneNumbers, type DidStoreOrderRow } from './numbers.tables.js';

/**
 * Gives a reserved order's numbers back to the store and closes the order as `cancelled` or
 * `expired`. Runs in the caller's transaction, with the order row already locked by it.
 */
export async function releaseOrder(
  tx: Db,
  order: DidStoreOrderRow,
  endState: 'cancelled' | 'expired',
): Promise<void> {
  const items = await tx
    .select({ phoneNumberId: didStoreOrderItems.phoneNumberId })
    .from(didStoreOrderItems)
    .where(and(eq(didStoreOrderItems.orderId, order.id), eq(didStoreOrderItems.outcome, 'reserved')));
  const ids = items.map((item) => item.phoneNumberId);
  if (ids.length > 0) {
    // Only rows still held by this token: a number is never taken back from someone else.
    await tx
      .update(phoneNumbers)
      .set({ state: 'available', reservationToken: null, updatedAt: sql`now()` })
      .where(
        and(
          inArray(phoneNumbers.id, ids),
          eq(phoneNumbers.state, 'reserved'),
          eq(phoneNumbers.reservationToken, order.token),
        ),
      );
    await tx
      .update(didStoreOrderItems)
      .set({ outcome: 'released' })
      .where(and(eq(didStoreOrderItems.orderId, order.id), eq(didStoreOrderItems.outcome, 'reserved')));
  }
  await tx
    .update(didStoreOrders)
    .set({ state: endState, closedAt: sql`now()` })
    .where(eq(didStoreOrders.id, order.id));
}
