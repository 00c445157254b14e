import { and, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { postponeByKey, releaseByKey, type EnqueueOptions } from '../../platform/jobs/index.js';
import type { WebhookPolicy } from './delivery-policy.js';
import { webhookDeliveries, webhookSubscriptions, type WebhookSubscriptionRow } from './webhooks.tables.js';

/**
 * Each endpoint (subscription) is isolated from the others: its deliveries share one concurrency
 * key, so at most `endpointConcurrency` of them hold a worker slot, and a circuit breaker whose
 * state lives on the subscription row (shared by every node) parks its deliveries while it keeps
 * failing. Parked deliveries are not attempted, count no attempt and take no slot.
 */

type EndpointRef = Pick<WebhookSubscriptionRow, 'accountId' | 'id'>;

export function endpointKey(subscription: EndpointRef): string {
  return `webhook:${subscription.accountId}:${subscription.id}`;
}

/** Enqueue options for a delivery to this endpoint: its concurrency key, and no earlier than its circuit. */
export function endpointJobOptions(
  subscription: EndpointRef & Pick<WebhookSubscriptionRow, 'circuitOpenUntil'>,
  policy: Pick<WebhookPolicy, 'endpointConcurrency'>,
  now = Date.now(),
): Pick<EnqueueOptions, 'accountId' | 'concurrencyKey' | 'concurrencyLimit' | 'runAt'> {
  const openUntil = subscription.circuitOpenUntil;
  return {
    accountId: subscription.accountId,
    concurrencyKey: endpointKey(subscription),
    concurrencyLimit: policy.endpointConcurrency,
    ...(openUntil && openUntil.getTime() > now && { runAt: openUntil }),
  };
}

export type CircuitState = 'closed' | 'open' | 'half_open';

export function circuitState(
  subscription: Pick<WebhookSubscriptionRow, 'circuitOpenUntil'>,
  now = Date.now(),
) {
  const openUntil = subscription.circuitOpenUntil;
  const state: CircuitState = !openUntil ? 'closed' : openUntil.getTime() > now ? 'open' : 'half_open';
  return { state, openUntil };
}

function where(subscription: EndpointRef) {
  return and(
    eq(webhookSubscriptions.accountId, subscription.accountId),
    eq(webhookSubscriptions.id, subscription.id),
  );
}

export type CircuitDecision = { pass: true } | { pass: false; waitMs: number };

/**
 * Closed: go. Open: wait until it may close. Half-open: one delivery wins the probe (it moves
 * the deadline ahead by the probe window, so the others see "open" and wait), the rest wait.
 */
export async function passCircuit(
  db: Db,
  subscription: WebhookSubscriptionRow,
  policy: Pick<WebhookPolicy, 'timeoutMs'>,
): Promise<CircuitDecision> {
  const openUntil = subscription.circuitOpenUntil;
  if (!openUntil) return { pass: true };
  const untilClosable = openUntil.getTime() - Date.now();
  if (untilClosable > 0) return { pass: false, waitMs: untilClosable };
  const probeWindowMs = 2 * policy.timeoutMs;
  const won = await db
    .update(webhookSubscriptions)
    .set({
      circuitOpenUntil: sql`now() + ${probeWindowMs}::double precision * interval '1 millisecond'`,
    })
    .where(
      and(
        where(subscription),
        isNotNull(webhookSubscriptions.circuitOpenUntil),
        lte(webhookSubscriptions.circuitOpenUntil, sql`now()`),
      ),
    )
    .returning({ id: webhookSubscriptions.id });
  return won.length > 0 ? { pass: true } : { pass: false, waitMs: probeWindowMs };
}

/**
 * Opens (or re-opens, longer) the circuit of an endpoint that has failed `failures` times in a
 * row, and parks its waiting deliveries until then. Returns when it opens until, or null.
 */
export async function tripCircuit(
  tx: Db,
  subscription: EndpointRef,
  failures: number,
  policy: Pick<WebhookPolicy, 'circuitFailureThreshold' | 'circuitCooldownMs' | 'circuitMaxCooldownMs'>,
): Promise<Date | null> {
  if (failures < policy.circuitFailureThreshold) return null;
  const doublings = Math.min(failures - policy.circuitFailureThreshold, 30);
  const cooldownMs = Math.min(policy.circuitMaxCooldownMs, policy.circuitCooldownMs * 2 ** doublings);
  const [row] = await tx
    .update(webhookSubscriptions)
    .set({ circuitOpenUntil: sql`now() + ${cooldownMs}::double precision * interval '1 millisecond'` })
    .where(where(subscription))
    .returning({ openUntil: webhookSubscriptions.circuitOpenUntil });
  const openUntil = row?.openUntil ?? null;
  if (!openUntil) return null;
  await postponeByKey(tx, endpointKey(subscription), openUntil);
  // The delivery log tells the customer when the parked deliveries will be tried again.
  await tx
    .update(webhookDeliveries)
    .set({
      nextAttemptAt: sql`greatest(${webhookDeliveries.nextAttemptAt}, ${openUntil.toISOString()}::timestamptz)`,
    })
    .where(
      and(
        eq(webhookDeliveries.accountId, subscription.accountId),
        eq(webhookDeliveries.subscriptionId, subscription.id),
        eq(webhookDeliveries.state, 'pending'),
      ),
    );
  return openUntil;
}

/**
 * After a success: the circuit closes and the endpoint's parked deliveries are due again. Read
 * from the row, not the caller's copy, which may predate the circuit opening.
 */
export async function closeCircuit(tx: Db, subscription: EndpointRef): Promise<void> {
  const closed = await tx
    .update(webhookSubscriptions)
    .set({ circuitOpenUntil: null })
    .where(and(where(subscription), isNotNull(webhookSubscriptions.circuitOpenUntil)))
    .returning({ id: webhookSubscriptions.id });
  if (closed.length > 0) await releaseByKey(tx, endpointKey(subscription));
}
