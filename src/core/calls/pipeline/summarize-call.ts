import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { recordEvent } from '../../../platform/events/outbox.js';
import type { JobContext } from '../../../platform/jobs/index.js';
import { contacts } from '../../contacts/contacts.tables.js';
import { users } from '../../identity/identity.tables.js';
import { snapshotCall } from '../call-snapshot.js';
import { callSummarized } from '../calls.events.js';
import {
  callHighlights,
  callSpeakers,
  callTopics,
  transcriptSegments,
  type CallRow,
} from '../calls.tables.js';
import type { SummaryInputSegment } from '../engines.js';
import { transitionCall } from './call-transitions.js';
import type { CallPipelineDeps } from './pipeline-deps.js';

interface NamedSegment extends SummaryInputSegment {
  speakerId: number | null;
}

/** Speaker names as a reader would say them: the user's or contact's name, else "Speaker N". */
export async function loadNamedSegments(
  db: Db,
  call: Pick<CallRow, 'accountId' | 'id'>,
): Promise<NamedSegment[]> {
  const rows = await db
    .select({
      speakerId: transcriptSegments.speakerId,
      startSeconds: transcriptSegments.startSeconds,
      endSeconds: transcriptSegments.endSeconds,
      text: transcriptSegments.text,
      userName: users.name,
      contactName: contacts.name,
    })
    .from(transcriptSegments)
    .leftJoin(callSpeakers, eq(callSpeakers.id, transcriptSegments.speakerId))
    .leftJoin(users, eq(users.id, callSpeakers.userId))
    .leftJoin(contacts, eq(contacts.id, callSpeakers.contactId))
    .where(and(eq(transcriptSegments.accountId, call.accountId), eq(transcriptSegments.callId, call.id)))
    .orderBy(asc(transcriptSegments.startSeconds), asc(transcriptSegments.id));
  return rows.map((row) => ({
    speakerId: row.speakerId,
    speaker: row.userName ?? row.contactName ?? `Speaker ${row.speakerId ?? '?'}`,
    startSeconds: row.startSeconds,
    endSeconds: row.endSeconds,
    text: row.text,
  }));
}

export async function summarizeCall(deps: CallPipelineDeps, call: CallRow, ctx: JobContext): Promise<void> {
  if (call.state === 'transcribed') {
    await transitionCall(deps.db, call, ['transcribed'], { state: 'summarizing' });
  }
  const segments = await loadNamedSegments(deps.db, call);
  const engine = deps.engines.summary;
  const result = await engine.summarize({
    title: call.title,
    language: call.language,
    segments: segments.map(({ speakerId: _speakerId, ...segment }) => segment),
    signal: ctx.signal,
  });
  const speakerIdByName = new Map(segments.map((segment) => [segment.speaker, segment.speakerId]));
  await ctx.complete(async (tx) => {
    const row = await transitionCall(tx, call, ['summarizing'], {
      state: 'summarized',
      summary: result.summary,
      summaryEngine: engine.name,
      summarizedAt: new Date(),
    });
    const scope = (table: typeof callHighlights | typeof callTopics) =>
      and(eq(table.accountId, call.accountId), eq(table.callId, call.id));
    await tx.delete(callHighlights).where(scope(callHighlights));
    await tx.delete(callTopics).where(scope(callTopics));
    if (result.highlights.length > 0) {
      await tx.insert(callHighlights).values(
        result.highlights.map((highlight) => ({
          accountId: call.accountId,
          callId: call.id,
          text: highlight.text,
          startSeconds: highlight.startSeconds,
          endSeconds: highlight.endSeconds,
          speakerId: highlight.speaker === null ? null : (speakerIdByName.get(highlight.speaker) ?? null),
        })),
      );
    }
    if (result.topics.length > 0) {
      await tx.insert(callTopics).values(
        result.topics.map((topic) => ({
          accountId: call.accountId,
          callId: call.id,
          name: topic.name,
          score: topic.score,
          startSeconds: topic.startSeconds,
        })),
      );
    }
    await recordEvent(tx, callSummarized, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: { call: await snapshotCall(tx, row) },
      actor: { type: 'system' },
    });
  });
}
