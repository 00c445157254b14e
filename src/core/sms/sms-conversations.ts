import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import { createContact, findContactBy } from '../contacts/contacts.js';
import { conversations, type ConversationRow } from '../conversations/conversations.tables.js';
import { openConversation } from '../conversations/open-conversation.js';
import { createInbox } from '../inboxes/create-inbox.js';
import { inboxes, type InboxRow } from '../inboxes/inboxes.tables.js';

/** The name of the inbox Parley opens for an account's first SMS. */
export const DEFAULT_SMS_INBOX_NAME = 'SMS';

const E164 = /^\+[1-9]\d{5,14}$/;

/** Serializes find-or-create on one key for the rest of the transaction. */
async function lockKey(tx: Db, key: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`);
}

async function firstSmsInbox(tx: Db, accountId: number): Promise<InboxRow | null> {
  const [row] = await tx
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.accountId, accountId), eq(inboxes.channelType, 'sms')))
    .orderBy(asc(inboxes.id))
    .limit(1);
  return row ?? null;
}

/** The account's SMS inbox (its oldest one), created as "SMS" the first time it is needed. */
export async function ensureSmsInbox(tx: Db, accountId: number, actor: Actor): Promise<InboxRow> {
  const existing = await firstSmsInbox(tx, accountId);
  if (existing) return existing;
  await lockKey(tx, `sms-inbox:${accountId}`);
  const raced = await firstSmsInbox(tx, accountId);
  if (raced) return raced;
  return createInbox(tx, { accountId, name: DEFAULT_SMS_INBOX_NAME, channelType: 'sms' }, actor);
}

export interface SmsThread {
  conversation: ConversationRow;
  contactId: number;
}

/**
 * The conversation an SMS with `phone` belongs to in the inbox: one per correspondent, so a reply
 * lands in the thread of what was sent. The contact is found by phone number, or created with the
 * number as its name (as Chatwoot names SMS contacts).
 */
export async function smsThreadFor(
  tx: Db,
  input: {
    accountId: number;
    inboxId: number;
    phone: string;
    direction: 'inbound' | 'outbound';
    actor: Actor;
  },
): Promise<SmsThread> {
  await lockKey(tx, `sms-thread:${input.accountId}:${input.phone}`);
  // Inbound senders can be short codes or names ("BANK"), which are no phone numbers: such a
  // correspondent is a contact known by an identifier instead.
  const byPhone = E164.test(input.phone);
  const key = byPhone ? { phoneNumber: input.phone } : { identifier: `sms:${input.phone}` };
  const contact =
    (await findContactBy(tx, input.accountId, key)) ??
    (await createContact(tx, { accountId: input.accountId, name: input.phone, ...key, actor: input.actor }));
  const [latest] = await tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, input.accountId),
        eq(conversations.inboxId, input.inboxId),
        eq(conversations.contactId, contact.id),
      ),
    )
    .orderBy(desc(conversations.id))
    .limit(1);
  if (latest) return { conversation: latest, contactId: contact.id };
  const opened = await openConversation(tx, {
    accountId: input.accountId,
    inboxId: input.inboxId,
    contactId: contact.id,
    channel: 'Sms',
    direction: input.direction,
    actor: input.actor,
  });
  return { conversation: opened.conversation, contactId: contact.id };
}
