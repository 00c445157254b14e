import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { getCall, snapshotCall } from './call-snapshot.js';
import { callRecordingDeleted, callTranscriptDeleted } from './calls.events.js';
import { calls, transcriptSegments, type CallRow } from './calls.tables.js';

const BUSY_STATES = new Set(['downloaded', 'transcribing', 'summarizing']);

function refuseWhileProcessing(call: CallRow, what: string): void {
  if (BUSY_STATES.has(call.state)) {
    throw new DomainError(
      'INVALID_STATE',
      `The call is being processed (${call.state}); delete its ${what} once it is done`,
    );
  }
}

/**
 * Deletes a call's recording. The row is marked in the transaction that records the event; the
 * file goes after the commit, so a crash leaves at worst an orphan file, never a call that claims a
 * recording it lost.
 */
export async function deleteCallRecording(
  db: Db,
  deps: { storage: BlobStorage },
  input: { accountId: number; callId: number; actor: Actor },
): Promise<CallRow> {
  const call = await getCall(db, input.accountId, input.callId);
  refuseWhileProcessing(call, 'recording');
  if (call.recordingDeletedAt || !call.recordingKey) {
    throw new DomainError('NOT_FOUND', 'This call has no recording');
  }
  const key = call.recordingKey;
  const updated = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(calls)
      .set({ recordingDeletedAt: sql`now()`, recordingKey: null, updatedAt: sql`now()` })
      .where(and(eq(calls.accountId, call.accountId), eq(calls.id, call.id)))
      .returning();
    if (!row) throw new DomainError('NOT_FOUND', 'Call not found');
    await recordEvent(tx, callRecordingDeleted, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: { call: await snapshotCall(tx, row) },
      actor: input.actor,
    });
    return row;
  });
  await deps.storage.delete(key);
  return updated;
}

export async function deleteCallTranscript(
  db: Db,
  input: { accountId: number; callId: number; actor: Actor },
): Promise<CallRow> {
  const call = await getCall(db, input.accountId, input.callId);
  refuseWhileProcessing(call, 'transcript');
  if (call.transcriptDeletedAt) throw new DomainError('NOT_FOUND', 'This call has no transcript');
  return db.transaction(async (tx) => {
    await tx
      .delete(transcriptSegments)
      .where(and(eq(transcriptSegments.accountId, call.accountId), eq(transcriptSegments.callId, call.id)));
    const [row] = await tx
      .update(calls)
      .set({ transcriptDeletedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(calls.accountId, call.accountId), eq(calls.id, call.id)))
      .returning();
    if (!row) throw new DomainError('NOT_FOUND', 'Call not found');
    await recordEvent(tx, callTranscriptDeleted, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: { call: await snapshotCall(tx, row) },
      actor: input.actor,
    });
    return row;
  });
}
