import { z } from 'zod';
import { jsonObject } from '../../platform/http/bounded-json.js';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { customFilterTypes, type CustomFilterRow } from '../../core/custom-filters/custom-filters.tables.js';
import {
  createCustomFilter,
  deleteCustomFilter,
  getCustomFilter,
  listCustomFilters,
  updateCustomFilter,
  type FilterOwner,
} from '../../core/custom-filters/custom-filters.js';
import { chatwootAccess } from './access.js';
import { accountParams, chatwootErrors, chatwootId, emptyBody, iso, sendEmptyOk } from './admin-schemas.js';

const tags = ['Custom Filters'];
const filterParams = accountParams.extend({ custom_filter_id: chatwootId });

/**
 * The seed names the type `type`; Chatwoot's own clients send and read `filter_type`. The query is
 * any JSON object, stored as given (the seed's `query: object`, as Chatwoot's model keeps it): it
 * is checked where it runs, by the contact and conversation filter endpoints the client posts it to.
 */
const filterFields = z.object({
  name: z.string().min(1).max(255),
  type: z.enum(customFilterTypes).optional(),
  filter_type: z.enum(customFilterTypes).optional(),
  query: jsonObject(),
});

function unwrap(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const inner = (body as Record<string, unknown>).custom_filter;
  return typeof inner === 'object' && inner !== null ? inner : body;
}

/** Seed `custom_filter`, plus `filter_type` as Chatwoot renders it. */
const customFilterSchema = z.object({
  id: z.number(),
  name: z.string(),
  type: z.enum(customFilterTypes),
  filter_type: z.enum(customFilterTypes),
  query: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});

function toChatwootCustomFilter(row: CustomFilterRow): z.infer<typeof customFilterSchema> {
  return {
    id: row.id,
    name: row.name,
    type: row.filterType,
    filter_type: row.filterType,
    query: row.query,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

export function registerCustomFiltersRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/custom_filters';

  /** Filters belong to the calling user; an account API key keeps the account's shared ones. */
  async function ownerOf(request: FastifyRequest, accountId: number): Promise<FilterOwner> {
    const access = await chatwootAccess(ctx.db, request, accountId);
    const userId = access.principal.kind === 'user' ? access.principal.userId : null;
    return { accountId: access.accountId, userId };
  }

  app.get(
    base,
    {
      schema: {
        tags,
        summary: "List the caller's custom filters",
        params: accountParams,
        querystring: z.object({ filter_type: z.enum(customFilterTypes).optional() }),
        response: { 200: z.array(customFilterSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const owner = await ownerOf(request, request.params.account_id);
      const rows = await listCustomFilters(ctx.db, owner, request.query.filter_type);
      return rows.map(toChatwootCustomFilter);
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Save a custom filter',
        params: accountParams,
        body: z.preprocess(unwrap, filterFields),
        response: { 200: customFilterSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const owner = await ownerOf(request, request.params.account_id);
      const { name, query } = request.body;
      // Chatwoot's column defaults to conversation filters.
      const filterType = request.body.filter_type ?? request.body.type ?? 'conversation';
      const row = await createCustomFilter(ctx.db, owner, { name, filterType, query });
      return toChatwootCustomFilter(row);
    },
  );

  app.get(
    `${base}/:custom_filter_id`,
    {
      schema: {
        tags,
        summary: 'Get a custom filter',
        params: filterParams,
        response: { 200: customFilterSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const owner = await ownerOf(request, request.params.account_id);
      return toChatwootCustomFilter(await getCustomFilter(ctx.db, owner, request.params.custom_filter_id));
    },
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: `${base}/:custom_filter_id`,
      schema: {
        tags,
        summary: 'Update a custom filter',
        params: filterParams,
        body: z.preprocess(unwrap, filterFields.partial()),
        response: { 200: customFilterSchema, ...chatwootErrors },
      },
      handler: async (request) => {
        const owner = await ownerOf(request, request.params.account_id);
        const id = request.params.custom_filter_id;
        const current = await getCustomFilter(ctx.db, owner, id);
        const filterType = request.body.filter_type ?? request.body.type ?? current.filterType;
        const query = request.body.query ?? current.query;
        const row = await updateCustomFilter(ctx.db, owner, id, {
          name: request.body.name,
          filterType,
          query,
        });
        return toChatwootCustomFilter(row);
      },
    });
  }

  app.delete(
    `${base}/:custom_filter_id`,
    {
      schema: {
        tags,
        summary: 'Delete a custom filter',
        params: filterParams,
        response: { 200: emptyBody, ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, request.params.account_id);
      await deleteCustomFilter(ctx.db, owner, request.params.custom_filter_id);
      return sendEmptyOk(reply);
    },
  );
}
