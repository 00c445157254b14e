import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { defineJob } from '../../platform/jobs/index.js';
import type { Mailer } from './mailer.js';
import { outboundEmails } from './mail.tables.js';
import { deliverEmailTarget } from './queue-email.js';

/**
 * Sends one queued email. A failure is retried with the job's backoff and recorded on the row;
 * after the last attempt the row is marked failed. SMTP is not transactional, so a crash between
 * the send and the commit may send it again (at least once).
 */
export function createDeliverEmailJob(deps: { db: Db; mailer: Mailer }) {
  return defineJob({
    ...deliverEmailTarget,
    handler: async (payload, ctx) => {
      const where = and(
        eq(outboundEmails.accountId, payload.accountId),
        eq(outboundEmails.id, payload.emailId),
      );
      const [email] = await deps.db.select().from(outboundEmails).where(where);
      if (email?.status !== 'queued') return;
      try {
        await deps.mailer.send({ to: email.toAddress, subject: email.subject, text: email.textBody });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const isLast = ctx.job.attempts >= ctx.job.maxAttempts;
        await deps.db
          .update(outboundEmails)
          .set({ error: message, ...(isLast && { status: 'failed' as const }) })
          .where(where);
        throw error;
      }
      await ctx.complete(async (tx) => {
        await tx
          .update(outboundEmails)
          .set({ status: 'sent', transport: deps.mailer.transport, sentAt: sql`now()`, error: null })
          .where(and(where, eq(outboundEmails.status, 'queued')));
      });
    },
  });
}
