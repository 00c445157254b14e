import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { createMessage } from '../conversations/create-message.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { phoneNumbers } from '../numbers/numbers.tables.js';
import { segmentSms } from './sms-encoding.js';
import { smsAllowed } from './sms-permissions.js';
import { ensureSmsInbox, smsThreadFor } from './sms-conversations.js';
import { smsSnapshotOf } from './sms-snapshot.js';
import { smsReceived } from './sms.events.js';
import { smsMessages, type SmsRow } from './sms.tables.js';

export interface IncomingSms {
  provider: string;
  /** The provider's id: a redelivery of the same SMS is stored once. */
  providerRef: string;
  from: string;
  /** One of the instance's numbers (E.164). */
  to: string;
  text: string;
  receivedAt: Date;
}

export type ReceiveOutcome =
  | { outcome: 'stored'; sms: SmsRow }
  | { outcome: 'duplicate'; sms: SmsRow }
  /** No account owns the number: the carrier should not have routed it here; it is dropped. */
  | { outcome: 'unrouted' }
  /** The owning sub-account may not receive SMS (allow_sms_in off): dropped, as the carrier would. */
  | { outcome: 'refused' };

/** The inbox an inbound SMS goes to: the number's own SMS inbox when it has one, else the account's. */
async function inboxFor(tx: Db, number: { accountId: number; inboxId: number | null }, actor: Actor) {
  if (number.inboxId !== null) {
    const [own] = await tx
      .select({ id: inboxes.id })
      .from(inboxes)
      .where(
        and(
          eq(inboxes.accountId, number.accountId),
          eq(inboxes.id, number.inboxId),
          eq(inboxes.channelType, 'sms'),
        ),
      );
    if (own) return own.id;
  }
  return (await ensureSmsInbox(tx, number.accountId, actor)).id;
}

/**
 * An SMS a provider delivered to one of the instance's numbers, in the caller's transaction: the
 * account that owns the number gets it as RECEIVED, as an incoming message in the sender's
 * conversation of its SMS inbox, and as one sms.received event.
 */
export async function receiveSms(tx: Db, incoming: IncomingSms): Promise<ReceiveOutcome> {
  const [existing] = await tx
    .select()
    .from(smsMessages)
    .where(
      and(eq(smsMessages.provider, incoming.provider), eq(smsMessages.providerRef, incoming.providerRef)),
    );
  if (existing) return { outcome: 'duplicate', sms: existing };
  const [number] = await tx
    .select({ accountId: phoneNumbers.accountId, inboxId: phoneNumbers.inboxId })
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.number, incoming.to), eq(phoneNumbers.state, 'active')));
  if (!number?.accountId) return { outcome: 'unrouted' };
  const accountId = number.accountId;
  if (!(await smsAllowed(tx, accountId, 'IN'))) return { outcome: 'refused' };
  const actor: Actor = { type: 'contact' };
  const inboxId = await inboxFor(tx, { accountId, inboxId: number.inboxId }, actor);
  const thread = await smsThreadFor(tx, {
    accountId,
    inboxId,
    phone: incoming.from,
    direction: 'inbound',
    actor,
  });
  const segments = segmentSms(incoming.text);
  const [row] = await tx
    .insert(smsMessages)
    .values({
      accountId,
      direction: 'IN',
      sender: incoming.from,
      recipient: incoming.to,
      body: incoming.text,
      status: 'RECEIVED',
      encoding: segments.encoding,
      parts: segments.parts,
      provider: incoming.provider,
      providerRef: incoming.providerRef,
      inboxId,
      conversationId: thread.conversation.id,
      createdAt: incoming.receivedAt,
      updatedAt: incoming.receivedAt,
      receivedAt: incoming.receivedAt,
    })
    // A concurrent redelivery of the same reference wins; this one is then a duplicate.
    .onConflictDoNothing()
    .returning();
  if (!row) {
    const [winner] = await tx
      .select()
      .from(smsMessages)
      .where(
        and(eq(smsMessages.provider, incoming.provider), eq(smsMessages.providerRef, incoming.providerRef)),
      );
    if (!winner) throw new Error('inbound sms conflicted with a row that does not exist');
    return { outcome: 'duplicate', sms: winner };
  }
  const created = await createMessage(tx, {
    accountId,
    conversationId: thread.conversation.id,
    messageType: 'incoming',
    content: incoming.text,
    sourceId: `sms:${row.id}`,
    sender: { type: 'contact', id: thread.contactId },
    actor: { type: 'contact', id: thread.contactId },
  });
  const [stored] = await tx
    .update(smsMessages)
    .set({ messageId: created.message.id })
    .where(and(eq(smsMessages.accountId, accountId), eq(smsMessages.id, row.id)))
    .returning();
  if (!stored) throw new Error('sms vanished after insert');
  await recordEvent(tx, smsReceived, {
    accountId,
    aggregateId: stored.id,
    payload: { sms: smsSnapshotOf(stored) },
    actor: { type: 'contact', id: thread.contactId },
  });
  return { outcome: 'stored', sms: stored };
}
