import { and, asc, count, desc, eq, gte, ilike, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { MAX_MEDIA_PAGE } from './media-items.js';
import { mediaItems, type MediaCategory, type MediaItemRow, type MediaStatus } from './media.tables.js';

/** CALLR's `Media.SearchFilters`, parsed: every filter given must match. */
export interface MediaSearchFilters {
  category?: MediaCategory | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  id?: number | undefined;
  languages?: readonly string[] | undefined;
  /** A part of the name, case-insensitive. */
  name?: string | undefined;
  status?: MediaStatus | undefined;
  /** A tag key the media has. */
  tagsType?: string | undefined;
  /** A tag value the media has (under `tagsType` when given, under any key otherwise). */
  tagsValue?: string | undefined;
  voice?: string | undefined;
}

export const mediaSearchOrders = ['id', '-id', 'name', '-name', 'created_at', '-created_at'] as const;
export type MediaSearchOrder = (typeof mediaSearchOrders)[number];

export interface MediaSearchPage {
  offset: number;
  limit: number;
  order: MediaSearchOrder;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

function conditions(accountId: number, filters: MediaSearchFilters): SQL[] {
  const where: SQL[] = [eq(mediaItems.accountId, accountId)];
  if (filters.id !== undefined) where.push(eq(mediaItems.id, filters.id));
  if (filters.status !== undefined) where.push(eq(mediaItems.status, filters.status));
  if (filters.voice !== undefined) where.push(eq(mediaItems.voice, filters.voice));
  if (filters.name !== undefined) where.push(ilike(mediaItems.name, likePattern(filters.name)));
  if (filters.createdFrom !== undefined) where.push(gte(mediaItems.createdAt, filters.createdFrom));
  if (filters.createdTo !== undefined) where.push(lte(mediaItems.createdAt, filters.createdTo));
  if (filters.category !== undefined) where.push(sql`${mediaItems.categories} ? ${filters.category}`);
  if (filters.languages !== undefined && filters.languages.length > 0) {
    where.push(sql`${mediaItems.languages} ?| ${sql.param([...filters.languages])}::text[]`);
  }
  const { tagsType, tagsValue } = filters;
  if (tagsType !== undefined && tagsValue !== undefined) {
    where.push(sql`coalesce(${mediaItems.tags} -> ${tagsType}, '[]'::jsonb) ? ${tagsValue}`);
  } else if (tagsType !== undefined) {
    where.push(sql`${mediaItems.tags} ? ${tagsType}`);
  } else if (tagsValue !== undefined) {
    where.push(
      sql`EXISTS (SELECT 1 FROM jsonb_each(${mediaItems.tags}) AS tag WHERE tag.value ? ${tagsValue})`,
    );
  }
  return where;
}

function orderBy(order: MediaSearchOrder): SQL[] {
  const direction = order.startsWith('-') ? desc : asc;
  const column = order.replace(/^-/, '');
  const primary =
    column === 'name' ? mediaItems.name : column === 'created_at' ? mediaItems.createdAt : mediaItems.id;
  // The id breaks ties, so pages never overlap nor skip a media.
  return column === 'id' ? [direction(mediaItems.id)] : [direction(primary), direction(mediaItems.id)];
}

/** One page of the account's media matching every filter, and how many match in all (two queries). */
export async function searchMediaItems(
  db: Db,
  accountId: number,
  filters: MediaSearchFilters,
  page: MediaSearchPage,
): Promise<{ rows: MediaItemRow[]; total: number }> {
  const where = and(...conditions(accountId, filters));
  const limit = Math.min(MAX_MEDIA_PAGE, Math.max(1, page.limit));
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(mediaItems)
      .where(where)
      .orderBy(...orderBy(page.order))
      .offset(Math.max(0, page.offset))
      .limit(limit),
    db.select({ total: count() }).from(mediaItems).where(where),
  ]);
  return { rows, total: totals[0]?.total ?? 0 };
}
