import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import {
  mediaItems,
  type MediaCategory,
  type MediaItemRow,
  type MediaSource,
  type MediaStatus,
} from './media.tables.js';

/**
 * An account's media library. Every query is scoped to the account: another account's media reads
 * as not found. Audio content is set by media-content.ts.
 */

/** A page of the library is at most this long, so a list stays one bounded query. */
export const MAX_MEDIA_PAGE = 1000;
export const MAX_MEDIA_NAME_LENGTH = 255;

/** What another module (broadcasts, voice apps) needs to know about a media it plays. */
export interface MediaItemRef {
  id: number;
  name: string;
  status: MediaStatus;
  durationMs: number;
  blobKey: string | null;
}

/** The contract with telephony (H4): a media of the account, or null. */
export async function findMediaItem(db: Db, accountId: number, id: number): Promise<MediaItemRef | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const [row] = await db
    .select({
      id: mediaItems.id,
      name: mediaItems.name,
      status: mediaItems.status,
      durationMs: mediaItems.durationMs,
      blobKey: mediaItems.blobKey,
    })
    .from(mediaItems)
    .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.id, id)));
  return row ?? null;
}

export async function getMediaItem(db: Db, accountId: number, id: number): Promise<MediaItemRow> {
  const row =
    Number.isSafeInteger(id) && id > 0
      ? (
          await db
            .select()
            .from(mediaItems)
            .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.id, id)))
        )[0]
      : undefined;
  if (!row) throw notFound('Media');
  return row;
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_MEDIA_NAME_LENGTH) {
    throw new DomainError('VALIDATION_FAILED', `A media name is 1 to ${MAX_MEDIA_NAME_LENGTH} characters`, [
      { path: 'name', message: `must be 1 to ${MAX_MEDIA_NAME_LENGTH} characters` },
    ]);
  }
  return trimmed;
}

/** A new, empty media (PENDING_CONTENT) of the account. */
export async function createMediaItem(db: Db, accountId: number, name: string): Promise<MediaItemRow> {
  const [row] = await db
    .insert(mediaItems)
    .values({ accountId, name: cleanName(name) })
    .returning();
  if (!row) throw new Error('media insert returned no row');
  return row;
}

export interface MediaListQuery {
  /** Media in at least one of these categories; all media when absent. */
  categories?: readonly MediaCategory[] | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

export function listMediaItems(
  db: Db,
  accountId: number,
  query: MediaListQuery = {},
): Promise<MediaItemRow[]> {
  const categories = query.categories ?? [];
  const filters = [eq(mediaItems.accountId, accountId)];
  if (categories.length > 0) {
    // jsonb ?| : the media's category array shares at least one value with the filter.
    filters.push(sql`${mediaItems.categories} ?| ${sql.param([...categories])}::text[]`);
  }
  return db
    .select()
    .from(mediaItems)
    .where(and(...filters))
    .orderBy(asc(mediaItems.id))
    .offset(Math.max(0, query.offset ?? 0))
    .limit(Math.min(MAX_MEDIA_PAGE, Math.max(1, query.limit ?? MAX_MEDIA_PAGE)));
}

async function updateMediaItem(
  db: Db,
  accountId: number,
  id: number,
  changes: Partial<Pick<MediaItemRow, 'name' | 'tags' | 'categories'>>,
): Promise<MediaItemRow> {
  const [row] = await db
    .update(mediaItems)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.id, id)))
    .returning();
  if (!row) throw notFound('Media');
  return row;
}

export function renameMediaItem(db: Db, accountId: number, id: number, name: string): Promise<MediaItemRow> {
  return updateMediaItem(db, accountId, id, { name: cleanName(name) });
}

export const MAX_TAG_KEYS = 50;
export const MAX_TAG_VALUES = 50;
export const MAX_TAG_LENGTH = 100;

