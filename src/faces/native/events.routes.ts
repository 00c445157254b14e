import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate, pageOf, pageQuery } from './schemas.js';
import { findEvent, listEvents } from '../../platform/events/event-queries.js';
import { listEventDefinitions } from '../../platform/events/event-definition.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import { notFound } from '../../platform/errors.js';

const eventSchema = z.object({
  id: z.number(),
  type: z.string(),
  version: z.number(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  actor: z.record(z.string(), z.unknown()).nullable(),
  payload: z.record(z.string(), z.unknown()),
  occurredAt: isoDate,
  dispatchedAt: isoDate.nullable(),
});

export function toEventDto(event: EventRow): z.infer<typeof eventSchema> {
  return {
    id: event.id,
    type: event.type,
    version: event.version,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    actor: event.actor ?? null,
    payload: event.payload,
    occurredAt: iso(event.occurredAt),
    dispatchedAt: iso(event.dispatchedAt),
  };
}

export function registerEventRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/event-types',
    {
      schema: {
        tags: ['events'],
        summary: 'Every event type Parley emits',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                type: z.string(),
                aggregateType: z.string(),
                version: z.number(),
                description: z.string(),
              }),
            ),
          }),
          ...commonErrors,
        },
      },
    },
    () => ({
      data: listEventDefinitions().map(({ type, aggregateType, version, description }) => ({
        type,
        aggregateType,
        version,
        description,
      })),
    }),
  );

  app.get(
    '/v1/accounts/:accountId/events',
    {
      schema: {
        tags: ['events'],
        summary: "The account's domain events, newest first (administrators)",
        params: accountParams,
        querystring: pageQuery.extend({
          type: z.string().max(100).optional(),
          aggregateType: z.string().max(100).optional(),
          aggregateId: z.string().max(100).optional(),
        }),
        response: { 200: pageOf(eventSchema), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const { cursor, limit, type, aggregateType, aggregateId } = request.query;
      const page = await listEvents(ctx.db, {
        accountId: access.accountId,
        beforeId: cursor,
        limit,
        type,
        aggregateType,
        aggregateId,
      });
      return { data: page.items.map(toEventDto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/accounts/:accountId/events/:eventId',
    {
      schema: {
        tags: ['events'],
        summary: 'One domain event (administrators)',
        params: accountParams.extend({ eventId: idParam }),
        response: { 200: eventSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const event = await findEvent(ctx.db, access.accountId, request.params.eventId);
      if (!event) throw notFound('Event');
      return toEventDto(event);
    },
  );
}
