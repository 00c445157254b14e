import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import { RetryLaterError } from '../../platform/jobs/index.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { callContacts, callHighlights, calls, transcriptSegments } from '../calls/calls.tables.js';
import { deleteCallRecording, deleteCallTranscript } from '../calls/delete-call-data.js';
import type { AnonymizationScope } from './anonymization-scope.js';

const BUSY_STATES = new Set(['downloaded', 'transcribing', 'summarizing']);
const TRANSCRIBED_STATES = new Set(['transcribed', 'summarized']);
// A call still being transcribed would write a transcript after the erasure: wait for it.
const BUSY_RETRY_MS = 60_000;

async function callsOfContact(db: Db, scope: AnonymizationScope) {
  if (scope.contactId === null) return [];
  return db
    .select()
    .from(calls)
    .where(
      and(
        eq(calls.accountId, scope.accountId),
        inArray(
          calls.id,
          db
            .select({ id: callContacts.callId })
            .from(callContacts)
            .where(
              and(eq(callContacts.accountId, scope.accountId), eq(callContacts.contactId, scope.contactId)),
            ),
        ),
      ),
    );
}

/**
 * Deletes the recordings and transcripts of the end user's calls through the calls core, so the
 * usual call.recording_deleted / call.transcript_deleted events go out. Returns the call ids, whose
 * summaries and highlights the main transaction clears. Already deleted parts are skipped.
 */
export async function deleteCallMedia(
  db: Db,
  deps: { storage: BlobStorage },
  scope: AnonymizationScope,
  actor: Actor,
): Promise<number[]> {
  const rows = await callsOfContact(db, scope);
  const busy = rows.find((call) => BUSY_STATES.has(call.state));
  if (busy) throw new RetryLaterError(BUSY_RETRY_MS, `call ${busy.id} is being processed (${busy.state})`);
  for (const call of rows) {
    const input = { accountId: call.accountId, callId: call.id, actor };
    if (call.recordingKey && !call.recordingDeletedAt) await deleteCallRecording(db, deps, input);
    if (!call.transcriptDeletedAt && TRANSCRIBED_STATES.has(call.state))
      await deleteCallTranscript(db, input);
  }
  return rows.map((call) => call.id);
}

/** The texts derived from the calls' audio, so logged copies of them can be found. */
export async function callTextsOf(tx: Db, accountId: number, callIds: number[]): Promise<string[]> {
  if (callIds.length === 0) return [];
  const summaries = await tx
    .select({ text: calls.summary })
    .from(calls)
    .where(and(eq(calls.accountId, accountId), inArray(calls.id, callIds)));
  const segments = await tx
    .select({ text: transcriptSegments.text })
    .from(transcriptSegments)
    .where(and(eq(transcriptSegments.accountId, accountId), inArray(transcriptSegments.callId, callIds)));
  const highlights = await tx
    .select({ text: callHighlights.text })
    .from(callHighlights)
    .where(and(eq(callHighlights.accountId, accountId), inArray(callHighlights.callId, callIds)));
  return [...summaries, ...segments, ...highlights]
    .map((row) => row.text)
    .filter((text): text is string => text !== null);
}

/** Clears what was derived from the calls' audio: summaries, highlights and any transcript left. */
export async function clearCallText(tx: Db, accountId: number, callIds: number[]): Promise<void> {
  if (callIds.length === 0) return;
  await tx
    .delete(transcriptSegments)
    .where(and(eq(transcriptSegments.accountId, accountId), inArray(transcriptSegments.callId, callIds)));
  await tx
    .delete(callHighlights)
    .where(and(eq(callHighlights.accountId, accountId), inArray(callHighlights.callId, callIds)));
  await tx
    .update(calls)
    .set({ summary: null, updatedAt: sql`now()` })
    .where(and(eq(calls.accountId, accountId), inArray(calls.id, callIds)));
}
