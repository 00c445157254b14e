import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { isDomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import type { EventConsumer } from '../../platform/events/relay.js';
import { enqueue, type JobContext } from '../../platform/jobs/index.js';
import { contactInboxes, contacts } from '../contacts/contacts.tables.js';
import { messageCreated } from '../conversations/conversations.events.js';
import {
  conversations,
  messages,
  type ConversationRow,
  type MessageRow,
} from '../conversations/conversations.tables.js';
import { updateMessage } from '../conversations/messages.js';
import { findInbox } from '../inboxes/inboxes.js';
import { instanceOf, whatsappSenderFor } from './providers.js';
import { userJidOf, type WhatsappInstance, type WhatsappProvider } from './whatsapp-provider.js';
import { sendWhatsappMessageJob, type SendWhatsappMessagePayload } from './whatsapp.jobs.js';

type MessagePayload = ReturnType<(typeof messageCreated)['payloadSchema']['parse']>;

const SYSTEM: Actor = { type: 'system' };

/**
 * Parley sends each reply under an id made from the message's uuid: a send repeated after a crash
 * is the same WhatsApp message, and the provider's echo of it (Baileys emits one) is recognisable.
 */
const PARLEY_ID_PREFIX = 'PARLEY';

export function providerMessageIdOf(message: Pick<MessageRow, 'uuid'>): string {
  return `${PARLEY_ID_PREFIX}${message.uuid.replaceAll('-', '').toUpperCase()}`;
}

export function isParleyMessageId(id: string): boolean {
  return id.startsWith(PARLEY_ID_PREFIX);
}

/** The source id a WhatsApp message carries in Parley, the same for inbound and outbound ones. */
export function whatsappSourceIdOf(providerMessageId: string): string {
  return `whatsapp:${providerMessageId}`;
}

/** An agent's public reply in a WhatsApp inbox, not one the provider reported (those carry a source id). */
function isAgentReply(payload: MessagePayload): boolean {
  const { message, conversation } = payload;
  return (
    conversation.inbox.channelType === 'whatsapp' &&
    message.messageType === 'outgoing' &&
    !message.private &&
    message.sourceId === null &&
    (message.content ?? '').trim() !== ''
  );
}

/**
 * Agents answer WhatsApp conversations (a group's or a person's) from any face: each reply is handed
 * to a durable job, because the provider must not be called inside the relay's transaction.
 */
export function createWhatsappReplyConsumer(): EventConsumer {
  return {
    name: 'whatsapp.agent-replies',
    async handle(tx, batch) {
      for (const event of batch) {
        if (event.type !== messageCreated.type) continue;
        const parsed = messageCreated.payloadSchema.safeParse(event.payload);
        if (!parsed.success || !isAgentReply(parsed.data)) continue;
        const { message } = parsed.data;
        // The event's account, not the payload's: a reply is only ever sent within its own account.
        await enqueue(
          tx,
          sendWhatsappMessageJob,
          { accountId: event.accountId, conversationId: message.conversationId, messageId: message.id },
          { accountId: event.accountId, dedupeKey: `message:${event.accountId}:${message.id}` },
        );
      }
    },
  };
}

type Plan =
  | { kind: 'skip' }
  | { kind: 'fail'; error: string }
  | {
      kind: 'send';
      provider: WhatsappProvider;
      instance: WhatsappInstance;
      jid: string;
      text: string;
      providerMessageId: string;
    };

const USER_NUMBER = /^\+?\d{6,15}$/;

/** Where the reply goes: the group's JID for a group conversation, the person's JID otherwise. */
async function recipientJidOf(db: Db, conversation: ConversationRow): Promise<string | null> {
  const [contact] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.accountId, conversation.accountId), eq(contacts.id, conversation.contactId)));
  if (!contact) return null;
  if (contact.groupType === 'group') return contact.groupJid;
  const [contactInbox] =
    conversation.contactInboxId === null
      ? []
      : await db
          .select({ sourceId: contactInboxes.sourceId })
          .from(contactInboxes)
          .where(
            and(
              eq(contactInboxes.accountId, conversation.accountId),
              eq(contactInboxes.id, conversation.contactInboxId),
            ),
          );
  // The contact inbox's source id is the WhatsApp number the conversation runs on (the fork's wa_id).
  for (const candidate of [contactInbox?.sourceId, contact.phoneNumber]) {
    const trimmed = candidate?.trim() ?? '';
    if (trimmed.endsWith('@s.whatsapp.net') || USER_NUMBER.test(trimmed)) return userJidOf(trimmed);
  }
  return null;
}

