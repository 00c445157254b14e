import { and, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { findLastAttempts, type DeliveryAttemptRow } from './deliveries.js';
import { webhookDeliveries, type WebhookDeliveryRow } from './webhooks.tables.js';

/** A delivery that has been attempted at least once, with its latest attempt. */
export interface AttemptedDelivery {
  delivery: WebhookDeliveryRow;
  lastAttempt: DeliveryAttemptRow;
}

function withLastAttempts(
  deliveries: WebhookDeliveryRow[],
  attempts: Map<string, DeliveryAttemptRow>,
): AttemptedDelivery[] {
  return deliveries.flatMap((delivery) => {
    const lastAttempt = attempts.get(delivery.id);
    return lastAttempt ? [{ delivery, lastAttempt }] : [];
  });
}

/**
 * The most recent attempted delivery of each of the given event types (a type never attempted
 * is absent). Two queries whatever the number of types.
 */
export async function findLatestDeliveryPerEvent(
  db: Db,
  options: { accountId: number; subscriptionId: number; eventTypes: readonly string[] },
): Promise<Map<string, AttemptedDelivery>> {
  if (options.eventTypes.length === 0) return new Map();
  const deliveries = await db
    .selectDistinctOn([webhookDeliveries.eventType])
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.accountId, options.accountId),
        eq(webhookDeliveries.subscriptionId, options.subscriptionId),
        inArray(webhookDeliveries.eventType, [...options.eventTypes]),
        gt(webhookDeliveries.attempts, 0),
      ),
    )
    .orderBy(webhookDeliveries.eventType, desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id));
  const attempts = await findLastAttempts(
    db,
    options.accountId,
    deliveries.map((delivery) => delivery.id),
  );
  return new Map(withLastAttempts(deliveries, attempts).map((entry) => [entry.delivery.eventType, entry]));
}

/** The latest attempted deliveries of one event type, newest first. */
export async function listLatestEventDeliveries(
  db: Db,
  options: { accountId: number; subscriptionId: number; eventType: string; limit: number },
): Promise<AttemptedDelivery[]> {
  const deliveries = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.accountId, options.accountId),
        eq(webhookDeliveries.subscriptionId, options.subscriptionId),
        eq(webhookDeliveries.eventType, options.eventType),
        gt(webhookDeliveries.attempts, 0),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(options.limit);
  const attempts = await findLastAttempts(
    db,
    options.accountId,
    deliveries.map((delivery) => delivery.id),
  );
  return withLastAttempts(deliveries, attempts);
}
