import { and, asc, eq, getTableColumns, ilike, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { wrapupCodes, wrapupFolders, wrapupStatuses, type WrapupCodeRow } from './campaigns.tables.js';
import { parseOrFail } from './campaign-validation.js';
import { ensureSystemWrapups, systemWrapupNameOf } from './wrapup-system.js';

export { ensureSystemWrapups, systemWrapupCodes, systemWrapupNameOf } from './wrapup-system.js';

/** A code with the path of its folder (Diabolocom's `wrapupPath`; "" when it has no folder). */
export type WrapupCodeView = WrapupCodeRow & { wrapupPath: string };

const codeColumns = {
  ...getTableColumns(wrapupCodes),
  wrapupPath: sql<string>`coalesce(${wrapupFolders.path}, '')`,
};

function selectCodes(db: Db) {
  return db
    .select(codeColumns)
    .from(wrapupCodes)
    .leftJoin(wrapupFolders, eq(wrapupFolders.id, wrapupCodes.folderId));
}

export async function loadWrapupCode(
  db: Db,
  accountId: number,
  wrapupId: number,
): Promise<WrapupCodeView | undefined> {
  const [row] = await selectCodes(db).where(
    and(eq(wrapupCodes.accountId, accountId), eq(wrapupCodes.id, wrapupId)),
  );
  return row;
}

/** The system code for a call outcome no agent wrapped up (e.g. `busy` → "Busy"). */
export async function loadSystemWrapupCode(
  db: Db,
  accountId: number,
  outcome: keyof typeof systemWrapupNameOf,
): Promise<WrapupCodeView> {
  await ensureSystemWrapups(db, accountId);
  const [row] = await selectCodes(db)
    .where(
      and(
        eq(wrapupCodes.accountId, accountId),
        eq(wrapupCodes.isSystem, true),
        eq(wrapupCodes.name, systemWrapupNameOf[outcome]),
      ),
    )
    .orderBy(asc(wrapupCodes.id))
    .limit(1);
  if (!row) throw new Error(`system wrap-up ${outcome} is missing`);
  return row;
}

export interface WrapupCodeFilter {
  name?: string | undefined;
  status?: (typeof wrapupStatuses)[number] | undefined;
  isSystem?: boolean | undefined;
  isHidden?: boolean | undefined;
  folderId?: number | undefined;
  unpinAfter?: number | undefined;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (match) => `\\${match}`);
}

function codeWhere(accountId: number, filter: WrapupCodeFilter): SQL | undefined {
  return and(
    eq(wrapupCodes.accountId, accountId),
    filter.name ? ilike(wrapupCodes.name, `%${escapeLike(filter.name)}%`) : undefined,
    filter.status ? eq(wrapupCodes.status, filter.status) : undefined,
    filter.isSystem !== undefined ? eq(wrapupCodes.isSystem, filter.isSystem) : undefined,
    filter.isHidden !== undefined ? eq(wrapupCodes.isHidden, filter.isHidden) : undefined,
    filter.folderId !== undefined ? eq(wrapupCodes.folderId, filter.folderId) : undefined,
    filter.unpinAfter !== undefined ? eq(wrapupCodes.unpinAfter, filter.unpinAfter) : undefined,
  );
}

/** A page of the account's codes by id, with the total matching (system codes created first). */
export async function listWrapupCodes(
  db: Db,
  accountId: number,
  filter: WrapupCodeFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: WrapupCodeView[]; count: number }> {
  await ensureSystemWrapups(db, accountId);
  const where = codeWhere(accountId, filter);
  const rows = await selectCodes(db)
    .where(where)
    .orderBy(asc(wrapupCodes.id))
    .offset(page.offset)
    .limit(page.limit);
  const [total] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(wrapupCodes)
    .where(where);
  return { rows, count: total?.count ?? 0 };
}

const codeFields = {
  name: z.string().trim().min(1).max(200),
  status: z.enum(wrapupStatuses),
  folderId: z.number().int().positive().nullable(),
  isHidden: z.boolean(),
  unpinAfter: z
    .number()
    .int()
    .min(0)
    .max(365 * 86_400)
    .nullable(),
};
export const wrapupCodeCreateSchema = z.object({
  ...codeFields,
  folderId: codeFields.folderId.optional(),
  isHidden: codeFields.isHidden.optional(),
  unpinAfter: codeFields.unpinAfter.optional(),
});
export const wrapupCodeChangesSchema = z.object(codeFields).partial();
export type WrapupCodeCreateInput = z.input<typeof wrapupCodeCreateSchema>;
export type WrapupCodeChanges = z.input<typeof wrapupCodeChangesSchema>;

