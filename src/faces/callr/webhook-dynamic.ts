import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import type { EventConsumer } from '../../platform/events/relay.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import type { Logger } from '../../platform/logger.js';
import { enqueueMany } from '../../platform/jobs/index.js';
import { deliverWebhookTarget } from '../../core/webhooks/deliver-webhook.job.js';
import { defaultWebhookPolicy } from '../../core/webhooks/delivery-policy.js';
import { endpointJobOptions } from '../../core/webhooks/endpoint-circuit.js';
import { CALLR_WEBHOOK_FORMAT } from '../../core/webhooks/subscription-sources.js';
import {
  webhookDeliveries,
  webhookSubscriptions,
  type WebhookSubscriptionRow,
} from '../../core/webhooks/webhooks.tables.js';
import { callrEnvelope } from './webhook-format.js';
import { callrEventOf, type CallrMappers } from './webhook-render.js';
import { callrHmacAlgos, engineAlgorithmOf, type CallrHmacAlgo } from './webhook-signing.js';
import type { StoredCallrOptions } from './webhook-subscription.map.js';

/**
 * CALLR's dynamic webhooks: an SMS sent with `options.webhook = {endpoint, options}` has its
 * status updates pushed there too ("and also to your sms.mt.status_update subscriptions"), with
 * `hook_hash: null`. The engine delivers only to subscriptions, so each distinct endpoint and
 * secret of an account gets one hidden CALLR row (`options.dynamic`), found or made here in the
 * relay's transaction; this consumer makes the deliveries, the shared job sends and retries them.
 */

const dynamicWebhookSchema = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(2000),
  options: z
    .object({
      hmac_algo: z
        .string()
        .transform((value) => value.toUpperCase())
        .pipe(z.enum(callrHmacAlgos))
        .nullish(),
      hmac_secret: z.string().min(8).max(1024).nullish(),
    })
    .nullish(),
});

interface DynamicTarget {
  accountId: number;
  endpoint: string;
  algo: CallrHmacAlgo;
  secret: string;
}

const keyOf = (target: Pick<DynamicTarget, 'accountId' | 'endpoint' | 'algo' | 'secret'>) =>
  JSON.stringify([target.accountId, target.endpoint, target.algo, target.secret]);

function keyOfRow(row: WebhookSubscriptionRow): string {
  const options = row.options as Partial<StoredCallrOptions>;
  return keyOf({
    accountId: row.accountId,
    endpoint: row.url,
    algo: options.hmac_algo ?? 'SHA256',
    secret: options.hmac_secret ?? '',
  });
}

/** The dynamic webhook an outbound SMS's status event asks for, if any (one the seed's shape allows). */
function dynamicTargetOf(event: EventRow): DynamicTarget | null {
  const payload = event.payload as { sms?: { direction?: unknown; options?: { webhook?: unknown } } };
  if (payload.sms?.direction !== 'OUT') return null;
  const parsed = dynamicWebhookSchema.safeParse(payload.sms.options?.webhook);
  if (!parsed.success) return null;
  return {
    accountId: event.accountId,
    endpoint: parsed.data.endpoint,
    algo: parsed.data.options?.hmac_algo ?? 'SHA256',
    secret: parsed.data.options?.hmac_secret ?? '',
  };
}

/** One query for the rows that exist, one insert for those that do not. */
async function dynamicRows(tx: Db, targets: DynamicTarget[]): Promise<Map<string, WebhookSubscriptionRow>> {
  const existing = await tx
    .select()
    .from(webhookSubscriptions)
    .where(
      and(
        inArray(webhookSubscriptions.accountId, [...new Set(targets.map((target) => target.accountId))]),
        eq(webhookSubscriptions.format, CALLR_WEBHOOK_FORMAT),
        inArray(webhookSubscriptions.url, [...new Set(targets.map((target) => target.endpoint))]),
        sql`(${webhookSubscriptions.options} ->> 'dynamic')::boolean`,
      ),
    );
  const rows = new Map<string, WebhookSubscriptionRow>();
  for (const row of existing) rows.set(keyOfRow(row), row);
  const missing = new Map(targets.filter((target) => !rows.has(keyOf(target))).map((t) => [keyOf(t), t]));
  if (missing.size === 0) return rows;
  const created = await tx
    .insert(webhookSubscriptions)
    .values(
      [...missing.values()].map((target) => {
        const options: StoredCallrOptions = {
          format: 'JSON',
          hmac_algo: target.algo,
          hmac_secret: target.secret,
          type: 'sms.mt.status_update',
          dynamic: true,
        };
        return {
          accountId: target.accountId,
          format: CALLR_WEBHOOK_FORMAT,
          url: target.endpoint,
          events: ['sms.mt.status_update'],
          secret: target.secret,
          signatureAlgorithm: engineAlgorithmOf(target.algo),
          options,
        };
      }),
    )
    .returning();
  for (const row of created) rows.set(keyOfRow(row), row);
  return rows;
}

async function pushToDynamicWebhooks(tx: Db, batch: EventRow[], mappers: CallrMappers): Promise<void> {
  const wanted = batch.flatMap((event) => {
    const target = dynamicTargetOf(event);
    const callrEvent = target ? callrEventOf(event, mappers) : null;
    return target && callrEvent?.type === 'sms.mt.status_update' ? [{ event, target, callrEvent }] : [];
  });
  if (wanted.length === 0) return;
  const rows = await dynamicRows(
    tx,
    wanted.map(({ target }) => target),
  );
  const deliveries = wanted.flatMap(({ event, target, callrEvent }) => {
    const row = rows.get(keyOf(target));
    // Switched off by the engine (410 Gone, failing for days): nothing more goes there.
    if (!row?.enabled) return [];
    const body = callrEnvelope(event, callrEvent, null);
    const values = {
      accountId: row.accountId,
      subscriptionId: row.id,
      eventId: event.id,
      eventType: callrEvent.type,
      body,
    };
    return [{ row, values }];
  });
  if (deliveries.length === 0) return;
  const inserted = await tx
    .insert(webhookDeliveries)
    .values(deliveries.map((delivery) => delivery.values))
    .returning({ id: webhookDeliveries.id, subscriptionId: webhookDeliveries.subscriptionId });
  const rowsById = new Map(deliveries.map(({ row }) => [row.id, row]));
  const jobs = inserted.flatMap((delivery) => {
    const row = rowsById.get(delivery.subscriptionId);
    return row
      ? [
          {
            ...endpointJobOptions(row, defaultWebhookPolicy),
            payload: { accountId: row.accountId, deliveryId: delivery.id },
          },
        ]
      : [];
  });
  await enqueueMany(tx, deliverWebhookTarget, jobs);
}

/**
 * In the relay's transaction, under a savepoint: a failure here (a bad row, a constraint) is
 * logged and skipped, never left to stall the outbox for every consumer.
 */
export function createDynamicWebhookConsumer(mappers: CallrMappers, logger: Logger): EventConsumer {
  return {
    name: 'callr-dynamic-webhooks',
    async handle(tx, batch) {
      try {
        await tx.transaction((savepoint) => pushToDynamicWebhooks(savepoint, batch, mappers));
      } catch (error) {
        logger.error({ err: error }, 'CALLR dynamic webhooks failed for a batch; skipped');
      }
    },
  };
}
