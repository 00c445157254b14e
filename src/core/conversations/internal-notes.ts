import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import type { ConversationRow, MessageRow } from './conversations.tables.js';
import { createMessage } from './create-message.js';

export interface InternalNoteInput {
  /** The agent who wrote it (users.id). */
  authorId: number;
  message: string;
  /** Set when a note written elsewhere is imported with its original time. */
  createdAt?: Date | undefined;
}

/**
 * An internal note is a private message: agents see it, the contact never does, and it records
 * message.created with `private: true` like any note written in the inbox.
 */
export async function addInternalNote(
  tx: Db,
  conversation: ConversationRow,
  note: InternalNoteInput,
  actor: Actor,
): Promise<MessageRow> {
  const created = await createMessage(tx, {
    accountId: conversation.accountId,
    conversationId: conversation.id,
    messageType: 'outgoing',
    private: true,
    content: note.message,
    sender: { type: 'user', id: note.authorId },
    ...(note.createdAt ? { createdAt: note.createdAt } : {}),
    actor,
  });
  return created.message;
}
