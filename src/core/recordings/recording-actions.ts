import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, isDomainError, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { calls } from '../calls/calls.tables.js';
import { deleteCallRecording } from '../calls/delete-call-data.js';
import { isRecording } from './recording-query.js';
import { recordingReads } from './recordings.tables.js';

/** What a bulk action did: the ids it acted on, and why it left the others. */
export interface RecordingActionOutcome {
  succeeded: number[];
  failed: { id: number; error: DomainError }[];
}

/** At most this many recordings per bulk action. */
export const MAX_RECORDING_ACTION_IDS = 500;

/** Splits `ids` into the account's recordings and the others (each refused as not found). */
async function existingRecordings(db: Db, accountId: number, ids: number[]): Promise<RecordingActionOutcome> {
  const unique = [...new Set(ids)];
  const rows =
    unique.length === 0
      ? []
      : await db
          .select({ id: calls.id })
          .from(calls)
          .where(and(isRecording(accountId), inArray(calls.id, unique)));
  const found = new Set(rows.map((row) => row.id));
  return {
    succeeded: unique.filter((id) => found.has(id)),
    failed: unique.filter((id) => !found.has(id)).map((id) => ({ id, error: notFound('Recording') })),
  };
}

/** Marks recordings read (a recording read before keeps its first read time) or unread. */
export async function markRecordings(
  db: Db,
  accountId: number,
  ids: number[],
  isRead: boolean,
): Promise<RecordingActionOutcome> {
  const outcome = await existingRecordings(db, accountId, ids);
  if (outcome.succeeded.length === 0) return outcome;
  if (isRead) {
    await db
      .insert(recordingReads)
      .values(outcome.succeeded.map((callId) => ({ callId, accountId, readAt: sql`now()` })))
      .onConflictDoNothing();
  } else {
    await db
      .delete(recordingReads)
      .where(and(eq(recordingReads.accountId, accountId), inArray(recordingReads.callId, outcome.succeeded)));
  }
  return outcome;
}

/**
 * Deletes recordings' audio through the calls core, one by one: each is its own transaction with
 * its event, and one that cannot go (still processing, no audio yet) does not stop the others.
 */
export async function deleteRecordings(
  db: Db,
  deps: { storage: BlobStorage },
  input: { accountId: number; ids: number[]; actor: Actor },
): Promise<RecordingActionOutcome> {
  const outcome = await existingRecordings(db, input.accountId, input.ids);
  const succeeded: number[] = [];
  for (const callId of outcome.succeeded) {
    try {
      await deleteCallRecording(db, deps, { accountId: input.accountId, callId, actor: input.actor });
      succeeded.push(callId);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      outcome.failed.push({ id: callId, error });
    }
  }
  return { succeeded, failed: outcome.failed };
}
