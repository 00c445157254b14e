import { z } from 'zod';
import type { ArticleRow, CategoryRow, PortalRow } from '../../core/help-center/help-center.tables.js';
import type { PortalStats } from '../../core/help-center/portal-stats.js';

/* Seed response shapes. Texts the seed types without null are omitted when absent. */

const optionalText = z.string().optional();
const optionalId = z.number().int().optional();

/** Seed `portal_item` (no `inbox` or `logo`: Parley portals have neither yet). */
export const portalItemSchema = z.object({
  id: z.number().int(),
  archived: z.boolean(),
  color: optionalText,
  config: z.object({
    allowed_locales: z.array(
      z.object({ code: z.string(), articles_count: z.number().int(), categories_count: z.number().int() }),
    ),
    default_locale: z.string(),
  }),
  custom_domain: optionalText,
  header_text: optionalText,
  homepage_link: optionalText,
  name: z.string(),
  slug: z.string(),
  page_title: optionalText,
  account_id: z.number().int(),
  meta: z.object({
    all_articles_count: z.number().int(),
    archived_articles_count: z.number().int(),
    published_count: z.number().int(),
    draft_articles_count: z.number().int(),
    categories_count: z.number().int(),
    default_locale: z.string(),
  }),
});

/** Seed `category` (plus `icon`, which Chatwoot sends too). */
export const categorySchema = z.object({
  id: z.number().int(),
  description: optionalText,
  locale: z.string(),
  name: z.string(),
  slug: z.string(),
  position: z.number().int(),
  portal_id: z.number().int(),
  account_id: z.number().int(),
  associated_category_id: optionalId,
  parent_category_id: optionalId,
  icon: optionalText,
});

/**
 * Seed `article`. `status` is the name Chatwoot sends ("published"): the seed types it integer
 * but enumerates the names, and real clients compare names.
 */
export const articleSchema = z.object({
  id: z.number().int(),
  content: z.string(),
  description: optionalText,
  meta: z.record(z.string(), z.unknown()),
  position: z.number().int(),
  status: z.enum(['draft', 'published', 'archived']),
  title: z.string(),
  slug: z.string(),
  locale: z.string(),
  views: z.number().int(),
  portal_id: z.number().int(),
  account_id: z.number().int(),
  author_id: optionalId,
  category_id: optionalId,
  associated_article_id: optionalId,
  updated_at: z.number().int(),
});

const orOmit = <T>(value: T | null): T | undefined => value ?? undefined;

export function toPortalItem(
  row: PortalRow,
  stats: PortalStats | undefined,
): z.infer<typeof portalItemSchema> {
  const byLocale = stats?.byLocale;
  return {
    id: row.id,
    archived: row.isArchived,
    color: orOmit(row.color),
    config: {
      allowed_locales: row.allowedLocales.map((code) => ({
        code,
        articles_count: byLocale?.get(code)?.articles ?? 0,
        categories_count: byLocale?.get(code)?.categories ?? 0,
      })),
      default_locale: row.defaultLocale,
    },
    custom_domain: orOmit(row.customDomain),
    header_text: orOmit(row.headerText),
    homepage_link: orOmit(row.homepageLink),
    name: row.name,
    slug: row.slug,
    page_title: orOmit(row.pageTitle),
    account_id: row.accountId,
    meta: {
      all_articles_count: stats?.allArticles ?? 0,
      archived_articles_count: stats?.articles.archived ?? 0,
      published_count: stats?.articles.published ?? 0,
      draft_articles_count: stats?.articles.draft ?? 0,
      categories_count: stats?.categories ?? 0,
      default_locale: row.defaultLocale,
    },
  };
}

export function toCategory(row: CategoryRow): z.infer<typeof categorySchema> {
  return {
    id: row.id,
    description: orOmit(row.description),
    locale: row.locale,
    name: row.name,
    slug: row.slug,
    position: row.position,
    portal_id: row.portalId,
    account_id: row.accountId,
    associated_category_id: orOmit(row.associatedCategoryId),
    parent_category_id: orOmit(row.parentCategoryId),
    icon: orOmit(row.icon),
  };
}

export function toArticle(row: ArticleRow): z.infer<typeof articleSchema> {
  return {
    id: row.id,
    content: row.content,
    description: orOmit(row.description),
    meta: row.meta,
    position: row.position,
    status: row.status,
    title: row.title,
    slug: row.slug,
    locale: row.locale,
    views: row.views,
    portal_id: row.portalId,
    account_id: row.accountId,
    author_id: orOmit(row.authorId),
    category_id: orOmit(row.categoryId),
    associated_article_id: orOmit(row.associatedArticleId),
    updated_at: Math.floor(row.updatedAt.getTime() / 1000),
  };
}
