import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { assertValidDraft, draftOf, type ScheduledMessageFields } from './scheduled-message-rules.js';
import {
  scheduledMessages,
  type ScheduledMessageAuthorType,
  type ScheduledMessageRow,
} from './scheduled-messages.tables.js';
import { scheduleSend } from './send-scheduled-message.job.js';

export interface CreateScheduledMessageInput {
  accountId: number;
  conversation: { id: number; inboxId: number };
  /** Who the message will be sent as; null for an account API key (sent without a sender). */
  author: { type: ScheduledMessageAuthorType; id: number } | null;
  fields: ScheduledMessageFields;
}

/** Stores the message and, when it is pending, its send job, in one transaction. */
export async function createScheduledMessage(
  db: Db,
  input: CreateScheduledMessageInput,
): Promise<ScheduledMessageRow> {
  const draft = draftOf(null, input.fields);
  assertValidDraft(draft, { isTimingChanged: true, now: new Date() });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(scheduledMessages)
      .values({
        accountId: input.accountId,
        conversationId: input.conversation.id,
        inboxId: input.conversation.inboxId,
        ...draft,
        authorType: input.author?.type ?? null,
        authorId: input.author?.id ?? null,
      })
      .returning();
    if (!row) throw new Error('insert returned no scheduled message');
    if (row.status !== 'pending' || !row.scheduledAt) return row;
    const jobId = await scheduleSend(tx, row, row.scheduledAt);
    const [scheduled] = await tx
      .update(scheduledMessages)
      .set({ jobId })
      .where(and(eq(scheduledMessages.accountId, row.accountId), eq(scheduledMessages.id, row.id)))
      .returning();
    return scheduled ?? row;
  });
}
