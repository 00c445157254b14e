import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { isKnownEventType } from '../../platform/events/event-definition.js';
import { notFound } from '../../platform/errors.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate, pageOf, pageQuery } from './schemas.js';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  updateSubscription,
} from '../../core/webhooks/subscriptions.js';
import type { WebhookSubscriptionRow } from '../../core/webhooks/webhooks.tables.js';
import { NATIVE_FORMAT, nativeWebhookFormat } from './webhook-format.js';
import { registerDeliveryRoutes } from './deliveries.routes.js';

export const webhookSchema = z.object({
  id: z.number(),
  name: z.string().nullable(),
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  disabledAt: isoDate.nullable(),
  failingSince: isoDate.nullable(),
  consecutiveFailures: z.number(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

const eventsInput = z
  .array(z.string().max(100))
  .max(100)
  .refine((types) => types.every(isKnownEventType), { message: 'contains an unknown event type' });

const webhookInput = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  name: z.string().max(200).nullable().optional(),
  events: eventsInput.optional(),
  enabled: z.boolean().optional(),
});

const webhookParams = accountParams.extend({ webhookId: idParam });

// Formats of faces without their own webhook API (Modjo's is configured in its web app), managed here.
const managedFormats = [NATIVE_FORMAT, 'modjo'] as const;
const formatInput = z.enum(managedFormats).default(NATIVE_FORMAT);

/** A subscription of a format this API manages; another face's subscriptions answer 404 here. */
async function getManagedSubscription(
  ctx: AppContext,
  accountId: number,
  webhookId: number,
): Promise<WebhookSubscriptionRow> {
  const row = await getSubscription(ctx.db, accountId, webhookId);
  if (!(managedFormats as readonly string[]).includes(row.format)) throw notFound('Webhook');
  return row;
}

function toDto(row: WebhookSubscriptionRow): z.infer<typeof webhookSchema> {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    events: row.events,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    failingSince: iso(row.failingSince),
    consecutiveFailures: row.consecutiveFailures,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function registerWebhookRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/webhooks';
  const tags = ['webhooks'];
  const admin = (request: Parameters<typeof accountAccess>[1], accountId: number) =>
    accountAccess(ctx.db, request, accountId, { isAdminOnly: true });

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List webhook subscriptions',
        params: accountParams,
        querystring: pageQuery.extend({ format: formatInput }),
        response: { 200: pageOf(webhookSchema), ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      const { cursor, limit, format } = request.query;
      const page = await listSubscriptions(ctx.db, {
        accountId: access.accountId,
        format,
        beforeId: cursor,
        limit,
      });
      return { data: page.items.map(toDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Subscribe a URL to events; the signing secret is shown once',
        params: accountParams,
        body: webhookInput.extend({ format: formatInput }),
        response: { 201: webhookSchema.extend({ secret: z.string() }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.accountId);
      const format = ctx.webhooks.formats.get(request.body.format) ?? nativeWebhookFormat;
      const row = await createSubscription(ctx.db, {
        ...request.body,
        accountId: access.accountId,
        format: format.name,
        secret: format.generateSecret(),
      });
      return reply.status(201).send({ ...toDto(row), secret: row.secret });
    },
  );

  app.get(
    `${base}/:webhookId`,
    {
      schema: {
        tags,
        summary: 'Get a webhook subscription',
        params: webhookParams,
        response: { 200: webhookSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      return toDto(await getManagedSubscription(ctx, access.accountId, request.params.webhookId));
    },
  );

  app.patch(
    `${base}/:webhookId`,
    {
      schema: {
        tags,
        summary: 'Change a subscription; `rotateSecret` issues a new secret, returned once',
        params: webhookParams,
        body: webhookInput.partial().extend({ rotateSecret: z.boolean().optional() }),
        response: { 200: webhookSchema.extend({ secret: z.string().optional() }), ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      const current = await getManagedSubscription(ctx, access.accountId, request.params.webhookId);
      const { rotateSecret, ...changes } = request.body;
      const format = ctx.webhooks.formats.get(current.format) ?? nativeWebhookFormat;
      const secret = rotateSecret ? format.generateSecret() : undefined;
      const row = await updateSubscription(ctx.db, access.accountId, request.params.webhookId, {
        ...changes,
        secret,
      });
      return { ...toDto(row), ...(secret && { secret }) };
    },
  );

  app.delete(
    `${base}/:webhookId`,
    {
      schema: {
        tags,
        summary: 'Delete a subscription and its delivery log',
        params: webhookParams,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.accountId);
      await getManagedSubscription(ctx, access.accountId, request.params.webhookId);
      await deleteSubscription(ctx.db, access.accountId, request.params.webhookId);
      return reply.status(204).send(null);
    },
  );

  registerDeliveryRoutes(app, ctx, { base: `${base}/:webhookId`, params: webhookParams, admin });
}
