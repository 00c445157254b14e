import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { enqueue } from '../../platform/jobs/index.js';
import { chargeCredit, refuseBelowShutdown } from '../billing/credit.js';
import { normalizePhoneNumber } from '../contacts/contact-fields.js';
import { createMessage } from '../conversations/create-message.js';
import { phoneNumbers } from '../numbers/numbers.tables.js';
import { MAX_SMS_PARTS, segmentSms, type SmsEncoding } from './sms-encoding.js';
import { ensureSmsInbox, smsThreadFor } from './sms-conversations.js';
import { smsAllowed } from './sms-permissions.js';
import { SIMULATOR_PROVIDER } from './sms-simulator.js';
import { submitSmsJob } from './sms.jobs.js';
import { smsMessages, type SmsRow } from './sms.tables.js';

/** The shared sender CALLR uses when `from` is "" or "SMS". */
export const DEFAULT_SENDER = 'SMS';
/** GSM alphanumeric sender ids: up to 11 characters, at least one letter. */
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 .\-_&]{1,11}$/;

export interface SendSmsInput {
  accountId: number;
  /** "" or "SMS" (shared sender), one of the account's active numbers (E.164), or an alphanumeric id. */
  from: string;
  to: string;
  text: string;
  forceEncoding?: SmsEncoding | null;
  nature?: 'ALERTING' | 'MARKETING';
  userData?: string | null;
  /** SMS.Options as the client sent them, kept to be shown back; `flash_message: true` sends a flash SMS. */
  options?: Record<string, unknown>;
  /** The agent who wrote it (a reply typed in a conversation), if any. */
  senderUserId?: number | null;
  /** Set when the conversation message already exists (an agent's reply): no new message is added. */
  existingMessage?: { conversationId: number; messageId: number; inboxId: number } | null;
  actor: Actor;
}

const invalid = (path: string, message: string) =>
  new DomainError('VALIDATION_FAILED', `${path} ${message}`, [{ path, message }]);

async function resolveSender(tx: Db, accountId: number, from: string): Promise<string> {
  const trimmed = from.trim();
  if (trimmed === '' || trimmed.toUpperCase() === DEFAULT_SENDER) return DEFAULT_SENDER;
  if (trimmed.startsWith('+')) {
    const [owned] = await tx
      .select({ number: phoneNumbers.number })
      .from(phoneNumbers)
      .where(
        and(
          eq(phoneNumbers.accountId, accountId),
          eq(phoneNumbers.number, trimmed),
          eq(phoneNumbers.state, 'active'),
        ),
      );
    if (!owned) throw invalid('from', `${trimmed} is not one of the account's numbers`);
    return owned.number;
  }
  if (!ALPHANUMERIC_SENDER.test(trimmed)) {
    throw invalid(
      'from',
      'must be "", "SMS", one of your numbers (E.164) or an alphanumeric sender of 1 to 11 characters',
    );
  }
  return trimmed;
}

/**
 * Sends an SMS: in one transaction it is stored (CREATED), added as an outgoing message to the
 * correspondent's conversation in the account's SMS inbox, charged per part, and handed to the
 * submission job, which talks to the provider. Returns the stored SMS.
 */
export async function sendSms(db: Db, input: SendSmsInput): Promise<SmsRow> {
  const to = normalizePhoneNumber(input.to);
  if (!to) throw invalid('to', "can't be blank");
  if (input.text.trim() === '') throw invalid('text', "can't be blank");
  const segments = segmentSms(input.text, input.forceEncoding ?? null);
  if (segments.parts > MAX_SMS_PARTS) {
    throw invalid(
      'text',
      `is too long: ${segments.parts} parts (${segments.encoding}), at most ${MAX_SMS_PARTS}`,
    );
  }
  return db.transaction(async (tx) => {
    if (!(await smsAllowed(tx, input.accountId, 'OUT'))) {
      throw new DomainError('FORBIDDEN', 'Outbound SMS are disabled for this account');
    }
    await refuseBelowShutdown(tx, input.accountId);
    const sender = await resolveSender(tx, input.accountId, input.from);
    const thread = input.existingMessage
      ? null
      : await smsThreadFor(tx, {
          accountId: input.accountId,
          inboxId: (await ensureSmsInbox(tx, input.accountId, input.actor)).id,
          phone: to,
          direction: 'outbound',
          actor: input.actor,
        });
    const [row] = await tx
      .insert(smsMessages)
      .values({
        accountId: input.accountId,
        direction: 'OUT',
        sender,
        recipient: to,
        body: segments.text,
        status: 'CREATED',
        encoding: segments.encoding,
        parts: segments.parts,
        nature: input.nature ?? 'ALERTING',
        userData: input.userData ?? null,
        options: input.options ?? {},
        provider: SIMULATOR_PROVIDER,
        inboxId: input.existingMessage?.inboxId ?? thread?.conversation.inboxId ?? null,
        conversationId: input.existingMessage?.conversationId ?? thread?.conversation.id ?? null,
        messageId: input.existingMessage?.messageId ?? null,
      })
      .returning();
    if (!row) throw new Error('sms insert returned no row');
    let messageId = row.messageId;
    if (thread) {
      const created = await createMessage(tx, {
        accountId: input.accountId,
        conversationId: thread.conversation.id,
        messageType: 'outgoing',
        content: segments.text,
        sourceId: `sms:${row.id}`,
        sender: input.senderUserId != null ? { type: 'user', id: input.senderUserId } : null,
        actor: input.actor,
      });
      messageId = created.message.id;
    }
    const { debitCents } = await chargeCredit(tx, {
      accountId: input.accountId,
      kind: 'sms',
      quantity: segments.parts,
      reference: `sms:${row.id}`,
    });
    const [stored] = await tx
      .update(smsMessages)
      .set({ messageId, debitCents })
      .where(and(eq(smsMessages.accountId, input.accountId), eq(smsMessages.id, row.id)))
      .returning();
    if (!stored) throw new Error('sms vanished after insert');
    await enqueue(
      tx,
      submitSmsJob,
      { accountId: input.accountId, smsId: row.id },
      { accountId: input.accountId },
    );
    return stored;
  });
}
