import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { mediaItems } from './media.tables.js';

/** CALLR's `Media.Library.Overview`: media counted by status, and the READY ones' count and size. */
export interface MediaLibraryOverview {
  count: { ERROR: number; PROCESSING: number; READY: number };
  ready: { count: number; size: number };
}

/** One aggregate over the account's index range. Media waiting for content count as PROCESSING. */
export async function mediaLibraryOverview(db: Db, accountId: number): Promise<MediaLibraryOverview> {
  const [row] = await db
    .select({
      error: sql<number>`count(*) FILTER (WHERE ${mediaItems.status} = 'ERROR')::int`,
      ready: sql<number>`count(*) FILTER (WHERE ${mediaItems.status} = 'READY')::int`,
      processing: sql<number>`count(*) FILTER (WHERE ${mediaItems.status} IN ('PENDING_CONTENT', 'PENDING_CONVERSION', 'PROCESSING'))::int`,
      readySize: sql<number>`coalesce(sum(${mediaItems.sizeBytes}) FILTER (WHERE ${mediaItems.status} = 'READY'), 0)::float8`,
    })
    .from(mediaItems)
    .where(eq(mediaItems.accountId, accountId));
  return {
    count: { ERROR: row?.error ?? 0, PROCESSING: row?.processing ?? 0, READY: row?.ready ?? 0 },
    ready: { count: row?.ready ?? 0, size: row?.readySize ?? 0 },
  };
}
