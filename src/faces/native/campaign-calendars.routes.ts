import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { notFound } from '../../platform/errors.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate, pageOf, pageQuery } from './schemas.js';
import {
  calendarChangesSchema,
  calendarCreateSchema,
  createCalendar,
  deleteCalendar,
  listCalendars,
  loadCalendar,
  updateCalendar,
  type DialerCalendarRow,
} from '../../core/campaigns/campaign-calendars.js';

const tags = ['campaigns'];

const calendarSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  timezone: z.string(),
  weeklyWindows: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))),
  holidays: z.array(z.string()),
  createdAt: isoDate,
  updatedAt: isoDate,
});

function toCalendar(row: DialerCalendarRow): z.infer<typeof calendarSchema> {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    weeklyWindows: row.weeklyWindows,
    holidays: row.holidays,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

/** Dialer calendars: weekly calling windows in a time zone, minus holidays; campaigns link one. */
export function registerNativeCalendarRoutes(app: TypedApp, ctx: AppContext): void {
  const many = '/v1/accounts/:accountId/dialer-calendars';
  const one = `${many}/:calendarId`;
  const params = accountParams.extend({ calendarId: idParam });

  app.post(
    many,
    {
      schema: {
        tags,
        summary: 'Create a dialer calendar',
        params: accountParams,
        body: calendarCreateSchema,
        response: { 201: calendarSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const row = await createCalendar(ctx.db, access.accountId, request.body);
      return reply.status(201).send(toCalendar(row));
    },
  );

  app.get(
    many,
    {
      schema: {
        tags,
        summary: 'List dialer calendars by id',
        params: accountParams,
        querystring: pageQuery,
        response: { 200: pageOf(calendarSchema), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const { limit, cursor } = request.query;
      const rows = await listCalendars(ctx.db, access.accountId, { limit: limit + 1, afterId: cursor });
      const page = rows.slice(0, limit);
      return {
        data: page.map(toCalendar),
        nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );

  app.get(
    one,
    {
      schema: {
        tags,
        summary: 'Get a dialer calendar',
        params,
        response: { 200: calendarSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const row = await loadCalendar(ctx.db, access.accountId, request.params.calendarId);
      if (!row) throw notFound('Dialer calendar');
      return toCalendar(row);
    },
  );

  app.patch(
    one,
    {
      schema: {
        tags,
        summary: 'Change a dialer calendar',
        params,
        body: calendarChangesSchema,
        response: { 200: calendarSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const row = await updateCalendar(ctx.db, access.accountId, request.params.calendarId, request.body);
      if (!row) throw notFound('Dialer calendar');
      return toCalendar(row);
    },
  );

  app.delete(
    one,
    {
      schema: {
        tags,
        summary: 'Delete a dialer calendar (campaigns using it fall back to their own rules)',
        params,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const row = await deleteCalendar(ctx.db, access.accountId, request.params.calendarId);
      if (!row) throw notFound('Dialer calendar');
      return reply.status(204).send(null);
    },
  );
}
