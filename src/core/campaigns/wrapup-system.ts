import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { wrapupCodes, wrapupFolders, type WrapupStatus } from './campaigns.tables.js';

export const SYSTEM_FOLDER_NAME = 'System';

/**
 * The codes every account has, so the dialer can qualify calls no agent wrapped up, and agents
 * have at least one code per status. Call outcomes the carrier reports (no answer, busy, machine,
 * invalid number) are `unreachable`: the contact was not reached. An abandoned call (answered,
 * no agent free) and "Call back" are `tocall`: the contact is owed a call. "Wrong number" reached
 * someone who is not the contact (`nonargued`: negative, stop calling that number);
 * "Not interested" is the stock negative, "Argued" the neutral, "Interested" the positive outcome.
 */
export const systemWrapupCodes: readonly { name: string; status: WrapupStatus }[] = [
  { name: 'No answer', status: 'unreachable' },
  { name: 'Busy', status: 'unreachable' },
  { name: 'Answering machine', status: 'unreachable' },
  { name: 'Invalid number', status: 'unreachable' },
  { name: 'Abandoned', status: 'tocall' },
  { name: 'Call back', status: 'tocall' },
  { name: 'Wrong number', status: 'nonargued' },
  { name: 'Not interested', status: 'nonargued' },
  { name: 'Argued', status: 'argued' },
  { name: 'Interested', status: 'arguedpositive' },
];

/** The system code of a dialer outcome, by name; used by the dialer for calls no agent took. */
export const systemWrapupNameOf = {
  no_answer: 'No answer',
  busy: 'Busy',
  machine: 'Answering machine',
  invalid_number: 'Invalid number',
  abandoned: 'Abandoned',
} as const;

async function systemFolderId(db: Db, accountId: number): Promise<number | undefined> {
  const [row] = await db
    .select({ id: wrapupFolders.id })
    .from(wrapupFolders)
    .where(and(eq(wrapupFolders.accountId, accountId), eq(wrapupFolders.path, SYSTEM_FOLDER_NAME)));
  return row?.id;
}

async function systemCodeCount(db: Db, accountId: number, folderId: number): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(wrapupCodes)
    .where(
      and(
        eq(wrapupCodes.accountId, accountId),
        eq(wrapupCodes.folderId, folderId),
        eq(wrapupCodes.isSystem, true),
      ),
    );
  return row?.count ?? 0;
}

/**
 * Creates the account's locked "System" folder and its system codes when missing; idempotent and
 * safe to race (a transaction-scoped advisory lock per account). Answers the folder's id.
 */
export async function ensureSystemWrapups(db: Db, accountId: number): Promise<{ folderId: number }> {
  const existing = await systemFolderId(db, accountId);
  if (
    existing !== undefined &&
    (await systemCodeCount(db, accountId, existing)) >= systemWrapupCodes.length
  ) {
    return { folderId: existing };
  }
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('parley.system_wrapups'), ${accountId}::int)`);
    await tx
      .insert(wrapupFolders)
      .values({
        accountId,
        name: SYSTEM_FOLDER_NAME,
        path: SYSTEM_FOLDER_NAME,
        level: 0,
        position: 0,
        isLocked: true,
        isSystem: true,
        createdBy: 'system',
        lastUpdatedBy: 'system',
      })
      .onConflictDoNothing();
    const folderId = await systemFolderId(tx, accountId);
    if (folderId === undefined) throw new Error('system wrap-up folder was not created');
    const present = await tx
      .select({ name: wrapupCodes.name })
      .from(wrapupCodes)
      .where(and(eq(wrapupCodes.accountId, accountId), eq(wrapupCodes.isSystem, true)));
    const names = new Set(present.map((row) => row.name));
    const missing = systemWrapupCodes.filter((code) => !names.has(code.name));
    if (missing.length > 0) {
      await tx.insert(wrapupCodes).values(
        missing.map((code) => ({
          accountId,
          folderId,
          name: code.name,
          status: code.status,
          isSystem: true,
          unpinAfter: null,
          createdBy: 'system',
          lastUpdatedBy: 'system',
        })),
      );
    }
    return { folderId };
  });
}
