import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { contacts } from '../contacts/contacts.tables.js';
import {
  attachments,
  messages,
  type ConversationRow,
  type MessageRow,
  type MessageStatus,
  type MessageType,
  type SenderType,
} from './conversations.tables.js';
import { messageCreated } from './conversations.events.js';
import { lockConversation, recordStatusChange, writeConversation } from './conversations.js';
import { snapshotOfRow } from './conversation-snapshots.js';
import { messageSnapshotOf } from './message-snapshots.js';
import { fileTypeOf, type AttachmentInput } from './attachments.js';

export interface CreateMessageInput {
  accountId: number;
  /** The internal conversation id (not the display id). */
  conversationId: number;
  messageType: MessageType;
  content: string | null;
  contentType?: string;
  contentAttributes?: Record<string, unknown>;
  private?: boolean;
  status?: MessageStatus;
  /** The channel's id for the message: a redelivery with the same id in the inbox is stored once. */
  sourceId?: string | null;
  /** The client's id for the message: a retry with the same id in the conversation is stored once. */
  echoId?: string | null;
  sender: { type: SenderType; id: number } | null;
  attachments?: AttachmentInput[];
  additionalAttributes?: Record<string, unknown>;
  externalSourceIds?: Record<string, unknown>;
  /** When it was written, for messages imported after the fact (e.g. Dixa notes with createdAt). */
  createdAt?: Date;
  actor: Actor;
}

export interface CreatedMessage {
  message: MessageRow;
  conversation: ConversationRow;
  isDuplicate: boolean;
}

/**
 * Adds a message and keeps the conversation's counters in step, in the caller's transaction.
 * Idempotent: a message already stored under the same echo id (conversation) or source id
 * (inbox) is returned as it is, and nothing is written or emitted.
 */
export async function createMessage(tx: Db, input: CreateMessageInput): Promise<CreatedMessage> {
  const conversation = await lockConversation(tx, input.accountId, input.conversationId);
  const existing = await findDuplicate(tx, conversation, input);
  if (existing) return { message: existing, conversation, isDuplicate: true };
  assertHasBody(input);

  const [inserted] = await tx
    .insert(messages)
    .values({
      accountId: input.accountId,
      conversationId: conversation.id,
      inboxId: conversation.inboxId,
      messageType: input.messageType,
      content: input.content,
      contentType: input.contentType ?? 'text',
      contentAttributes: input.contentAttributes ?? {},
      isPrivate: input.private ?? false,
      status: input.status ?? 'sent',
      sourceId: input.sourceId ?? null,
      echoId: input.echoId ?? null,
      senderType: input.sender?.type ?? null,
      senderId: input.sender?.id ?? null,
      additionalAttributes: input.additionalAttributes ?? {},
      externalSourceIds: input.externalSourceIds ?? {},
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    })
    // A concurrent delivery of the same source id in another conversation of the inbox wins the race.
    .onConflictDoNothing()
    .returning();
  if (!inserted) {
    const winner = await findDuplicate(tx, conversation, input);
    if (winner) return { message: winner, conversation, isDuplicate: true };
    throw new DomainError('CONFLICT', 'The message conflicts with a message stored at the same time');
  }
  if (input.attachments?.length) {
    await tx.insert(attachments).values(
      input.attachments.map((attachment) => ({
        accountId: input.accountId,
        messageId: inserted.id,
        fileType: attachment.fileType ?? fileTypeOf(attachment.contentType),
        blobKey: attachment.blobKey ?? null,
        externalUrl: attachment.externalUrl ?? null,
        fileName: attachment.fileName ?? null,
        contentType: attachment.contentType ?? null,
        byteSize: attachment.byteSize ?? null,
        coordinates: attachment.coordinates ?? null,
      })),
    );
  }

  const updated = await applyToConversation(tx, conversation, inserted);
  if (
    inserted.messageType === 'incoming' &&
    inserted.senderType === 'contact' &&
    inserted.senderId !== null
  ) {
    await tx
      .update(contacts)
      .set({ lastActivityAt: inserted.createdAt })
      .where(and(eq(contacts.accountId, input.accountId), eq(contacts.id, inserted.senderId)));
  }
  await recordEvent(tx, messageCreated, {
    accountId: input.accountId,
    aggregateId: inserted.id,
    payload: {
      message: await messageSnapshotOf(tx, inserted),
      conversation: await snapshotOfRow(tx, updated),
    },
    actor: input.actor,
  });
  if (updated.status !== conversation.status) {
    await recordStatusChange(tx, updated, conversation.status, input.actor);
  }
  return { message: inserted, conversation: updated, isDuplicate: false };
}

async function findDuplicate(
  tx: Db,
  conversation: ConversationRow,
  input: Pick<CreateMessageInput, 'echoId' | 'sourceId' | 'accountId'>,
): Promise<MessageRow | null> {
  if (input.echoId) {
    const [row] = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.accountId, input.accountId),
          eq(messages.conversationId, conversation.id),
          eq(messages.echoId, input.echoId),
        ),
      );
    if (row) return row;
  }
  if (input.sourceId) {
    const [row] = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.accountId, input.accountId),
          eq(messages.inboxId, conversation.inboxId),
          eq(messages.sourceId, input.sourceId),
        ),
      );
    if (row) return row;
  }
  return null;
}

function assertHasBody(input: CreateMessageInput): void {
  const hasContent = input.content !== null && input.content.trim() !== '';
  const hasStructure = (input.contentType ?? 'text') !== 'text';
  if (hasContent || hasStructure || (input.attachments?.length ?? 0) > 0) return;
  throw new DomainError('VALIDATION_FAILED', 'A message needs content or attachments', [
    { path: 'content', message: "can't be blank" },
  ]);
}

/** Whether an outgoing message is a person's public reply (bots, notes and templates are not). */
function isHumanReply(message: MessageRow): boolean {
  return message.messageType === 'outgoing' && !message.isPrivate && message.senderType !== 'agent_bot';
}

async function applyToConversation(
  tx: Db,
  conversation: ConversationRow,
  message: MessageRow,
): Promise<ConversationRow> {
  // Activity lines (assignments, status changes) are history, not conversation activity.
  if (message.messageType === 'activity') return conversation;
  const isIncoming = message.messageType === 'incoming' && !message.isPrivate;
  const patch: Parameters<typeof writeConversation>[2] = {
    lastActivityAt: message.createdAt,
    lastNonActivityMessageId: message.id,
  };
  if (isIncoming) {
    // The row is locked, so read-then-write cannot lose an increment.
    patch.unreadCount = conversation.unreadCount + 1;
    if (conversation.waitingSince === null) patch.waitingSince = message.createdAt;
    // As in Chatwoot: a contact writing again reopens a resolved or snoozed conversation, unless
    // it was muted (a muted conversation stays resolved).
    const reopens =
      conversation.status === 'snoozed' || (conversation.status === 'resolved' && !conversation.muted);
    if (reopens) {
      patch.status = 'open';
      patch.snoozedUntil = null;
    }
  }
  if (isHumanReply(message)) {
    patch.waitingSince = null;
    if (conversation.firstReplyCreatedAt === null) patch.firstReplyCreatedAt = message.createdAt;
  }
  return writeConversation(tx, conversation, patch);
}
