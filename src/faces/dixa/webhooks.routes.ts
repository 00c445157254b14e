import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { createAddressPolicy } from '../../platform/outbound/address-policy.js';
import {
  createSubscription,
  deleteSubscription,
  listSubscriptions,
  updateSubscription,
} from '../../core/webhooks/subscriptions.js';
import { getSubscriptionByUuid } from '../../core/webhooks/subscription-by-uuid.js';
import { assertDeliverableUrl } from '../../core/webhooks/deliverable-url.js';
import {
  findLatestDeliveryPerEvent,
  listLatestEventDeliveries,
} from '../../core/webhooks/event-deliveries.js';
import { DIXA_WEBHOOK_FORMAT } from '../../core/webhooks/subscription-sources.js';
import { dixaAccess } from './access.js';
import { dataOf, uuidSchema } from './schemas.js';
import { dixaWebhookEvents, isDixaWebhookEvent } from './webhook-events.js';
import {
  subscriptionOptionsOf,
  toStoredAuthorization,
  webhookAuthorizationInput,
  storedSubscriptionOptions,
} from './webhook-authorization.js';
import { generateDixaSecretKey } from './webhook-signing.js';
import {
  actorUuidOf,
  deliveryDetailOf,
  deliveryDetailSchema,
  deliveryStatusSchema,
  toDixaSubscription,
  webhookSubscriptionSchema,
} from './webhook-subscription.map.js';

