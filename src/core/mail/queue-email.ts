import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { enqueue, type JobTarget } from '../../platform/jobs/index.js';
import { outboundEmails, type OutboundEmailRow } from './mail.tables.js';

export const deliverEmailPayloadSchema = z.object({ accountId: z.number().int(), emailId: z.number().int() });
export type DeliverEmailPayload = z.infer<typeof deliverEmailPayloadSchema>;

export const deliverEmailTarget = {
  name: 'mail.deliver',
  queue: 'default',
  maxAttempts: 8,
  payloadSchema: deliverEmailPayloadSchema,
} satisfies JobTarget<DeliverEmailPayload>;

export interface EmailInput {
  accountId: number;
  to: string;
  subject: string;
  text: string;
  /** What asked for it, e.g. `automation_rule:12`. */
  origin?: string | null;
}

/** Stores the email and its delivery job in the caller's transaction: both exist only if it commits. */
export async function queueEmail(tx: Db, input: EmailInput): Promise<OutboundEmailRow> {
  const [row] = await tx
    .insert(outboundEmails)
    .values({
      accountId: input.accountId,
      toAddress: input.to,
      subject: input.subject,
      textBody: input.text,
      origin: input.origin ?? null,
    })
    .returning();
  if (!row) throw new Error('insert returned no email');
  await enqueue(
    tx,
    deliverEmailTarget,
    { accountId: row.accountId, emailId: row.id },
    { accountId: row.accountId },
  );
  return row;
}
