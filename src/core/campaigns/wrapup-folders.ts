import { and, asc, eq, ilike, isNull, like, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { campaigns, wrapupCodes, wrapupFolders, type WrapupFolderRow } from './campaigns.tables.js';
import { parseOrFail } from './campaign-validation.js';
import { ensureSystemWrapups } from './wrapup-system.js';
import { escapeLike } from './wrapups.js';

export type { WrapupFolderRow } from './campaigns.tables.js';

const folderName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^/]+$/, 'must not contain "/"');

export const wrapupFolderCreateSchema = z.object({
  name: folderName,
  parentFolderId: z.number().int().positive().nullable().optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  isLocked: z.boolean().optional(),
});
export const wrapupFolderChangesSchema = z.object({
  name: folderName.optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  isLocked: z.boolean().optional(),
});
export type WrapupFolderCreateInput = z.input<typeof wrapupFolderCreateSchema>;
export type WrapupFolderChanges = z.input<typeof wrapupFolderChangesSchema>;

function refuse(code: 'VALIDATION_FAILED' | 'INVALID_STATE' | 'CONFLICT', path: string, message: string) {
  return new DomainError(code, message, [{ path, message }]);
}

export async function loadWrapupFolder(
  db: Db,
  accountId: number,
  folderId: number,
): Promise<WrapupFolderRow | undefined> {
  const [row] = await db
    .select()
    .from(wrapupFolders)
    .where(and(eq(wrapupFolders.accountId, accountId), eq(wrapupFolders.id, folderId)));
  return row;
}

export interface WrapupFolderFilter {
  name?: string | undefined;
  isSystem?: boolean | undefined;
  /** A folder id, or null for root folders. */
  parentFolderId?: number | null | undefined;
}

function folderWhere(accountId: number, filter: WrapupFolderFilter): SQL | undefined {
  return and(
    eq(wrapupFolders.accountId, accountId),
    filter.name ? ilike(wrapupFolders.name, `%${escapeLike(filter.name)}%`) : undefined,
    filter.isSystem !== undefined ? eq(wrapupFolders.isSystem, filter.isSystem) : undefined,
    filter.parentFolderId === null ? isNull(wrapupFolders.parentId) : undefined,
    typeof filter.parentFolderId === 'number' ? eq(wrapupFolders.parentId, filter.parentFolderId) : undefined,
  );
}

/** A page of folders in tree order (by path), with the total matching. */
export async function listWrapupFolders(
  db: Db,
  accountId: number,
  filter: WrapupFolderFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: WrapupFolderRow[]; count: number }> {
  await ensureSystemWrapups(db, accountId);
  const where = folderWhere(accountId, filter);
  const rows = await db
    .select()
    .from(wrapupFolders)
    .where(where)
    .orderBy(asc(wrapupFolders.path), asc(wrapupFolders.id))
    .offset(page.offset)
    .limit(page.limit);
  const [total] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(wrapupFolders)
    .where(where);
  return { rows, count: total?.count ?? 0 };
}

function pathTaken(path: string): DomainError {
  return refuse('CONFLICT', 'name', `A folder ${path} already exists`);
}

export async function createWrapupFolder(
  db: Db,
  accountId: number,
  input: WrapupFolderCreateInput,
  actor: string,
): Promise<WrapupFolderRow> {
  const data = parseOrFail(wrapupFolderCreateSchema, input);
  const parent =
    data.parentFolderId != null ? await loadWrapupFolder(db, accountId, data.parentFolderId) : undefined;
  if (data.parentFolderId != null && !parent) {
    throw refuse('VALIDATION_FAILED', 'parentFolderId', `Folder ${data.parentFolderId} does not exist`);
  }
  if (parent?.isLocked)
    throw refuse('VALIDATION_FAILED', 'parentFolderId', `Folder ${parent.path} is locked`);
  const path = parent ? `${parent.path}/${data.name}` : data.name;
  const [row] = await db
    .insert(wrapupFolders)
    .values({
      accountId,
      parentId: parent?.id ?? null,
      name: data.name,
      level: parent ? parent.level + 1 : 0,
      path,
      position: data.position ?? 0,
      isLocked: data.isLocked ?? false,
      createdBy: actor,
      lastUpdatedBy: actor,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw pathTaken(path);
  return row;
}

/** A rename rewrites the path of the folder and of every folder under it, in one transaction. */
export async function updateWrapupFolder(
  db: Db,
  accountId: number,
  folderId: number,
  changes: WrapupFolderChanges,
  actor: string,
): Promise<WrapupFolderRow | undefined> {
  const data = parseOrFail(wrapupFolderChangesSchema, changes);
  const current = await loadWrapupFolder(db, accountId, folderId);
  if (!current) return undefined;
  if (current.isSystem) throw refuse('INVALID_STATE', 'id', 'The system folder cannot be changed');
  if (current.isLocked && data.isLocked !== false) {
    throw refuse('INVALID_STATE', 'isLocked', 'A locked folder can only be unlocked');
  }
  const oldPath = current.path;
  const newPath =
    data.name === undefined
      ? oldPath
      : oldPath.includes('/')
        ? `${oldPath.slice(0, oldPath.lastIndexOf('/'))}/${data.name}`
        : data.name;
  if (newPath !== oldPath) {
    const [clash] = await db
      .select({ id: wrapupFolders.id })
      .from(wrapupFolders)
      .where(and(eq(wrapupFolders.accountId, accountId), eq(wrapupFolders.path, newPath)));
    if (clash) throw pathTaken(newPath);
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(wrapupFolders)
      .set({ ...data, path: newPath, lastUpdatedBy: actor, updatedAt: sql`now()` })
      .where(and(eq(wrapupFolders.accountId, accountId), eq(wrapupFolders.id, folderId)))
      .returning();
    if (newPath !== oldPath) {
      await tx
        .update(wrapupFolders)
        .set({
          path: sql`${newPath} || substr(${wrapupFolders.path}, ${oldPath.length + 1})`,
          updatedAt: sql`now()`,
        })
        .where(
          and(eq(wrapupFolders.accountId, accountId), like(wrapupFolders.path, `${escapeLike(oldPath)}/%`)),
        );
    }
    return row;
  });
}

/** Only an empty, unlocked, non-system folder no campaign uses can be deleted. */
export async function deleteWrapupFolder(
  db: Db,
  accountId: number,
  folderId: number,
): Promise<WrapupFolderRow | undefined> {
  const current = await loadWrapupFolder(db, accountId, folderId);
  if (!current) return undefined;
  if (current.isSystem || current.isLocked) {
    throw refuse('INVALID_STATE', 'id', 'A system or locked folder cannot be deleted');
  }
  const [child] = await db
    .select({ id: wrapupFolders.id })
    .from(wrapupFolders)
    .where(and(eq(wrapupFolders.accountId, accountId), eq(wrapupFolders.parentId, folderId)))
    .limit(1);
  const [code] = await db
    .select({ id: wrapupCodes.id })
    .from(wrapupCodes)
    .where(and(eq(wrapupCodes.accountId, accountId), eq(wrapupCodes.folderId, folderId)))
    .limit(1);
  const [campaign] = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.accountId, accountId), eq(campaigns.wrapupFolderId, folderId)))
    .limit(1);
  if (child || code) throw refuse('INVALID_STATE', 'id', 'Only an empty folder can be deleted');
  if (campaign) throw refuse('INVALID_STATE', 'id', `Campaign ${campaign.id} uses this folder`);
  await db
    .delete(wrapupFolders)
    .where(and(eq(wrapupFolders.accountId, accountId), eq(wrapupFolders.id, folderId)));
  return current;
}
