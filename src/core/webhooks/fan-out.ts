import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { EventConsumer } from '../../platform/events/relay.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import { enqueueMany, type JobDefinition } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/logger.js';
import type { RenderContext, RenderedWebhook, WebhookFormat, WebhookFormats } from './webhook-format.js';
import { accounts } from '../identity/identity.tables.js';
import { openSubscriptions } from './secret-box.js';
import { webhookDeliveries, webhookSubscriptions, type WebhookSubscriptionRow } from './webhooks.tables.js';
import type { DeliverWebhookPayload } from './deliver-webhook.job.js';
import type { WebhookPolicy } from './delivery-policy.js';
import { endpointJobOptions, endpointKey } from './endpoint-circuit.js';

/**
 * A format that throws on one event must not stall the outbox for everyone: that event is
 * skipped for that subscription, loudly, and the batch goes on.
 */
function renderSafely(
  format: WebhookFormat,
  event: EventRow,
  subscription: WebhookSubscriptionRow,
  context: RenderContext,
  logger: Logger,
): RenderedWebhook[] {
  try {
    if (format.renderMany) return format.renderMany(event, subscription, context);
    const rendered = format.render(event, subscription, context);
    return rendered ? [rendered] : [];
  } catch (error) {
    logger.error(
      {
        err: error,
        eventId: event.id,
        eventType: event.type,
        subscriptionId: subscription.id,
        format: format.name,
      },
      'webhook format failed to render an event; skipped',
    );
    return [];
  }
}

/** Runs each subscribed format's `prepare` once for the batch; a failure is logged, not fatal. */
async function prepareFormats(
  tx: Db,
  formats: WebhookFormats,
  subscriptions: WebhookSubscriptionRow[],
  batch: EventRow[],
  logger: Logger,
): Promise<Map<string, unknown>> {
  const prepared = new Map<string, unknown>();
  for (const name of new Set(subscriptions.map((subscription) => subscription.format))) {
    const format = formats.get(name);
    if (!format?.prepare) continue;
    const accountIds = new Set(subscriptions.filter((s) => s.format === name).map((s) => s.accountId));
    const events = batch.filter((event) => accountIds.has(event.accountId));
    try {
      prepared.set(name, await format.prepare(tx, events));
    } catch (error) {
      logger.error({ err: error, format: name }, 'webhook format failed to prepare a batch');
    }
  }
  return prepared;
}

function wants(subscription: WebhookSubscriptionRow, eventType: string): boolean {
  return subscription.events.length === 0 || subscription.events.includes(eventType);
}

/**
 * A subscription receives what happens after it exists: an event still in the outbox when the
 * subscription is made belongs to the past its owner did not ask about.
 */
function existedAt(subscription: WebhookSubscriptionRow, event: EventRow): boolean {
  return subscription.createdAt.getTime() <= event.occurredAt.getTime();
}

/**
 * Turns dispatched events into one delivery row and one job per (event, subscription), in the
 * relay's transaction: a delivery exists exactly once per event, whatever crashes afterwards.
 * One query loads the subscriptions of every account in the batch, and the writes are batched.
 */
export function createWebhookFanOut(deps: {
  formats: WebhookFormats;
  deliverJob: JobDefinition<DeliverWebhookPayload>;
  logger: Logger;
  policy: Pick<WebhookPolicy, 'endpointConcurrency'>;
}): EventConsumer {
  return {
    name: 'webhooks',
    async handle(tx: Db, batch: EventRow[]) {
      const accountIds = [...new Set(batch.map((event) => event.accountId))];
      // Opened, not re-sealed: a format may sign inside its payload (Modjo), and this transaction is the relay's.
      const subscriptions = await openSubscriptions(
        tx,
        await tx
          .select()
          .from(webhookSubscriptions)
          .where(
            and(inArray(webhookSubscriptions.accountId, accountIds), eq(webhookSubscriptions.enabled, true)),
          ),
        { sealLegacy: false },
      );
      if (subscriptions.length === 0) return;
      const accountRows = await tx
        .select({ id: accounts.id, name: accounts.name })
        .from(accounts)
        .where(inArray(accounts.id, accountIds));
      const contexts = new Map(accountRows.map((account) => [account.id, { account }]));
      const prepared = await prepareFormats(tx, deps.formats, subscriptions, batch, deps.logger);
      const rows = batch.flatMap((event) =>
        subscriptions
          .filter(
            (subscription) => subscription.accountId === event.accountId && existedAt(subscription, event),
          )
          .flatMap((subscription) => {
            const format = deps.formats.get(subscription.format);
            if (!format) {
              deps.logger.warn({ format: subscription.format }, 'webhook format not registered; skipped');
              return [];
            }
            const context = {
              ...(contexts.get(event.accountId) ?? { account: { id: event.accountId, name: '' } }),
              ...(prepared.has(format.name) && { prepared: prepared.get(format.name) }),
            };
            return renderSafely(format, event, subscription, context, deps.logger)
              .filter((rendered) => wants(subscription, rendered.eventType))
              .map((rendered) => ({
                accountId: event.accountId,
                subscriptionId: subscription.id,
                eventId: event.id,
                eventType: rendered.eventType,
                body: rendered.body,
              }));
          }),
      );
      if (rows.length === 0) return;
      const deliveries = await tx.insert(webhookDeliveries).values(rows).returning({
        accountId: webhookDeliveries.accountId,
        id: webhookDeliveries.id,
        subscriptionId: webhookDeliveries.subscriptionId,
      });
      const byKey = new Map(subscriptions.map((subscription) => [endpointKey(subscription), subscription]));
      await enqueueMany(
        tx,
        deps.deliverJob,
        deliveries.map((delivery) => {
          const key = endpointKey({ accountId: delivery.accountId, id: delivery.subscriptionId });
          const subscription = byKey.get(key);
          return {
            ...(subscription
              ? endpointJobOptions(subscription, deps.policy)
              : { accountId: delivery.accountId }),
            payload: { accountId: delivery.accountId, deliveryId: delivery.id },
          };
        }),
      );
    },
  };
}
