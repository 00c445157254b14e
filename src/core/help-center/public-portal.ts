import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import {
  helpCenterArticles,
  helpCenterCategories,
  portals,
  type ArticleRow,
  type CategoryRow,
  type PortalRow,
} from './help-center.tables.js';

/*
 * What the public help center shows, with no credentials: only portals that are not archived and
 * only published articles. The portal is found by its instance-wide slug; every later query is
 * scoped by the portal's account and id.
 */

export async function findLivePortal(db: Db, slug: string): Promise<PortalRow | null> {
  const [row] = await db
    .select()
    .from(portals)
    .where(and(eq(portals.slug, slug), eq(portals.isArchived, false)));
  return row ?? null;
}

const publishedIn = (portal: PortalRow, locale?: string) =>
  and(
    eq(helpCenterArticles.accountId, portal.accountId),
    eq(helpCenterArticles.portalId, portal.id),
    eq(helpCenterArticles.status, 'published'),
    locale === undefined ? undefined : eq(helpCenterArticles.locale, locale),
  );

export async function listPublicCategories(
  db: Db,
  portal: PortalRow,
  locale: string,
): Promise<CategoryRow[]> {
  return db
    .select()
    .from(helpCenterCategories)
    .where(
      and(
        eq(helpCenterCategories.accountId, portal.accountId),
        eq(helpCenterCategories.portalId, portal.id),
        eq(helpCenterCategories.locale, locale),
      ),
    )
    .orderBy(asc(helpCenterCategories.position), asc(helpCenterCategories.id))
    .limit(200);
}

export async function findPublicCategory(
  db: Db,
  portal: PortalRow,
  locale: string,
  slug: string,
): Promise<CategoryRow | null> {
  const [row] = await db
    .select()
    .from(helpCenterCategories)
    .where(
      and(
        eq(helpCenterCategories.accountId, portal.accountId),
        eq(helpCenterCategories.portalId, portal.id),
        eq(helpCenterCategories.locale, locale),
        eq(helpCenterCategories.slug, slug),
      ),
    );
  return row ?? null;
}

/** Published articles of a locale (optionally one category), in their display order. */
export async function listPublishedArticles(
  db: Db,
  portal: PortalRow,
  filter: { locale: string; categoryId?: number },
): Promise<ArticleRow[]> {
  return db
    .select()
    .from(helpCenterArticles)
    .where(
      and(
        publishedIn(portal, filter.locale),
        filter.categoryId === undefined ? undefined : eq(helpCenterArticles.categoryId, filter.categoryId),
      ),
    )
    .orderBy(asc(helpCenterArticles.position), asc(helpCenterArticles.id))
    .limit(500);
}

/** A published article by its slug; reading it counts a view (as Chatwoot's public page does). */
export async function readPublishedArticle(
  db: Db,
  portal: PortalRow,
  slug: string,
  locale?: string,
): Promise<ArticleRow | null> {
  const [row] = await db
    .update(helpCenterArticles)
    .set({ views: sql`${helpCenterArticles.views} + 1` })
    .where(and(publishedIn(portal, locale), eq(helpCenterArticles.slug, slug)))
    .returning();
  return row ?? null;
}

/**
 * Full-text search over the published articles of a locale (title, description and content),
 * best matches first. `websearch_to_tsquery` accepts whatever people type (quotes, `or`, `-word`)
 * without syntax errors.
 */
export async function searchPublishedArticles(
  db: Db,
  portal: PortalRow,
  input: { locale: string; query: string; limit?: number },
): Promise<ArticleRow[]> {
  const query = sql`websearch_to_tsquery('simple', ${input.query})`;
  return db
    .select()
    .from(helpCenterArticles)
    .where(and(publishedIn(portal, input.locale), sql`${helpCenterArticles.searchTsv} @@ ${query}`))
    .orderBy(desc(sql`ts_rank(${helpCenterArticles.searchTsv}, ${query})`), asc(helpCenterArticles.id))
    .limit(input.limit ?? 20);
}
