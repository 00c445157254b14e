import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { Db } from '../../platform/db/database.js';
import {
  createPortal,
  getPortalBySlug,
  listPortals,
  updatePortal,
  type PortalFields,
  type PortalRow,
} from '../../core/help-center/portals.js';
import { portalStats } from '../../core/help-center/portal-stats.js';
import { createCategory } from '../../core/help-center/categories.js';
import { createArticle } from '../../core/help-center/articles.js';
import { chatwootAccess } from './access.js';
import { accountParams, chatwootErrors } from './admin-schemas.js';
import {
  articleBodySchema,
  categoryBodySchema,
  portalBodySchema,
  type PortalBody,
} from './help-center-schemas.js';
import {
  articleSchema,
  categorySchema,
  portalItemSchema,
  toArticle,
  toCategory,
  toPortalItem,
} from './help-center-serializers.js';

const tags = ['Help Center'];
/** Seed `portal_id`: the portal is named by its slug. */
const portalParams = accountParams.extend({ id: z.string().min(1).max(255) });

function toPortalFields(body: PortalBody): PortalFields {
  return {
    name: body.name,
    slug: body.slug,
    customDomain: body.custom_domain,
    color: body.color,
    headerText: body.header_text,
    pageTitle: body.page_title,
    homepageLink: body.homepage_link,
    isArchived: body.archived,
    allowedLocales: body.config?.allowed_locales,
    defaultLocale: body.config?.default_locale,
  };
}

async function toPortalItems(db: Db, accountId: number, rows: PortalRow[]) {
  const stats = await portalStats(
    db,
    accountId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toPortalItem(row, stats.get(row.id)));
}

/**
 * The seed's Help Center operations. Anyone in the account reads portals and writes articles;
 * portals and categories take an administrator (Chatwoot's policies). Shapes follow the seed:
 * the list and the create answer `{payload: [portal]}`, the update `{payload: portal}`.
 */
export function registerHelpCenterRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/portals';

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List all portals in an account',
        params: accountParams,
        response: {
          200: z.object({
            payload: z.array(portalItemSchema),
            meta: z.object({ current_page: z.number().int(), portals_count: z.number().int() }),
          }),
          ...chatwootErrors,
        },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const payload = await toPortalItems(
        ctx.db,
        access.accountId,
        await listPortals(ctx.db, access.accountId),
      );
      return { payload, meta: { current_page: 1, portals_count: payload.length } };
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Add a new portal',
        params: accountParams,
        body: portalBodySchema,
        response: { 200: z.object({ payload: z.array(portalItemSchema) }), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const row = await createPortal(
        ctx.db,
        { accountId: access.accountId, ...toPortalFields(request.body) },
        access.actor,
      );
      return { payload: await toPortalItems(ctx.db, access.accountId, [row]) };
    },
  );

  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Update a portal',
        params: portalParams,
        body: portalBodySchema,
        response: { 200: z.object({ payload: portalItemSchema }), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const row = await updatePortal(
        ctx.db,
        { accountId: access.accountId, slug: request.params.id, fields: toPortalFields(request.body) },
        access.actor,
      );
      const stats = await portalStats(ctx.db, access.accountId, [row.id]);
      return { payload: toPortalItem(row, stats.get(row.id)) };
    },
  );

  app.post(
    `${base}/:id/categories`,
    {
      schema: {
        tags,
        summary: 'Add a new category',
        params: portalParams,
        body: categoryBodySchema,
        response: { 200: categorySchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const portal = await getPortalBySlug(ctx.db, access.accountId, request.params.id);
      const { body } = request;
      const row = await createCategory(
        ctx.db,
        {
          portal,
          fields: {
            name: body.name,
            slug: body.slug,
            locale: body.locale,
            description: body.description,
            icon: body.icon,
            position: body.position,
            parentCategoryId: body.parent_category_id,
            associatedCategoryId: body.associated_category_id,
          },
        },
        access.actor,
      );
      return toCategory(row);
    },
  );

  app.post(
    `${base}/:id/articles`,
    {
      schema: {
        tags,
        summary: 'Add a new article',
        params: portalParams,
        body: articleBodySchema,
        response: { 200: articleSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const portal = await getPortalBySlug(ctx.db, access.accountId, request.params.id);
      const { body } = request;
      const row = await createArticle(
        ctx.db,
        {
          portal,
          fields: {
            title: body.title,
            slug: body.slug,
            content: body.content,
            description: body.description,
            status: body.status,
            locale: body.locale,
            categoryId: body.category_id,
            authorId: body.author_id,
            associatedArticleId: body.associated_article_id,
            position: body.position,
            meta: body.meta,
          },
        },
        access.actor,
      );
      return toArticle(row);
    },
  );
}
