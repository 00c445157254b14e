import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import {
  findLastAttempts,
  getDelivery,
  listDeliveries,
  redeliver,
  type DeliveryAttemptRow,
  type DeliveryCursor,
} from '../../core/webhooks/deliveries.js';
import { getSubscription } from '../../core/webhooks/subscriptions.js';
import { deliveryStates, type WebhookDeliveryRow } from '../../core/webhooks/webhooks.tables.js';
import { commonErrors, iso, isoDate } from './schemas.js';

const deliverySchema = z.object({
  id: z.string(),
  eventId: z.number().nullable(),
  eventType: z.string(),
  state: z.enum(deliveryStates),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: isoDate.nullable(),
  createdAt: isoDate,
  completedAt: isoDate.nullable(),
});

const attemptSchema = z.object({
  attempt: z.number(),
  statusCode: z.number().nullable(),
  latencyMs: z.number(),
  responseSnippet: z.string().nullable(),
  error: z.string().nullable(),
  attemptedAt: isoDate,
});

/** A list entry also carries its latest attempt, so failures read without opening each delivery. */
const deliveryListItemSchema = deliverySchema.extend({ lastAttempt: attemptSchema.nullable() });

function toAttemptDto(row: DeliveryAttemptRow): z.infer<typeof attemptSchema> {
  return {
    attempt: row.attempt,
    statusCode: row.statusCode,
    latencyMs: row.latencyMs,
    responseSnippet: row.responseSnippet,
    error: row.error,
    attemptedAt: iso(row.attemptedAt),
  };
}

function toDto(row: WebhookDeliveryRow): z.infer<typeof deliverySchema> {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    state: row.state,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    nextAttemptAt: iso(row.nextAttemptAt),
    createdAt: iso(row.createdAt),
    completedAt: iso(row.completedAt),
  };
}

// Delivery cursors are (created_at, id) pairs, carried as one opaque base64url string.
function encodeCursor(cursor: DeliveryCursor | null): string | null {
  return cursor ? Buffer.from(JSON.stringify(cursor)).toString('base64url') : null;
}

const cursorSchema = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });

function decodeCursor(value: string | undefined): DeliveryCursor | undefined {
  if (value === undefined) return undefined;
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'cursor is not a cursor this API returned', [
      { path: 'querystring.cursor', message: 'is invalid' },
    ]);
  }
}

/** A delivery reached through a subscription must belong to that subscription, whatever its format. */
async function getOwnedDelivery(
  ctx: AppContext,
  accountId: number,
  params: { webhookId: number; deliveryId: string },
) {
  await getSubscription(ctx.db, accountId, params.webhookId);
  const found = await getDelivery(ctx.db, accountId, params.deliveryId);
  if (found.delivery.subscriptionId !== params.webhookId)
    throw new DomainError('NOT_FOUND', 'Delivery not found');
  return found;
}

type WebhookParamsSchema = z.ZodObject<{ accountId: z.ZodType<number>; webhookId: z.ZodType<number> }>;

export function registerDeliveryRoutes(
  app: TypedApp,
  ctx: AppContext,
  route: {
    base: string;
    params: WebhookParamsSchema;
    admin: (request: FastifyRequest, accountId: number) => Promise<AccountAccess>;
  },
): void {
  const tags = ['webhooks'];
  const deliveryParams = route.params.extend({ deliveryId: z.uuid() });

  app.get(
    `${route.base}/deliveries`,
    {
      schema: {
        tags,
        summary: 'The delivery log of a subscription of any format, newest first',
        params: route.params,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(500).optional(),
          state: z.enum(deliveryStates).optional(),
        }),
        response: {
          200: z.object({ data: z.array(deliveryListItemSchema), nextCursor: z.string().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const params = request.params;
      const access = await route.admin(request, params.accountId);
      await getSubscription(ctx.db, access.accountId, params.webhookId);
      const page = await listDeliveries(ctx.db, {
        accountId: access.accountId,
        subscriptionId: params.webhookId,
        state: request.query.state,
        before: decodeCursor(request.query.cursor),
        limit: request.query.limit,
      });
      const lastAttempts = await findLastAttempts(
        ctx.db,
        access.accountId,
        page.items.map((row) => row.id),
      );
      const data = page.items.map((row) => {
        const last = lastAttempts.get(row.id);
        return { ...toDto(row), lastAttempt: last ? toAttemptDto(last) : null };
      });
      return { data, nextCursor: encodeCursor(page.nextCursor) };
    },
  );

  app.get(
    `${route.base}/deliveries/:deliveryId`,
    {
      schema: {
        tags,
        summary: 'One delivery with every attempt: status code, latency, response snippet, error',
        params: deliveryParams,
        response: {
          200: deliverySchema.extend({ body: z.string(), attemptLog: z.array(attemptSchema) }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const params = request.params;
      const access = await route.admin(request, params.accountId);
      const { delivery, attempts } = await getOwnedDelivery(ctx, access.accountId, params);
      return { ...toDto(delivery), body: delivery.body, attemptLog: attempts.map(toAttemptDto) };
    },
  );

  app.post(
    `${route.base}/deliveries/:deliveryId/redeliver`,
    {
      schema: {
        tags,
        summary: 'Send a settled delivery again under the same id',
        params: deliveryParams,
        response: { 202: deliverySchema, 409: commonErrors[404], ...commonErrors },
      },
    },
    async (request, reply) => {
      const params = request.params;
      const access = await route.admin(request, params.accountId);
      await getOwnedDelivery(ctx, access.accountId, params);
      const delivery = await redeliver(ctx.db, ctx.webhooks.deliverJob, access.accountId, params.deliveryId);
      return reply.status(202).send(toDto(delivery));
    },
  );
}
