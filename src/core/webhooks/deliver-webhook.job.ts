import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import {
  DeferJobError,
  defineJob,
  PermanentJobError,
  RetryLaterError,
  type JobContext,
  type JobTarget,
} from '../../platform/jobs/index.js';
import type { OutboundClient } from '../../platform/outbound/guarded-fetch.js';
import { isOutboundError } from '../../platform/outbound/outbound-error.js';
import {
  defaultWebhookPolicy,
  nextRetryDelayMs,
  parseRetryAfter,
  retryHorizonMs,
  type WebhookPolicy,
} from './delivery-policy.js';
import { passCircuit } from './endpoint-circuit.js';
import {
  disableEndpoint,
  markEndpointFailing,
  markEndpointHealthy,
  recordAttempt,
  type AttemptRecord,
} from './delivery-log.js';
import type { WebhookFormats } from './webhook-format.js';
import { webhookDeliveries, webhookSubscriptions } from './webhooks.tables.js';
import { openSubscription } from './secret-box.js';

export const deliverWebhookPayloadSchema = z.object({ accountId: z.number().int(), deliveryId: z.uuid() });
export type DeliverWebhookPayload = z.infer<typeof deliverWebhookPayloadSchema>;

/**
 * The delivery job's identity: what a module needs to enqueue a delivery it made itself (a face's
 * one-off webhook outside any subscription's fan-out) without the handler's deps.
 */
export const deliverWebhookTarget = {
  name: 'webhook.deliver',
  queue: 'webhooks',
  maxAttempts: defaultWebhookPolicy.maxAttempts,
  payloadSchema: deliverWebhookPayloadSchema,
} satisfies JobTarget<DeliverWebhookPayload>;

export type AttemptOutcome = 'succeeded' | 'failed' | 'gone' | 'refused';

export interface DeliverWebhookDeps {
  db: Db;
  outbound: OutboundClient;
  formats: WebhookFormats;
  policy: WebhookPolicy;
  onAttempt?: (format: string, outcome: AttemptOutcome) => void;
}

/** What failAttempt needs beyond the deps: when the schedule ends for this delivery. */
interface Schedule {
  horizonMs: number;
  createdAt: Date;
}

const USER_AGENT = 'Parley-Webhooks/1.0';
// Errors that no retry can fix: the target is forbidden or not a URL.
const PERMANENT_CODES = new Set(['blocked_address', 'invalid_url']);

/** One job per delivery; its attempts are the job's attempts, each logged for the customer. */
export function createDeliverWebhookJob(deps: DeliverWebhookDeps) {
  // Summed once: with a jittered schedule each sum differs a little, and one horizon is enough.
  const horizonMs = retryHorizonMs(deps.policy);
  return defineJob({
    ...deliverWebhookTarget,
    maxAttempts: deps.policy.maxAttempts,
    backoff: deps.policy.backoff,
    handler: (payload, ctx) => deliver(deps, horizonMs, payload, ctx),
  });
}

async function loadDelivery(db: Db, payload: DeliverWebhookPayload) {
  const [row] = await db
    .select({ delivery: webhookDeliveries, subscription: webhookSubscriptions })
    .from(webhookDeliveries)
    .innerJoin(
      webhookSubscriptions,
      and(
        eq(webhookSubscriptions.accountId, webhookDeliveries.accountId),
        eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId),
      ),
    )
    .where(
      and(eq(webhookDeliveries.accountId, payload.accountId), eq(webhookDeliveries.id, payload.deliveryId)),
    );
  return row;
}

