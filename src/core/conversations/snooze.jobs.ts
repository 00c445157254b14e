import { and, eq, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { defineJob, enqueue } from '../../platform/jobs/index.js';
import { conversations } from './conversations.tables.js';
import { recordStatusChange, writeConversation } from './conversations.js';

/**
 * Reopens a snoozed conversation when its snooze ends. The handler re-reads the row under a lock:
 * a conversation reopened, resolved or snoozed again to a later time in the meantime is left alone
 * (the later snooze has its own job), so a stale or repeated run changes nothing.
 */
export const reopenSnoozedConversationJob = defineJob({
  name: 'conversations.reopen_snoozed',
  queue: 'within-1-minute',
  payloadSchema: z.object({ accountId: z.number().int(), conversationId: z.number().int() }),
  maxAttempts: 5,
  handler: async (payload, ctx) => {
    await ctx.complete(async (tx) => {
      const [row] = await tx
        .select()
        .from(conversations)
        .where(
          and(
            eq(conversations.accountId, payload.accountId),
            eq(conversations.id, payload.conversationId),
            eq(conversations.status, 'snoozed'),
            lte(conversations.snoozedUntil, sql`now()`),
          ),
        )
        .for('no key update');
      if (!row) return;
      const reopened = await writeConversation(tx, row, { status: 'open', snoozedUntil: null });
      await recordStatusChange(tx, reopened, row.status, { type: 'system' });
    });
  },
});

/** Schedules the reopen at `until`; one pending job per conversation and instant. */
export async function scheduleSnoozeEnd(
  tx: Db,
  conversation: { accountId: number; id: number },
  until: Date,
): Promise<void> {
  await enqueue(
    tx,
    reopenSnoozedConversationJob,
    { accountId: conversation.accountId, conversationId: conversation.id },
    {
      accountId: conversation.accountId,
      runAt: until,
      dedupeKey: `${conversation.accountId}:${conversation.id}:${until.toISOString()}`,
    },
  );
}
