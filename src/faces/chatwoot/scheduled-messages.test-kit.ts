import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db/database.js';
import type { TestApp } from '../../testing/app.js';
import { waitFor } from '../../testing/wait.js';

/**
 * For tests that schedule a message through the Chatwoot face and need it sent:
 *
 *   POST /chatwoot/api/v1/accounts/:id/conversations/:display_id/scheduled_messages
 *        { content, scheduled_at: <ISO time, in the future>, status: 'pending' }
 *   await makeScheduledMessageDue(app, accountId, scheduledMessageId); // or wait for the real time
 *   await app.parley.worker.runOnce();            // or let startBackground()'s worker take it
 *   const messageId = await waitForScheduledMessageSent(app, accountId, scheduledMessageId);
 */

/** Pretends the time has come: the message and its send job are due now. */
export async function makeScheduledMessageDue(app: TestApp, accountId: number, id: number): Promise<void> {
  await app.parley.ctx.db.execute(sql`
    WITH due AS (
      UPDATE scheduled_messages SET scheduled_at = now() - interval '1 second'
      WHERE account_id = ${accountId} AND id = ${id}
      RETURNING job_id
    )
    UPDATE jobs SET run_at = now() - interval '1 second' WHERE id IN (SELECT job_id FROM due)`);
}

/** The scheduled message's state as stored, with the message it became. */
export async function scheduledMessageState(
  app: TestApp,
  accountId: number,
  id: number,
): Promise<{ status: string; messageId: number | null; jobId: number | null } | undefined> {
  const [row] = await queryRows<{
    status: string;
    message_id: string | number | null;
    job_id: string | number | null;
  }>(
    app.parley.ctx.db,
    sql`SELECT status, message_id, job_id FROM scheduled_messages WHERE account_id = ${accountId} AND id = ${id}`,
  );
  if (!row) return undefined;
  return {
    status: row.status,
    messageId: row.message_id === null ? null : Number(row.message_id),
    jobId: row.job_id === null ? null : Number(row.job_id),
  };
}

/** Waits until the scheduled message is sent (a worker must be running or be run); returns the message id. */
export async function waitForScheduledMessageSent(
  app: TestApp,
  accountId: number,
  id: number,
  options: { timeoutMs?: number } = {},
): Promise<number> {
  return waitFor(
    async () => {
      const state = await scheduledMessageState(app, accountId, id);
      return state?.status === 'sent' && state.messageId !== null ? state.messageId : undefined;
    },
    { what: `scheduled message ${id} to be sent`, timeoutMs: options.timeoutMs ?? 10_000 },
  );
}
