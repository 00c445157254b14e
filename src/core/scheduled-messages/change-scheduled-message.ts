import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import {
  assertEditable,
  assertValidDraft,
  draftOf,
  type ScheduledMessageFields,
} from './scheduled-message-rules.js';
import {
  scheduledMessages,
  type ScheduledAttachment,
  type ScheduledMessageRow,
} from './scheduled-messages.tables.js';
import { cancelSend, scheduleSend } from './send-scheduled-message.job.js';

export interface ScheduledMessageKey {
  accountId: number;
  /** The internal conversation id: a message is addressed through its conversation. */
  conversationId: number;
  id: number;
}

export interface ChangedScheduledMessage {
  row: ScheduledMessageRow;
  /** A file no longer referenced once this commits; the caller removes it from storage. */
  orphanedAttachment: ScheduledAttachment | null;
}

/**
 * Locks the row: the send job takes the same lock, so an edit and a send never interleave; the
 * one that comes second sees what the first did (an edit after the send is refused).
 */
async function lockRow(tx: Db, key: ScheduledMessageKey): Promise<ScheduledMessageRow> {
  const [row] = await tx
    .select()
    .from(scheduledMessages)
    .where(
      and(
        eq(scheduledMessages.accountId, key.accountId),
        eq(scheduledMessages.conversationId, key.conversationId),
        eq(scheduledMessages.id, key.id),
      ),
    )
    .for('update');
  if (!row) throw notFound('Scheduled message');
  return row;
}

/** Changes a draft or pending message; a new time or status moves (or drops) its send job. */
export async function updateScheduledMessage(
  db: Db,
  key: ScheduledMessageKey,
  fields: ScheduledMessageFields,
): Promise<ChangedScheduledMessage> {
  return db.transaction(async (tx) => {
    const current = await lockRow(tx, key);
    assertEditable(current);
    const draft = draftOf(current, fields);
    const isTimingChanged =
      draft.status !== current.status || draft.scheduledAt?.getTime() !== current.scheduledAt?.getTime();
    assertValidDraft(draft, { isTimingChanged, now: new Date() });
    let jobId = current.jobId;
    if (isTimingChanged) {
      await cancelSend(tx, current.jobId);
      jobId =
        draft.status === 'pending' && draft.scheduledAt
          ? await scheduleSend(tx, current, draft.scheduledAt)
          : null;
    }
    const [row] = await tx
      .update(scheduledMessages)
      .set({ ...draft, jobId, updatedAt: sql`now()` })
      .where(and(eq(scheduledMessages.accountId, key.accountId), eq(scheduledMessages.id, key.id)))
      .returning();
    if (!row) throw notFound('Scheduled message');
    const isReplaced = current.attachment !== null && current.attachment.blobKey !== row.attachment?.blobKey;
    return { row, orphanedAttachment: isReplaced ? current.attachment : null };
  });
}

/** Deletes a draft or pending message and cancels its send; returns it as it was. */
export async function deleteScheduledMessage(
  db: Db,
  key: ScheduledMessageKey,
): Promise<ChangedScheduledMessage> {
  return db.transaction(async (tx) => {
    const current = await lockRow(tx, key);
    assertEditable(current);
    await cancelSend(tx, current.jobId);
    await tx
      .delete(scheduledMessages)
      .where(and(eq(scheduledMessages.accountId, key.accountId), eq(scheduledMessages.id, key.id)));
    return { row: current, orphanedAttachment: current.attachment };
  });
}
