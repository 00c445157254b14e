import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { isDomainError } from '../../platform/errors.js';
import type { EventConsumer } from '../../platform/events/relay.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import { messageCreated } from '../conversations/conversations.events.js';
import { updateMessage } from '../conversations/messages.js';
import { DEFAULT_SENDER, sendSms } from './send-sms.js';
import { smsMessages } from './sms.tables.js';

type MessagePayload = ReturnType<(typeof messageCreated)['payloadSchema']['parse']>;

/** The number the correspondent last texted in this conversation: replies come from it. */
async function replySender(tx: Db, accountId: number, conversationId: number): Promise<string> {
  const [last] = await tx
    .select({ recipient: smsMessages.recipient })
    .from(smsMessages)
    .where(
      and(
        eq(smsMessages.accountId, accountId),
        eq(smsMessages.conversationId, conversationId),
        eq(smsMessages.direction, 'IN'),
      ),
    )
    .orderBy(desc(smsMessages.id))
    .limit(1);
  return last?.recipient ?? DEFAULT_SENDER;
}

/** An agent's public reply in an SMS inbox, not already an SMS (those carry an `sms:` source id). */
function isAgentReply(payload: MessagePayload): boolean {
  const { message, conversation } = payload;
  return (
    conversation.inbox.channelType === 'sms' &&
    message.messageType === 'outgoing' &&
    !message.private &&
    message.sourceId === null &&
    (message.content ?? '').trim() !== ''
  );
}

async function sendReply(tx: Db, event: EventRow, payload: MessagePayload): Promise<void> {
  const { message, conversation } = payload;
  const to = conversation.contact.phoneNumber;
  const fail = (error: string) =>
    updateMessage(tx, {
      accountId: event.accountId,
      conversationId: message.conversationId,
      messageId: message.id,
      status: 'failed',
      contentAttributes: { external_error: error },
      actor: { type: 'system' },
    });
  if (!to) {
    await fail('The contact has no phone number to text');
    return;
  }
  try {
    // A savepoint: a reply that cannot go out (too long, …) must not fail the relay's batch.
    await tx.transaction(async (savepoint) => {
      await sendSms(savepoint, {
        accountId: event.accountId,
        from: await replySender(savepoint, event.accountId, message.conversationId),
        to,
        text: message.content ?? '',
        senderUserId: message.senderType === 'user' ? message.senderId : null,
        existingMessage: {
          conversationId: message.conversationId,
          messageId: message.id,
          inboxId: message.inboxId,
        },
        actor: { type: 'system' },
      });
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    await fail(error.message);
  }
}

/**
 * Agents answer SMS conversations from any face (Chatwoot, Dixa): their replies in an SMS inbox
 * go out as SMS from the number the contact wrote to (or the shared sender), tracked like sms.send's.
 */
export function createSmsReplyConsumer(): EventConsumer {
  return {
    name: 'sms.agent-replies',
    async handle(tx, batch) {
      for (const event of batch) {
        if (event.type !== messageCreated.type) continue;
        const parsed = messageCreated.payloadSchema.safeParse(event.payload);
        if (!parsed.success || !isAgentReply(parsed.data)) continue;
        const [already] = await tx
          .select({ id: smsMessages.id })
          .from(smsMessages)
          .where(
            and(
              eq(smsMessages.accountId, event.accountId),
              eq(smsMessages.messageId, parsed.data.message.id),
            ),
          )
          .limit(1);
        if (!already) await sendReply(tx, event, parsed.data);
      }
    },
  };
}
