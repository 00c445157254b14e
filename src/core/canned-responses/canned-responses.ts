import { and, asc, eq, ilike, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { cannedResponses, type CannedResponseRow } from './canned-responses.tables.js';
import {
  cannedResponseCreated,
  cannedResponseDeleted,
  cannedResponseEventPayload,
  cannedResponseUpdated,
} from './canned-responses.events.js';

export type { CannedResponseRow } from './canned-responses.tables.js';

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (match) => `\\${match}`);
}

/**
 * The account's canned responses; `search` matches short code or content (case-insensitive), short
 * code matches first, as Chatwoot's reply-box lookup does.
 */
export async function listCannedResponses(
  db: Db,
  accountId: number,
  search?: string,
): Promise<CannedResponseRow[]> {
  const pattern = search ? `%${escapeLike(search)}%` : undefined;
  return db
    .select()
    .from(cannedResponses)
    .where(
      and(
        eq(cannedResponses.accountId, accountId),
        pattern
          ? or(ilike(cannedResponses.shortCode, pattern), ilike(cannedResponses.content, pattern))
          : undefined,
      ),
    )
    .orderBy(
      ...(pattern ? [sql`(${cannedResponses.shortCode} ILIKE ${pattern}) DESC`] : []),
      asc(cannedResponses.shortCode),
      asc(cannedResponses.id),
    )
    .limit(1000);
}

export async function getCannedResponse(db: Db, accountId: number, id: number): Promise<CannedResponseRow> {
  const [row] = await db
    .select()
    .from(cannedResponses)
    .where(and(eq(cannedResponses.accountId, accountId), eq(cannedResponses.id, id)));
  if (!row) throw notFound('Canned response');
  return row;
}

function shortCodeTaken(): DomainError {
  return new DomainError('VALIDATION_FAILED', 'Short code has already been taken', [
    { path: 'short_code', message: 'has already been taken' },
  ]);
}

async function assertShortCodeFree(db: Db, accountId: number, shortCode: string, exceptId?: number) {
  const [row] = await db
    .select({ id: cannedResponses.id })
    .from(cannedResponses)
    .where(and(eq(cannedResponses.accountId, accountId), eq(cannedResponses.shortCode, shortCode)));
  if (row && row.id !== exceptId) throw shortCodeTaken();
}

export async function createCannedResponse(
  db: Db,
  input: { accountId: number; shortCode: string; content: string },
  actor: Actor,
): Promise<CannedResponseRow> {
  await assertShortCodeFree(db, input.accountId, input.shortCode);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(cannedResponses).values(input).onConflictDoNothing().returning();
    if (!row) throw shortCodeTaken();
    await recordEvent(tx, cannedResponseCreated, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: cannedResponseEventPayload(row),
      actor,
    });
    return row;
  });
}

export async function updateCannedResponse(
  db: Db,
  accountId: number,
  id: number,
  input: { shortCode?: string | undefined; content?: string | undefined },
  actor: Actor,
): Promise<CannedResponseRow> {
  await getCannedResponse(db, accountId, id);
  if (input.shortCode !== undefined) await assertShortCodeFree(db, accountId, input.shortCode, id);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(cannedResponses)
      .set({
        ...(input.shortCode !== undefined && { shortCode: input.shortCode }),
        ...(input.content !== undefined && { content: input.content }),
        updatedAt: sql`now()`,
      })
      .where(and(eq(cannedResponses.accountId, accountId), eq(cannedResponses.id, id)))
      .returning();
    if (!row) throw notFound('Canned response');
    await recordEvent(tx, cannedResponseUpdated, {
      accountId,
      aggregateId: row.id,
      payload: cannedResponseEventPayload(row),
      actor,
    });
    return row;
  });
}

export async function deleteCannedResponse(
  db: Db,
  accountId: number,
  id: number,
  actor: Actor,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(cannedResponses)
      .where(and(eq(cannedResponses.accountId, accountId), eq(cannedResponses.id, id)))
      .returning();
    if (!row) throw notFound('Canned response');
    await recordEvent(tx, cannedResponseDeleted, {
      accountId,
      aggregateId: row.id,
      payload: cannedResponseEventPayload(row),
      actor,
    });
  });
}