function refuse(code: 'VALIDATION_FAILED' | 'INVALID_STATE', path: string, message: string) {
  return new DomainError(code, message, [{ path, message }]);
}

async function assertFolderAcceptsCodes(db: Db, accountId: number, folderId: number): Promise<void> {
  const [folder] = await db
    .select({ isLocked: wrapupFolders.isLocked })
    .from(wrapupFolders)
    .where(and(eq(wrapupFolders.accountId, accountId), eq(wrapupFolders.id, folderId)));
  if (!folder) throw refuse('VALIDATION_FAILED', 'folderId', `Folder ${folderId} does not exist`);
  if (folder.isLocked) throw refuse('VALIDATION_FAILED', 'folderId', `Folder ${folderId} is locked`);
}

/** unpinAfter is a personal callback's reservation: only a tocall code has one. */
function assertUnpinAfter(status: string, unpinAfter: number | null | undefined): void {
  if (unpinAfter != null && status !== 'tocall') {
    throw refuse('VALIDATION_FAILED', 'unpinAfter', 'unpinAfter is only for codes with status tocall');
  }
}

export async function createWrapupCode(
  db: Db,
  accountId: number,
  input: WrapupCodeCreateInput,
  actor: string,
): Promise<WrapupCodeView> {
  const data = parseOrFail(wrapupCodeCreateSchema, input);
  assertUnpinAfter(data.status, data.unpinAfter);
  if (data.folderId != null) await assertFolderAcceptsCodes(db, accountId, data.folderId);
  const [row] = await db
    .insert(wrapupCodes)
    .values({
      accountId,
      name: data.name,
      status: data.status,
      folderId: data.folderId ?? null,
      isHidden: data.isHidden ?? false,
      unpinAfter: data.unpinAfter ?? null,
      createdBy: actor,
      lastUpdatedBy: actor,
    })
    .returning({ id: wrapupCodes.id });
  const created = row ? await loadWrapupCode(db, accountId, row.id) : undefined;
  if (!created) throw new Error('wrap-up code was not created');
  return created;
}

/** System codes can only be hidden or shown; their name, status and folder are the dialer's. */
export async function updateWrapupCode(
  db: Db,
  accountId: number,
  wrapupId: number,
  changes: WrapupCodeChanges,
  actor: string,
): Promise<WrapupCodeView | undefined> {
  const data = parseOrFail(wrapupCodeChangesSchema, changes);
  const current = await loadWrapupCode(db, accountId, wrapupId);
  if (!current) return undefined;
  const touched = Object.keys(data).filter((key) => key !== 'isHidden');
  if (current.isSystem && touched.length > 0) {
    throw refuse('INVALID_STATE', touched[0] ?? 'name', 'A system wrap-up code can only be hidden or shown');
  }
  const status = data.status ?? current.status;
  const unpinAfter = data.unpinAfter !== undefined ? data.unpinAfter : current.unpinAfter;
  assertUnpinAfter(status, data.unpinAfter !== undefined ? data.unpinAfter : undefined);
  if (data.folderId != null && data.folderId !== current.folderId) {
    await assertFolderAcceptsCodes(db, accountId, data.folderId);
  }
  await db
    .update(wrapupCodes)
    .set({
      ...data,
      unpinAfter: status === 'tocall' ? unpinAfter : null,
      lastUpdatedBy: actor,
      updatedAt: sql`now()`,
    })
    .where(and(eq(wrapupCodes.accountId, accountId), eq(wrapupCodes.id, wrapupId)));
  return loadWrapupCode(db, accountId, wrapupId);
}

/** Contacts wrapped up with a deleted code keep their status; their wrapupId becomes null. */
export async function deleteWrapupCode(
  db: Db,
  accountId: number,
  wrapupId: number,
): Promise<WrapupCodeView | undefined> {
  const current = await loadWrapupCode(db, accountId, wrapupId);
  if (!current) return undefined;
  if (current.isSystem) throw refuse('INVALID_STATE', 'id', 'A system wrap-up code cannot be deleted');
  await db.delete(wrapupCodes).where(and(eq(wrapupCodes.accountId, accountId), eq(wrapupCodes.id, wrapupId)));
  return current;
}
