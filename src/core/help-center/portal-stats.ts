import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { helpCenterArticles, helpCenterCategories, type ArticleStatus } from './help-center.tables.js';

export interface LocaleCounts {
  articles: number;
  categories: number;
}

/** What a portal holds, for its list entry: totals by article status and per-locale counts. */
export interface PortalStats {
  articles: Record<ArticleStatus, number>;
  allArticles: number;
  categories: number;
  byLocale: Map<string, LocaleCounts>;
}

function emptyStats(): PortalStats {
  return {
    articles: { draft: 0, published: 0, archived: 0 },
    allArticles: 0,
    categories: 0,
    byLocale: new Map(),
  };
}

function localeOf(stats: PortalStats, locale: string): LocaleCounts {
  let counts = stats.byLocale.get(locale);
  if (!counts) {
    counts = { articles: 0, categories: 0 };
    stats.byLocale.set(locale, counts);
  }
  return counts;
}

/** Counts for a page of portals in one round trip (articles and categories grouped together). */
export async function portalStats(
  db: Db,
  accountId: number,
  portalIds: number[],
): Promise<Map<number, PortalStats>> {
  const result = new Map<number, PortalStats>(portalIds.map((id) => [id, emptyStats()]));
  if (portalIds.length === 0) return result;
  const articles = db
    .select({
      portalId: helpCenterArticles.portalId,
      locale: helpCenterArticles.locale,
      status: sql<string>`${helpCenterArticles.status}`.as('status'),
      total: count().as('total'),
    })
    .from(helpCenterArticles)
    .where(and(eq(helpCenterArticles.accountId, accountId), inArray(helpCenterArticles.portalId, portalIds)))
    .groupBy(helpCenterArticles.portalId, helpCenterArticles.locale, helpCenterArticles.status);
  const categories = db
    .select({
      portalId: helpCenterCategories.portalId,
      locale: helpCenterCategories.locale,
      status: sql<string>`'category'`.as('status'),
      total: count().as('total'),
    })
    .from(helpCenterCategories)
    .where(
      and(eq(helpCenterCategories.accountId, accountId), inArray(helpCenterCategories.portalId, portalIds)),
    )
    .groupBy(helpCenterCategories.portalId, helpCenterCategories.locale);
  for (const row of await articles.unionAll(categories)) {
    const stats = result.get(row.portalId);
    if (!stats) continue;
    const total = row.total;
    if (row.status === 'category') {
      stats.categories += total;
      localeOf(stats, row.locale).categories += total;
    } else {
      stats.articles[row.status as ArticleStatus] += total;
      stats.allArticles += total;
      localeOf(stats, row.locale).articles += total;
    }
  }
  return result;
}
