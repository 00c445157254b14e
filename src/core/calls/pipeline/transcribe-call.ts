import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import type { JobContext } from '../../../platform/jobs/index.js';
import { createContact } from '../../contacts/contacts.js';
import { callContacts, callSpeakers, transcriptSegments, type CallRow } from '../calls.tables.js';
import type { AudioInfo, TranscriptionResult } from '../engines.js';
import { failCall, transitionCall } from './call-transitions.js';
import { withLocalCopy } from './local-copy.js';
import type { CallPipelineDeps } from './pipeline-deps.js';
import { planSpeakers } from './plan-speakers.js';

// Stays far below PostgreSQL's 65,535 bind parameters per statement (7 columns a row).
const SEGMENTS_PER_INSERT = 1000;

export async function transcribeCall(
  deps: CallPipelineDeps,
  call: CallRow,
  ctx: JobContext,
  queueNext: (tx: Db) => Promise<void>,
): Promise<void> {
  const engine = deps.engines.transcription;
  if (!engine) {
    const reason = `no transcription engine configured: ${deps.engines.transcriptionUnavailableReason ?? 'none was chosen'}`;
    return ctx.complete((tx) => failCall(tx, call, ['transcribing'], reason));
  }
  const availability = await engine.availability();
  if (!availability.available) {
    const reason = `no transcription engine configured: ${engine.name} is unavailable (${availability.reason ?? 'no reason given'})`;
    return ctx.complete((tx) => failCall(tx, call, ['transcribing'], reason));
  }
  const key = call.recordingKey;
  if (!key) return ctx.complete((tx) => failCall(tx, call, ['transcribing'], 'the recording is missing'));
  const audio: AudioInfo = {
    format: call.recordingFormat ?? call.recordingExtension,
    durationSeconds: call.recordingDurationSeconds ?? call.durationSeconds,
    channels: call.recordingChannels ?? 1,
    sampleRate: call.recordingSampleRate ?? 16000,
  };
  const result = await withLocalCopy(deps.storage, key, (filePath) =>
    engine.transcribe({ filePath, audio, language: call.language, signal: ctx.signal }),
  );
  await ctx.complete(async (tx) => {
    await transitionCall(tx, call, ['transcribing'], {
      state: 'transcribed',
      transcriptionEngine: engine.name,
      language: call.language ?? result.language,
      transcriptDeletedAt: null,
    });
    await writeTranscript(tx, call, result);
    await queueNext(tx);
  });
}

/** Replaces the call's speakers and segments: running twice leaves one transcript. */
export async function writeTranscript(tx: Db, call: CallRow, result: TranscriptionResult): Promise<void> {
  const where = (table: typeof transcriptSegments | typeof callSpeakers) =>
    and(eq(table.accountId, call.accountId), eq(table.callId, call.id));
  await tx.delete(transcriptSegments).where(where(transcriptSegments));
  await tx.delete(callSpeakers).where(where(callSpeakers));
  const contactRows = await tx
    .select({ contactId: callContacts.contactId })
    .from(callContacts)
    .where(and(eq(callContacts.accountId, call.accountId), eq(callContacts.callId, call.id)))
    .orderBy(asc(callContacts.position));
  const segments = result.segments.filter((segment) => segment.text.trim() !== '');
  const plan = planSpeakers(segments, {
    userId: call.userId,
    contactIds: contactRows.map((row) => row.contactId),
  });
  const speakerIds: number[] = [];
  let unknownCount = 0;
  for (const speaker of plan.speakers) {
    let contactId = speaker.contactId;
    if (speaker.kind === 'unknown') {
      unknownCount += 1;
      const contact = await createContact(tx, {
        accountId: call.accountId,
        name: `Unknown speaker ${unknownCount}`,
        additionalAttributes: { unknownSpeakerOfCallId: call.id },
        actor: { type: 'system' },
      });
      contactId = contact.id;
    }
    const [row] = await tx
      .insert(callSpeakers)
      .values({
        accountId: call.accountId,
        callId: call.id,
        kind: speaker.kind,
        userId: speaker.userId,
        contactId,
        channel: speaker.channel,
        label: speaker.label,
      })
      .returning({ id: callSpeakers.id });
    if (row) speakerIds.push(row.id);
  }
  const rows = segments.map((segment, index) => ({
    accountId: call.accountId,
    callId: call.id,
    speakerId: speakerIds[plan.speakerOfSegment[index] ?? -1] ?? null,
    startSeconds: segment.startSeconds,
    endSeconds: segment.endSeconds,
    text: segment.text.trim(),
    confidence: segment.confidence,
  }));
  for (let start = 0; start < rows.length; start += SEGMENTS_PER_INSERT) {
    await tx.insert(transcriptSegments).values(rows.slice(start, start + SEGMENTS_PER_INSERT));
  }
}
