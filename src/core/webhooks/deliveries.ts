import { and, asc, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { enqueue, type JobDefinition } from '../../platform/jobs/index.js';
import type { DeliverWebhookPayload } from './deliver-webhook.job.js';
import { webhookDeliveries, webhookDeliveryAttempts, type WebhookDeliveryRow } from './webhooks.tables.js';

export type DeliveryAttemptRow = typeof webhookDeliveryAttempts.$inferSelect;

export interface DeliveryCursor {
  createdAt: string;
  id: string;
}

/** Newest first; the cursor is (created_at, id) so equal timestamps never skip a row. */
export async function listDeliveries(
  db: Db,
  options: { accountId: number; subscriptionId: number; before?: DeliveryCursor | undefined; limit: number },
): Promise<Page<WebhookDeliveryRow, DeliveryCursor>> {
  const before = options.before;
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.accountId, options.accountId),
        eq(webhookDeliveries.subscriptionId, options.subscriptionId),
        before === undefined
          ? undefined
          : or(
              lt(webhookDeliveries.createdAt, new Date(before.createdAt)),
              and(
                eq(webhookDeliveries.createdAt, new Date(before.createdAt)),
                lt(webhookDeliveries.id, before.id),
              ),
            ),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(options.limit + 1);
  return toPage(rows, options.limit, (row) => ({ createdAt: row.createdAt.toISOString(), id: row.id }));
}

export async function getDelivery(
  db: Db,
  accountId: number,
  deliveryId: string,
): Promise<{ delivery: WebhookDeliveryRow; attempts: DeliveryAttemptRow[] }> {
  const [delivery] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.accountId, accountId), eq(webhookDeliveries.id, deliveryId)));
  if (!delivery) throw notFound('Delivery');
  const attempts = await db
    .select()
    .from(webhookDeliveryAttempts)
    .where(
      and(
        eq(webhookDeliveryAttempts.accountId, accountId),
        eq(webhookDeliveryAttempts.deliveryId, deliveryId),
      ),
    )
    .orderBy(asc(webhookDeliveryAttempts.attempt));
  return { delivery, attempts };
}

/**
 * Sends a settled delivery again under the same id (receivers dedupe on it), as a fresh
 * series of attempts; the earlier attempts stay in the log.
 */
export async function redeliver(
  db: Db,
  deliverJob: JobDefinition<DeliverWebhookPayload>,
  accountId: number,
  deliveryId: string,
): Promise<WebhookDeliveryRow> {
  return db.transaction(async (tx) => {
    const [delivery] = await tx
      .update(webhookDeliveries)
      .set({ state: 'pending', completedAt: null, nextAttemptAt: sql`now()` })
      .where(
        and(
          eq(webhookDeliveries.accountId, accountId),
          eq(webhookDeliveries.id, deliveryId),
          sql`${webhookDeliveries.state} <> 'pending'`,
        ),
      )
      .returning();
    if (!delivery) {
      await getDelivery(tx, accountId, deliveryId);
      throw new DomainError('INVALID_STATE', 'This delivery is still being attempted');
    }
    await enqueue(tx, deliverJob, { accountId, deliveryId }, { accountId });
    return delivery;
  });
}
