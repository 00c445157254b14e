import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { recordEvent } from '../../../platform/events/outbox.js';
import { callFailed } from '../calls.events.js';
import { calls, type CallRow, type CallState } from '../calls.tables.js';
import { snapshotCall } from '../call-snapshot.js';

type CallChanges = Partial<Omit<typeof calls.$inferInsert, 'id' | 'accountId' | 'createdAt'>>;

/** Thrown when the call left the expected state meanwhile (deleted, or another run got there first). */
export class CallMovedOnError extends Error {
  override name = 'CallMovedOnError';
}

/**
 * Moves a call from one of `from` to the changes' state, or throws CallMovedOnError: the guard
 * that makes every pipeline step safe to run twice.
 */
export async function transitionCall(
  tx: Db,
  call: Pick<CallRow, 'accountId' | 'id'>,
  from: readonly CallState[],
  changes: CallChanges,
): Promise<CallRow> {
  const [row] = await tx
    .update(calls)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(calls.accountId, call.accountId), eq(calls.id, call.id), inArray(calls.state, [...from])))
    .returning();
  if (!row) throw new CallMovedOnError(`call ${call.id} is no longer in state ${from.join(' or ')}`);
  return row;
}

/** A failure for good: the state says why, and a `call.failed` event tells subscribers. */
export async function failCall(
  tx: Db,
  call: Pick<CallRow, 'accountId' | 'id'>,
  from: readonly CallState[],
  reason: string,
  changes: CallChanges = {},
): Promise<void> {
  const row = await transitionCall(tx, call, from, { ...changes, state: 'failed', failureReason: reason });
  await recordEvent(tx, callFailed, {
    accountId: row.accountId,
    aggregateId: row.id,
    payload: { call: await snapshotCall(tx, row) },
    actor: { type: 'system' },
  });
}
