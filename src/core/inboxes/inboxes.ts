import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { inboxes, inboxMembers, type InboxRow } from './inboxes.tables.js';

export type { InboxRow } from './inboxes.tables.js';

export async function findInbox(db: Db, accountId: number, inboxId: number): Promise<InboxRow | null> {
  const [row] = await db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.accountId, accountId), eq(inboxes.id, inboxId)));
  return row ?? null;
}

export async function getInbox(db: Db, accountId: number, inboxId: number): Promise<InboxRow> {
  const row = await findInbox(db, accountId, inboxId);
  if (!row) throw notFound('Inbox');
  return row;
}

/** The public (client API, widget) identifier is unique across accounts, so it alone finds the inbox. */
export async function findInboxByIdentifier(db: Db, identifier: string): Promise<InboxRow | null> {
  const [row] = await db.select().from(inboxes).where(eq(inboxes.identifier, identifier));
  return row ?? null;
}

export async function listInboxes(db: Db, accountId: number): Promise<InboxRow[]> {
  return db.select().from(inboxes).where(eq(inboxes.accountId, accountId)).orderBy(asc(inboxes.id));
}

export async function listInboxesByIds(db: Db, accountId: number, inboxIds: number[]): Promise<InboxRow[]> {
  if (inboxIds.length === 0) return [];
  return db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.accountId, accountId), inArray(inboxes.id, inboxIds)))
    .orderBy(asc(inboxes.id));
}

/** The inboxes a user answers, for agents who see only their own inboxes. */
export async function listInboxIdsOfMember(db: Db, accountId: number, userId: number): Promise<number[]> {
  const rows = await db
    .select({ inboxId: inboxMembers.inboxId })
    .from(inboxMembers)
    .where(and(eq(inboxMembers.accountId, accountId), eq(inboxMembers.userId, userId)))
    .orderBy(asc(inboxMembers.inboxId));
  return rows.map((row) => row.inboxId);
}

export async function listInboxMemberIds(db: Db, accountId: number, inboxId: number): Promise<number[]> {
  const rows = await db
    .select({ userId: inboxMembers.userId })
    .from(inboxMembers)
    .where(and(eq(inboxMembers.accountId, accountId), eq(inboxMembers.inboxId, inboxId)))
    .orderBy(asc(inboxMembers.userId));
  return rows.map((row) => row.userId);
}

export async function isInboxMember(
  db: Db,
  accountId: number,
  inboxId: number,
  userId: number,
): Promise<boolean> {
  const [row] = await db
    .select({ userId: inboxMembers.userId })
    .from(inboxMembers)
    .where(
      and(
        eq(inboxMembers.accountId, accountId),
        eq(inboxMembers.inboxId, inboxId),
        eq(inboxMembers.userId, userId),
      ),
    );
  return row !== undefined;
}