async function plan(db: Db, payload: SendWhatsappMessagePayload): Promise<Plan> {
  const [row] = await db
    .select({ message: messages, conversation: conversations })
    .from(messages)
    .innerJoin(
      conversations,
      and(eq(conversations.accountId, messages.accountId), eq(conversations.id, messages.conversationId)),
    )
    .where(
      and(
        eq(messages.accountId, payload.accountId),
        eq(messages.conversationId, payload.conversationId),
        eq(messages.id, payload.messageId),
      ),
    );
  if (!row) return { kind: 'skip' };
  const { message, conversation } = row;
  // Already sent (it has the provider's id), already failed, or no longer a public reply.
  const settled = message.sourceId !== null || message.status === 'failed';
  if (settled || message.isPrivate || message.deletedAt !== null || message.messageType !== 'outgoing') {
    return { kind: 'skip' };
  }
  const inbox = await findInbox(db, payload.accountId, message.inboxId);
  if (inbox?.channelType !== 'whatsapp') return { kind: 'skip' };
  const provider = whatsappSenderFor(db, inbox);
  if (!provider)
    return { kind: 'fail', error: 'Parley has no adapter to send through this WhatsApp provider' };
  const jid = await recipientJidOf(db, conversation);
  if (!jid) return { kind: 'fail', error: 'The contact has no WhatsApp number or group to send to' };
  return {
    kind: 'send',
    provider,
    instance: instanceOf(inbox),
    jid,
    text: message.content ?? '',
    providerMessageId: providerMessageIdOf(message),
  };
}

async function lockReply(tx: Db, payload: SendWhatsappMessagePayload): Promise<MessageRow | null> {
  const [row] = await tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.accountId, payload.accountId),
        eq(messages.conversationId, payload.conversationId),
        eq(messages.id, payload.messageId),
      ),
    )
    .for('update');
  return row ?? null;
}

async function markSent(tx: Db, payload: SendWhatsappMessagePayload, sourceId: string): Promise<void> {
  const locked = await lockReply(tx, payload);
  if (!locked || locked.sourceId !== null) return;
  // Source ids are unique per inbox; should the provider's echo have been stored already, the
  // message is still marked sent rather than the job failing on the index forever.
  const [taken] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(eq(messages.inboxId, locked.inboxId), eq(messages.sourceId, sourceId), ne(messages.id, locked.id)),
    );
  if (!taken) {
    await tx
      .update(messages)
      .set({ sourceId, updatedAt: sql`now()` })
      .where(and(eq(messages.accountId, locked.accountId), eq(messages.id, locked.id)));
  }
  // Records message.updated, whose snapshot now shows the source id.
  await updateMessage(tx, { ...payload, status: 'sent', actor: SYSTEM });
}

async function markFailed(tx: Db, payload: SendWhatsappMessagePayload, error: string): Promise<void> {
  const locked = await lockReply(tx, payload);
  if (!locked || locked.sourceId !== null) return;
  await updateMessage(tx, {
    ...payload,
    status: 'failed',
    contentAttributes: { external_error: error },
    actor: SYSTEM,
  });
}

/**
 * Sends one reply: reads what to send, calls the provider outside any transaction, then marks the
 * message sent (source id = the provider's id) or failed with `external_error`, together with the
 * job's completion. A provider that refuses (not in the group) fails it at once; one that cannot be
 * reached is retried, and fails it on the last attempt.
 */
export async function sendWhatsappReply(
  db: Db,
  payload: SendWhatsappMessagePayload,
  ctx: JobContext,
): Promise<void> {
  const next = await plan(db, payload);
  if (next.kind === 'skip') return ctx.complete(() => Promise.resolve());
  if (next.kind === 'fail') return ctx.complete((tx) => markFailed(tx, payload, next.error));
  let providerMessageId: string;
  try {
    providerMessageId = await next.provider.sendMessage(
      next.instance,
      next.jid,
      { text: next.text },
      { messageId: next.providerMessageId },
    );
  } catch (error) {
    const refused = isDomainError(error) && error.code !== 'UNAVAILABLE';
    if (!refused && ctx.job.attempts < ctx.job.maxAttempts) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const message = refused ? reason : `WhatsApp provider unavailable: ${reason}`;
    return ctx.complete((tx) => markFailed(tx, payload, message));
  }
  await ctx.complete((tx) => markSent(tx, payload, whatsappSourceIdOf(providerMessageId)));
}
