import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { routingQueueUsages } from './routing.tables.js';

/**
 * Whether a routing queue takes this inbox's conversations (a queue usage names it): then routing
 * owns assignment, and the inbox's round-robin auto-assignment stands aside.
 */
export async function isInboxQueueFed(db: Db, accountId: number, inboxId: number): Promise<boolean> {
  const [usage] = await db
    .select({ queueId: routingQueueUsages.queueId })
    .from(routingQueueUsages)
    .where(and(eq(routingQueueUsages.accountId, accountId), eq(routingQueueUsages.inboxId, inboxId)));
  return usage !== undefined;
}