async function deliver(
  deps: DeliverWebhookDeps,
  horizonMs: number,
  payload: DeliverWebhookPayload,
  ctx: JobContext,
): Promise<void> {
  const loaded = await loadDelivery(deps.db, payload);
  // Gone with its subscription, or already settled by an earlier run: nothing left to do.
  if (loaded?.delivery.state !== 'pending') return;
  const { delivery } = loaded;
  // Credentials are opened here, to sign and authenticate this attempt, and kept nowhere else.
  const subscription = await openSubscription(deps.db, loaded.subscription);
  const attempt = ctx.job.attempts;
  if (!subscription.enabled) {
    const record = {
      ...payload,
      attempt,
      statusCode: null,
      latencyMs: 0,
      responseSnippet: null,
      error: 'Endpoint disabled',
    };
    await ctx.complete((tx) => recordAttempt(tx, record, { state: 'cancelled', nextAttemptAt: null }));
    return;
  }
  const format = deps.formats.get(subscription.format);
  if (!format) throw new PermanentJobError(`webhook format ${subscription.format} is not registered`);
  // An endpoint whose circuit is open is not attempted: the delivery waits, its attempt not counted.
  const circuit = await passCircuit(deps.db, subscription, deps.policy);
  if (!circuit.pass) throw new DeferJobError(circuit.waitMs, 'endpoint circuit open');
  const schedule: Schedule = { horizonMs, createdAt: delivery.createdAt };
  const body = format.bodyForAttempt ? format.bodyForAttempt(delivery.body, attempt) : delivery.body;
  const signed = format.sign({
    deliveryId: delivery.id,
    eventType: delivery.eventType,
    body,
    subscription,
    timestampSeconds: Math.floor(Date.now() / 1000),
  });
  const started = Date.now();
  const base = { ...payload, attempt };
  try {
    const response = await deps.outbound.send({
      method: 'POST',
      url: subscription.url,
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...signed.headers },
      body,
      signal: ctx.signal,
    });
    const record: AttemptRecord = {
      ...base,
      statusCode: response.status,
      latencyMs: response.latencyMs,
      responseSnippet: response.body.subarray(0, deps.policy.snippetBytes).toString('utf8'),
      error: null,
    };
    if (response.status >= 200 && response.status < 300) {
      await ctx.complete(async (tx) => {
        await recordAttempt(tx, record, { state: 'succeeded', nextAttemptAt: null });
        await markEndpointHealthy(tx, subscription);
      });
      deps.onAttempt?.(subscription.format, 'succeeded');
      return;
    }
    if (response.status === 410) {
      await ctx.complete(async (tx) => {
        await recordAttempt(
          tx,
          { ...record, error: 'Endpoint answered 410 Gone' },
          { state: 'failed', nextAttemptAt: null },
        );
        await disableEndpoint(tx, subscription, 'The endpoint answered 410 Gone');
      });
      deps.onAttempt?.(subscription.format, 'gone');
      return;
    }
    const retryAfter = parseRetryAfter(response.headers['retry-after'], Date.now());
    await failAttempt(
      deps,
      ctx,
      schedule,
      subscription,
      { ...record, error: `HTTP ${response.status}` },
      retryAfter,
    );
  } catch (error) {
    if (
      error instanceof RetryLaterError ||
      error instanceof PermanentJobError ||
      error instanceof DeferJobError
    )
      throw error;
    const message = isOutboundError(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    const record: AttemptRecord = {
      ...base,
      statusCode: null,
      latencyMs: Date.now() - started,
      responseSnippet: null,
      error: message,
    };
    if (isOutboundError(error) && PERMANENT_CODES.has(error.code)) {
      await deps.db.transaction((tx) => recordAttempt(tx, record, { state: 'failed', nextAttemptAt: null }));
      deps.onAttempt?.(subscription.format, 'refused');
      throw new PermanentJobError(message);
    }
    await failAttempt(deps, ctx, schedule, subscription, record, undefined);
  }
}

/** Logs a failed attempt, then throws so the job runner schedules the next one (or gives up). */
async function failAttempt(
  deps: DeliverWebhookDeps,
  ctx: JobContext,
  schedule: Schedule,
  subscription: typeof webhookSubscriptions.$inferSelect,
  record: AttemptRecord,
  retryAfterMs: number | undefined,
): Promise<never> {
  const isLast = record.attempt >= ctx.job.maxAttempts;
  const scheduledMs = nextRetryDelayMs({
    policy: deps.policy,
    attempt: record.attempt,
    retryAfterMs,
    remainingMs: schedule.createdAt.getTime() + schedule.horizonMs - Date.now(),
  });
  const { disabledReason, delayMs } = await deps.db.transaction(async (tx) => {
    const failing = await markEndpointFailing(tx, subscription, deps.policy);
    // Retrying before the circuit may close would only be deferred again: wait for it.
    const untilCircuit = failing.circuitOpenUntil ? failing.circuitOpenUntil.getTime() - Date.now() : 0;
    const delay = Math.max(scheduledMs, untilCircuit);
    // A delivery whose endpoint was just disabled is settled now, not left pending forever.
    const isSettled = isLast || failing.disabledReason !== null;
    await recordAttempt(tx, record, {
      state: isSettled ? 'failed' : 'pending',
      nextAttemptAt: isSettled ? null : new Date(Date.now() + delay),
    });
    return { disabledReason: failing.disabledReason, delayMs: delay };
  });
  deps.onAttempt?.(subscription.format, 'failed');
  const message = record.error ?? 'delivery failed';
  if (isLast || disabledReason) throw new PermanentJobError(disabledReason ?? message);
  throw new RetryLaterError(delayMs, message);
}