const tags = ['dixa'];
const errorBody = z.object({ message: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
const subscriptionOutput = z.object({ data: webhookSubscriptionSchema });
const params = z.object({ webhookSubscriptionId: uuidSchema });
// The "latest" deliveries of one event: Dixa gives no paging here, so a bounded, recent window.
const LOG_LIMIT = 50;
// Subscriptions per organization are few; Dixa lists them in one response, without paging.
const LIST_LIMIT = 1000;

const eventsInput = z
  .array(z.string().max(100))
  .max(dixaWebhookEvents.length * 2)
  .superRefine((names, context) => {
    const unknown = names.filter((name) => !isDixaWebhookEvent(name));
    if (unknown.length > 0)
      context.addIssue({ code: 'custom', message: `unknown events: ${unknown.join(', ')}` });
  });
const urlInput = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000);

/** Seed `CreateWebhookSubscriptionInput` / `PatchWebhookSubscriptionInput`. */
const createInput = z.object({
  url: urlInput,
  name: z.string().max(255),
  events: eventsInput.optional(),
  enabled: z.boolean().optional(),
  authorization: webhookAuthorizationInput,
});
const patchInput = createInput.partial();

/** Webhook subscriptions, their delivery statuses and event logs, on the shared webhook engine. */
export function registerDixaWebhookRoutes(app: TypedApp, ctx: AppContext): void {
  const policy = createAddressPolicy(ctx.config.PARLEY_OUTBOUND_ALLOWLIST);
  const admin = (request: Parameters<typeof dixaAccess>[1]) =>
    dixaAccess(ctx, request, { isAdminOnly: true });
  const load = (accountId: number, uuid: string) =>
    getSubscriptionByUuid(ctx.db, { accountId, uuid, format: DIXA_WEBHOOK_FORMAT });
  const checkUrl = (url: string) => assertDeliverableUrl(url, { policy, field: 'url', path: 'body.url' });

  app.get(
    '/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'List of all Webhook Subscriptions in an organization',
        response: { 200: z.object({ data: z.array(webhookSubscriptionSchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await admin(request);
      const page = await listSubscriptions(ctx.db, {
        accountId: access.accountId,
        format: DIXA_WEBHOOK_FORMAT,
        limit: LIST_LIMIT,
      });
      return dataOf(page.items.reverse().map(toDixaSubscription));
    },
  );

  app.post(
    '/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'Create a Webhook Subscription',
        body: createInput,
        response: { 201: subscriptionOutput, ...errors },
      },
    },
    async (request, reply) => {
      const access = await admin(request);
      await checkUrl(request.body.url);
      const actor = await actorUuidOf(ctx.db, access);
      const row = await createSubscription(
        ctx.db,
        {
          accountId: access.accountId,
          format: DIXA_WEBHOOK_FORMAT,
          url: request.body.url,
          name: request.body.name,
          // Without `events` a subscription gets every event; an explicit empty list gets none.
          events: [...new Set(request.body.events ?? dixaWebhookEvents)],
          enabled: request.body.enabled ?? true,
          secret: generateDixaSecretKey(),
          options: storedSubscriptionOptions({
            authorization: toStoredAuthorization(request.body.authorization),
            createdBy: actor,
            updatedBy: actor,
          }),
        },
        { actor: access.actor },
      );
      return reply.status(201).send(dataOf(toDixaSubscription(row)));
    },
  );

  app.get(
    '/v1/webhooks/:webhookSubscriptionId',
    {
      schema: {
        tags,
        summary: 'Get a Webhook Subscription by ID',
        params,
        response: { 200: subscriptionOutput, ...errors },
      },
    },
    async (request) => {
      const access = await admin(request);
      return dataOf(toDixaSubscription(await load(access.accountId, request.params.webhookSubscriptionId)));
    },
  );

  app.patch(
    '/v1/webhooks/:webhookSubscriptionId',
    {
      schema: {
        tags,
        summary: 'Patch a Webhook Subscription',
        params,
        body: patchInput,
        response: { 200: subscriptionOutput, ...errors },
      },
    },
    async (request) => {
      const access = await admin(request);
      const existing = await load(access.accountId, request.params.webhookSubscriptionId);
      const { url, name, events, enabled, authorization } = request.body;
      if (url !== undefined) await checkUrl(url);
      const options = subscriptionOptionsOf(existing.options);
      const row = await updateSubscription(
        ctx.db,
        access.accountId,
        existing.id,
        {
          url,
          name,
          events: events && [...new Set(events)],
          enabled,
          options: storedSubscriptionOptions({
            ...options,
            ...(authorization && { authorization: toStoredAuthorization(authorization) }),
            updatedBy: await actorUuidOf(ctx.db, access),
          }),
        },
        { actor: access.actor },
      );
      return dataOf(toDixaSubscription(row));
    },
  );

  app.delete(
    '/v1/webhooks/:webhookSubscriptionId',
    {
      schema: {
        tags,
        summary: 'Delete a Webhook Subscription',
        params,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const access = await admin(request);
      const existing = await load(access.accountId, request.params.webhookSubscriptionId);
      await deleteSubscription(ctx.db, access.accountId, existing.id, { actor: access.actor });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/webhooks/:webhookSubscriptionId/delivery-status',
    {
      schema: {
        tags,
        summary: 'Get the latest delivery statuses of a Webhook Subscription',
        params,
        response: {
          200: z.object({
            data: z.array(z.object({ event: z.string(), deliveryStatus: deliveryStatusSchema })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const access = await admin(request);
      const subscription = await load(access.accountId, request.params.webhookSubscriptionId);
      const events = subscription.events.filter(isDixaWebhookEvent);
      const latest = await findLatestDeliveryPerEvent(ctx.db, {
        accountId: access.accountId,
        subscriptionId: subscription.id,
        eventTypes: events,
      });
      return dataOf(
        events.map((event) => {
          const delivery = latest.get(event);
          return {
            event,
            deliveryStatus: delivery
              ? { _type: 'DeliveryDetail' as const, ...deliveryDetailOf(delivery) }
              : { _type: 'NoRecentDelivery' as const },
          };
        }),
      );
    },
  );

  app.get(
    '/v1/webhooks/:webhookSubscriptionId/delivery-status/logs/:event',
    {
      schema: {
        tags,
        summary: 'Get the latest Webhook Subscription Event logs',
        params: params.extend({
          event: z.string().refine(isDixaWebhookEvent, { message: 'is not a Dixa webhook event' }),
        }),
        response: {
          200: z.object({
            data: z.array(z.object({ payload: z.string(), deliveryDetail: deliveryDetailSchema })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const access = await admin(request);
      const subscription = await load(access.accountId, request.params.webhookSubscriptionId);
      const deliveries = await listLatestEventDeliveries(ctx.db, {
        accountId: access.accountId,
        subscriptionId: subscription.id,
        eventType: request.params.event,
        limit: LOG_LIMIT,
      });
      return dataOf(
        deliveries.map((delivery) => ({
          payload: delivery.delivery.body,
          deliveryDetail: deliveryDetailOf(delivery),
        })),
      );
    },
  );
}
