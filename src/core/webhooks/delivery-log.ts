import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent } from '../../platform/events/outbox.js';
import type { WebhookPolicy } from './delivery-policy.js';
import { closeCircuit, tripCircuit } from './endpoint-circuit.js';
import { webhookDisabled } from './webhooks.events.js';
import {
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookSubscriptions,
  type DeliveryState,
  type WebhookSubscriptionRow,
} from './webhooks.tables.js';

export interface AttemptRecord {
  accountId: number;
  deliveryId: string;
  attempt: number;
  statusCode: number | null;
  latencyMs: number;
  responseSnippet: string | null;
  error: string | null;
}

/** Logs one attempt and moves the delivery to its new state, in the caller's transaction. */
export async function recordAttempt(
  tx: Db,
  record: AttemptRecord,
  next: { state: DeliveryState; nextAttemptAt: Date | null },
): Promise<void> {
  await tx.insert(webhookDeliveryAttempts).values(record).onConflictDoNothing();
  const isFinal = next.state !== 'pending';
  await tx
    .update(webhookDeliveries)
    .set({
      state: next.state,
      attempts: record.attempt,
      lastStatusCode: record.statusCode,
      lastError: record.error,
      nextAttemptAt: next.nextAttemptAt,
      ...(isFinal && { completedAt: sql`now()` }),
    })
    .where(
      and(eq(webhookDeliveries.accountId, record.accountId), eq(webhookDeliveries.id, record.deliveryId)),
    );
}

/** Any success ends the endpoint's failing streak and closes its circuit. */
export async function markEndpointHealthy(tx: Db, subscription: WebhookSubscriptionRow): Promise<void> {
  await closeCircuit(tx, subscription);
  if (subscription.consecutiveFailures === 0 && subscription.failingSince === null) return;
  await tx
    .update(webhookSubscriptions)
    .set({ consecutiveFailures: 0, failingSince: null, updatedAt: sql`now()` })
    .where(
      and(
        eq(webhookSubscriptions.accountId, subscription.accountId),
        eq(webhookSubscriptions.id, subscription.id),
      ),
    );
}

export interface FailingEndpoint {
  /** Set when the endpoint was just disabled. */
  disabledReason: string | null;
  /** Set when its circuit is open: deliveries wait until then. */
  circuitOpenUntil: Date | null;
}

/**
 * Extends the failing streak, opens the endpoint's circuit once the streak is long enough, and
 * disables the endpoint once it has failed long enough and often enough.
 */
export async function markEndpointFailing(
  tx: Db,
  subscription: WebhookSubscriptionRow,
  policy: WebhookPolicy,
): Promise<FailingEndpoint> {
  const updated = await extendFailingStreak(tx, subscription);
  if (!updated?.failingSince || !updated.enabled) return { disabledReason: null, circuitOpenUntil: null };
  const disabledReason = await disableIfFailingTooLong(tx, updated, updated.failingSince, policy);
  const circuitOpenUntil =
    disabledReason === null ? await tripCircuit(tx, updated, updated.consecutiveFailures, policy) : null;
  return { disabledReason, circuitOpenUntil };
}

async function extendFailingStreak(tx: Db, subscription: WebhookSubscriptionRow) {
  const [updated] = await tx
    .update(webhookSubscriptions)
    .set({
      consecutiveFailures: sql`${webhookSubscriptions.consecutiveFailures} + 1`,
      failingSince: sql`coalesce(${webhookSubscriptions.failingSince}, now())`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(webhookSubscriptions.accountId, subscription.accountId),
        eq(webhookSubscriptions.id, subscription.id),
      ),
    )
    .returning();
  return updated;
}

async function disableIfFailingTooLong(
  tx: Db,
  updated: WebhookSubscriptionRow,
  failingSince: Date,
  policy: WebhookPolicy,
): Promise<string | null> {
  const failingForMs = Date.now() - failingSince.getTime();
  if (updated.consecutiveFailures < policy.disableAfterFailures || failingForMs < policy.disableAfterMs)
    return null;
  const hours = Math.round(failingForMs / 3_600_000);
  const reason = `Disabled after ${updated.consecutiveFailures} failed attempts in a row over ${hours} h without a success`;
  await disableEndpoint(tx, updated, reason);
  return reason;
}

export async function disableEndpoint(
  tx: Db,
  subscription: WebhookSubscriptionRow,
  reason: string,
): Promise<void> {
  await tx
    .update(webhookSubscriptions)
    .set({ enabled: false, disabledReason: reason, disabledAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      and(
        eq(webhookSubscriptions.accountId, subscription.accountId),
        eq(webhookSubscriptions.id, subscription.id),
      ),
    );
  await recordEvent(tx, webhookDisabled, {
    accountId: subscription.accountId,
    aggregateId: subscription.id,
    payload: { id: subscription.id, url: subscription.url, reason },
    actor: { type: 'system' },
  });
}
