import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { isDomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { defineJob, enqueue, jobs, LeaseLostError } from '../../platform/jobs/index.js';
import { errorMessage } from '../../platform/jobs/job-errors.js';
import { createMessage } from '../conversations/create-message.js';
import { fileTypeOf } from '../conversations/attachments.js';
import { scheduledMessages, type ScheduledMessageRow } from './scheduled-messages.tables.js';

const payloadSchema = z.object({ accountId: z.number().int(), scheduledMessageId: z.number().int() });

/**
 * Sends a pending scheduled message once its time has come. The row is locked and re-read in the
 * transaction that creates the message and marks the row sent (the job's completion commits with
 * them): a second run, a run after a crash, or a stale run after a reschedule finds the row sent or
 * not yet due and does nothing. The message also carries an echo id per scheduled message, so even
 * a row marked pending again could not produce a second message in the conversation.
 */
export const sendScheduledMessageJob = defineJob({
  name: 'scheduled_messages.send',
  queue: 'within-1-minute',
  payloadSchema,
  maxAttempts: 5,
  handler: async (payload, ctx) => {
    try {
      await ctx.complete((tx) => sendIfDue(tx, payload));
    } catch (error) {
      if (error instanceof LeaseLostError || ctx.job.attempts < ctx.job.maxAttempts) throw error;
      // The last attempt: say so on the message instead of leaving it pending for ever.
      await ctx.complete((tx) => markFailed(tx, payload, errorMessage(error)));
    }
  },
  onAbandoned: (tx, payload, reason) => markFailed(tx, payload, reason),
});

type Payload = z.infer<typeof payloadSchema>;

/** The echo id of the message a scheduled message becomes: unique per conversation. */
export function echoIdOf(row: Pick<ScheduledMessageRow, 'id'>): string {
  return `scheduled_message:${row.id}`;
}

function actorOf(row: ScheduledMessageRow): Actor {
  return row.authorType === null || row.authorId === null
    ? { type: 'system' }
    : { type: row.authorType, id: row.authorId };
}

async function lockDue(tx: Db, payload: Payload): Promise<ScheduledMessageRow | undefined> {
  const [row] = await tx
    .select()
    .from(scheduledMessages)
    .where(
      and(
        eq(scheduledMessages.accountId, payload.accountId),
        eq(scheduledMessages.id, payload.scheduledMessageId),
        eq(scheduledMessages.status, 'pending'),
        lte(scheduledMessages.scheduledAt, sql`now()`),
      ),
    )
    .for('update');
  return row;
}

async function sendIfDue(tx: Db, payload: Payload): Promise<void> {
  const row = await lockDue(tx, payload);
  if (!row) return;
  try {
    // A savepoint: a message the conversation refuses rolls back alone and the row records why.
    const created = await tx.transaction((inner) =>
      createMessage(inner, {
        accountId: row.accountId,
        conversationId: row.conversationId,
        messageType: 'outgoing',
        content: row.content === '' ? null : row.content,
        echoId: echoIdOf(row),
        sender:
          row.authorType === null || row.authorId === null
            ? null
            : { type: row.authorType, id: row.authorId },
        attachments: row.attachment
          ? [
              {
                fileType: fileTypeOf(row.attachment.contentType),
                blobKey: row.attachment.blobKey,
                fileName: row.attachment.fileName,
                contentType: row.attachment.contentType,
                byteSize: row.attachment.byteSize,
              },
            ]
          : [],
        additionalAttributes: {
          scheduled_message_id: row.id,
          ...(Object.keys(row.templateParams).length > 0 && { template_params: row.templateParams }),
        },
        actor: actorOf(row),
      }),
    );
    await tx
      .update(scheduledMessages)
      .set({
        status: 'sent',
        messageId: created.message.id,
        sentAt: sql`now()`,
        jobId: null,
        updatedAt: sql`now()`,
      })
      .where(and(eq(scheduledMessages.accountId, row.accountId), eq(scheduledMessages.id, row.id)));
  } catch (error) {
    if (!isDomainError(error)) throw error;
    await markFailed(tx, payload, error.message);
  }
}

async function markFailed(tx: Db, payload: Payload, reason: string): Promise<void> {
  await tx
    .update(scheduledMessages)
    .set({ status: 'failed', failureReason: reason, jobId: null, updatedAt: sql`now()` })
    .where(
      and(
        eq(scheduledMessages.accountId, payload.accountId),
        eq(scheduledMessages.id, payload.scheduledMessageId),
        eq(scheduledMessages.status, 'pending'),
      ),
    );
}

/** Enqueues the send at the row's time, in the caller's transaction; returns the job id. */
export async function scheduleSend(tx: Db, row: ScheduledMessageRow, scheduledAt: Date): Promise<number> {
  return enqueue(
    tx,
    sendScheduledMessageJob,
    { accountId: row.accountId, scheduledMessageId: row.id },
    {
      accountId: row.accountId,
      runAt: scheduledAt,
      dedupeKey: `${row.accountId}:${row.id}:${scheduledAt.toISOString()}`,
    },
  );
}

/**
 * Cancels the row's send job if it has not started. A job already running re-reads the row under
 * its lock, so it sends only what is still pending and due.
 */
export async function cancelSend(tx: Db, jobId: number | null): Promise<void> {
  if (jobId === null) return;
  await tx
    .update(jobs)
    .set({ state: 'cancelled', finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, jobId), inArray(jobs.state, ['queued', 'retrying'])));
}
