import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import type { ConversationRow } from './conversations.tables.js';
import { createMessage, type CreatedMessage } from './create-message.js';

/**
 * A public message as contact-center APIs post it: from the contact (inbound) or from a named
 * agent (outbound), in plain text or HTML, with linked files and the client's own id.
 */
export interface ConversationMessageInput {
  direction: 'inbound' | 'outbound';
  /** The author of an outbound message (users.id); inbound messages are the contact's. */
  agentId?: number | null;
  content: string;
  format: 'text' | 'html';
  /** The client's id: a retry with the same id in the conversation is stored once. */
  externalId?: string | null;
  attachments?: { url: string; name?: string | null }[];
}

/** Marks HTML bodies, so faces render them back as HTML and not as text. */
export const CONTENT_FORMAT_KEY = 'content_format';

/** Adds the message to the conversation in the caller's transaction (see createMessage). */
export async function addConversationMessage(
  tx: Db,
  conversation: ConversationRow,
  message: ConversationMessageInput,
  actor: Actor,
): Promise<CreatedMessage> {
  const isInbound = message.direction === 'inbound';
  return createMessage(tx, {
    accountId: conversation.accountId,
    conversationId: conversation.id,
    messageType: isInbound ? 'incoming' : 'outgoing',
    content: message.content,
    contentAttributes: message.format === 'html' ? { [CONTENT_FORMAT_KEY]: 'html' } : {},
    echoId: message.externalId ?? null,
    sender:
      isInbound || message.agentId == null
        ? { type: 'contact', id: conversation.contactId }
        : { type: 'user', id: message.agentId },
    attachments: (message.attachments ?? []).map((file) => ({
      externalUrl: file.url,
      fileName: file.name ?? null,
      fileType: 'file' as const,
    })),
    actor,
  });
}
