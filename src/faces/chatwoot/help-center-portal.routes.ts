import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { PortalRow } from '../../core/help-center/help-center.tables.js';
import {
  findLivePortal,
  findPublicCategory,
  listPublicCategories,
  listPublishedArticles,
  readPublishedArticle,
  searchPublishedArticles,
} from '../../core/help-center/public-portal.js';
import {
  articlePage,
  categoryPage,
  homePage,
  notFoundPage,
  searchPage,
  type HtmlPage,
} from './help-center-pages.js';

const tags = ['Help Center'];
const slug = z.string().min(1).max(255);
const portalParams = z.object({ portal_slug: slug });
const localeParams = portalParams.extend({ locale: z.string().min(1).max(16) });
const searchQuery = z.object({ query: z.string().max(200).optional() });

/** No credentials; the page brings its own policy (no script, its stylesheet by hash). */
const publicPage = { config: { isPublic: true }, helmet: { contentSecurityPolicy: false } } as const;

function send(reply: FastifyReply, page: HtmlPage, status = 200) {
  return reply
    .status(status)
    .header('content-security-policy', page.csp)
    .type('text/html; charset=utf-8')
    .send(page.html);
}

const notFound = (reply: FastifyReply) => send(reply, notFoundPage(), 404);

/**
 * The public help center, as Chatwoot serves it at `/hc/{slug}/{locale}`: the home (categories with
 * their articles, or search results with `?query=`), a category, an article. Archived portals,
 * unknown locales and unpublished articles answer a 404 page.
 */
export function registerHelpCenterPortalRoutes(app: TypedApp, ctx: AppContext): void {
  async function livePortal(portalSlug: string, locale?: string): Promise<PortalRow | null> {
    const portal = await findLivePortal(ctx.db, portalSlug);
    if (!portal || (locale !== undefined && !portal.allowedLocales.includes(locale))) return null;
    return portal;
  }

  async function home(reply: FastifyReply, portal: PortalRow, locale: string, query: string | undefined) {
    if (query?.trim()) {
      const found = await searchPublishedArticles(ctx.db, portal, { locale, query: query.trim() });
      return send(reply, searchPage(portal, locale, query.trim(), found));
    }
    const [categories, articles] = await Promise.all([
      listPublicCategories(ctx.db, portal, locale),
      listPublishedArticles(ctx.db, portal, { locale }),
    ]);
    return send(reply, homePage(portal, locale, categories, articles));
  }

  app.get(
    '/hc/:portal_slug',
    {
      ...publicPage,
      schema: {
        tags,
        summary: 'Public help center home, default locale (HTML)',
        params: portalParams,
        querystring: searchQuery,
      },
    },
    async (request, reply) => {
      const portal = await livePortal(request.params.portal_slug);
      return portal ? home(reply, portal, portal.defaultLocale, request.query.query) : notFound(reply);
    },
  );

  app.get(
    '/hc/:portal_slug/:locale',
    {
      ...publicPage,
      schema: {
        tags,
        summary: 'Public help center home or search in a locale (HTML)',
        params: localeParams,
        querystring: searchQuery,
      },
    },
    async (request, reply) => {
      const { portal_slug: portalSlug, locale } = request.params;
      const portal = await livePortal(portalSlug, locale);
      return portal ? home(reply, portal, locale, request.query.query) : notFound(reply);
    },
  );

  app.get(
    '/hc/:portal_slug/:locale/categories/:category_slug',
    {
      ...publicPage,
      schema: {
        tags,
        summary: 'Public help center category (HTML)',
        params: localeParams.extend({ category_slug: slug }),
      },
    },
    async (request, reply) => {
      const { portal_slug: portalSlug, locale, category_slug: categorySlug } = request.params;
      const portal = await livePortal(portalSlug, locale);
      const category = portal && (await findPublicCategory(ctx.db, portal, locale, categorySlug));
      if (!portal || !category) return notFound(reply);
      const articles = await listPublishedArticles(ctx.db, portal, { locale, categoryId: category.id });
      return send(reply, categoryPage(portal, category, articles));
    },
  );

  const showArticle = async (
    reply: FastifyReply,
    portalSlug: string,
    articleSlug: string,
    locale?: string,
  ) => {
    const portal = await livePortal(portalSlug, locale);
    const article = portal && (await readPublishedArticle(ctx.db, portal, articleSlug, locale));
    if (!portal || !article) return notFound(reply);
    return send(reply, articlePage(portal, article));
  };

  app.get(
    '/hc/:portal_slug/:locale/articles/:article_slug',
    {
      ...publicPage,
      schema: {
        tags,
        summary: 'Public help center article (HTML)',
        params: localeParams.extend({ article_slug: slug }),
      },
    },
    async (request, reply) =>
      showArticle(reply, request.params.portal_slug, request.params.article_slug, request.params.locale),
  );

  // Chatwoot's own article links carry no locale.
  app.get(
    '/hc/:portal_slug/articles/:article_slug',
    {
      ...publicPage,
      schema: {
        tags,
        summary: 'Public help center article (HTML)',
        params: portalParams.extend({ article_slug: slug }),
      },
    },
    async (request, reply) => showArticle(reply, request.params.portal_slug, request.params.article_slug),
  );
}
