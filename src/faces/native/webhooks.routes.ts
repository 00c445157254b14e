import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { isKnownEventType } from '../../platform/events/event-definition.js';
import { createAddressPolicy } from '../../platform/outbound/address-policy.js';
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
import { circuitState } from '../../core/webhooks/endpoint-circuit.js';
import { assertDeliverableUrl } from '../../core/webhooks/deliverable-url.js';
import { subscriptionSourceKinds, subscriptionSourceOf } from '../../core/webhooks/subscription-sources.js';
import { NATIVE_FORMAT, nativeWebhookFormat } from './webhook-format.js';
import { registerDeliveryRoutes } from './deliveries.routes.js';
import {
  isManagedHere,
  managedFormats,
  refuseFaceOwnedDelete,
  refuseFaceOwnedUpdate,
} from './face-owned-webhooks.js';

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
  /** Circuit breaker: `open` while deliveries wait (until `openUntil`), `half_open` while one probes. */
  circuit: z.object({ state: z.enum(['closed', 'open', 'half_open']), openUntil: isoDate.nullable() }),
  /** The face format deliveries are rendered and signed in. */
  format: z.string(),
  /** The face resource that owns this subscription; null for those made through this API. */
  source: z
    .object({
      kind: z.enum(subscriptionSourceKinds),
      /** A number for Chatwoot resources, a UUID for Dixa subscriptions. */
      id: z.union([z.number(), z.string()]),
      face: z.enum(['chatwoot', 'dixa', 'callr']),
    })
    .nullable(),
  /** Another face owns it: readable here, changed there (only `enabled` can be set here). */
  readOnly: z.boolean(),
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

const formatInput = z.enum(managedFormats).default(NATIVE_FORMAT);

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
    circuit: { state: circuitState(row).state, openUntil: iso(row.circuitOpenUntil) },
    format: row.format,
    source: subscriptionSourceOf(row),
    readOnly: !isManagedHere(row),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function registerWebhookRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/webhooks';
  const tags = ['webhooks'];
  const admin = (request: Parameters<typeof accountAccess>[1], accountId: number) =>
    accountAccess(ctx.db, request, accountId, { isAdminOnly: true });
  const policy = createAddressPolicy(ctx.config.PARLEY_OUTBOUND_ALLOWLIST);
  const checkUrl = (url: string | undefined) =>
    url === undefined ? undefined : assertDeliverableUrl(url, { policy, field: 'url', path: 'body.url' });

  app.get(
    base,
    {
      schema: {
        tags,
        summary: "List the account's webhook subscriptions of every format, or of one",
        description:
          'Includes the subscriptions other faces own (Chatwoot account webhooks, API-inbox callback URLs, ' +
          'agent-bot URLs), read-only here, with `source` naming the resource that owns them.',
        params: accountParams,
        querystring: pageQuery.extend({ format: z.string().max(100).optional() }),
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
      await checkUrl(request.body.url);
      const format = ctx.webhooks.formats.get(request.body.format) ?? nativeWebhookFormat;
      const row = await createSubscription(
        ctx.db,
        {
          ...request.body,
          accountId: access.accountId,
          format: format.name,
          secret: format.generateSecret(),
        },
        { actor: access.actor },
      );
      return reply.status(201).send({ ...toDto(row), secret: row.secret });
    },
  );

  app.get(
    `${base}/:webhookId`,
    {
      schema: {
        tags,
        summary: 'Get a webhook subscription of any format',
        params: webhookParams,
        response: { 200: webhookSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      return toDto(await getSubscription(ctx.db, access.accountId, request.params.webhookId));
    },
  );

  app.patch(
    `${base}/:webhookId`,
    {
      schema: {
        tags,
        summary: 'Change a subscription; `rotateSecret` issues a new secret, returned once',
        description: "Another face's subscription answers 409 here, except for `enabled` alone.",
        params: webhookParams,
        body: webhookInput.partial().extend({ rotateSecret: z.boolean().optional() }),
        response: {
          200: webhookSchema.extend({ secret: z.string().optional() }),
          409: commonErrors[404],
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      const current = await getSubscription(ctx.db, access.accountId, request.params.webhookId);
      const { rotateSecret, ...changes } = request.body;
      refuseFaceOwnedUpdate(current, request.body);
      await checkUrl(changes.url);
      const format = ctx.webhooks.formats.get(current.format) ?? nativeWebhookFormat;
      const secret = rotateSecret ? format.generateSecret() : undefined;
      const row = await updateSubscription(
        ctx.db,
        access.accountId,
        request.params.webhookId,
        {
          ...changes,
          secret,
        },
        { actor: access.actor },
      );
      return { ...toDto(row), ...(secret && { secret }) };
    },
  );

  app.delete(
    `${base}/:webhookId`,
    {
      schema: {
        tags,
        summary: 'Delete a subscription and its delivery log',
        description: "Another face's subscription answers 409: delete it through that face.",
        params: webhookParams,
        response: { 204: z.null(), 409: commonErrors[404], ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.accountId);
      const current = await getSubscription(ctx.db, access.accountId, request.params.webhookId);
      refuseFaceOwnedDelete(current);
      await deleteSubscription(ctx.db, access.accountId, request.params.webhookId, { actor: access.actor });
      return reply.status(204).send(null);
    },
  );

  registerDeliveryRoutes(app, ctx, { base: `${base}/:webhookId`, params: webhookParams, admin });
}
