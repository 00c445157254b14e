import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import { ensureContactInbox } from '../contacts/contact-inboxes.js';
import type { ConversationDirection, ConversationRow, MessageRow } from './conversations.tables.js';
import { createConversation } from './create-conversation.js';
import { SOURCE_CHANNEL_KEY, type ConversationChannel } from './conversation-channels.js';
import { addConversationMessage, type ConversationMessageInput } from './conversation-message-input.js';
import type { QueueRow } from '../routing/routing.tables.js';

export interface OpenConversationInput {
  accountId: number;
  inboxId: number;
  contactId: number;
  /** Recorded on the conversation, so an API inbox can carry a contact form, a callback, … */
  channel: ConversationChannel;
  direction: ConversationDirection;
  subject?: string | null;
  language?: string | null;
  additionalAttributes?: Record<string, unknown>;
  firstMessage?: ConversationMessageInput | null;
  /** A queue the caller chose (a callback request names one); otherwise routing picks the inbox's. */
  queue?: QueueRow | null;
  actor: Actor;
}

/**
 * Opens a conversation for a contact in an inbox the way a contact-center API does it in one
 * call: the contact's address in the inbox, the conversation, its queue when one was named, and
 * its first message, in the caller's transaction.
 */
export async function openConversation(
  tx: Db,
  input: OpenConversationInput,
): Promise<{ conversation: ConversationRow; message: MessageRow | null }> {
  const contactInbox = await ensureContactInbox(tx, {
    accountId: input.accountId,
    contactId: input.contactId,
    inboxId: input.inboxId,
  });
  const conversation = await createConversation(tx, {
    accountId: input.accountId,
    inboxId: input.inboxId,
    contactId: input.contactId,
    contactInboxId: contactInbox.id,
    direction: input.direction,
    subject: input.subject ?? null,
    language: input.language ?? null,
    additionalAttributes: { ...input.additionalAttributes, [SOURCE_CHANNEL_KEY]: input.channel },
    queue: input.queue ?? null,
    actor: input.actor,
  });
  if (!input.firstMessage) return { conversation, message: null };
  const created = await addConversationMessage(tx, conversation, input.firstMessage, input.actor);
  return { conversation: created.conversation, message: created.message };
}
