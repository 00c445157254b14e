import { exactUtc } from '../../platform/db/time-cursor.js';
import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { enqueue, type JobDefinition } from '../../platform/jobs/index.js';
import type { DeliverWebhookPayload } from './deliver-webhook.job.js';
import { defaultWebhookPolicy } from './delivery-policy.js';
import { endpointKey } from './endpoint-circuit.js';
import {
  webhookDeliveries,
  webhookDeliveryAttempts,
  type DeliveryState,
  type WebhookDeliveryRow,
} from './webhooks.tables.js';

export type DeliveryAttemptRow = typeof webhookDeliveryAttempts.$inferSelect;

export interface DeliveryCursor {
  createdAt: string;
  id: string;
}

// created_at to the microsecond: a JavaScript Date keeps only milliseconds, and a cursor cut to
// milliseconds skips rows created later within the same millisecond.
const createdAtExact = exactUtc(webhookDeliveries.createdAt);

/** Newest first; the cursor is (created_at, id) so equal timestamps never skip a row. */
export async function listDeliveries(
  db: Db,
  options: {
    accountId: number;
    subscriptionId: number;
    state?: DeliveryState | undefined;
    before?: DeliveryCursor | undefined;
    limit: number;
  },
): Promise<Page<WebhookDeliveryRow, DeliveryCursor>> {
  const before = options.before;
  const beforeAt = before && sql`${before.createdAt}::timestamptz`;
  const rows = await db
    .select({ delivery: webhookDeliveries, createdAtExact })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.accountId, options.accountId),
        eq(webhookDeliveries.subscriptionId, options.subscriptionId),
        options.state === undefined ? undefined : eq(webhookDeliveries.state, options.state),
        before === undefined || beforeAt === undefined
          ? undefined
          : or(
              lt(webhookDeliveries.createdAt, beforeAt),
              and(eq(webhookDeliveries.createdAt, beforeAt), lt(webhookDeliveries.id, before.id)),
            ),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(options.limit + 1);
  const page = toPage(rows, options.limit, (row) => ({ createdAt: row.createdAtExact, id: row.delivery.id }));
  return { items: page.items.map((row) => row.delivery), nextCursor: page.nextCursor };
}

/** The latest attempt of each delivery, one query for a whole page, keyed by delivery id. */
export async function findLastAttempts(
  db: Db,
  accountId: number,
  deliveryIds: readonly string[],
): Promise<Map<string, DeliveryAttemptRow>> {
  if (deliveryIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([webhookDeliveryAttempts.deliveryId])
    .from(webhookDeliveryAttempts)
    .where(
      and(
        eq(webhookDeliveryAttempts.accountId, accountId),
        inArray(webhookDeliveryAttempts.deliveryId, [...deliveryIds]),
      ),
    )
    .orderBy(webhookDeliveryAttempts.deliveryId, desc(webhookDeliveryAttempts.attempt));
  return new Map(rows.map((row) => [row.deliveryId, row]));
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
    const endpoint = { accountId, id: delivery.subscriptionId };
    await enqueue(
      tx,
      deliverJob,
      { accountId, deliveryId },
      {
        accountId,
        concurrencyKey: endpointKey(endpoint),
        concurrencyLimit: defaultWebhookPolicy.endpointConcurrency,
      },
    );
    return delivery;
  });
}