/** CALLR tags: each key maps to a list of values; a single value is taken as a one-value list. */
export function normalizeMediaTags(
  input: Record<string, string | readonly string[]>,
): Record<string, string[]> {
  const entries = Object.entries(input);
  if (entries.length > MAX_TAG_KEYS) {
    throw new DomainError('VALIDATION_FAILED', `A media has at most ${MAX_TAG_KEYS} tag keys`, [
      { path: 'tags', message: `at most ${MAX_TAG_KEYS} keys` },
    ]);
  }
  const tags: Record<string, string[]> = {};
  for (const [rawKey, rawValues] of entries) {
    const key = rawKey.trim();
    const values = [
      ...new Set((typeof rawValues === 'string' ? [rawValues] : rawValues).map((v) => v.trim())),
    ];
    if (key.length === 0 || key.length > MAX_TAG_LENGTH) {
      throw new DomainError('VALIDATION_FAILED', `Tag keys are 1 to ${MAX_TAG_LENGTH} characters`, [
        { path: 'tags', message: `key "${key.slice(0, MAX_TAG_LENGTH)}"` },
      ]);
    }
    if (values.length > MAX_TAG_VALUES || values.some((v) => v.length === 0 || v.length > MAX_TAG_LENGTH)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `Tag "${key}" takes at most ${MAX_TAG_VALUES} values of 1 to ${MAX_TAG_LENGTH} characters`,
        [{ path: `tags.${key}`, message: 'bad values' }],
      );
    }
    tags[key] = values;
  }
  return tags;
}

export function setMediaTags(
  db: Db,
  accountId: number,
  id: number,
  tags: Record<string, string | readonly string[]>,
): Promise<MediaItemRow> {
  return updateMediaItem(db, accountId, id, { tags: normalizeMediaTags(tags) });
}

export function setMediaCategories(
  db: Db,
  accountId: number,
  id: number,
  categories: readonly MediaCategory[],
): Promise<MediaItemRow> {
  return updateMediaItem(db, accountId, id, { categories: [...new Set(categories)] });
}

/** Deletes the media and then its audio; a blob left behind by a crash here is only unused space. */
export async function deleteMediaItem(
  deps: { db: Db; storage: BlobStorage },
  accountId: number,
  id: number,
): Promise<void> {
  const [row] = await deps.db
    .delete(mediaItems)
    .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.id, id)))
    .returning({ blobKey: mediaItems.blobKey });
  if (!row) throw notFound('Media');
  if (row.blobKey !== null) await deps.storage.delete(row.blobKey);
}

export interface MediaContentChange {
  blobKey: string;
  sizeBytes: number;
  durationMs: number;
  source: MediaSource;
  content: string;
  voice: string | null;
  languages: string[];
}

/**
 * Points the media at new audio (READY) in one locked update and returns the key it replaces, for
 * the caller to delete once committed. Null when the media is gone (deleted meanwhile).
 */
export async function applyMediaContent(
  db: Db,
  accountId: number,
  id: number,
  change: MediaContentChange,
): Promise<{ row: MediaItemRow; replacedKey: string | null } | null> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ blobKey: mediaItems.blobKey })
      .from(mediaItems)
      .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.id, id)))
      .for('update');
    if (!current) return null;
    const [row] = await tx
      .update(mediaItems)
      .set({ ...change, status: 'READY', error: null, updatedAt: new Date() })
      .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.id, id)))
      .returning();
    if (!row) return null;
    return { row, replacedKey: current.blobKey };
  });
}

/** A content that could not be used leaves a media without audio in ERROR; one with audio keeps it. */
export async function recordMediaContentFailure(
  db: Db,
  accountId: number,
  id: number,
  reason: string,
): Promise<void> {
  await db
    .update(mediaItems)
    .set({ status: 'ERROR', error: reason.slice(0, 1000), updatedAt: new Date() })
    .where(
      and(eq(mediaItems.accountId, accountId), eq(mediaItems.id, id), sql`${mediaItems.blobKey} IS NULL`),
    );
}
