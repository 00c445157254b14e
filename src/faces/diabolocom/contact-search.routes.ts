import { z } from 'zod';
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { publicUrl } from '../../platform/config.js';
import { campaigns } from '../../core/campaigns/campaigns.tables.js';
import { contactFilterSchema } from '../../core/campaigns/contact-filter.js';
import { isoDateTimeInput } from '../../core/campaigns/contact-input.js';
import {
  searchContacts,
  searchContactsByDate,
  searchContactsByPhone,
  type ContactView,
} from '../../core/campaigns/contact-search.js';
import { diabolocomAccess } from './access.js';
import { campaignNotFound } from './errors.js';
import { campaignOf, campaignParams } from './contact-params.js';
import { diabolocomContactSchema, serializeDiabolocomContact } from './contact.map.js';

const tags = ['diabolocom: contacts'];
const root = '/api/v2/voice/campaigns';

const render = (views: ContactView[]) => views.map((view) => serializeDiabolocomContact(view.row, view));

// Every part is optional, so an empty body searches the whole campaign (first page of 10).
const searchBody = z
  .object({
    pageable: z
      .object({
        // Spring's pageable, which the response shape is: pages count from 0.
        page: z.int().min(0).max(1_000_000).optional(),
        pageSize: z.int().min(1).max(500).optional(),
      })
      .nullish(),
    query: contactFilterSchema.nullish(),
  })
  .nullish();

const searchPageSchema = z.object({
  content: z.array(diabolocomContactSchema),
  totalElements: z.int(),
  totalPages: z.int(),
  last: z.boolean(),
  first: z.boolean(),
  number: z.int(),
  empty: z.boolean(),
  numberOfElements: z.int(),
});

const keysetPageSchema = z.object({
  contacts: z.array(diabolocomContactSchema),
  count: z.int(),
  next: z.string().nullable(),
});

const fromIdParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional();

const byPhoneQuery = z.object({
  fromId: fromIdParam,
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
const byPhoneBody = z
  .object({
    campaignIds: z.array(z.int().positive().max(Number.MAX_SAFE_INTEGER)).max(500).nullish(),
    phones: z.array(z.string().trim().min(1).max(32)).max(500).nullish(),
  })
  .nullish();

const byDateQuery = z.object({
  fromId: fromIdParam,
  fromDate: isoDateTimeInput,
  toDate: isoDateTimeInput.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  dateField: z.enum(['lastUpdatedAt']).optional(),
});

/** Search (filters + pageable), by phone across campaigns and by date, with the seed's `next` links. */
export function registerDiabolocomContactSearchRoutes(app: TypedApp, ctx: AppContext): void {
  const link = (path: string, query: Record<string, string | number | undefined>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    return `${publicUrl(ctx.config)}/diabolocom${path}?${params.toString()}`;
  };

  app.post(
    `${root}/:campaignId/contacts/search`,
    {
      schema: {
        tags,
        summary: 'Search the contacts of a campaign',
        params: campaignParams,
        body: searchBody,
        response: { 200: searchPageSchema },
      },
    },
    async (request) => {
      const { campaign } = await campaignOf(ctx, request, request.params.campaignId);
      const page = request.body?.pageable?.page ?? 0;
      const pageSize = request.body?.pageable?.pageSize ?? 10;
      const result = await searchContacts(ctx.db, {
        campaign,
        filter: request.body?.query ?? {},
        page,
        pageSize,
      });
      const content = render(result.contacts);
      return {
        content,
        totalElements: result.totalElements,
        totalPages: Math.ceil(result.totalElements / pageSize),
        last: !result.hasNext,
        first: page === 0,
        number: page,
        empty: content.length === 0,
        numberOfElements: content.length,
      };
    },
  );

  app.post(
    `${root}/contacts/search/by-phone`,
    {
      schema: {
        tags,
        summary: "Search the account's contacts by phone, across campaigns",
        querystring: byPhoneQuery,
        body: byPhoneBody,
        response: { 200: keysetPageSchema },
      },
    },
    async (request) => {
      const access = await diabolocomAccess(ctx, request);
      const campaignIds = [...new Set(request.body?.campaignIds ?? [])];
      if (campaignIds.length > 0) {
        const owned = await ctx.db
          .select({ id: campaigns.id })
          .from(campaigns)
          .where(
            and(
              eq(campaigns.accountId, access.accountId),
              sql`${campaigns.id} IN (${sql.join(
                campaignIds.map((id) => sql`${id}`),
                sql`, `,
              )})`,
            ),
          );
        const known = new Set(owned.map((row) => row.id));
        const missing = campaignIds.find((id) => !known.has(id));
        if (missing !== undefined) throw campaignNotFound(missing);
      }
      const limit = request.query.limit ?? 100;
      const page = await searchContactsByPhone(ctx.db, {
        accountId: access.accountId,
        campaignIds,
        phones: request.body?.phones ?? null,
        fromId: request.query.fromId,
        limit,
      });
      const contacts = render(page.contacts);
      return {
        contacts,
        count: contacts.length,
        next:
          page.next === null ? null : link(`${root}/contacts/search/by-phone`, { fromId: page.next, limit }),
      };
    },
  );

  app.get(
    `${root}/:campaignId/contacts/search/by-date`,
    {
      schema: {
        tags,
        summary: 'Contacts of a campaign by last update, oldest first',
        params: campaignParams,
        querystring: byDateQuery,
        response: { 200: keysetPageSchema },
      },
    },
    async (request) => {
      const { campaign } = await campaignOf(ctx, request, request.params.campaignId);
      const limit = request.query.limit ?? 500;
      const page = await searchContactsByDate(ctx.db, {
        campaign,
        fromDate: request.query.fromDate,
        toDate: request.query.toDate,
        fromId: request.query.fromId,
        limit,
      });
      const contacts = render(page.contacts);
      return {
        contacts,
        count: contacts.length,
        next:
          page.next === null
            ? null
            : link(`${root}/${campaign.id}/contacts/search/by-date`, {
                fromId: page.next.fromId,
                limit,
                fromDate: page.next.fromDate,
                toDate: request.query.toDate,
                dateField: 'lastUpdatedAt',
              }),
      };
    },
  );
}
